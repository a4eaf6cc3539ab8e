/**
 * npm run compare -- results/<name> [BASELINE] [--tolerance 0.1] [--format text|json|github]
 * npm run compare -- results/<name> [BASELINE] --save-baseline
 *
 * Regression tracking of leak-window metrics: compares a sweep's runs.csv with a baseline
 * (default results/baselines/<name>), point by point. For each tracked metric it takes the
 * difference of the means and its 95% interval: paired by replication when both sides ran the
 * same replications (the same seeds, so the difference is the change, not the noise), Welch's
 * otherwise. A change counts only when the interval excludes zero AND it exceeds the relative
 * tolerance; with a single replication the spread is unknown and the comparison is
 * inconclusive. A baseline of another sweep (its hash in baseline.json differs) is refused:
 * the comparison would be between different experiments.
 *
 * Exits 1 when a tracked metric got worse; 2 when nothing could be compared (no common point,
 * every comparison inconclusive, a changed sweep, a missing baseline); 0 otherwise.
 */
import { basename, join } from "node:path";
import { decimal, flag, oneOf, value, type CommandSpec, type Flag } from "../experiments/args.ts";
import { InputError, isMain, runCommand } from "../experiments/command.ts";
import { studentTQuantile, summarize } from "../sim/stats.ts";
import { readBaseline, readResults, saveBaseline, sweepDifference } from "./lib/baseline.ts";
import { counts, github, json, textTable, type Outcome } from "./lib/compare-output.ts";
import { TRACKED_METRICS } from "../models/metrics.ts";

export const compareSpec = {
  usage: "npm run compare -- results/NAME [BASELINE] [--tolerance 0.1] [--format text|json|github] [--save-baseline]",
  summary: "Compare a sweep's runs.csv with a baseline's (default: results/baselines/NAME), point by point, or save one.\n"
    + "Exits 1 when a tracked metric got worse, 2 when nothing could be compared, 0 otherwise.",
  positionals: { names: "the results folder and optional baseline (results/NAME [BASELINE])", min: 1, max: 2 },
  flags: {
    tolerance: value("FRACTION", "relative change that counts, as a fraction of the baseline mean (default 0.1, i.e. 10%)", decimal(0)),
    format: value("FORMAT", "text (a table, default), json, or github (GitHub Actions annotations and job summary)", oneOf(["text", "json", "github"] as const)),
    all: flag("list unchanged comparisons too (text and github formats)"),
    "save-baseline": flag("write (or refresh) the baseline from these results instead of comparing: runs.csv, manifest.json, baseline.json"),
    "allow-changed-sweep": flag("compare even when the sweep changed since the baseline was saved"),
  },
} satisfies CommandSpec<Record<string, Flag>>;

type Row = Record<string, string>;

/** Tracked metrics, as the metric catalogue marks them; for all of them larger is worse. */
export const TRACKED = TRACKED_METRICS;

export interface Change {
  point: string;
  metric: string;
  baseline: number;
  current: number;
  /** Half-width of the 95% interval of (current - baseline); NaN when the spread is unknown. */
  halfWidth: number;
  verdict: "worse" | "better" | "same" | "inconclusive";
}

const KEY_COLUMNS = new Set(["sweep", "point", "replication", "seed"]);

/** A point's identity: its grid values, so baselines survive reordering of the grid. */
function pointKey(row: Row, paramColumns: string[]): string {
  return paramColumns.map((c) => `${c}=${row[c]}`).join(", ") || "(base)";
}

/** The grid columns: those before the first metric column. */
function paramColumnsOf(rows: Row[]): string[] {
  const cols = Object.keys(rows[0] ?? {});
  const firstMetric = cols.indexOf("endpoints");
  return cols.slice(0, firstMetric < 0 ? cols.length : firstMetric).filter((c) => !KEY_COLUMNS.has(c));
}

export function compareRuns(baseline: Row[], current: Row[], tolerance: number): Change[] {
  const params = paramColumnsOf(current);
  // Different grid axes mean different experiments: nothing is comparable.
  if (params.join("\n") !== paramColumnsOf(baseline).join("\n")) return [];
  const group = (rows: Row[]) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) m.set(pointKey(r, params), [...(m.get(pointKey(r, params)) ?? []), r]);
    return m;
  };
  const base = group(baseline);
  const changes: Change[] = [];
  for (const [point, rows] of group(current)) {
    const before = base.get(point);
    if (!before) continue;
    for (const metric of TRACKED) {
      if (!(metric in rows[0]) || !(metric in before[0])) continue;
      changes.push(judge(point, metric, byReplication(before, metric), byReplication(rows, metric), tolerance));
    }
  }
  return changes;
}

