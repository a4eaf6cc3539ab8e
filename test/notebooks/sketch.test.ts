import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LogSketch } from "../../notebooks/lib/sketch.ts";
import { Samples } from "../../sim/stats.ts";

/** Nearest-rank quantile of the exact values, the definition the sketch approximates. */
function nearestRank(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

describe("LogSketch (the report's ECDF of window durations)", () => {
  it("reads quantiles back within 2.4% (10^0.01 - 1) of the exact nearest-rank value, min and max exact", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (xs, p) => {
      const s = new LogSketch();
      for (const x of xs) s.add(x);
      const exact = nearestRank(xs, p);
      expect(Math.abs(s.quantile(p) - exact) / exact).toBeLessThanOrEqual(10 ** 0.01 - 1 + 1e-12);
      const all = new Samples();
      for (const x of xs) all.add(x);
      expect(s.quantile(1)).toBe(all.max());
      expect(s.min).toBe(all.quantile(0));
    }));
  });

  it("gives the same steps whatever order the values arrive in", () => {
    const xs = Array.from({ length: 500 }, (_, i) => 10 ** ((i * 7919) % 997 / 100 - 3));
    const a = new LogSketch();
    const b = new LogSketch();
    xs.forEach((x) => a.add(x));
    [...xs].reverse().forEach((x) => b.add(x));
    expect(a.steps()).toEqual(b.steps());
    expect(a.steps().at(-1)!.fraction).toBe(1);
  });

  it("counts zeros apart, below the first step, and ignores what is not a duration", () => {
    const s = new LogSketch();
    for (const x of [0, 0, 1, 2, NaN, -1]) s.add(x);
    expect(s.count).toBe(4);
    expect(s.zeros).toBe(2);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.steps()[0].fraction).toBe(0.75);
    expect(new LogSketch().quantile(0.5)).toBeNaN();
  });
});
