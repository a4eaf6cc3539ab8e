/**
 * The formats of a sweep's outputs: runs.csv (one row per run), points.csv (one row per grid
 * point, to join windows.csv to its parameters), failures.csv, and the manifest (the sweep as
 * run, versions, timings). CSV files hold only deterministic values, so the same sweep gives
 * byte-identical files however it was run; wall-clock figures live only in the manifest.
 */
import { stringify } from "csv-stringify/sync";
import type { RunRecord } from "./store/layout.ts";
import type { Sweep } from "./sweep.ts";

type Cell = string | number | boolean | null | undefined | object;

function cell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** One CSV line (csv-stringify quotes what needs quoting). */
export function csvLine(cells: Cell[]): string {
  return stringify([cells.map(cell)]);
}

export function runsHeader(sweep: Sweep, metricNames: readonly string[]): string {
  return csvLine(["sweep", "point", "replication", "seed", ...sweep.axes.map((a) => a.path), ...metricNames, "events", "fingerprint"]);
}

export function runsRow(sweep: Sweep, r: RunRecord, metricNames: readonly string[]): string {
  const metrics = r.metrics ?? {};
  return csvLine([sweep.name, r.point, r.replication, r.seed, ...(sweep.points[r.point].values as Cell[]), ...metricNames.map((m) => metrics[m]), r.events, r.fingerprint]);
}

export function pointsCsv(sweep: Sweep): string {
  return csvLine(["point", ...sweep.axes.map((a) => a.path)])
    + sweep.points.map((p) => csvLine([p.index, ...(p.values as Cell[])])).join("");
}

export const FAILURES_HEADER = csvLine(["point", "replication", "seed", "error"]);

export function failureRow(r: RunRecord): string {
  return csvLine([r.point, r.replication, r.seed, r.error ?? "unknown error"]);
}

/** A run's line in the manifest's `runs` list. */
export function manifestRun(r: RunRecord): Record<string, unknown> {
  return {
    point: r.point, replication: r.replication, seed: r.seed, status: r.status, wall_seconds: r.wallSeconds, events: r.events ?? null,
    events_per_second: r.events !== undefined && r.wallSeconds > 0 ? r.events / r.wallSeconds : null, host: r.host,
  };
}

export interface ManifestHead {
  leaklab: string;
  git: { commit: string | null; dirty: boolean | null };
  code: string;
  node: string;
  sweep: Sweep;
  sessions: Record<string, unknown>[];
  ok: number;
  failed: number;
  /** The first failed runs; failures.csv lists them all. */
  failures: RunRecord[];
}

/** The manifest without its `runs` list, which is streamed after it (manifests of big sweeps are big). */
export function manifestHead(m: ManifestHead): Record<string, unknown> {
  const sessions = m.sessions;
  const num = (s: Record<string, unknown>, k: string) => (typeof s[k] === "number" ? (s[k] as number) : 0);
  return {
    leaklab: m.leaklab,
    git: m.git,
    code: m.code,
    node: m.node,
    started: sessions[0]?.started ?? null,
    finished: sessions[sessions.length - 1]?.finished ?? null,
    wall_seconds: sessions.reduce((t, s) => t + num(s, "wall_seconds"), 0),
    workers: sessions[sessions.length - 1]?.workers ?? null,
    sweep: m.sweep.source,
    points: m.sweep.points.map((p) => Object.fromEntries(m.sweep.axes.map((a, i) => [a.path, p.values[i]]))),
    warnings: m.sweep.points.filter((p) => p.warnings.length > 0).map((p) => ({ point: p.index, warnings: p.warnings })),
    complete: m.failed === 0,
    runs_ok: m.ok,
    runs_failed: m.failed,
    failures: m.failures.map((r) => ({ point: r.point, replication: r.replication, seed: r.seed, error: r.error })),
    sessions,
  };
}
