/**
 * How big a sweep may be before anything runs. The scenario schema bounds each field by what
 * the model represents exactly (sim/limits.ts); these limits bound what fields multiply up to,
 * from the size estimate (models/size.ts): grid points and runs in the sweep, pods and
 * (pod, node) pairs in a run, and pairs in the whole sweep. The defaults refuse what would take days or more memory
 * than a machine has, and allow the largest runs leaklab is meant for (5,000 nodes x 150,000
 * pods, Kubernetes' documented scale: 7.5e8 pairs); a user who means it raises them with the
 * --max-* flags. The run count is checked before any point is built.
 */
import { SpecError } from "../sim/errors.ts";
import { expectedSize } from "../models/size.ts";
import type { Scenario } from "../models/scenario/index.ts";
import { BYTES_PER_ENDPOINT } from "./memory.ts";
import type { Sweep } from "./sweep.ts";

export interface SizeLimits {
  /** Grid points (variants x grid values): each is built and checked in memory before anything runs. */
  points: number;
  /** Runs in the sweep: points x replications. */
  runs: number;
  /** Pods created in one run (expected). */
  podsPerRun: number;
  /** (pod, node) and (node, node) pairs judged in one run (expected). */
  pairsPerRun: number;
  /** Pairs judged over the whole sweep. */
  pairs: number;
}

/** Run indices are 32-bit integers in the run store and in npm run merge. */
export const MAX_RUNS = 2 ** 31 - 1;
export const RUNS_WHY = "run indices are 32-bit integers in the run store and in npm run merge";

export const DEFAULT_LIMITS: Readonly<SizeLimits> = { points: 1e4, runs: 1e6, podsPerRun: 1e6, pairsPerRun: 1e10, pairs: 1e12 };

/** For sweeps that have run already (npm run merge re-expands a stored sweep). */
export const NO_LIMITS: Readonly<SizeLimits> = { points: Infinity, runs: MAX_RUNS, podsPerRun: Infinity, pairsPerRun: Infinity, pairs: Infinity };

/** The flag that raises each limit. */
export const LIMIT_FLAGS: Readonly<Record<keyof SizeLimits, string>> = {
  points: "--max-points", runs: "--max-runs", podsPerRun: "--max-pods", pairsPerRun: "--max-pairs", pairs: "--max-total-pairs",
};

/** Memory and time a grid point takes to build and check (measured: 1e5 points, 1.5 GiB, 12 s). */
const BYTES_PER_POINT = 15_000;
const POINTS_PER_SECOND = 8_000;

/** Pairs judged per second on one core: npm run bench judges 2e7 in about 8 s. */
const PAIRS_PER_SECOND = 2.5e6;

const num = (x: number): string => (x >= 1e6 ? x.toExponential(1).replace("e+", "e") : String(Math.round(x)));

