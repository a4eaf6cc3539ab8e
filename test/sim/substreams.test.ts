import { describe, expect, it } from "vitest";
import { Substreams } from "../../sim/substreams.ts";

const draws = (s: Substreams, a: number, b: number, k: number) => {
  s.select(a, b);
  return Array.from({ length: k }, () => s.uniform());
};

describe("keyed substreams", () => {
  it("give each (a, b) its own numbers, whatever was selected before", () => {
    const s = new Substreams("family");
    const first = draws(s, 7, 11, 5);
    draws(s, 3, 4, 100);
    draws(s, 7, 12, 3);
    expect(draws(s, 7, 11, 5)).toEqual(first);
    expect(draws(new Substreams("family"), 7, 11, 5)).toEqual(first);
    expect(draws(new Substreams("other"), 7, 11, 5)).not.toEqual(first);
    expect(draws(s, 11, 7, 5)).not.toEqual(first);
  });

  it("draw uniforms on (0, 1): first draws across keys and long runs within one key pass a chi-square test", () => {
    const s = new Substreams("uniformity");
    const bins = 64;
    const chi = (xs: number[]) => {
      const counts = new Array(bins).fill(0);
      for (const x of xs) {
        expect(x > 0 && x < 1).toBe(true);
        counts[Math.floor(x * bins)]++;
      }
      const e = xs.length / bins;
      return counts.reduce((t, c) => t + (c - e) ** 2 / e, 0);
    };
    // 63 degrees of freedom: the 99.99th percentile of chi-square is about 117.
    const acrossKeys = Array.from({ length: 64_000 }, (_, i) => s.select(i % 500, Math.floor(i / 500)).uniform());
    expect(chi(acrossKeys)).toBeLessThan(117);
    const withinKey = draws(s, 1, 2, 64_000);
    expect(chi(withinKey)).toBeLessThan(117);
  });

  it("are uncorrelated between neighbouring keys and between successive draws", () => {
    const s = new Substreams("correlation");
    const n = 50_000;
    const corr = (xs: number[], ys: number[]) => {
      const mx = xs.reduce((a, b) => a + b) / n;
      const my = ys.reduce((a, b) => a + b) / n;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        sxy += (xs[i] - mx) * (ys[i] - my);
        sxx += (xs[i] - mx) ** 2;
        syy += (ys[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    const here = Array.from({ length: n }, (_, i) => s.select(i, 5).uniform());
    const nextB = Array.from({ length: n }, (_, i) => s.select(i, 6).uniform());
    const nextA = Array.from({ length: n }, (_, i) => s.select(i + 1, 5).uniform());
    const second = Array.from({ length: n }, (_, i) => (s.select(i, 5).uniform(), s.uniform()));
    // Independent samples of 50,000: |r| above 0.02 has probability below 1e-5.
    for (const other of [nextB, nextA, second]) expect(Math.abs(corr(here, other))).toBeLessThan(0.02);
  });
});
