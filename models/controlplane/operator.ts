/**
 * cilium-operator's CiliumEndpointSlice controller (operator/pkg/ciliumendpointslice).
 * - Each CiliumEndpoint change is mapped into a slice: in identity mode the slice of its
 *   (namespace, identity); in FCFS mode the fullest non-full slice of its namespace. A slice
 *   holds at most 100 endpoints and one namespace.
 * - The slice key is enqueued after the sync delay (500 ms). Up to 1.16 the delaying queue's
 *   AddAfter keeps the earliest time of a key that already waits, so every change within the
 *   delay is written together ("merge"); from 1.17 each change starts its own time.AfterFunc
 *   ("shift", v1.17.0-pre.1 endpointslice.go L95-99). The work queue de-duplicates keys.
 * - One worker writes, paced by cesWriteLimit.ts (per version).
 * - A failed write is retried with backoff from 1 s to 100 s, at most 15 times, then dropped.
 * - Two replicas with leader election: while there is no leader (an outage, or a failover,
 *   leadership.ts) nothing is written. A new leader replays every endpoint and enqueues each
 *   slice with unpublished changes.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { Fifo } from "../../sim/fifo.ts";
import { TimeWeighted } from "../../sim/stats.ts";
import type { ApiServer } from "./apiserver.ts";
import type { Interval } from "../../sim/intervals.ts";
import { CesWriteLimit, type CesWriteLimitConfig } from "./cesWriteLimit.ts";

/** ces-max-ciliumendpoints-per-ces default (operator/pkg/ciliumendpointslice/cell.go). */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** defaultSyncBackOff, maxSyncBackOff, maxRetries (operator/pkg/ciliumendpointslice/endpointslice.go). */
export const RETRY = { initial: 1, max: 100, tries: 15 } as const;

export type SliceMode = "identity" | "fcfs";

export interface OperatorConfig {
  sliceMode: SliceMode;
  syncDelay: Distribution;
  writeLimit: CesWriteLimitConfig;
  /** CiliumNodes at the start (the first rate-limit choice). */
  initialNodes: number;
  queueing: "merge" | "shift";
  /** Merged intervals with no leader (leadership.ts). */
  leaderless: readonly Interval[];
}

export interface EndpointRef {
  id: number;
  namespace: number;
  identity: number;
}

/** A slice write as agents see it: endpoints added or updated, and endpoints removed. */
export interface SliceChanges {
  upserts: number[];
  deletes: number[];
}

interface Slice {
  namespace: number;
  identity: number;
  members: number;
  changes: Map<number, "upsert" | "delete">;
  queued: boolean;
  failures: number;
  /** "merge": an AddAfter is pending for the key; `waitGen` tells a live timer from one of a dead process. */
  waiting: boolean;
  waitGen: number;
}

