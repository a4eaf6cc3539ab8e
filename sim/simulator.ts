/**
 * The simulation clock and scheduler. Time is a float in seconds. Events at the same time run in
 * the order they were scheduled: every schedule takes the next sequence number, and the queue
 * orders by (time, seq) with exact comparison (no epsilon), so `t + dt` rounding alone decides
 * which events are simultaneous. A run is therefore a pure function of its inputs and seeds.
 *
 * Handlers are plain functions with one numeric argument, kept per slot in a free-listed table,
 * so a model that binds its handlers once schedules millions of events without allocating.
 */
import { createQueue, type EventQueue, type QueueKind } from "./queue.ts";

export type Handler = (arg: number) => void;

/** Opaque event handle: the low 21 bits are the slot, the rest the schedule seq mod 2^32. */
export type EventId = number;

const SLOT_BITS = 2 ** 21;
const SEQ_WRAP = 2 ** 32;

export interface SimulatorOptions {
  queue?: QueueKind;
  /** Initial capacity of the event tables; they grow as needed. */
  capacity?: number;
}

export class Simulator {
  /** Current simulation time in seconds. */
  now = 0;
  /** Events dispatched so far (cancelled ones are not counted). */
  dispatched = 0;

  private readonly queue: EventQueue;
  private nextSeq = 0;
  private live = 0;
  private handlers: (Handler | undefined)[] = [];
  private args: Float64Array;
  /** Seq of the event that owns each slot, or -1 when the slot is free. */
  private slotSeq: Float64Array;
  private freeSlots: number[] = [];
  private stopped = false;
  /** True while a handler runs and the dispatched entry still sits at the top of the queue. */
  private topPending = false;

  constructor(options: SimulatorOptions = {}) {
    const capacity = options.capacity ?? 1024;
    this.queue = createQueue(options.queue ?? "typed", capacity);
    this.args = new Float64Array(capacity);
    this.slotSeq = new Float64Array(capacity).fill(-1);
  }

  /** Number of scheduled events not yet dispatched or cancelled. */
  get pending(): number {
    return this.live;
  }

  /** Schedules `handler(arg)` at absolute time `time` (>= now). */
  at(time: number, handler: Handler, arg = 0): EventId {
    if (!(time >= this.now)) {
      throw new RangeError(`cannot schedule at t=${time}: the clock is at ${this.now}`);
    }
    const slot = this.takeSlot();
    const seq = this.nextSeq++;
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    this.slotSeq[slot] = seq;
    this.live++;
    // Hold fast path: the entry being dispatched is still at the top; overwrite it in one sift.
    if (this.topPending) {
      this.topPending = false;
      this.queue.replaceTop(time, seq, slot);
    } else {
      this.queue.push(time, seq, slot);
    }
    return (seq % SEQ_WRAP) * SLOT_BITS + slot;
  }

  /** Schedules `handler(arg)` after `delay` seconds (>= 0). */
  after(delay: number, handler: Handler, arg = 0): EventId {
    if (!(delay >= 0)) throw new RangeError(`delay must be a number >= 0, got ${delay}`);
    return this.at(this.now + delay, handler, arg);
  }

  /** Cancels a pending event; returns false if it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const seqLow = Math.floor(id / SLOT_BITS);
    const seq = this.slotSeq[slot];
    if (seq < 0 || seq % SEQ_WRAP !== seqLow) return false;
    // The queue entry stays and is skipped when it surfaces: its seq no longer owns the slot.
    this.releaseSlot(slot);
    return true;
  }

  /** Stops `run` after the current handler returns. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Dispatches events in (time, seq) order while their time is <= `until`, then leaves the clock
   * at `until` (if finite and not stopped). Without `until`, runs until no event is pending.
   */
  run(until = Infinity): void {
    this.stopped = false;
    const q = this.queue;
    while (q.size > 0 && !this.stopped) {
      const time = q.peekTime();
      if (time > until) break;
      const slot = q.peekSlot();
      if (this.slotSeq[slot] !== q.peekSeq()) {
        q.pop(); // cancelled
        continue;
      }
      const handler = this.handlers[slot]!;
      const arg = this.args[slot];
      this.releaseSlot(slot);
      this.now = time;
      this.dispatched++;
      this.topPending = true;
      handler(arg);
      if (this.topPending) {
        this.topPending = false;
        q.pop();
      }
    }
    if (!this.stopped && until !== Infinity && until > this.now) this.now = until;
  }

  private takeSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.handlers.length;
    if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} pending events`);
    if (slot === this.args.length) this.growTables();
    this.handlers.push(undefined);
    return slot;
  }

  private releaseSlot(slot: number): void {
    this.slotSeq[slot] = -1;
    this.handlers[slot] = undefined;
    this.freeSlots.push(slot);
    this.live--;
  }

  private growTables(): void {
    const args = new Float64Array(this.args.length * 2);
    args.set(this.args);
    const slotSeq = new Float64Array(this.slotSeq.length * 2).fill(-1);
    slotSeq.set(this.slotSeq);
    this.args = args;
    this.slotSeq = slotSeq;
  }
}
