/**
 * Worker-thread entry: runs the requests it is sent, one at a time, each straight into the run
 * store, and tells the main thread the record it published. A run that throws is a failed
 * record, not a failed worker; only a store that cannot be written to is fatal.
 */
import { parentPort, workerData } from "node:worker_threads";
import { executeIntoStore, type RunRequest, type ScenarioCache } from "./execute.ts";
import { StorePaths, type RunRecord } from "./store/layout.ts";

if (parentPort === null) throw new Error("experiments/worker.ts must run in a worker thread");
const port = parentPort;
const paths = new StorePaths((workerData as { out: string }).out);
// A worker serves one sweep, so point indices identify scenarios for its whole life.
const cache: ScenarioCache = new Map();

export type WorkerReply = { ok: true; record: RunRecord } | { ok: false; index: number; fatal: string };

port.on("message", (req: RunRequest) => {
  executeIntoStore(req, paths, cache).then(
    (record): WorkerReply => ({ ok: true, record }),
    (e: unknown): WorkerReply => ({ ok: false, index: req.index, fatal: e instanceof Error ? e.message : String(e) }),
  ).then((reply) => port.postMessage(reply));
});
