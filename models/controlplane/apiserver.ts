/**
 * The Kubernetes API server as the control plane sees it: writes take a latency and fail while
 * it is down; watch delivery slows down as the write rate grows (optional, linear in the writes
 * of the last second), a first-order stand-in for apiserver fan-out load.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import { firstTimeOutside, inside, mergeIntervals, type Interval } from "../../sim/intervals.ts";

export interface ApiServerConfig {
  writeLatency: Distribution;
  outages: readonly Interval[];
  /** Extra fraction of watch delay per write in the last second (0 = no load effect). */
  watchDelayPerWritePerSecond: number;
}

export class ApiServer {
  private readonly recent: number[] = [];
  private recentHead = 0;
  writes = 0;
  failedWrites = 0;

  private readonly outages: Interval[];

  constructor(
    private readonly cfg: ApiServerConfig,
    private readonly rng: RandomStream,
  ) {
    this.outages = mergeIntervals(cfg.outages);
  }

  isUp(t: number): boolean {
    return !inside(t, this.outages);
  }

  /** When the API server is next up at or after `t`. */
  upAt(t: number): number {
    return firstTimeOutside(t, this.outages);
  }

  /**
   * A write sent at `now`: its completion time, or undefined when the server is down (the
   * client sees an error and must retry).
   */
  write(now: number): number | undefined {
    if (!this.isUp(now)) {
      this.failedWrites++;
      return undefined;
    }
    this.writes++;
    this.recent.push(now);
    return now + this.cfg.writeLatency.sample(this.rng);
  }

  /** Multiplier on watch delay from the write rate of the last second. */
  loadFactor(now: number): number {
    if (this.cfg.watchDelayPerWritePerSecond === 0) return 1;
    while (this.recentHead < this.recent.length && this.recent[this.recentHead] < now - 1) this.recentHead++;
    if (this.recentHead > 4096) {
      this.recent.splice(0, this.recentHead);
      this.recentHead = 0;
    }
    return 1 + this.cfg.watchDelayPerWritePerSecond * (this.recent.length - this.recentHead);
  }
}
