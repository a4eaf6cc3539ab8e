/**
 * Executes one run of a sweep, wherever it runs: parses the point's scenario (once per point
 * per thread), simulates, and either writes the run into the store (workers) or returns it
 * whole (in-process use: tests, notebooks). Wall time is measured for the manifest only.
 */
import { performance } from "node:perf_hooks";
import { simulateRun, type RunResult } from "../models/run.ts";
import { scenarioSchema, type Scenario } from "../models/scenario/index.ts";
import type { RunRecord, StorePaths } from "./store/layout.ts";
import { RunWriter, type RunIdentity } from "./store/writer.ts";
import { runInShares, sharesFor } from "./shares.ts";

/** What a worker needs for one run, and no more. */
export interface RunRequest extends RunIdentity {
  /**
   * The point's scenario as JSON (parsed scenarios hold functions, which cannot cross
   * threads), sent only with the first run of a point a thread gets; it parses it once.
   */
  raw?: unknown;
  windows: boolean;
  trace: boolean;
  /**
   * Threads this run may use: n > 0 exactly n (the user said so); -n up to n, if the run is
   * big enough to be worth it (the cores the sweep's workers leave free); default 1.
   */
  threads?: number;
}

/** A run's result with its place in the sweep. */
export interface RunOutcome extends RunResult {
  index: number;
}

/** Parsed scenarios (and the JSON they came from, for share threads) by point index; one cache per sweep and thread. */
export type ScenarioCache = Map<number, { scenario: Scenario; raw: unknown }>;

function pointOf(point: number, raw: unknown, cache: ScenarioCache): { scenario: Scenario; raw: unknown } {
  let p = cache.get(point);
  if (p === undefined) {
    if (raw === undefined) throw new Error(`point ${point}'s scenario was never sent to this thread`);
    p = { scenario: scenarioSchema.parse(raw, "base"), raw };
    cache.set(point, p);
  }
  return p;
}

/**
 * Failpoint for tests of failure handling: LEAKLAB_FAIL_RUN="3,7:exit" makes run 3 throw and
 * the thread running run 7 exit, as a model bug or a crashed worker would. Unset, it costs one
 * lookup per run.
 */
function failpoint(index: number): void {
  const spec = process.env.LEAKLAB_FAIL_RUN;
  if (spec === undefined) return;
  for (const item of spec.split(",")) {
    const [at, how] = item.split(":");
    if (Number(at) !== index) continue;
    if (how === "exit") process.exit(3);
    throw new Error(`failpoint LEAKLAB_FAIL_RUN: run ${index} fails on purpose`);
  }
}

/**
 * Runs one request and publishes it in the store; a run that throws is recorded as failed. A
 * big run gets up to `req.threads` threads (experiments/shares.ts), the same numbers either way.
 */
export async function executeIntoStore(req: RunRequest, paths: StorePaths, cache: ScenarioCache): Promise<RunRecord> {
  const writer = new RunWriter(paths, req, req.windows);
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  let result: RunResult;
  try {
    failpoint(req.index);
    const { scenario, raw } = pointOf(req.point, req.raw, cache);
    const input = { scenario, seed: req.seed, replication: req.replication, keepTrace: req.trace };
    const threads = req.threads ?? 1;
    const shares = threads > 0 ? sharesFor(scenario, threads, 0) : sharesFor(scenario, -threads);
    result = shares > 1
      ? await runInShares({ input, raw, point: req.point, shares, paths, writer: req.windows ? writer : undefined })
      : simulateRun({ ...input, windows: writer.sink ?? "none" });
  } catch (e) {
    return writer.fail(e, wall());
  }
  return writer.succeed(result, wall());
}

/** Runs one run in this thread on its point's parsed scenario and returns it, windows included. */
export function executeInMemory(run: { index: number; replication: number; seed: number }, scenario: Scenario): RunOutcome {
  return { index: run.index, ...simulateRun({ scenario, seed: run.seed, replication: run.replication }) };
}
