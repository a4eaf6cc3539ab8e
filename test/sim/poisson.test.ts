import { describe, expect, it } from "vitest";
import { logFactorial, poisson } from "../../sim/poisson.ts";
import { RandomStream } from "../../sim/random.ts";

function moments(mean: number, n = 100_000): { mean: number; variance: number; p0: number } {
  const rng = new RandomStream(`poisson-${mean}`);
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const k = poisson(mean, rng);
    sum += k;
    sumSq += k * k;
    if (k === 0) zeros++;
  }
  return { mean: sum / n, variance: sumSq / n - (sum / n) ** 2, p0: zeros / n };
}

describe("Poisson variates", () => {
  it.each([0.3, 4, 9.99, 10, 55, 2000])("have mean and variance equal to %d", (m) => {
    const r = moments(m);
    // Standard error of the sample mean is sqrt(m/n); allow 5 of them.
    expect(Math.abs(r.mean - m)).toBeLessThan(5 * Math.sqrt(m / 100_000));
    expect(r.variance / m).toBeGreaterThan(0.97);
    expect(r.variance / m).toBeLessThan(1.03);
  });

  it("give P(0) = exp(-mean) on the inversion branch", () => {
    expect(moments(0.7).p0).toBeCloseTo(Math.exp(-0.7), 2);
  });

  it("match the exact distribution of a mean-12 Poisson (PTRS branch) by chi-square", () => {
    const rng = new RandomStream("poisson-chi");
    const n = 200_000;
    const counts = new Array(40).fill(0);
    for (let i = 0; i < n; i++) counts[Math.min(39, poisson(12, rng))]++;
    let chi = 0;
    let cells = 0;
    for (let k = 2; k < 30; k++) {
      const expected = n * Math.exp(-12 + k * Math.log(12) - logFactorial(k));
      chi += (counts[k] - expected) ** 2 / expected;
      cells++;
    }
    // 99.9th percentile of chi-square with 28 df is about 56.9.
    expect(chi).toBeLessThan(56.9);
    expect(cells).toBe(28);
  });

  it("reject a bad mean", () => {
    expect(() => poisson(-1, new RandomStream("x"))).toThrow(/mean/);
    expect(poisson(0, new RandomStream("x"))).toBe(0);
  });

  it("compute log factorials on both sides of the table", () => {
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    const exact = LOGF(300);
    expect(logFactorial(300)).toBeCloseTo(exact, 8);
  });
});

function LOGF(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}