export class CesController {
  private readonly slices: Slice[] = [];
  private readonly sliceOf = new Map<number, number>();
  private readonly open = new Map<string, number[]>();
  /** Slices waiting for a write, de-duplicated by their `queued` flag. */
  private readonly queue = new Fifo<number>();
  readonly limit: CesWriteLimit;
  private up = true;
  private busy = false;
  private pumpScheduled = false;
  private missed: { ref: EndpointRef; kind: "upsert" | "delete" }[] = [];
  readonly queueLength: TimeWeighted;
  writes = 0;
  failedWrites = 0;
  droppedSlices = 0;
  maxQueue = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    private readonly cfg: OperatorConfig,
    private readonly rng: RandomStream,
    private readonly onWritten: (changes: SliceChanges) => void,
  ) {
    this.limit = new CesWriteLimit(cfg.writeLimit, cfg.initialNodes);
    this.queueLength = new TimeWeighted(sim.now, 0);
    for (const o of cfg.leaderless) {
      sim.at(o.start, () => this.goDown());
      sim.at(o.end, () => this.comeBack());
    }
  }

  /** The operator's CiliumEndpoint watch delivers a created/updated or deleted endpoint. */
  cepChanged(ref: EndpointRef, kind: "upsert" | "delete"): void {
    if (!this.up) {
      this.missed.push({ ref, kind });
      return;
    }
    const slice = this.record(ref, kind);
    const s = this.slices[slice];
    if (this.cfg.queueing === "merge") {
      if (s.waiting) return;
      s.waiting = true;
      const gen = ++s.waitGen;
      this.sim.after(this.cfg.syncDelay.sample(this.rng), () => {
        if (s.waitGen !== gen) return;
        s.waiting = false;
        this.enqueue(slice);
      });
      return;
    }
    this.sim.after(this.cfg.syncDelay.sample(this.rng), (id) => this.enqueue(id), slice);
  }

  /** The operator's CiliumNode watch sees a new count. */
  nodesChanged(nodes: number): void {
    this.limit.nodesChanged(nodes, this.sim.now);
  }

  private record(ref: EndpointRef, kind: "upsert" | "delete"): number {
    let id = this.sliceOf.get(ref.id);
    if (id === undefined) {
      id = this.place(ref);
      this.sliceOf.set(ref.id, id);
      this.slices[id].members++;
    }
    const s = this.slices[id];
    s.changes.set(ref.id, kind);
    if (kind === "delete") {
      this.sliceOf.delete(ref.id);
      s.members--;
    }
    return id;
  }

  /** Chooses the slice for a new endpoint. */
  private place(ref: EndpointRef): number {
    const key = this.cfg.sliceMode === "identity" ? `${ref.namespace}/${ref.identity}` : `${ref.namespace}`;
    const candidates = this.open.get(key) ?? [];
    const fits = candidates.filter((c) => this.slices[c].members < MAX_ENDPOINTS_PER_SLICE);
    if (fits.length > 0) {
      // Identity mode fills one slice at a time; FCFS picks the fullest (largest available).
      return fits.reduce((best, c) => (this.slices[c].members > this.slices[best].members ? c : best));
    }
    const id = this.slices.length;
    this.slices.push({ namespace: ref.namespace, identity: ref.identity, members: 0, changes: new Map(), queued: false, failures: 0, waiting: false, waitGen: 0 });
    this.open.set(key, [...candidates, id]);
    return id;
  }

  private enqueue(slice: number): void {
    const s = this.slices[slice];
    if (!this.up || s.queued || s.changes.size === 0) return;
    s.queued = true;
    this.queue.push(slice);
    this.noteQueue();
    this.pump();
  }

  private pump(): void {
    if (!this.up || this.busy || this.pumpScheduled || this.queue.length === 0) return;
    const now = this.sim.now;
    const ready = this.limit.nextAvailable(now);
    if (ready > now) {
      this.pumpScheduled = true;
      this.sim.at(ready, () => {
        this.pumpScheduled = false;
        this.pump();
      });
      return;
    }
    this.limit.take(now);
    const slice = this.queue.shift()!;
    this.noteQueue();
    this.write(slice);
  }

  private write(slice: number): void {
    const s = this.slices[slice];
    s.queued = false;
    const visible = this.api.write(this.sim.now);
    if (visible === undefined) return this.retry(slice);
    const changes = s.changes;
    s.changes = new Map();
    s.failures = 0;
    this.busy = true;
    this.sim.at(visible, () => {
      this.busy = false;
      this.writes++;
      const out: SliceChanges = { upserts: [], deletes: [] };
      for (const [id, kind] of changes) (kind === "upsert" ? out.upserts : out.deletes).push(id);
      this.onWritten(out);
      this.pump();
    });
  }

  /** AddRateLimited with exponential backoff; after the last try the key is forgotten. */
  private retry(slice: number): void {
    this.failedWrites++;
    const s = this.slices[slice];
    s.failures++;
    if (s.failures > RETRY.tries) {
      this.droppedSlices++;
      s.failures = 0;
      this.pump();
      return;
    }
    const backoff = Math.min(RETRY.max, RETRY.initial * 2 ** (s.failures - 1));
    this.sim.after(backoff, (id) => this.enqueue(id), slice);
    this.pump();
  }

  private goDown(): void {
    this.up = false;
    // The process is gone with its queue and timers; unpublished changes are found again by
    // the new leader's replay.
    this.queue.drain((slice) => (this.slices[slice].queued = false));
    for (const s of this.slices) {
      s.waiting = false;
      s.waitGen++;
    }
    this.noteQueue();
  }

  private comeBack(): void {
    if (this.up) return;
    this.up = true;
    this.limit.reset(this.sim.now);
    for (const m of this.missed) this.record(m.ref, m.kind);
    this.missed = [];
    // Replay (syncCESsInLocalCache): every slice with unpublished changes is enqueued at once.
    this.slices.forEach((s, id) => {
      s.failures = 0;
      this.enqueue(id);
    });
  }

  private noteQueue(): void {
    const len = this.queue.length;
    this.maxQueue = Math.max(this.maxQueue, len);
    this.queueLength.set(this.sim.now, len);
  }
}
