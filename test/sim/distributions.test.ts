import { describe, expect, it } from "vitest";
import { parseDistribution } from "../../sim/distributions.ts";
import { RandomStream } from "../../sim/random.ts";

function sampleMean(spec: unknown, n = 200_000): number {
  const d = parseDistribution(spec, "x");
  const rng = new RandomStream(`dist-${JSON.stringify(spec)}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d.sample(rng);
  return sum / n;
}

describe("distributions", () => {
  it("treat a plain number as a constant", () => {
    const d = parseDistribution(0.5, "x");
    expect(d.quantile(0.01)).toBe(0.5);
    expect(d.mean).toBe(0.5);
  });

  it.each([
    [{ dist: "uniform", min: 1, max: 3 }, 2],
    [{ dist: "exponential", mean: 2 }, 2],
    [{ dist: "lognormal", mu: 0, sigma: 0.5 }, Math.exp(0.125)],
    [{ dist: "pareto", scale: 1, shape: 3 }, 1.5],
    [{ dist: "empirical", quantiles: [[0, 0], [0.5, 1], [1, 3]] }, 1.25],
  ])("sample %j with the theoretical mean", (spec, mean) => {
    expect(parseDistribution(spec, "x").mean).toBeCloseTo(mean, 10);
    expect(sampleMean(spec)).toBeCloseTo(mean, 1);
  });

  it("truncate the normal at 0 with the truncated mean", () => {
    // Half-normal: mean sd * sqrt(2/pi).
    const d = parseDistribution({ dist: "normal", mean: 0, sd: 1 }, "x");
    expect(d.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 5);
    expect(sampleMean({ dist: "normal", mean: 0, sd: 1 })).toBeCloseTo(Math.sqrt(2 / Math.PI), 2);
    expect(d.quantile(1e-9)).toBeGreaterThanOrEqual(0);
    // Barely truncated: close to the untruncated normal.
    expect(parseDistribution({ dist: "normal", mean: 10, sd: 1 }, "x").quantile(0.5)).toBeCloseTo(10, 4);
  });

  it("fit a lognormal by median and p99", () => {
    const d = parseDistribution({ dist: "lognormal", median: 0.2, p99: 3 }, "x");
    expect(d.quantile(0.5)).toBeCloseTo(0.2, 6);
    expect(d.quantile(0.99)).toBeCloseTo(3, 4);
  });

  it("interpolate empirical quantiles linearly", () => {
    const d = parseDistribution({ dist: "empirical", quantiles: [[0, 1], [0.9, 2], [1, 12]] }, "x");
    expect(d.quantile(0.45)).toBeCloseTo(1.5, 10);
    expect(d.quantile(0.95)).toBeCloseTo(7, 10);
  });

  it.each([
    [-1, /^lat: a constant must be a finite number >= 0/],
    ["fast", /^lat: expected a number/],
    [{ dist: "gamma", k: 1 }, /^lat\.dist: expected one of constant, uniform/],
    [{ dist: "exponential" }, /^lat\.mean: missing/],
    [{ dist: "exponential", mean: -2 }, /^lat\.mean: must be a number > 0, got -2/],
    [{ dist: "exponential", mean: 1, rate: 2 }, /unknown key `rate`/],
    [{ dist: "uniform", min: 3, max: 1 }, /^lat\.max: must be a number >= 3/],
    [{ dist: "lognormal", median: 2, p99: 1 }, /^lat\.p99: must be a number > 2/],
    [{ dist: "lognormal", mu: 1, sigam: 1 }, /did you mean `sigma`/],
    [{ dist: "empirical", quantiles: [[0, 1], [0.5, 0.5], [1, 2]] }, /^lat\.quantiles\[1\]\[1\]: values must not decrease/],
    [{ dist: "empirical", quantiles: [[0.1, 1], [1, 2]] }, /must start at p=0/],
  ])("reject %j naming the field", (spec, message) => {
    expect(() => parseDistribution(spec, "lat")).toThrow(message);
  });
});
