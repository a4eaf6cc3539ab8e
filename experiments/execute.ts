/**
 * Executes one run of a sweep, wherever it runs (main thread or worker): parses the point's
 * scenario, simulates, and measures wall time for the manifest only.
 */
import { performance } from "node:perf_hooks";
import { simulateRun } from "../models/run.ts";
import { scenarioSchema, type Scenario } from "../models/scenario/index.ts";
import type { LeakWindow } from "../models/accounting.ts";

export interface RunRequest {
  index: number;
  point: number;
  replication: number;
  seed: number;
  raw: unknown;
  /** Return the run's leak windows (false: only the metrics cross back). */
  windows?: boolean;
}

export interface RunOutcome {
  index: number;
  metrics: Record<string, number>;
  windows: LeakWindow[];
  events: number;
  fingerprint: string;
  wallSeconds: number;
}

/** Parsed scenarios by point index; one cache per sweep. */
export type ScenarioCache = Map<number, Scenario>;

export function executeRun(req: RunRequest, parsed: ScenarioCache): RunOutcome {
  let scenario = parsed.get(req.point);
  if (scenario === undefined) {
    scenario = scenarioSchema.parse(req.raw, "base");
    parsed.set(req.point, scenario);
  }
  const t0 = performance.now();
  const r = simulateRun({ scenario, seed: req.seed, replication: req.replication, collectWindows: req.windows !== false });
  const wallSeconds = (performance.now() - t0) / 1000;
  return { index: req.index, metrics: r.metrics, windows: req.windows === false ? [] : r.windows, events: r.events, fingerprint: r.fingerprint, wallSeconds };
}
