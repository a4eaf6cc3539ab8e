/**
 * A token bucket like client-go's flowcontrol limiter: `rate` tokens per second, at most `burst`
 * stored, starting full. Time is passed in, so the bucket itself holds no clock.
 */
export class TokenBucket {
  private tokens: number;
  private last = 0;

  constructor(
    private rate: number,
    private burst: number,
  ) {
    this.tokens = burst;
  }

  /** New rate and size from `now` on, as x/time/rate's SetLimitAt and SetBurstAt: tokens earned so far are kept, up to the new size. */
  setLimits(rate: number, burst: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /** Earliest time >= now at which a token is available. */
  nextAvailable(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? now : now + (1 - this.tokens) / this.rate;
  }

  /** Takes a token at `now`; the caller must have waited for `nextAvailable`. */
  take(now: number): void {
    this.refill(now);
    // Tolerate float rounding at the exact refill instant.
    if (this.tokens < 1 - 1e-9) throw new Error(`no token available at t=${now}`);
    this.tokens -= 1;
  }

  /** Refills completely, as a freshly started process does. */
  reset(now: number): void {
    this.tokens = this.burst;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
    this.last = now;
  }
}
