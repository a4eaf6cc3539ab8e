/**
 * The classic hold model, one configuration per process (so call sites stay monomorphic and one
 * variant cannot slow another): N events pending; each step takes the earliest and reschedules
 * it at now + Exp(1). Prints one JSON line with events per second.
 *
 * The queue variants take increments from a precomputed ring of 2^20 Exp(1) values, which
 * isolates the data structure (the setup of the published reference figures); the kernel
 * variants draw each increment from a named stream, as models do, except kernel-typed-ring,
 * the whole kernel with the ring: like for like with ns-3's hold (anchors/ns3-hold.cc).
 *
 *   tsx experiments/bench/hold.ts <queue-typed|queue-tinyqueue|kernel-typed|kernel-tinyqueue|kernel-typed-ring> <N>
 */
import { Bench } from "tinybench";
import { createQueue, type QueueKind } from "../../sim/queue.ts";
import { Simulator } from "../../sim/simulator.ts";
import { RandomStream } from "../../sim/random.ts";

const BATCH = 100_000;
const [variant, nArg] = process.argv.slice(2);
const n = Number(nArg);
const [layer, kind, increments] = (variant ?? "").split("-") as ["queue" | "kernel", QueueKind, string | undefined];
if (!["queue", "kernel"].includes(layer) || !["typed", "tinyqueue"].includes(kind) || ![undefined, "ring"].includes(increments) || !(n >= 1)) {
  console.error("usage: hold.ts <queue-typed|queue-tinyqueue|kernel-typed|kernel-tinyqueue|kernel-typed-ring> <pending events>");
  process.exit(2);
}
const rng = new RandomStream(`hold-${variant}-${n}`);
const exp = (): number => -Math.log(rng.uniform());
const RING = 1 << 20;
const ring = Float64Array.from({ length: RING }, exp);
let at = 0;
const ringExp = (): number => ring[at++ & (RING - 1)];

/** Queue alone: pop the top and push it back later (replaceTop does both in one sift). */
function queueHold(): () => void {
  const q = createQueue(kind, n);
  let seq = 0;
  for (let i = 0; i < n; i++) q.push(exp(), seq++, i);
  return () => {
    for (let i = 0; i < BATCH; i++) {
      const t = q.peekTime();
      q.replaceTop(t + ringExp(), seq++, q.peekSlot());
    }
  };
}

/** Whole kernel: dispatch a handler that schedules its own successor. */
function kernelHold(): () => void {
  const sim = new Simulator({ queue: kind, capacity: n });
  let left = 0;
  const next = increments === "ring" ? ringExp : exp;
  const handler = (arg: number): void => {
    sim.after(next(), handler, arg);
    if (--left === 0) sim.stop();
  };
  for (let i = 0; i < n; i++) sim.at(exp(), handler, i);
  return () => {
    left = BATCH;
    sim.run();
  };
}

const step = layer === "queue" ? queueHold() : kernelHold();
// Warm up past the initial transient of the pending set (at least 2N holds).
for (let done = 0; done < Math.max(2 * n, 1_000_000); done += BATCH) step();
const bench = new Bench({ time: 3000, warmupTime: 200 });
bench.add(variant, step);
await bench.run();
const r = bench.tasks[0].result;
if (r.state !== "completed") throw new Error(`benchmark ${variant} ${n}: ${r.state}`);
console.log(JSON.stringify({
  variant, pending: n,
  eventsPerSecond: BATCH / (r.latency.mean / 1000),
  eventsPerSecondMedian: BATCH / (r.latency.p50 / 1000),
  samples: r.latency.samplesCount,
  heapMB: process.memoryUsage().heapUsed / 2 ** 20,
}));
