import { describe, expect, it } from "vitest";
import { Histogram, Samples, TimeWeighted, studentTQuantile, summarize } from "../../sim/stats.ts";
import { normalCdf, normalQuantile } from "../../sim/normal.ts";

describe("statistics", () => {
  it("compute exact type-7 quantiles", () => {
    const s = new Samples();
    for (const x of [5, 1, 4, 2, 3]) s.add(x);
    expect(s.quantile(0.5)).toBe(3);
    expect(s.quantile(0.9)).toBeCloseTo(4.6, 12);
    expect(s.max()).toBe(5);
    expect(s.mean()).toBe(3);
    s.add(0);
    expect(s.quantile(0)).toBe(0);
    expect(new Samples().quantile(0.5)).toBeNaN();
  });

  it("grow past their initial capacity", () => {
    const s = new Samples();
    for (let i = 1000; i > 0; i--) s.add(i);
    expect(s.count).toBe(1000);
    expect(s.quantile(0.99)).toBeCloseTo(990.01, 6);
  });

  it("average a piecewise-constant signal over time", () => {
    const tw = new TimeWeighted(0, 0);
    tw.set(1, 2); // 0 on [0,1), 2 on [1,3), 4 on [3,4]
    tw.set(3, 4);
    expect(tw.average(4)).toBeCloseTo((0 + 4 + 4) / 4, 12);
    expect(() => tw.set(2, 1)).toThrow(/backwards/);
  });

  it("match published Student t quantiles", () => {
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [5, 2.571], [10, 2.228], [30, 2.042], [100, 1.984]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 2);
  });

  it("invert the normal CDF", () => {
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.975, 0.999999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });

  it("summarise replications with a t confidence interval", () => {
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.halfWidth).toBeCloseTo(2.776 * Math.sqrt(2.5) / Math.sqrt(5), 2);
  });
});

describe("histogram", () => {
  it("gives quantiles within 0.1% of the exact ones, with exact extremes", () => {
    const h = new Histogram();
    const s = new Samples();
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const v = i % 7 === 0 ? 0 : ((x / 2 ** 32) - 0.2) * 100; // zeros, negatives and positives
      h.add(v);
      s.add(v);
    }
    for (const p of [0.01, 0.1, 0.25, 0.5, 0.9, 0.99]) {
      const exact = s.quantile(p);
      expect(Math.abs(h.quantile(p) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.001 + 0.02);
    }
    expect(h.max()).toBe(s.max());
    expect(h.quantile(0)).toBe(s.quantile(0));
    expect(h.count).toBe(50_000);
  });

  it("is empty-safe and rejects NaN", () => {
    expect(new Histogram().quantile(0.5)).toBeNaN();
    expect(() => new Histogram().add(NaN)).toThrow(/NaN/);
  });
});
