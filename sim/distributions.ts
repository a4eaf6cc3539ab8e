/**
 * Non-negative distributions (durations in seconds, sizes, counts) read from JSON.
 *
 * A plain number is a constant. An object `{ "dist": NAME, ...params }` names one of the
 * families below. Every family samples by inverse transform from exactly one uniform, so a
 * stream that only feeds these distributions stays aligned across parameter points even when
 * their parameters change. (Streams that draw Poisson counts, whose number of uniforms varies,
 * align only while the intervals they count over are the same.)
 */
import { showValue, SpecError, unknownKeyMessage } from "./errors.ts";
import { formatBound, MAX_SECONDS, SECONDS_WHY } from "./limits.ts";
import { normalCdf, normalPdf, normalQuantile } from "./normal.ts";
import type { Uniform } from "./random.ts";

export interface Distribution {
  /** The normalised JSON form, for manifests and reports. */
  readonly spec: DistSpec;
  /** Theoretical mean (Infinity where it does not exist). */
  readonly mean: number;
  /** The value below which a fraction p of samples fall. */
  quantile(p: number): number;
  sample(rng: Uniform): number;
}

export type DistSpec =
  | number
  | { dist: "constant"; value: number }
  | { dist: "uniform"; min: number; max: number }
  | { dist: "exponential"; mean: number }
  | { dist: "normal"; mean: number; sd: number }
  | { dist: "lognormal"; mu: number; sigma: number }
  | { dist: "lognormal"; median: number; p99: number }
  | { dist: "pareto"; scale: number; shape: number }
  | { dist: "empirical"; quantiles: [number, number][] };

type Params = Record<string, unknown>;

interface Family {
  required: string[][]; // alternatives: one of these parameter sets must be given
  build(p: Params, path: string): Omit<Distribution, "spec" | "sample">;
  doc: string;
}

const Z99 = normalQuantile(0.99);

const FAMILIES: Record<string, Family> = {
  constant: {
    required: [["value"]],
    doc: "always `value`",
    build: (p, path) => {
      const v = num(p, "value", path, 0);
      return { mean: v, quantile: () => v };
    },
  },
  uniform: {
    required: [["min", "max"]],
    doc: "uniform on [min, max]",
    build: (p, path) => {
      const min = num(p, "min", path, 0);
      const max = num(p, "max", path, min);
      return { mean: (min + max) / 2, quantile: (u) => min + u * (max - min) };
    },
  },
  exponential: {
    required: [["mean"]],
    doc: "exponential with the given `mean`",
    build: (p, path) => {
      const mean = num(p, "mean", path, 0, true);
      return { mean, quantile: (u) => -mean * Math.log1p(-u) };
    },
  },
  normal: {
    required: [["mean", "sd"]],
    doc: "normal(mean, sd) truncated at 0",
    build: (p, path) => {
      const mu = num(p, "mean", path, -MAX_SECONDS);
      const sd = num(p, "sd", path, 0, true);
      // Mass kept above 0; sampling through the upper tail keeps heavy truncation accurate.
      const kept = normalCdf(mu / sd);
      if (kept < 1e-12) throw new SpecError(`${path}.mean`, `mean ${mu} with sd ${sd} leaves no mass above 0`);
      return {
        mean: mu + (sd * normalPdf(mu / sd)) / kept,
        quantile: (u) => Math.max(0, mu - sd * normalQuantile((1 - u) * kept)),
      };
    },
  },
  lognormal: {
    required: [["mu", "sigma"], ["median", "p99"]],
    doc: "lognormal by `mu`/`sigma` of the log, or by `median` and `p99`",
    build: (p, path) => {
      let mu: number;
      let sigma: number;
      // Own keys only: `in` would also see properties inherited from Object.prototype.
      if (Object.hasOwn(p, "median")) {
        const median = num(p, "median", path, 0, true);
        const p99 = num(p, "p99", path, median, true);
        mu = Math.log(median);
        sigma = Math.log(p99 / median) / Z99;
      } else {
        mu = num(p, "mu", path, -Infinity, false, MAX_LOG_SECONDS);
        sigma = num(p, "sigma", path, 0, true);
      }
      return {
        mean: Math.exp(mu + (sigma * sigma) / 2),
        quantile: (u) => Math.exp(mu + sigma * normalQuantile(u)),
      };
    },
  },
  pareto: {
    required: [["scale", "shape"]],
    doc: "Pareto with minimum `scale` and tail index `shape`",
    build: (p, path) => {
      const scale = num(p, "scale", path, 0, true);
      const shape = num(p, "shape", path, 0, true);
      return {
        mean: shape > 1 ? (shape * scale) / (shape - 1) : Infinity,
        quantile: (u) => scale * Math.pow(1 - u, -1 / shape),
      };
    },
  },
  empirical: {
    required: [["quantiles"]],
    doc: "piecewise-linear inverse CDF through `quantiles`: [[p, value], ...] from p=0 to p=1",
    build: (p, path) => empirical(p.quantiles, `${path}.quantiles`),
  },
};

