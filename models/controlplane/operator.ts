/**
 * cilium-operator's CiliumEndpointSlice controller, identity slicing mode
 * (operator/pkg/ciliumendpointslice): each CiliumEndpoint seen is mapped into a slice of its
 * identity holding at most 100 endpoints; the slice key is enqueued after the sync delay
 * (500 ms); the work queue de-duplicates keys; one token bucket paces all slice writes; one
 * worker writes them. While the operator is down nothing is written; when it returns it replays
 * every endpoint and enqueues each slice that has unpublished changes.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { TimeWeighted } from "../../sim/stats.ts";
import { TokenBucket } from "./tokenBucket.ts";

/** ces-max-ciliumendpoints-per-ces default (operator/pkg/ciliumendpointslice/cell.go). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface OperatorConfig {
  syncDelay: Distribution;
  writeLatency: Distribution;
  rateLimit: { limit: number; burst: number };
  outages: readonly { start: number; end: number }[];
}

/** Called when a slice write is visible at the API server, with the endpoints it published. */
export type SliceWritten = (endpoints: readonly number[], slice: number) => void;

interface Slice {
  identity: number;
  members: number;
  unpublished: number[];
  queued: boolean;
}

export class CesController {
  private readonly slices: Slice[] = [];
  /** Open (non-full) slice per identity. */
  private readonly openSlice = new Map<number, number>();
  private readonly queue: number[] = [];
  private queueHead = 0;
  private readonly bucket: TokenBucket;
  private up = true;
  private busy = false;
  private pumpScheduled = false;
  /** CEPs that arrived while the operator was down, replayed on its return. */
  private missed: { endpoint: number; identity: number }[] = [];
  readonly queueLength: TimeWeighted;
  writes = 0;
  maxQueue = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly cfg: OperatorConfig,
    private readonly rng: RandomStream,
    private readonly onWritten: SliceWritten,
  ) {
    this.bucket = new TokenBucket(cfg.rateLimit.limit, cfg.rateLimit.burst);
    this.queueLength = new TimeWeighted(sim.now, 0);
    for (const o of cfg.outages) {
      sim.at(o.start, () => this.goDown());
      sim.at(o.end, () => this.comeBack());
    }
  }

  /** The operator's CiliumEndpoint watch delivers a CEP with networking and identity set. */
  cepObserved(endpoint: number, identity: number): void {
    if (!this.up) {
      this.missed.push({ endpoint, identity });
      return;
    }
    const slice = this.mapEndpoint(endpoint, identity);
    // time.AfterFunc(syncDelay) then Add: the key reaches the queue after the batching window.
    this.sim.after(this.cfg.syncDelay.sample(this.rng), (s) => this.enqueue(s), slice);
  }

  private mapEndpoint(endpoint: number, identity: number): number {
    let id = this.openSlice.get(identity);
    if (id === undefined || this.slices[id].members >= MAX_ENDPOINTS_PER_SLICE) {
      id = this.slices.length;
      this.slices.push({ identity, members: 0, unpublished: [], queued: false });
      this.openSlice.set(identity, id);
    }
    const slice = this.slices[id];
    slice.members++;
    slice.unpublished.push(endpoint);
    return id;
  }

  private enqueue(slice: number): void {
    const s = this.slices[slice];
    if (!this.up || s.queued || s.unpublished.length === 0) return;
    s.queued = true;
    this.queue.push(slice);
    this.noteQueue();
    this.pump();
  }

  /** Starts the next write when the worker is idle, a token is available and work is queued. */
  private pump(): void {
    if (!this.up || this.busy || this.pumpScheduled || this.queueHead === this.queue.length) return;
    const now = this.sim.now;
    const ready = this.bucket.nextAvailable(now);
    if (ready > now) {
      this.pumpScheduled = true;
      this.sim.at(ready, () => {
        this.pumpScheduled = false;
        this.pump();
      });
      return;
    }
    this.bucket.take(now);
    const slice = this.queue[this.queueHead++];
    this.noteQueue();
    const s = this.slices[slice];
    s.queued = false;
    const published = s.unpublished;
    s.unpublished = [];
    this.busy = true;
    this.sim.after(this.cfg.writeLatency.sample(this.rng), () => {
      this.busy = false;
      this.writes++;
      this.onWritten(published, slice);
      this.pump();
    });
  }

  private goDown(): void {
    this.up = false;
    // The process is gone: its queue and pending timers go with it. Unpublished changes stay
    // recorded in the slices and are found again by the resync on return.
    for (let i = this.queueHead; i < this.queue.length; i++) this.slices[this.queue[i]].queued = false;
    this.queue.length = 0;
    this.queueHead = 0;
    this.noteQueue();
  }

  private comeBack(): void {
    if (this.up) return;
    this.up = true;
    this.bucket.reset(this.sim.now);
    for (const m of this.missed) this.mapEndpoint(m.endpoint, m.identity);
    this.missed = [];
    // Resync (syncCESsInLocalCache): every slice with unpublished endpoints is enqueued at once.
    this.slices.forEach((_, id) => this.enqueue(id));
  }

  private noteQueue(): void {
    const len = this.queue.length - this.queueHead;
    this.maxQueue = Math.max(this.maxQueue, len);
    this.queueLength.set(this.sim.now, len);
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }
}