/** A metric by replication; an empty cell (a quantile with no values) is missing, not 0. */
function byReplication(rows: Row[], metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r[metric] !== "") out.set(r.replication, Number(r[metric]));
  return out;
}

function judge(point: string, metric: string, before: Map<string, number>, after: Map<string, number>, tolerance: number): Change {
  const a = summarize([...before.values()]);
  const b = summarize([...after.values()]);
  const paired = before.size === after.size && before.size > 1 && [...before.keys()].every((k) => after.has(k));
  const halfWidth = paired ? summarize([...before.keys()].map((k) => after.get(k)! - before.get(k)!)).halfWidth : welchHalfWidth(a, b);
  const diff = b.mean - a.mean;
  const base = { point, metric, baseline: a.mean, current: b.mean, halfWidth };
  // No values on either side (a quantile of no pairs): nothing changed. On one side only: unknown.
  if (a.n === 0 && b.n === 0) return { ...base, verdict: "same" };
  if (a.n === 0 || b.n === 0) return { ...base, verdict: "inconclusive" };
  if (Number.isNaN(halfWidth)) return { ...base, verdict: diff === 0 ? "same" : "inconclusive" };
  const significant = Math.abs(diff) > halfWidth && Math.abs(diff) > tolerance * Math.max(Math.abs(a.mean), 1e-9);
  return { ...base, verdict: !significant ? "same" : diff > 0 ? "worse" : "better" };
}

/** 95% half-width of the difference of two means (Welch); NaN when a side has one value. */
function welchHalfWidth(a: ReturnType<typeof summarize>, b: ReturnType<typeof summarize>): number {
  if (a.n < 2 || b.n < 2) return NaN;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const v = va + vb;
  if (v === 0) return 0;
  const df = (v * v) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return studentTQuantile(0.975, Math.max(1, Math.floor(df))) * Math.sqrt(v);
}

/** The command that saves a baseline, as the user would type it. */
function saveCommand(current: string, baseline: string, isDefault: boolean): string {
  return `npm run compare -- ${current}${isDefault ? "" : ` ${baseline}`} --save-baseline`;
}

export type CompareFlags = { tolerance?: number; format?: "text" | "json" | "github"; all: boolean; "save-baseline": boolean; "allow-changed-sweep": boolean };

/** The command's body: returns the exit code and writes what it prints through `print`. */
export function compareCommand(flags: CompareFlags, positionals: string[], print: (text: string) => void): number {
  const currentDir = positionals[0];
  const defaultBaseline = join("results", "baselines", basename(currentDir));
  const baselineDir = positionals[1] ?? defaultBaseline;
  const remake = saveCommand(currentDir, baselineDir, positionals[1] === undefined);
  if (flags["save-baseline"]) {
    const saved = saveBaseline(currentDir, baselineDir);
    print(`saved ${baselineDir} from ${currentDir}: ${saved.runs} runs, sweep hash ${saved.hash.slice(0, 16)}; commit it with: git add ${baselineDir}\n`);
    return 0;
  }
  const current = readResults(currentDir);
  const baseline = readBaseline(baselineDir, remake);
  const changed = sweepDifference(baseline, current);
  if (changed !== undefined && !flags["allow-changed-sweep"]) {
    throw new InputError(`${currentDir} ran a different sweep from the baseline ${baselineDir} (${changed}), so they are different experiments; `
      + `refresh the baseline with: ${remake}, or compare anyway with --allow-changed-sweep`);
  }
  const tolerance = flags.tolerance ?? 0.1;
  const changes = compareRuns(baseline.runs, current.runs, tolerance);
  const n = counts(changes);
  const code = n.worse > 0 ? 1 : n.same + n.better === 0 ? 2 : 0;
  const outcome: Outcome = { current: currentDir, baseline: baselineDir, sweep: current.manifest.sweep.name, tolerance, sweepChange: changed, changes, all: flags.all };
  print(flags.format === "json" ? json(outcome, code) : flags.format === "github" ? github(outcome) : textTable(outcome));
  if (code === 2) {
    console.error(changes.length === 0
      ? "error: no grid point and metric matched the baseline (renamed grid axes or a different sweep?)"
      : "error: every comparison is inconclusive (one replication gives no spread); run more replications to compare");
  }
  return code;
}

if (isMain(import.meta.url)) {
  void runCommand(compareSpec, ({ flags, positionals }) => compareCommand(flags, positionals, (t) => process.stdout.write(t)));
}
