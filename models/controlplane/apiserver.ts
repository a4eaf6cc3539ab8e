/**
 * The Kubernetes API server as the control plane sees it: writes take a latency and fail while
 * it is down; watch delivery slows down as the write rate grows (optional, linear in the writes
 * of the last second), a first-order stand-in for apiserver fan-out load.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { Fifo } from "../../sim/fifo.ts";
import { firstTimeOutside, inside, mergeIntervals, type Interval } from "../../sim/intervals.ts";

export interface ApiServerConfig {
  writeLatency: Distribution;
  outages: readonly Interval[];
  /** Extra fraction of watch delay per write in the last second (0 = no load effect). */
  watchDelayPerWritePerSecond: number;
}

export class ApiServer {
  /** Times of the writes of the last second, oldest first. */
  private readonly recent = new Fifo<number>(4096);
  writes = 0;
  failedWrites = 0;
  reads = 0;

  /** The configured outages, merged (sorted, disjoint): what everyone downstream sees. */
  readonly outages: readonly Interval[];

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

  /**
   * A read sent at `now` (a GET served from the watch cache): its completion time, or
   * undefined when the server is down. Assumed to take no longer than a write; it adds no load.
   */
  read(now: number): number | undefined {
    if (!this.isUp(now)) return undefined;
    this.reads++;
    return now + this.cfg.writeLatency.sample(this.rng);
  }

  /** Multiplier on watch delay from the write rate of the last second. */
  loadFactor(now: number): number {
    if (this.cfg.watchDelayPerWritePerSecond === 0) return 1;
    while (this.recent.length > 0 && this.recent.peek()! < now - 1) this.recent.shift();
    return 1 + this.cfg.watchDelayPerWritePerSecond * this.recent.length;
  }
}

export interface WriteOutcome {
  /** Runs when the write is visible at the API server. */
  visible: (at: number) => void;
  /** While the server is down: told at once (to count the failure), then retried after `retryAfter`. */
  down?: () => void;
  retry: () => void;
  retryAfter: number;
}

/**
 * The clients' common idiom: one write now; once it is visible, `visible`; if the server is
 * down, `retry` after `retryAfter` (what the retry does, a controller's next run or the same
 * write again, is the caller's). Returns whether the write went out.
 */
export function writeOrRetry(sim: Simulator, api: ApiServer, o: WriteOutcome, read = false): boolean {
  const visible = read ? api.read(sim.now) : api.write(sim.now);
  if (visible === undefined) {
    o.down?.();
    sim.after(o.retryAfter, o.retry);
    return false;
  }
  sim.at(visible, () => o.visible(visible));
  return true;
}
