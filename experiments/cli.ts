/**
 * npm run experiment -- SWEEP.json [flags]
 *
 * Validates the sweep, then runs whatever its output folder's run store does not hold yet:
 * each run is stored the moment it finishes, so an interrupted sweep resumes where it stopped
 * when the same command is run again. When every run is stored, runs.csv, windows.csv,
 * points.csv and manifest.json are assembled from the store (failures.csv too, if runs failed).
 * With --shard I/N it runs one deterministic share of the runs into its own store, for
 * `npm run merge` to assemble.
 */
import { join } from "node:path";
import { amount, flag, integer, text, value, type CommandSpec, type Flag } from "./args.ts";
import { isMain, runCommand } from "./command.ts";
import { dryRun } from "./dryRun.ts";
import { DEFAULT_LIMITS, MAX_RUNS } from "./limits.ts";
import { checkOutputFolder, prepareOutputFolder } from "./outFolder.ts";
import { defaultWorkers } from "./runner.ts";
import { runSweepIntoStore } from "./session.ts";
import { parseShard } from "./shards.ts";
import { loadSweep } from "./sweepFile.ts";
import type { Sweep } from "./sweep.ts";

/** 1e6, as the limits are written. */
const e = (x: number): string => x.toExponential().replace("e+", "e");

export const experimentSpec = {
  usage: "npm run experiment -- SWEEP.json [flags]",
  summary: "Run a sweep; finished runs are kept in OUT/store/, so running the same command again resumes.",
  positionals: { names: "the sweep file (SWEEP.json)", min: 1, max: 1 },
  flags: {
    out: value("DIR", "write results here (default: results/<sweep name>/, or results/<name>/shard-I for --shard)", text),
    workers: value("N", `worker threads, and the cores a sweep may use (default: one per core, here ${defaultWorkers()}; capped at the runs to do, the rest goes to threads inside big runs)`, integer(1, 1024)),
    "run-threads": value("N", "threads inside each run, judging shares of its senders (default: the cores the workers leave free, for runs of 2e7 pairs or more)", integer(1, 256)),
    "no-windows": flag("skip windows.csv (as \"windows\": false in the sweep does)"),
    trace: flag("keep each run's event trace in the store (npm run trace -- DIR --run N prints it)"),
    "dry-run": flag("validate, estimate the size of every point, and stop; simulates each point's control plane once"),
    restart: flag("discard the runs stored in the output folder and start over"),
    shard: value("I/N", "run share I of N (0 <= I < N) into its own store, for npm run merge", parseShard),
    "steal-lock": flag("take over a store locked by a process on another host that has ended (Kubernetes retries)"),
    "max-points": value("N", `refuse sweeps of more than N grid points (default ${e(DEFAULT_LIMITS.points)})`, amount(1, MAX_RUNS)),
    "max-runs": value("N", `refuse sweeps of more than N runs (default ${e(DEFAULT_LIMITS.runs)}; at most ${MAX_RUNS})`, amount(1, MAX_RUNS)),
    "max-pods": value("N", `refuse runs expected to create more than N pods (default ${e(DEFAULT_LIMITS.podsPerRun)})`, amount(1, Number.MAX_SAFE_INTEGER)),
    "max-pairs": value("N", `refuse runs expected to judge more than N (pod, node) pairs (default ${e(DEFAULT_LIMITS.pairsPerRun)})`, amount(1, Number.MAX_SAFE_INTEGER)),
    "max-total-pairs": value("N", `refuse sweeps expected to judge more than N pairs in all (default ${e(DEFAULT_LIMITS.pairs)})`, amount(1, Number.MAX_SAFE_INTEGER)),
  },
} satisfies CommandSpec<Record<string, Flag>>;

/** Where a sweep's results go unless --out says otherwise. */
export function defaultOut(sweep: Sweep, shard: { index: number } | undefined): string {
  return shard === undefined ? join("results", sweep.name) : join("results", sweep.name, `shard-${shard.index}`);
}

if (isMain(import.meta.url)) {
  void runCommand(experimentSpec, async ({ flags, positionals }) => {
    const sweep = loadSweep(positionals[0], {
      points: flags["max-points"] ?? DEFAULT_LIMITS.points,
      runs: flags["max-runs"] ?? DEFAULT_LIMITS.runs,
      podsPerRun: flags["max-pods"] ?? DEFAULT_LIMITS.podsPerRun,
      pairsPerRun: flags["max-pairs"] ?? DEFAULT_LIMITS.pairsPerRun,
      pairs: flags["max-total-pairs"] ?? DEFAULT_LIMITS.pairs,
    });
    if (flags["no-windows"]) sweep.windows = false;
    const out = flags.out ?? defaultOut(sweep, flags.shard);
    if (flags["dry-run"]) {
      checkOutputFolder(out);
      return dryRun(sweep, out, { workers: flags.workers ?? defaultWorkers(), trace: flags.trace });
    }
    prepareOutputFolder(out);
    return runSweepIntoStore(sweep, {
      out, workers: flags.workers, runThreads: flags["run-threads"], trace: flags.trace, restart: flags.restart, shard: flags.shard, stealLock: flags["steal-lock"],
      resumeCommand: resumeCommand(process.argv.slice(2)),
    });
  });
}

/** The command that resumes this one: the same arguments, without --restart. */
function resumeCommand(argv: string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  return `npm run experiment -- ${argv.filter((a) => a !== "--restart").map(quote).join(" ")}`;
}