export const DISTRIBUTION_NAMES = Object.keys(FAMILIES);

/** Parses a distribution spec; `path` names the field in error messages. */
export function parseDistribution(value: unknown, path: string): Distribution {
  if (typeof value === "number") {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new SpecError(path, `a constant must be a finite number >= 0, got ${showValue(value)}`);
    }
    if (value > MAX_SECONDS) throw new SpecError(path, `must be at most ${formatBound(MAX_SECONDS)} s, got ${value}: ${SECONDS_WHY}`);
    return finish(value, { mean: value, quantile: () => value });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SpecError(path, `expected a number (constant seconds) or { "dist": one of ${DISTRIBUTION_NAMES.join(", ")}, ... }, got ${showValue(value)}`);
  }
  const params = value as Params;
  const name = params.dist;
  if (typeof name !== "string" || !Object.hasOwn(FAMILIES, name)) {
    throw new SpecError(`${path}.dist`, `expected one of ${DISTRIBUTION_NAMES.join(", ")}, got ${showValue(name)}`);
  }
  const family = FAMILIES[name];
  const given = Object.keys(params).filter((k) => k !== "dist");
  // The parameter set the input is closest to: complete if possible, else the most overlap.
  const has = (k: string) => Object.hasOwn(params, k);
  const overlap = (set: string[]) => set.filter(has).length - (set.every(has) ? 0 : 0.5);
  const chosen = family.required.reduce((best, set) => (overlap(set) > overlap(best) ? set : best));
  for (const key of given) {
    if (!chosen.includes(key)) throw new SpecError(path, `${name}: ${unknownKeyMessage(key, chosen)}`);
  }
  for (const key of chosen) {
    if (!has(key)) {
      const forms = family.required.map((s) => s.join(" and ")).join(", or ");
      throw new SpecError(`${path}.${key}`, `missing; ${name} needs ${forms}`);
    }
  }
  const built = family.build(params, path);
  // Parameters within bounds can still describe a tail far beyond any run (a Pareto with a tiny
  // shape): the bound applies to what the distribution draws, short of its last 1e-4.
  const tail = built.quantile(0.9999);
  if (!(tail <= MAX_SECONDS)) {
    throw new SpecError(path, `draws values up to ${showValue(tail)} s (its 99.99th percentile), beyond ${formatBound(MAX_SECONDS)} s: ${SECONDS_WHY}`);
  }
  return finish(params as DistSpec, built);
}

/** What bounds the parameters that have no bound of their own (a lognormal's sigma, a Pareto's shape). */
const TAIL_RULE = `the 99.99th percentile must be at most ${formatBound(MAX_SECONDS)} s (${SECONDS_WHY})`;

/** ln(MAX_SECONDS): the largest `mu` of a lognormal (its median is e^mu seconds). */
const MAX_LOG_SECONDS = Math.log(MAX_SECONDS);

function finish(spec: DistSpec, d: Omit<Distribution, "spec" | "sample">): Distribution {
  const quantile = d.quantile;
  return { spec, mean: d.mean, quantile, sample: (rng) => quantile(rng.uniform()) };
}

/**
 * Reads a finite numeric parameter that must exceed `min` (or equal it unless `strict`) and
 * not exceed `max` (seconds, by default).
 */
function num(p: Params, key: string, path: string, min: number, strict = false, max = MAX_SECONDS): number {
  const v = Object.hasOwn(p, key) ? p[key] : undefined;
  const ok = typeof v === "number" && Number.isFinite(v) && (strict ? v > min : v >= min);
  if (!ok) {
    const bound = min === -Infinity ? "a finite number" : `a number ${strict ? ">" : ">="} ${min}`;
    throw new SpecError(`${path}.${key}`, `must be ${bound}, got ${showValue(v)}`);
  }
  if (v > max) throw new SpecError(`${path}.${key}`, `must be at most ${formatBound(max)}, got ${v}: ${SECONDS_WHY}`);
  return v;
}

