/**
 * The distribution of a stream of durations in fixed memory, for ECDFs on a log axis: 50 bins
 * per decade from 1 µs to 10^6 s (600 counts, 4.8 KB), so a bin spans a factor of
 * 10^0.02 = 1.047 and a value read back from its bin's geometric middle is within
 * 10^0.01 - 1 = 2.33% of the truth.
 * Zeros are counted apart (a log axis cannot show them); values below 1 µs fall in the first
 * bin and above 10^6 s in the last; count, min and max are exact. Counts do not depend on the
 * order values arrive in, so the same file gives the same sketch.
 *
 * sim/stats.ts's Histogram is finer (0.05%) but holds 1.3 MB, too much per point of a big grid.
 */
export class LogSketch {
  static readonly PER_DECADE = 50;
  static readonly LOW_EXPONENT = -6;
  static readonly DECADES = 12;
  private readonly bins = new Float64Array(LogSketch.PER_DECADE * LogSketch.DECADES);
  count = 0;
  zeros = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    if (!(x >= 0)) return; // NaN or negative: an empty or damaged cell, not a duration
    this.count++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (x === 0) this.zeros++;
    else this.bins[LogSketch.bin(x)]++;
  }

  /** Nearest-rank quantile: the middle of the bin holding the value of rank ceil(p n), within [min, max]. */
  quantile(p: number): number {
    if (this.count === 0) return NaN;
    if (p >= 1) return this.max;
    let rank = Math.max(1, Math.ceil(p * this.count)) - this.zeros;
    if (rank <= 0) return 0;
    for (let b = 0; b < this.bins.length; b++) {
      rank -= this.bins[b];
      if (rank <= 0) return this.clamp(LogSketch.middle(b));
    }
    return this.max;
  }

  /**
   * The ECDF as steps: for each non-empty bin, its middle (within [min, max]) and the fraction
   * of values up to and including that bin. Zeros lift the first step; they cannot be drawn.
   */
  steps(): { x: number; fraction: number }[] {
    const out: { x: number; fraction: number }[] = [];
    let below = this.zeros;
    for (let b = 0; b < this.bins.length; b++) {
      if (this.bins[b] === 0) continue;
      below += this.bins[b];
      out.push({ x: this.clamp(LogSketch.middle(b)), fraction: below / this.count });
    }
    return out;
  }

  private clamp(x: number): number {
    return Math.min(this.max, Math.max(this.min, x));
  }

  private static bin(x: number): number {
    const b = Math.floor((Math.log10(x) - LogSketch.LOW_EXPONENT) * LogSketch.PER_DECADE);
    return b < 0 ? 0 : Math.min(b, LogSketch.PER_DECADE * LogSketch.DECADES - 1);
  }

  private static middle(b: number): number {
    return 10 ** (LogSketch.LOW_EXPONENT + (b + 0.5) / LogSketch.PER_DECADE);
  }
}
