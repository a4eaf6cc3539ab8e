/**
 * Pending-event sets for the scheduler. An entry is (time, seq, slot): `time` orders events, `seq`
 * is the monotone schedule counter that breaks ties so equal times run in schedule order (FIFO),
 * and `slot` points at the handler and argument kept by the scheduler.
 *
 * Two implementations share this interface: a reference on tinyqueue (one object per event, easy
 * to trust) and a binary heap on typed arrays (no per-event allocation), which the kernel uses by
 * default. A test drives both with the same workload and asserts identical dispatch order.
 */
import TinyQueue from "tinyqueue";

export interface EventQueue {
  readonly size: number;
  push(time: number, seq: number, slot: number): void;
  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): number;
  /** Removes the earliest entry and returns its slot. */
  pop(): number;
  /** Slot and seq of the earliest entry, without removing it (undefined behaviour when empty). */
  peekSlot(): number;
  peekSeq(): number;
  /** Replace the earliest entry by a new one in one sift (the hold pattern: pop then push). */
  replaceTop(time: number, seq: number, slot: number): void;
}

export type QueueKind = "typed" | "tinyqueue";

export function createQueue(kind: QueueKind = "typed", capacity = 1024): EventQueue {
  return kind === "typed" ? new TypedHeapQueue(capacity) : new TinyQueueEvents();
}

interface Entry {
  time: number;
  seq: number;
  slot: number;
}

const byTimeThenSeq = (a: Entry, b: Entry): number => a.time - b.time || a.seq - b.seq;

/** Reference queue: tinyqueue over event objects. Simple and obviously right, but allocates. */
export class TinyQueueEvents implements EventQueue {
  private readonly heap = new TinyQueue<Entry>([], byTimeThenSeq);

  get size(): number {
    return this.heap.length;
  }

  push(time: number, seq: number, slot: number): void {
    this.heap.push({ time, seq, slot });
  }

  peekTime(): number {
    const top = this.heap.peek();
    return top === undefined ? Infinity : top.time;
  }

  peekSlot(): number {
    return this.heap.peek()!.slot;
  }

  peekSeq(): number {
    return this.heap.peek()!.seq;
  }

  pop(): number {
    const top = this.heap.pop();
    if (top === undefined) throw new Error("pop from an empty event queue");
    return top.slot;
  }

  replaceTop(time: number, seq: number, slot: number): void {
    this.heap.pop();
    this.heap.push({ time, seq, slot });
  }
}

/**
 * Binary min-heap over parallel typed arrays: times and seqs in Float64Arrays (seq can pass 2^32
 * in long runs), slots in an Int32Array. Grows by doubling; never shrinks, so a steady-state run
 * allocates nothing per event.
 */
export class TypedHeapQueue implements EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.slots = new Int32Array(cap);
  }

  get size(): number {
    return this.n;
  }

  push(time: number, seq: number, slot: number): void {
    if (this.n === this.times.length) this.grow();
    this.siftUp(this.n++, time, seq, slot);
  }

  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0];
  }

  peekSlot(): number {
    return this.slots[0];
  }

  peekSeq(): number {
    return this.seqs[0];
  }

  pop(): number {
    if (this.n === 0) throw new Error("pop from an empty event queue");
    const slot = this.slots[0];
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.times[last], this.seqs[last], this.slots[last]);
    return slot;
  }

  replaceTop(time: number, seq: number, slot: number): void {
    if (this.n === 0) this.push(time, seq, slot);
    else this.siftDown(0, time, seq, slot);
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    const seqs = new Float64Array(cap);
    const slots = new Int32Array(cap);
    times.set(this.times);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.times = times;
    this.seqs = seqs;
    this.slots = slots;
  }

  /** Moves a hole at `i` up until (time, seq) fits, then stores the entry there. */
  private siftUp(i: number, time: number, seq: number, slot: number): void {
    const { times, seqs, slots } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      slots[i] = slots[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Moves a hole at `i` down past smaller children, then stores the entry there. */
  private siftDown(i: number, time: number, seq: number, slot: number): void {
    const { times, seqs, slots } = this;
    const n = this.n;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = times[c];
      let cs = seqs[c];
      const r = c + 1;
      if (r < n) {
        const rt = times[r];
        if (rt < ct || (rt === ct && seqs[r] < cs)) {
          c = r;
          ct = rt;
          cs = seqs[r];
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      slots[i] = slots[c];
      i = c;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }
}
