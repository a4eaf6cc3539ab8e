/**
 * Worker-thread entry: runs the simulations it is sent, one at a time, and posts each result
 * back. Scenarios arrive as raw JSON (parsed scenarios hold functions, which cannot cross
 * threads) and are parsed once per point.
 */
import { parentPort } from "node:worker_threads";
import { executeRun, type RunRequest, type ScenarioCache } from "./execute.ts";

if (parentPort === null) throw new Error("experiments/worker.ts must run in a worker thread");
const port = parentPort;
// A worker serves one sweep, so point indices identify scenarios for its whole life.
const cache: ScenarioCache = new Map();
port.on("message", (req: RunRequest) => {
  try {
    port.postMessage({ ok: true, result: executeRun(req, cache) });
  } catch (e) {
    port.postMessage({ ok: false, index: req.index, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
});