function empirical(table: unknown, path: string): Omit<Distribution, "spec" | "sample"> {
  if (!Array.isArray(table) || table.length < 2) {
    throw new SpecError(path, "must be a list of at least two [p, value] pairs");
  }
  const ps: number[] = [];
  const vs: number[] = [];
  table.forEach((row, i) => {
    const ok = Array.isArray(row) && row.length === 2 && row.every((x) => typeof x === "number" && Number.isFinite(x));
    if (!ok) throw new SpecError(`${path}[${i}]`, `must be a [p, value] pair of numbers, got ${showValue(row)}`);
    const [pr, v] = row as [number, number];
    if (i > 0 && !(pr > ps[i - 1])) throw new SpecError(`${path}[${i}][0]`, `p must increase strictly, got ${pr} after ${ps[i - 1]}`);
    if (i > 0 && !(v >= vs[i - 1])) throw new SpecError(`${path}[${i}][1]`, `values must not decrease, got ${v} after ${vs[i - 1]}`);
    if (v < 0) throw new SpecError(`${path}[${i}][1]`, `must be >= 0, got ${v}`);
    if (v > MAX_SECONDS) throw new SpecError(`${path}[${i}][1]`, `must be at most ${formatBound(MAX_SECONDS)} s, got ${v}: ${SECONDS_WHY}`);
    ps.push(pr);
    vs.push(v);
  });
  if (ps[0] !== 0 || ps[ps.length - 1] !== 1) throw new SpecError(path, `must start at p=0 and end at p=1, got ${ps[0]} … ${ps[ps.length - 1]}`);
  let mean = 0;
  for (let i = 1; i < ps.length; i++) mean += ((ps[i] - ps[i - 1]) * (vs[i] + vs[i - 1])) / 2;
  const quantile = (u: number): number => {
    let lo = 0;
    let hi = ps.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ps[mid] <= u) lo = mid;
      else hi = mid;
    }
    return vs[lo] + ((u - ps[lo]) / (ps[hi] - ps[lo])) * (vs[hi] - vs[lo]);
  };
  return { mean, quantile };
}

/** JSON Schema of a distribution spec, for editors. */
export function distributionJsonSchema(description?: string): Record<string, unknown> {
  const positive = { type: "number", exclusiveMinimum: 0, maximum: MAX_SECONDS };
  const nonneg = { type: "number", minimum: 0, maximum: MAX_SECONDS };
  const variant = (dist: string, props: Record<string, object>, doc: string) => ({
    type: "object",
    description: doc,
    properties: { dist: { const: dist }, ...props },
    required: ["dist", ...Object.keys(props)],
    additionalProperties: false,
  });
  return {
    description: description ? `${description}; ${TAIL_RULE}` : TAIL_RULE,
    oneOf: [
      { ...nonneg, description: "constant, in seconds" },
      variant("constant", { value: nonneg }, FAMILIES.constant.doc),
      variant("uniform", { min: nonneg, max: nonneg }, FAMILIES.uniform.doc),
      variant("exponential", { mean: positive }, FAMILIES.exponential.doc),
      variant("normal", { mean: { type: "number", minimum: -MAX_SECONDS, maximum: MAX_SECONDS }, sd: positive }, FAMILIES.normal.doc),
      variant("lognormal", {
        mu: { type: "number", maximum: MAX_LOG_SECONDS },
        sigma: { type: "number", exclusiveMinimum: 0, description: TAIL_RULE },
      }, FAMILIES.lognormal.doc),
      variant("lognormal", { median: positive, p99: positive }, FAMILIES.lognormal.doc),
      variant("pareto", { scale: positive, shape: positive }, FAMILIES.pareto.doc),
      variant("empirical", {
        quantiles: {
          type: "array", minItems: 2,
          items: { type: "array", prefixItems: [{ type: "number", minimum: 0, maximum: 1 }, { type: "number", minimum: 0, maximum: MAX_SECONDS }], minItems: 2, maxItems: 2 },
        },
      }, FAMILIES.empirical.doc),
    ],
  };
}
