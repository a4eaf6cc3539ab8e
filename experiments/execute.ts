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

/** What a worker needs for one run, and no more. */
export interface RunRequest extends RunIdentity {
  /**
   * The point's scenario as JSON (parsed scenarios hold functions, which cannot cross
   * threads), sent only with the first run of a point a thread gets; it parses it once.
   */
  raw?: unknown;
  windows: boolean;
  trace: boolean;
}

/** A run's result with its place in the sweep. */
export interface RunOutcome extends RunResult {
  index: number;
}

/** Parsed scenarios by point index; one cache per sweep and thread. */
export type ScenarioCache = Map<number, Scenario>;

function scenarioOf(point: number, raw: unknown, cache: ScenarioCache): Scenario {
  let scenario = cache.get(point);
  if (scenario === undefined) {
    if (raw === undefined) throw new Error(`point ${point}'s scenario was never sent to this thread`);
    scenario = scenarioSchema.parse(raw, "base");
    cache.set(point, scenario);
  }
  return scenario;
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

/** Runs one request and publishes it in the store; a run that throws is recorded as failed. */
export function executeIntoStore(req: RunRequest, paths: StorePaths, cache: ScenarioCache): RunRecord {
  const writer = new RunWriter(paths, req, req.windows);
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  let result: RunResult;
  try {
    failpoint(req.index);
    const scenario = scenarioOf(req.point, req.raw, cache);
    result = simulateRun({ scenario, seed: req.seed, replication: req.replication, windows: writer.sink ?? "none", keepTrace: req.trace });
  } catch (e) {
    return writer.fail(e, wall());
  }
  return writer.succeed(result, wall());
}

/** Runs one run in this thread on its point's parsed scenario and returns it, windows included. */
export function executeInMemory(run: { index: number; replication: number; seed: number }, scenario: Scenario): RunOutcome {
  return { index: run.index, ...simulateRun({ scenario, seed: run.seed, replication: run.replication }) };
}
