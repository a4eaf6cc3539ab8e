/**
 * A first-in, first-out queue: an array read from a head index, its consumed front dropped in
 * one splice once it is both long and most of the array, so push and shift are amortised O(1)
 * without an allocation per item.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** @param compactAfter consumed items tolerated before the front is dropped */
  constructor(private readonly compactAfter = 1024) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, without removing it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > this.compactAfter && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes every item, oldest first, handing each to `fn`. */
  drain(fn: (item: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) fn(this.items[i]);
    this.items = [];
    this.head = 0;
  }
}
