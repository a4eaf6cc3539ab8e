/**
 * A finished sweep's result files, read for the notebooks: manifest.json (the sweep as run,
 * its points, warnings, failures, provenance), runs.csv (one row per run, small enough to hold),
 * failures.csv. windows.csv is not read here: it can be gigabytes and is streamed
 * (windows.ts). A folder without the files is the user's mistake, told in one line.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../../experiments/command.ts";
import { sweepKey } from "../../experiments/keys.ts";
import { expandSweep } from "../../experiments/sweep.ts";
import { summarize, type Summary } from "../../sim/stats.ts";
import { valueText } from "./format.ts";

export type Row = Record<string, string>;

export interface Failure {
  point: number;
  replication: number;
  seed: number;
  error: string;
}

/** The manifest fields the notebooks read; older manifests (baselines) may lack the later ones. */
export interface Manifest {
  leaklab: string;
  git: { commit: string | null; dirty: boolean | null };
  code?: string;
  node?: string;
  started?: string | null;
  finished?: string | null;
  wall_seconds?: number;
  workers?: number | null;
  sweep: { name: string; description?: string; replications?: number; windows?: boolean; [k: string]: unknown };
  points: Record<string, unknown>[];
  warnings?: { point: number; warnings: string[] }[];
  failures?: Failure[];
  sessions?: Record<string, unknown>[];
}

export interface Results {
  /** The folder as the user named it. */
  dir: string;
  manifest: Manifest;
  /** Swept paths in grid order ("variant" first when the sweep has variants). */
  axes: string[];
  /** Per point, the value of each axis. */
  values: unknown[][];
  runs: Row[];
  failures: Failure[];
  /** windows.csv, when the sweep wrote it. */
  windowsFile?: string;
}

export function readCsv(file: string): Row[] {
  try {
    return parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Row[];
  } catch (e) {
    throw new InputError(`${file}: cannot read it as CSV (${(e as Error).message})`);
  }
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`${file}: cannot read it as JSON (${(e as Error).message})`);
  }
}

/** Checks that `dir` is a finished sweep's folder: manifest.json and runs.csv present. */
export function checkResultFolder(dir: string): void {
  if (!existsSync(dir)) throw new InputError(`${dir} does not exist; expected a sweep's output folder (results/NAME)`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is not a folder; expected a sweep's output folder (results/NAME)`);
  const absent = ["manifest.json", "runs.csv"].filter((f) => !existsSync(join(dir, f)));
  if (absent.length > 0) {
    throw new InputError(`${dir} has no ${absent.join(" or ")}; expected a finished sweep's output folder `
      + "(npm run experiment writes them when every run is stored; a sharded sweep's, after npm run merge)");
  }
}

export function loadResults(dir: string): Results {
  checkResultFolder(dir);
  const manifest = readJson(join(dir, "manifest.json")) as Manifest;
  if (typeof manifest?.sweep?.name !== "string" || !Array.isArray(manifest.points)) {
    throw new InputError(`${join(dir, "manifest.json")}: not a leaklab manifest (no sweep name or points)`);
  }
  const axes = Object.keys(manifest.points[0] ?? {});
  const windowsFile = join(dir, "windows.csv");
  return {
    dir, manifest, axes,
    values: manifest.points.map((p) => axes.map((a) => p[a])),
    runs: readCsv(join(dir, "runs.csv")),
    failures: readFailures(dir, manifest),
    windowsFile: existsSync(windowsFile) ? windowsFile : undefined,
  };
}

/** failures.csv when present (the file is the record), else the manifest's list. */
function readFailures(dir: string, manifest: Manifest): Failure[] {
  const file = join(dir, "failures.csv");
  if (!existsSync(file)) return manifest.failures ?? [];
  return readCsv(file).map((r) => ({ point: Number(r.point), replication: Number(r.replication), seed: Number(r.seed), error: r.error }));
}

/**
 * The sweep's identity as the run store keys it (name, seed, replications, axes, every point's
 * scenario as written): a description or "$schema" edit keeps it, and so does a change to the
 * model's defaults, which is what a baseline is meant to catch.
 */
export function sweepHash(manifest: Manifest): string {
  return sweepKey(expandSweep(manifest.sweep));
}

/** Per point, the mean and 95% interval over replications of a runs.csv column (empty cells are missing, not 0). */
export function perPoint(r: Results, column: string): Summary[] {
  const byPoint: number[][] = r.values.map(() => []);
  for (const row of r.runs) {
    const cell = row[column];
    if (cell !== undefined && cell !== "") byPoint[Number(row.point)]?.push(Number(cell));
  }
  return byPoint.map((xs) => summarize(xs));
}

/** True when the column is in runs.csv. */
export function hasColumn(r: Results, column: string): boolean {
  return r.runs.length > 0 && column in r.runs[0];
}

/** A point's grid values, for a chart legend or axis: "false", "aws-eni-overlapping · []". */
export function pointValues(r: Results, point: number, axes = r.axes): string {
  if (axes.length === 0) return "(base)";
  return axes.map((a) => valueText(r.values[point][r.axes.indexOf(a)])).join(" · ");
}

/** "#3 10 · 5": the point's number and values, so chart series sort and stay distinct. */
export function pointName(r: Results, point: number): string {
  return `#${point} ${pointValues(r, point)}`;
}

/** The axes' full names, as a legend or axis title says what a point label lists. */
export function axesTitle(axes: string[]): string {
  return axes.length === 0 ? "point" : axes.join(" · ");
}
