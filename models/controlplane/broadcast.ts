/**
 * Broadcasts: object changes every agent watches (a CiliumEndpointSlice write, a CiliumEndpoint
 * in direct mode, a CiliumNode). When one lands at the API server, the time each agent has
 * processed it is drawn at once, one delay per observer node, and kept as a compact array.
 * Nothing downstream of an agent's IPCache feeds back into the control plane, so this is exact,
 * and it keeps a 1,000-node cluster at a few kilobytes per broadcast instead of 1,000 events.
 *
 * Delivery honours outages: an event that would reach an agent while the API server is down
 * arrives after it returns (the watch is re-established and relisted); one that would arrive
 * while the agent is restarting is applied when the agent has resynced. A node that joins
 * after the broadcast learns the object from its initial list instead.
 */
import type { Distribution } from "../../sim/distributions.ts";
import { firstTimeOutside, type Interval } from "../../sim/intervals.ts";
import type { RandomStream } from "../../sim/random.ts";

export type { Interval };

export interface DeliveryConfig {
  /** Object written -> delivered to one watcher. */
  watchDelay: Distribution;
  /** Delivered -> applied by the agent (IPCache upsert, peer update). */
  processingDelay: Distribution;
  /** Merged (sorted, disjoint) API-server outages. */
  apiServerOutages: readonly Interval[];
  /** Per node index: its agent's restarts, merged; nothing is applied during them. */
  agentRestarts: (node: number) => readonly Interval[];
  /**
   * Agent restarted or API back -> relisted and applied. Its median is used, so that an
   * arrival is a pure function of (broadcast, observer) however often it is asked for.
   */
  resyncDelay: Distribution;
}

export interface ObserverSet {
  /** Node indices joined so far (observers are numbered in join order). */
  readonly count: number;
  /** When node `n` had listed everything after joining (Infinity if not yet). */
  listedAt(n: number): number;
}

const NEVER = Infinity;

export class Broadcasts {
  private readonly writtenAt: number[] = [];
  private readonly delays: Float32Array[] = [];
  private cellCount = 0;

  constructor(
    private readonly cfg: DeliveryConfig,
    private readonly observers: ObserverSet,
    private readonly watchRng: RandomStream,
    private readonly processRng: RandomStream,
    /** Multiplier on watch delay from API-server load at the time of the write. */
    private readonly load: (t: number) => number = () => 1,
    /** Told of every broadcast (for the run's trace and fingerprint). */
    private readonly onEmit: (id: number, now: number) => void = () => undefined,
  ) {}

  get count(): number {
    return this.writtenAt.length;
  }

  /** Arrival times held, one per (broadcast, observer known when it was written). */
  get cells(): number {
    return this.cellCount;
  }

  /**
   * Records a change visible at the API server at `now`; returns its id. `known` marks state
   * every agent already has (objects that exist before the run starts).
   */
  emit(now: number, known = false): number {
    const n = this.observers.count;
    const load = known ? 1 : this.load(now);
    const d = new Float32Array(n);
    for (let i = 0; i < n && !known; i++) {
      d[i] = load * this.cfg.watchDelay.sample(this.watchRng) + this.cfg.processingDelay.sample(this.processRng);
    }
    this.writtenAt.push(now);
    this.delays.push(d);
    this.cellCount += n;
    this.onEmit(this.writtenAt.length - 1, now);
    return this.writtenAt.length - 1;
  }

  /** When observer `n` has applied broadcast `id` (Infinity for "never", e.g. id < 0). */
  arrival(id: number, n: number): number {
    if (id < 0) return NEVER;
    const w = this.writtenAt[id];
    const d = this.delays[id];
    // A node that joined later, or was still listing, learns the object from its initial list.
    if (n >= d.length) return Math.max(w, this.observers.listedAt(n));
    return Math.max(this.deliver(n, w + d[n]), this.observers.listedAt(n));
  }

  /**
   * Shifts a nominal arrival past API-server outages and the observer's agent restarts, each
   * followed by a resync, until it falls outside both (a resync can end in the other kind).
   */
  private deliver(n: number, t: number): number {
    const restarts = this.cfg.agentRestarts(n);
    if (restarts.length === 0 && this.cfg.apiServerOutages.length === 0) return t;
    const resync = this.cfg.resyncDelay.quantile(0.5);
    let at = t;
    for (;;) {
      const api = firstTimeOutside(at, this.cfg.apiServerOutages);
      const agent = firstTimeOutside(api, restarts);
      if (api === at && agent === at) return at;
      at = Math.max(api, agent) + resync;
    }
  }
}
