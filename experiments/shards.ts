/**
 * Splitting a sweep into shards that can run anywhere (processes on one machine, the pods of a
 * Kubernetes Indexed Job) and merge into exactly the files one machine would write. The split
 * is a pure function of the sweep and the shard count: longest runs first, each to the shard
 * with the least work so far (ties to the lower shard), with each run's work estimated by its
 * pairs. Every shard computes the same split, so no coordinator is needed.
 */
import { UsageError } from "./args.ts";
import type { Shard } from "./store/layout.ts";
import type { Sweep } from "./sweep.ts";

/** "I/N" with 0 <= I < N (Kubernetes numbers completions from 0). */
export function parseShard(text: string, flag: string): Shard {
  const m = /^(0|[1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index < count) || count > 100_000) {
    throw new UsageError(`${flag} must be I/N with 0 <= I < N <= 100000 (I counts from 0, like JOB_COMPLETION_INDEX), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** The shard of every run, by index. */
export function assignShards(sweep: Sweep, pointCost: readonly number[], count: number): Int32Array {
  const R = sweep.replications;
  const owner = new Int32Array(sweep.runCount);
  const load = new Float64Array(count);
  // Runs of one point cost the same; visit points from the costliest, runs in index order.
  const order = sweep.points.map((p) => p.index).sort((a, b) => pointCost[b] - pointCost[a] || a - b);
  const heap = new ShardHeap(load);
  for (const p of order) {
    for (let r = 0; r < R; r++) {
      const s = heap.popLightest();
      owner[p * R + r] = s;
      load[s] += Math.max(pointCost[p], 1);
      heap.push(s);
    }
  }
  return owner;
}

/** Shards ordered by (load, index), so the lightest comes first and ties go to the lower index. */
class ShardHeap {
  private readonly items: number[];

  constructor(private readonly load: Float64Array) {
    this.items = Array.from({ length: load.length }, (_, i) => i);
  }

  private less(a: number, b: number): boolean {
    return this.load[a] < this.load[b] || (this.load[a] === this.load[b] && a < b);
  }

  popLightest(): number {
    const top = this.items[0];
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  push(s: number): void {
    const it = this.items;
    it.push(s);
    for (let i = it.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(it[i], it[parent])) break;
      [it[i], it[parent]] = [it[parent], it[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    const it = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < it.length && this.less(it[l], it[m])) m = l;
      if (r < it.length && this.less(it[r], it[m])) m = r;
      if (m === i) return;
      [it[i], it[m]] = [it[m], it[i]];
      i = m;
    }
  }
}
