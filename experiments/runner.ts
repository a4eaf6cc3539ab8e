/**
 * Runs every run of a sweep, on worker threads or in this thread, and returns the outcomes in
 * run order. Results never depend on which worker ran what: each run is a pure function of its
 * scenario, seed and replication, and outcomes are placed by run index, not arrival order.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { executeRun, type RunOutcome, type RunRequest, type ScenarioCache } from "./execute.ts";
import type { Sweep } from "./sweep.ts";

export interface Progress {
  done: number;
  total: number;
}

export interface RunnerOptions {
  /** Worker threads; 1 runs in this thread. Default: one per core. */
  workers?: number;
  onProgress?: (p: Progress) => void;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runSweep(sweep: Sweep, opts: RunnerOptions = {}): Promise<RunOutcome[]> {
  const requests: RunRequest[] = sweep.runs.map((r, index) => ({ index, ...r, raw: sweep.points[r.point].raw }));
  const workers = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), requests.length));
  const report = opts.onProgress ?? (() => undefined);
  return workers === 1 ? runHere(requests, report) : runOnWorkers(requests, workers, report);
}

function runHere(requests: RunRequest[], report: (p: Progress) => void): RunOutcome[] {
  const cache: ScenarioCache = new Map();
  return requests.map((req, i) => {
    const out = executeRun(req, cache);
    report({ done: i + 1, total: requests.length });
    return out;
  });
}

type WorkerReply = { ok: true; result: RunOutcome } | { ok: false; index: number; error: string };

function runOnWorkers(requests: RunRequest[], count: number, report: (p: Progress) => void): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(requests.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    const finish = (err?: Error): void => {
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve(outcomes);
    };
    const feed = (w: Worker): void => {
      if (next < requests.length) w.postMessage(requests[next++]);
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(new URL("./worker-entry.mjs", import.meta.url));
      pool.push(w);
      w.on("message", (reply: WorkerReply) => {
        if (!reply.ok) return finish(new Error(`run ${reply.index} failed in a worker:\n${reply.error}`));
        outcomes[reply.result.index] = reply.result;
        report({ done: ++done, total: requests.length });
        if (done === requests.length) finish();
        else feed(w);
      });
      w.on("error", (e) => finish(e));
      feed(w);
    }
  });
}