function duration(seconds: number): string {
  if (seconds >= 2 * 86400) return `${num(seconds / 86400)} days`;
  if (seconds >= 7200) return `${Math.round(seconds / 3600)} hours`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.max(1, Math.round(seconds))} s`;
}

function memory(bytes: number): string {
  if (bytes >= 2 ** 40) return `${num(bytes / 2 ** 40)} TiB`;
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

const raise = (k: keyof SizeLimits): string => `raise the limit with ${LIMIT_FLAGS[k]} N if you mean it`;

/**
 * Refuses a sweep with more grid points or runs than the limits allow from its axes alone,
 * before any point is built: points are built and held in memory up front, runs are derived.
 */
export function checkRunCount(axes: readonly { path: string; values: readonly unknown[] }[], replications: number, limits: SizeLimits): void {
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  if (points > limits.points) {
    const sizes = axes.map((a) => a.values.length).join(" x ");
    throw new SpecError("grid", `${sizes} = ${num(points)} grid points, above the limit of ${num(limits.points)}: every point is built and checked in memory `
      + `before anything runs (~${memory(points * BYTES_PER_POINT)}, ~${duration(points / POINTS_PER_SECOND)}); ${raise("points")}`);
  }
  const runs = points * replications;
  if (runs <= limits.runs && runs <= MAX_RUNS) return;
  const path = replications >= points ? "replications" : "grid";
  const count = `${num(points)} point${points === 1 ? "" : "s"} x ${num(replications)} replication${replications === 1 ? "" : "s"} = ${num(runs)} runs`;
  if (runs > MAX_RUNS) throw new SpecError(path, `${count}, beyond ${MAX_RUNS}: ${RUNS_WHY}`);
  throw new SpecError(path, `${count}, above the limit of ${num(limits.runs)} runs: each run is a file in the store and a row of runs.csv, `
    + `and even runs of a few milliseconds take hours by the million; ${raise("runs")}`);
}

/** Which field contributes most of a run's pods, for messages. */
function podSources(sc: Scenario): { path: string; what: string; pods: number } {
  const T = sc.duration;
  const w = sc.workload;
  const sources = [{ path: "workload.churn.rate", what: `churn at ${w.churn.rate}/s for ${T} s`, pods: w.churn.rate * T }];
  w.deployments.forEach((d, i) => {
    if (d.startAt >= T) return;
    const rollouts = d.rollouts.filter((t) => t < T).length;
    sources.push({ path: `workload.deployments[${i}].replicas`, what: `${d.replicas} replicas${rollouts > 0 ? ` x ${1 + rollouts} (rollouts)` : ""}`, pods: d.replicas * (1 + rollouts) });
  });
  return sources.reduce((best, x) => (x.pods > best.pods ? x : best));
}

/**
 * Refuses points whose runs would create more pods or judge more pairs than the limits allow,
 * and sweeps whose runs judge more pairs in all; `label` describes a point.
 */
export function checkSizes(sweep: Sweep, limits: SizeLimits, label: (point: number) => string): void {
  const where = (p: number) => (sweep.axes.length === 0 ? "" : ` (at grid point ${p}: ${label(p)})`);
  let total = 0;
  for (const p of sweep.points) {
    const e = expectedSize(p.scenario);
    if (e.endpoints > limits.podsPerRun) {
      const src = podSources(p.scenario);
      throw new SpecError(`base.${src.path}`, `a run would create about ${num(e.endpoints)} pods (${src.what}), above the limit of ${num(limits.podsPerRun)} per run: `
        + `each pod holds about ${BYTES_PER_ENDPOINT / 1000} KB while a run is judged (~${memory(e.endpoints * BYTES_PER_ENDPOINT)}); ${raise("podsPerRun")}${where(p.index)}`);
    }
    if (e.pairs > limits.pairsPerRun) {
      const podPairs = e.endpoints * Math.max(0, e.nodes - 1);
      const path = podPairs >= e.nodes * e.nodes ? podSources(p.scenario).path : "cluster.nodes";
      throw new SpecError(`base.${path}`, `a run would judge about ${num(e.pairs)} (pod, node) pairs (~${num(e.endpoints)} pods x ~${num(e.nodes)} nodes, plus node pairs), `
        + `above the limit of ${num(limits.pairsPerRun)} per run: at about ${num(PAIRS_PER_SECOND)} pairs a second that is ~${duration(e.pairs / PAIRS_PER_SECOND)} per run; `
        + `${raise("pairsPerRun")}${where(p.index)}`);
    }
    total += e.pairs * sweep.replications;
  }
  if (total > limits.pairs) {
    const path = sweep.replications >= sweep.points.length ? "replications" : "grid";
    throw new SpecError(path, `the sweep's ${num(sweep.runCount)} runs would judge about ${num(total)} pairs in all, above the limit of ${num(limits.pairs)}: `
      + `at about ${num(PAIRS_PER_SECOND)} pairs a second per core that is ~${duration(total / PAIRS_PER_SECOND)} of work; ${raise("pairs")}`);
  }
}
