/**
 * A share thread: judges one share (blocks of senders) of a run that another thread finishes.
 * It runs the run's control plane itself (deterministic, so it sees the same record), judges
 * its blocks, writes its windows.csv rows to a temporary file with their per-pod index, and
 * posts what it counted.
 */
import { parentPort } from "node:worker_threads";
import type { AccountingState } from "../models/accounting.ts";
import { startRun } from "../models/run.ts";
import { scenarioSchema } from "../models/scenario/index.ts";
import { WindowFile, type ShareFile } from "./store/windowFile.ts";

export interface ShareRequest {
  raw: unknown;
  point: number;
  seed: number;
  replication: number;
  blocks: { from: number; to: number };
  /** Where to write this share's rows; undefined: the run keeps no windows. */
  windowsTemp?: string;
}

export type ShareReply = { ok: true; state: AccountingState; windows?: ShareFile } | { ok: false; error: string };

if (parentPort === null) throw new Error("experiments/shareWorker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (req: ShareRequest) => {
  let reply: ShareReply;
  try {
    const scenario = scenarioSchema.parse(req.raw, "base");
    const file = req.windowsTemp === undefined ? undefined : new WindowFile(req.windowsTemp, req.point, req.replication, true);
    const run = startRun({ scenario, seed: req.seed, replication: req.replication, windows: file?.add ?? "none" }, req.blocks);
    reply = { ok: true, state: run.share, windows: file?.close() };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(reply);
});
