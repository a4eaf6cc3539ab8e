/**
 * Runs a sweep's pending runs on worker threads, each worker writing its runs straight into
 * the store, and hands every published record to the caller as it lands. Nothing a run
 * produces crosses back but its record, so the main thread's memory does not grow with the
 * sweep. Results never depend on which worker ran what: each run is a pure function of its
 * scenario, seed and replication, and outputs are assembled by run index, not arrival order.
 *
 * Stopping: after `stop.request()` no new run is handed out and in-flight runs finish; after
 * `stop.abandon()` the workers are terminated at once (their half-written files stay in the
 * store's tmp/, which the next open empties).
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { executeInMemory, type RunOutcome, type RunRequest } from "./execute.ts";
import { StorePaths, type RunRecord } from "./store/layout.ts";
import { RunWriter } from "./store/writer.ts";
import { allRuns, type Sweep } from "./sweep.ts";
import type { WorkerReply } from "./worker.ts";

export function defaultWorkers(): number {
  return availableParallelism();
}

/** A stop request shared between the signal handlers and the pool. */
export class Stop {
  requested = false;
  abandoned = false;
  private readonly listeners: (() => void)[] = [];

  request(): void {
    this.requested = true;
  }

  abandon(): void {
    this.requested = true;
    this.abandoned = true;
    for (const l of this.listeners.splice(0)) l();
  }

  onAbandon(l: () => void): void {
    this.listeners.push(l);
  }
}

export interface PoolOptions {
  /** The output folder whose store the workers write into. */
  out: string;
  workers: number;
  /** The runs to do, pulled one at a time as workers free up. */
  requests: Iterator<RunRequest>;
  onRecord: (r: RunRecord) => void;
  stop: Stop;
}

/** Fatal for the whole sweep: the store could not be written (disk full, permissions). */
export class StoreWriteError extends Error {}

interface Slot {
  worker: Worker;
  current?: RunRequest;
  /** Points whose scenario this worker has parsed. */
  points: Set<number>;
}

/** Resolves when every request has a record, or when stopped (interrupted: true). */
export function runOnWorkers(opts: PoolOptions): Promise<{ interrupted: boolean }> {
  const paths = new StorePaths(opts.out);
  const slots: Slot[] = [];
  let exhausted = false;
  let settled = false;
  return new Promise((resolve, reject) => {
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      for (const s of slots) void s.worker.terminate();
      if (err) reject(err);
      else resolve({ interrupted: opts.stop.requested });
    };
    const idle = () => slots.every((s) => s.current === undefined);
    const feed = (slot: Slot): void => {
      if (opts.stop.requested || exhausted) return void (idle() && finish());
      const next = opts.requests.next();
      if (next.done) {
        exhausted = true;
        return void (idle() && finish());
      }
      // A worker is sent a point's scenario once; it keeps the parsed copy.
      const { raw, ...req } = next.value;
      slot.current = next.value;
      slot.worker.postMessage(slot.points.has(req.point) ? req : { ...req, raw });
      slot.points.add(req.point);
    };
    // A worker that dies mid-run (an uncaught error, a crash) fails that run alone.
    const lost = (slot: Slot, why: string): void => {
      if (settled) return;
      const req = slot.current;
      slot.current = undefined;
      if (req !== undefined) {
        try {
          opts.onRecord(new RunWriter(paths, req, false).fail(new Error(`the worker thread died: ${why}`), 0));
        } catch (e) {
          return finish(new StoreWriteError((e as Error).message));
        }
      }
      slots.splice(slots.indexOf(slot), 1);
      if (!opts.stop.requested && !exhausted) feed(spawn());
      else if (idle()) finish();
    };
    const spawn = (): Slot => {
      const slot: Slot = { worker: new Worker(new URL("./worker-entry.mjs", import.meta.url), { workerData: { out: opts.out } }), points: new Set() };
      slots.push(slot);
      slot.worker.on("message", (reply: WorkerReply) => {
        slot.current = undefined;
        if (!reply.ok) return finish(new StoreWriteError(`run ${reply.index} could not be stored: ${reply.fatal}`));
        opts.onRecord(reply.record);
        feed(slot);
      });
      slot.worker.on("error", (e) => lost(slot, e.message));
      slot.worker.on("exit", (code) => {
        if (!settled && slots.includes(slot)) lost(slot, `exit code ${code}`);
      });
      return slot;
    };
    opts.stop.onAbandon(() => finish());
    for (let i = 0; i < Math.max(1, opts.workers); i++) feed(spawn());
  });
}

/** Runs every run of a small sweep in this thread and returns them, windows included (tests, notebooks). */
export function runInProcess(sweep: Sweep): RunOutcome[] {
  return allRuns(sweep).map((run) => executeInMemory(run, sweep.points[run.point].scenario));
}
