/**
 * npm run experiment -- SWEEP.json [--out DIR] [--workers N] [--dry-run]
 *
 * Validates the sweep, runs every (point, replication), shows progress on stderr and writes
 * runs.csv, windows.csv and manifest.json to results/<name>/ (or --out).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SpecError } from "../sim/errors.ts";
import { summarize } from "../sim/stats.ts";
import { manifest, runsCsv, windowsCsv, writeAtomically } from "./output.ts";
import { defaultWorkers, runSweep, type Progress } from "./runner.ts";
import { expandSweep, type Sweep } from "./sweep.ts";
import type { RunOutcome } from "./execute.ts";

const USAGE = `usage: npm run experiment -- SWEEP.json [--out DIR] [--workers N] [--no-windows] [--dry-run]

  --out DIR      write results here (default: results/<sweep name>/)
  --workers N    worker threads (default: one per core, here ${defaultWorkers()})
  --no-windows   skip windows.csv (as "windows": false in the sweep does)
  --dry-run      validate and list the runs without running them`;

interface Args {
  file: string;
  out?: string;
  workers: number;
  dryRun: boolean;
  noWindows: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { workers: defaultWorkers(), dryRun: false, noWindows: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a === "--dry-run") args.dryRun = true;
    else if (a === "--no-windows") args.noWindows = true;
    else if (a === "--out") args.out = value(argv, ++i, a);
    else if (a === "--workers") {
      const n = Number(value(argv, ++i, a));
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers must be a whole number >= 1, got ${argv[i]}`);
      args.workers = n;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (args.file === undefined) args.file = a;
    else throw new UsageError(`only one sweep file, got ${args.file} and ${a}`);
  }
  if (args.file === undefined) throw new UsageError("missing the sweep file");
  return args as Args;
}

function value(argv: string[], i: number, flag: string): string {
  if (argv[i] === undefined) throw new UsageError(`${flag} needs a value`);
  return argv[i];
}

function loadSweep(file: string): Sweep {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SpecError(file, `cannot read the sweep file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpecError(file, `not valid JSON: ${(e as Error).message}`);
  }
  return expandSweep(json);
}

function progressPrinter(): (p: Progress) => void {
  const t0 = Date.now();
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return ({ done, total }) => {
    const elapsed = (Date.now() - t0) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const line = `runs ${done}/${total}  elapsed ${elapsed.toFixed(1)} s  remaining ~${eta.toFixed(1)} s`;
    if (tty) process.stderr.write(`\r${line}${done === total ? "\n" : ""}`);
    else if (Math.floor((10 * done) / total) > lastDecile) {
      lastDecile = Math.floor((10 * done) / total);
      process.stderr.write(`${line}\n`);
    }
  };
}

/** Per point: mean and 95% interval over replications of the headline metrics. */
function pointSummary(sweep: Sweep, outcomes: RunOutcome[]): string {
  const metrics = ["leaked_packets", "strict_dropped_packets", "false_dropped_packets", "leak_window_p99_s"];
  const lines = sweep.points.map((p) => {
    const runs = outcomes.filter((_, i) => sweep.runs[i].point === p.index);
    const label = sweep.axes.map((a, i) => `${a.path}=${JSON.stringify(p.values[i])}`).join(" ") || "(base)";
    const cells = metrics.map((m) => {
      const s = summarize(runs.map((o) => o.metrics[m]));
      return `${m} ${fmt(s.mean)}${Number.isFinite(s.halfWidth) ? ` ±${fmt(s.halfWidth)}` : ""}`;
    });
    return `  point ${p.index} ${label}\n    ${cells.join("   ")}`;
  });
  return lines.join("\n");
}

/** Settings Cilium would accept but ignore, once per message, with the points they apply to. */
function printWarnings(sweep: Sweep): void {
  const byMessage = new Map<string, number[]>();
  for (const p of sweep.points) for (const w of p.warnings) byMessage.set(w, [...(byMessage.get(w) ?? []), p.index]);
  for (const [w, points] of byMessage) {
    const where = points.length === sweep.points.length ? "all points" : `point${points.length > 1 ? "s" : ""} ${points.join(", ")}`;
    process.stderr.write(`warning (${where}): ${w}\n`);
  }
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : "n/a");

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sweep = loadSweep(args.file);
  if (args.noWindows) {
    sweep.windows = false;
    for (const r of sweep.runs) r.windows = false;
  }
  const dir = args.out ?? join("results", sweep.name);
  printWarnings(sweep);
  if (args.dryRun) {
    console.log(`${sweep.name}: ${sweep.points.length} point(s) x ${sweep.replications} replication(s) = ${sweep.runs.length} runs -> ${dir}`);
    for (const p of sweep.points) console.log(`  point ${p.index}: ${sweep.axes.map((a, i) => `${a.path}=${JSON.stringify(p.values[i])}`).join(", ") || "(base)"}`);
    return;
  }
  const started = new Date();
  const workers = Math.min(args.workers, sweep.runs.length);
  const outcomes = await runSweep(sweep, { workers, onProgress: progressPrinter() });
  const finished = new Date();
  writeAtomically(dir, {
    "runs.csv": runsCsv(sweep, outcomes),
    ...(sweep.windows ? { "windows.csv": windowsCsv(sweep, outcomes) } : {}),
    "manifest.json": manifest({ sweep, outcomes, workers, started, finished }),
  }, ["windows.csv"]);
  console.log(`${sweep.name}: ${sweep.runs.length} runs in ${((finished.getTime() - started.getTime()) / 1000).toFixed(1)} s on ${workers} worker(s) -> ${dir}/`);
  console.log(pointSummary(sweep, outcomes));
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    if (e.message) console.error(`error: ${e.message}\n`);
    console.error(USAGE);
    process.exit(e.message ? 2 : 0);
  }
  if (e instanceof SpecError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
