/**
 * Judging one big run on several threads: its senders' blocks are split into contiguous
 * shares, one per thread; this thread runs the first share and finishes the run with what the
 * share threads counted. Every number is the same as judging it on one thread (keyed random
 * substreams, whole-number counts; models/run.ts), so threads are only a question of speed:
 * a sweep with fewer runs than cores gives each run the cores left over.
 */
import { rmSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { OBSERVER_BLOCK } from "../models/controlplane/broadcast.ts";
import { startRun, type RunInput, type RunResult } from "../models/run.ts";
import { expectedSize } from "../models/size.ts";
import type { Scenario } from "../models/scenario/index.ts";
import type { AccountingState } from "../models/accounting.ts";
import type { ShareReply, ShareRequest } from "./shareWorker.ts";
import type { StorePaths } from "./store/layout.ts";
import type { RunWriter } from "./store/writer.ts";
import { WindowFile, type ShareFile } from "./store/windowFile.ts";

/** Below this many pairs a run is judged on one thread: starting one costs about half a second. */
export const MIN_PAIRS_PER_SHARE = 20_000_000;

/** How many shares a run of `scenario` is worth, given `threads` to spare: never more than its blocks of senders. */
export function sharesFor(scenario: Scenario, threads: number, minPairs = MIN_PAIRS_PER_SHARE): number {
  const size = expectedSize(scenario);
  const blocks = Math.ceil(size.nodesEver / OBSERVER_BLOCK);
  const worth = minPairs > 0 ? Math.floor(size.pairs / minPairs) : Infinity;
  return Math.max(1, Math.min(threads, blocks, worth));
}

/** `count` contiguous ranges of blocks covering every sender (the last one open-ended). */
export function splitBlocks(scenario: Scenario, count: number): { from: number; to: number }[] {
  const blocks = Math.ceil(expectedSize(scenario).nodesEver / OBSERVER_BLOCK);
  return Array.from({ length: count }, (_, k) => ({
    from: Math.floor((k * blocks) / count),
    to: k === count - 1 ? Number.MAX_SAFE_INTEGER : Math.floor(((k + 1) * blocks) / count),
  }));
}

export interface ShareInput {
  input: RunInput;
  raw: unknown;
  point: number;
  shares: number;
  paths: StorePaths;
  /** The run's writer, when windows are kept: it takes the shares' rows in order. */
  writer?: RunWriter;
}

export async function runInShares(x: ShareInput): Promise<RunResult> {
  const ranges = splitBlocks(x.input.scenario, x.shares);
  const temps = ranges.map((_, k) => (x.writer ? x.paths.temp(`${x.paths.store}/share-${k}.windows.csv`) : undefined));
  const windowsTemp = (k: number) => temps[k];
  const others = ranges.slice(1).map((blocks, k) => askShare({
    raw: x.raw, point: x.point, seed: x.input.seed, replication: x.input.replication, blocks, windowsTemp: windowsTemp(k + 1),
  }));
  const ownTemp = windowsTemp(0);
  const own = ownTemp === undefined ? undefined : new WindowFile(ownTemp, x.point, x.input.replication, true);
  try {
    const started = startRun({ ...x.input, windows: own?.add ?? "none" }, ranges[0]);
    const replies = await Promise.all(others);
    const states: AccountingState[] = [];
    const files: ShareFile[] = own ? [own.close()] : [];
    for (const r of replies) {
      states.push(r.state);
      if (r.windows) files.push(r.windows);
    }
    x.writer?.absorbShares(files);
    return started.finish(states);
  } finally {
    // The shares' files were copied into the run's own (or the run failed): they go either way.
    await Promise.allSettled(others);
    for (let k = 0; k < ranges.length; k++) {
      const temp = windowsTemp(k);
      if (temp !== undefined) rmSync(temp, { force: true });
    }
  }
}

function askShare(req: ShareRequest): Promise<{ state: AccountingState; windows?: ShareFile }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./share-entry.mjs", import.meta.url));
    w.once("message", (reply: ShareReply) => {
      void w.terminate();
      if (reply.ok) resolve({ state: reply.state, windows: reply.windows });
      else reject(new Error(`a share of the run failed: ${reply.error}`));
    });
    w.once("error", (e) => reject(e));
    w.postMessage(req);
  });
}
