/**
 * Statistics for simulation output: sample sets with exact quantiles, time-weighted averages of
 * piecewise-constant signals, and confidence intervals across independent replications.
 */
import { normalQuantile } from "./normal.ts";

/** A growable set of samples in a Float64Array, with exact (type 7, linear) quantiles. */
export class Samples {
  private data = new Float64Array(64);
  private n = 0;
  private sorted = true;
  private sum = 0;

  get count(): number {
    return this.n;
  }

  add(x: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    if (this.n > 0 && x < this.data[this.n - 1]) this.sorted = false;
    this.data[this.n++] = x;
    this.sum += x;
  }

  mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  max(): number {
    return this.n === 0 ? NaN : this.quantile(1);
  }

  /** Quantile with linear interpolation between order statistics (R's type 7); NaN if empty. */
  quantile(p: number): number {
    if (this.n === 0) return NaN;
    if (!this.sorted) {
      this.data.subarray(0, this.n).sort();
      this.sorted = true;
    }
    const h = (this.n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, this.n - 1);
    return this.data[lo] + (h - lo) * (this.data[hi] - this.data[lo]);
  }

  values(): Float64Array {
    return this.data.slice(0, this.n);
  }
}

/** Time average of a piecewise-constant signal, such as a queue length. */
export class TimeWeighted {
  private area = 0;
  private lastTime: number;
  private value: number;
  private readonly start: number;

  constructor(startTime = 0, initial = 0) {
    this.start = startTime;
    this.lastTime = startTime;
    this.value = initial;
  }

  /** The signal changes to `value` at time `t` (t must not go backwards). */
  set(t: number, value: number): void {
    if (t < this.lastTime) throw new RangeError(`time went backwards: ${t} < ${this.lastTime}`);
    this.area += this.value * (t - this.lastTime);
    this.lastTime = t;
    this.value = value;
  }

  /** Average over [start, t]. */
  average(t: number): number {
    const span = t - this.start;
    if (span <= 0) return this.value;
    return (this.area + this.value * (t - this.lastTime)) / span;
  }
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  /** Half-width of the two-sided confidence interval for the mean. */
  halfWidth: number;
}

/** Mean and confidence interval (Student t) of independent observations, e.g. one per replication. */
export function summarize(xs: ArrayLike<number>, confidence = 0.95): Summary {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const halfWidth = n > 1 ? studentTQuantile(0.5 + confidence / 2, n - 1) * (sd / Math.sqrt(n)) : NaN;
  return { n, mean, sd, halfWidth };
}

/**
 * Quantile of Student's t with `df` degrees of freedom: exact for df 1 and 2, otherwise the
 * Cornish-Fisher expansion around the normal quantile (error below 1e-3 from df = 3 at p = 0.975).
 */
export function studentTQuantile(p: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
