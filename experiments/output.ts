/**
 * Sweep outputs: runs.csv (one row per run), windows.csv (one row per leak window that carried
 * traffic) and manifest.json (the sweep as run, versions, timings). The CSV files hold only
 * deterministic values, in run order, so the same sweep gives byte-identical files whatever
 * the number of workers; wall-clock figures live only in the manifest.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { formatIpv4 } from "../models/addressing/ipv4.ts";
import type { LeakWindow } from "../models/accounting.ts";
import { nodeName } from "../models/cluster/nodes.ts";
import type { RunOutcome } from "./execute.ts";
import type { Sweep } from "./sweep.ts";

type Cell = string | number | boolean | null | undefined | object;

function cell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function csv(header: string[], rows: Cell[][]): string {
  return stringify([header, ...rows.map((r) => r.map(cell))]);
}

export function runsCsv(sweep: Sweep, outcomes: RunOutcome[]): string {
  const metricNames = Object.keys(outcomes[0]?.metrics ?? {});
  const header = ["sweep", "point", "replication", "seed", ...sweep.axes.map((a) => a.path), ...metricNames, "events", "fingerprint"];
  const rows = sweep.runs.map((run, i) => {
    const o = outcomes[i];
    return [sweep.name, run.point, run.replication, run.seed, ...sweep.points[run.point].values as Cell[], ...metricNames.map((m) => o.metrics[m]), o.events, o.fingerprint];
  });
  return csv(header, rows);
}

/** A window's outcome: `dropped` for strict mode's intended drop, else the verdict's name. */
function outcomeName(v: LeakWindow["outcome"]): string {
  return v === "strict_dropped" ? "dropped" : v;
}

export function windowsCsv(sweep: Sweep, outcomes: RunOutcome[]): string {
  const header = ["point", "replication", "endpoint", "endpoint_ip", "endpoint_node", "observer_node", "opened_s", "closed_s", "duration_s", "packets", "bytes", "outcome", "cause", "censored"];
  const rows: Cell[][] = [];
  sweep.runs.forEach((run, i) => {
    for (const w of outcomes[i].windows) {
      rows.push([run.point, run.replication, w.endpoint, formatIpv4(w.endpointIp), nodeName(w.endpointNode), nodeName(w.observerNode),
        w.opened, w.closed, w.closed - w.opened, w.packets, w.bytes, outcomeName(w.outcome), w.cause, w.censored]);
    }
  });
  return csv(header, rows);
}

export interface ManifestInput {
  sweep: Sweep;
  outcomes: RunOutcome[];
  workers: number;
  started: Date;
  finished: Date;
}

export function manifest(m: ManifestInput): string {
  const wall = (m.finished.getTime() - m.started.getTime()) / 1000;
  return JSON.stringify({
    leaklab: packageVersion(),
    git: gitState(),
    node: process.version,
    started: m.started.toISOString(),
    finished: m.finished.toISOString(),
    wall_seconds: wall,
    workers: m.workers,
    sweep: m.sweep.source,
    points: m.sweep.points.map((p) => Object.fromEntries(m.sweep.axes.map((a, i) => [a.path, p.values[i]]))),
    warnings: m.sweep.points.filter((p) => p.warnings.length > 0).map((p) => ({ point: p.index, warnings: p.warnings })),
    runs: m.sweep.runs.map((r, i) => {
      const o = m.outcomes[i];
      return { ...r, wall_seconds: o.wallSeconds, events: o.events, events_per_second: o.wallSeconds > 0 ? o.events / o.wallSeconds : null };
    }),
  }, null, 2) + "\n";
}

/**
 * Writes the files so that each is either complete or absent, never truncated: each goes to a
 * temporary name first, and only when every one is complete are they renamed into place
 * (rename is atomic within a file system). Removes the `stale` outputs this run does not
 * produce.
 */
export function writeAtomically(dir: string, files: Record<string, string>, stale: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  const names = Object.keys(files);
  for (const name of names) writeFileSync(join(dir, name + tmp), files[name]);
  for (const name of names) renameSync(join(dir, name + tmp), join(dir, name));
  // Outputs of an earlier run that this one does not produce would be mistaken for its own.
  for (const name of stale) if (!names.includes(name)) rmSync(join(dir, name), { force: true });
}

const repoRoot = new URL("..", import.meta.url).pathname;

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
}

function gitState(): { commit: string | null; dirty: boolean | null } {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" });
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = spawnSync("git", ["status", "--porcelain"], { cwd: repoRoot, encoding: "utf8" });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== "" };
}
