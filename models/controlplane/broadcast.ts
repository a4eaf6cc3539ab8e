/**
 * Broadcasts: object changes every agent watches (a CiliumEndpointSlice write, a CiliumEndpoint
 * in direct mode, a CiliumNode). When one lands at the API server, the time each agent has
 * processed it is one delay per observer node, drawn (by blocks of observers, when first asked
 * for) into compact arrays. Nothing downstream of an agent's IPCache feeds back into the control
 * plane, so this is exact, and it keeps a 1,000-node cluster at a few kilobytes per broadcast
 * instead of 1,000 events.
 *
 * Delivery honours outages: an event that would reach an agent while the API server is down
 * arrives after it returns (the watch is re-established and relisted); one that would arrive
 * while the agent is restarting is applied when the agent has resynced. A node that joins
 * after the broadcast learns the object from its initial list instead.
 */
import type { Distribution } from "../../sim/distributions.ts";
import { firstTimeOutside, type Interval } from "../../sim/intervals.ts";
import type { Substreams } from "../../sim/substreams.ts";

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
  /** Whether any agent restarts at all (when none does, and the API server never fails, arrivals need no adjusting). */
  anyRestarts: boolean;
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

/** Observers per block of delays: drawn together, from one substream, when first asked for. */
export const OBSERVER_BLOCK = 256;

export class Broadcasts {
  private readonly writtenAt: number[] = [];
  /** Observers that existed at the write (later ones learn from their initial list). */
  private readonly observed: number[] = [];
  /** Watch-delay multiplier from API-server load at the write; 0 for state known from the start. */
  private readonly loadAt: number[] = [];
  /** Per broadcast, per block of OBSERVER_BLOCK observers: the delays, once drawn. */
  private readonly blocks: (Float32Array | undefined)[][] = [];
  private cellCount = 0;

  constructor(
    private readonly cfg: DeliveryConfig,
    private readonly observers: ObserverSet,
    /** Keyed by (broadcast, block): the draws of one block do not depend on any other's. */
    private readonly rng: Substreams,
    /** Multiplier on watch delay from API-server load at the time of the write. */
    private readonly load: (t: number) => number = () => 1,
    /** Told of every broadcast (for the run's trace and fingerprint). */
    private readonly onEmit: (id: number, now: number) => void = () => undefined,
  ) {}

  get count(): number {
    return this.writtenAt.length;
  }

  /** Arrival times a run may hold, one per (broadcast, observer known when it was written). */
  get cells(): number {
    return this.cellCount;
  }

  /**
   * Records a change visible at the API server at `now`; returns its id. `known` marks state
   * every agent already has (objects that exist before the run starts). The per-observer delays
   * are drawn when first needed, block by block: nothing in the control plane depends on when an
   * agent applies a change, so drawing them later is exact, and a judge that reads only some
   * observers draws only theirs.
   */
  emit(now: number, known = false): number {
    const n = this.observers.count;
    this.writtenAt.push(now);
    this.observed.push(n);
    this.loadAt.push(known ? 0 : this.load(now));
    this.blocks.push([]);
    this.cellCount += n;
    this.onEmit(this.writtenAt.length - 1, now);
    return this.writtenAt.length - 1;
  }

  /** When observer `n` has applied broadcast `id` (Infinity for "never", e.g. id < 0). */
  arrival(id: number, n: number): number {
    if (id < 0) return NEVER;
    const w = this.writtenAt[id];
    // A node that joined later, or was still listing, learns the object from its initial list.
    if (n >= this.observed[id]) return Math.max(w, this.observers.listedAt(n));
    return Math.max(this.deliver(n, w + this.delay(id, n)), this.observers.listedAt(n));
  }

  /**
   * arrival(id, n) for the observers first <= n < last, into out[0 .. last - first): the
   * traffic judge reads a pod's arrivals a block of senders at a time.
   */
  arrivals(id: number, first: number, last: number, out: Float64Array): void {
    if (id < 0) {
      out.fill(NEVER, 0, last - first);
      return;
    }
    const w = this.writtenAt[id];
    const observed = Math.min(this.observed[id], last);
    const plain = this.cfg.apiServerOutages.length === 0 && !this.cfg.anyRestarts;
    let n = first;
    if (this.loadAt[id] === 0) for (; n < observed; n++) out[n - first] = plain ? w : this.deliver(n, w);
    // The observers known at the write lie in whole blocks of delays: take each block once.
    while (n < observed) {
      const b = (n / OBSERVER_BLOCK) | 0;
      const base = b * OBSERVER_BLOCK;
      const block = this.delayBlock(id, b);
      const stop = Math.min(observed, base + OBSERVER_BLOCK);
      for (; n < stop; n++) out[n - first] = plain ? w + block[n - base] : this.deliver(n, w + block[n - base]);
    }
    for (; n < last; n++) out[n - first] = w;
    for (let m = first; m < last; m++) {
      const listed = this.observers.listedAt(m);
      if (listed > out[m - first]) out[m - first] = listed;
    }
  }

  /** Watch plus processing delay of broadcast `id` at observer `n`. */
  private delay(id: number, n: number): number {
    if (this.loadAt[id] === 0) return 0;
    const b = (n / OBSERVER_BLOCK) | 0;
    return this.delayBlock(id, b)[n - b * OBSERVER_BLOCK];
  }

  private delayBlock(id: number, b: number): Float32Array {
    const blocks = this.blocks[id];
    return blocks[b] ?? (blocks[b] = this.draw(id, b, this.loadAt[id]));
  }

  private draw(id: number, b: number, load: number): Float32Array {
    const size = Math.min(OBSERVER_BLOCK, this.observed[id] - b * OBSERVER_BLOCK);
    const d = new Float32Array(size);
    const u = this.rng.select(id, b);
    for (let i = 0; i < size; i++) d[i] = load * this.cfg.watchDelay.sample(u) + this.cfg.processingDelay.sample(u);
    return d;
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
