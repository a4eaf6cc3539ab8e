/**
 * Which broadcast told the agents of an object (a pod's CiliumEndpoint or slice entry, a
 * node's CiliumNode, a service backend's EndpointSlice) and which told them it was gone, by
 * object id. The control plane owns these records, so that cluster/ describes what exists and
 * controlplane/ what is known, and everything downstream asks one question of one place: when
 * did node n learn of object x, and when did it hear of its removal.
 */
import type { Broadcasts } from "./broadcast.ts";

/** What the traffic judge may ask once the control plane has run. */
export interface Known {
  /** When node `n` applied object `id` (Infinity if never). */
  learnedAt(id: number, n: number): number;
  /** When node `n` applied the object's removal (Infinity if never), as delivered. */
  removedAt(id: number, n: number): number;
  /** Whether the object's removal was ever broadcast. */
  everRemoved(id: number): boolean;
  /** learnedAt(id, n) for first <= n < last, into out[0 .. last - first). */
  learnedAtBlock(id: number, first: number, last: number, out: Float64Array): void;
}

export class Announcements implements Known {
  private readonly upserts: number[] = [];
  private readonly removals: number[] = [];

  constructor(readonly channel: Broadcasts) {}

  /** The object's first broadcast tells agents of it; later writes change nothing they see. */
  announce(id: number, broadcast: number): void {
    if (!(this.upserts[id] >= 0)) this.upserts[id] = broadcast;
  }

  /** Broadcasts a new object now and records it (see Broadcasts.emit for `known`). */
  announceNow(id: number, now: number, known = false): void {
    this.announce(id, this.channel.emit(now, known));
  }

  retract(id: number, broadcast: number): void {
    this.removals[id] = broadcast;
  }

  isAnnounced(id: number): boolean {
    return this.upserts[id] >= 0;
  }

  learnedAt(id: number, n: number): number {
    return this.channel.arrival(this.upserts[id] ?? -1, n);
  }

  learnedAtBlock(id: number, first: number, last: number, out: Float64Array): void {
    this.channel.arrivals(this.upserts[id] ?? -1, first, last, out);
  }

  removedAt(id: number, n: number): number {
    return this.channel.arrival(this.removals[id] ?? -1, n);
  }

  everRemoved(id: number): boolean {
    return this.removals[id] >= 0;
  }
}
