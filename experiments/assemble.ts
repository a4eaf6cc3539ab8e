/**
 * Assembles a sweep's final outputs from its stored runs, in run-index order: runs.csv,
 * windows.csv (the header and each run's stored rows, copied as they are), points.csv,
 * failures.csv when runs failed, and manifest.json. One pass, one record in memory at a time,
 * so the outputs of a sweep of any size are written in bounded memory, and the files are the
 * same bytes whether the runs came from one process, many resumes or many shards.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { RunningSummary } from "../sim/stats.ts";
import { WINDOW_HEADER } from "../models/windows.ts";
import { FAILURES_HEADER, failureRow, manifestHead, manifestRun, pointsCsv, runsHeader, runsRow, type ManifestHead } from "./output.ts";
import { PartialFile, removePartials } from "./partial.ts";
import type { RunRecord } from "./store/layout.ts";
import type { RunStore } from "./store/store.ts";
import type { Sweep } from "./sweep.ts";
import { appendRows, copyInto, type WindowsSoFar } from "./windowsAppender.ts";

/** Metrics the command line summarises per point after a sweep. */
export const SUMMARY_METRICS = ["leaked_packets", "strict_dropped_packets", "false_dropped_packets", "leak_window_p99_s", "exposure_window_p99_s"] as const;

export interface AssembleInput {
  sweep: Sweep;
  out: string;
  /** The store holding run i (one store, or the shard that ran it). */
  storeOf: (index: number) => RunStore;
  provenance: Omit<ManifestHead, "sweep" | "sessions" | "ok" | "failed" | "failures">;
  sessions: Record<string, unknown>[];
}

export interface Assembled {
  ok: number;
  failed: number;
  /** The first failed runs (all of them are in failures.csv). */
  failures: RunRecord[];
  /** Per point, per summary metric: mean and interval over its replications. */
  summaries: RunningSummary[][];
}

/**
 * Writes the outputs. `windowsSoFar` is windows.csv as far as a WindowsAppender got while the
 * runs went on; without it the file is started here (and stale partial files removed first).
 */
export async function assemble(x: AssembleInput, windowsSoFar?: WindowsSoFar): Promise<Assembled> {
  const { sweep, out } = x;
  if (windowsSoFar === undefined) removePartials(out);
  const files = {
    runs: new PartialFile(out, "runs.csv"),
    windows: windowsSoFar?.file ?? (sweep.windows ? startWindows(out) : undefined),
    points: new PartialFile(out, "points.csv"),
    // The manifest's run list, collected on the way and spliced into manifest.json at the end.
    runList: new PartialFile(out, "manifest.json"),
    failures: new PartialFile(out, "failures.csv"),
  };
  try {
    return await writeAll(x, files, windowsSoFar?.next ?? 0);
  } catch (e) {
    for (const f of Object.values(files)) f?.discard();
    throw e;
  }
}

/** Failed runs kept in memory for the manifest and the summary; failures.csv has every one. */
const FIRST_FAILURES = 100;

function startWindows(out: string): PartialFile {
  const f = new PartialFile(out, "windows.csv");
  f.write(WINDOW_HEADER);
  return f;
}

type Files = { runs: PartialFile; windows?: PartialFile; points: PartialFile; runList: PartialFile; failures: PartialFile };

/** One pass over the runs; windows.csv already holds the rows of runs before `windowsFrom`. */
async function writeAll(x: AssembleInput, files: Files, windowsFrom: number): Promise<Assembled> {
  const { sweep, out } = x;
  const summaries = sweep.points.map(() => SUMMARY_METRICS.map(() => new RunningSummary()));
  const failures: RunRecord[] = [];
  let failed = 0;
  let metricNames: string[] | undefined;
  let ok = 0;
  files.failures.write(FAILURES_HEADER);
  for (let i = 0; i < sweep.runCount; i++) {
    const store = x.storeOf(i);
    const r = store.record(i);
    files.runList.write(`${i === 0 ? "" : ",\n"}    ${JSON.stringify(manifestRun(r))}`);
    if (r.status !== "ok") {
      if (failed++ < FIRST_FAILURES) failures.push(r);
      files.failures.write(failureRow(r));
      continue;
    }
    ok++;
    if (metricNames === undefined) {
      metricNames = Object.keys(r.metrics ?? {});
      files.runs.write(runsHeader(sweep, metricNames));
    }
    files.runs.write(runsRow(sweep, r, metricNames));
    SUMMARY_METRICS.forEach((m, k) => summaries[r.point][k].add(r.metrics?.[m] ?? NaN));
    if (files.windows && i >= windowsFrom) await appendRows(store, r, files.windows);
  }
  if (metricNames === undefined) files.runs.write(runsHeader(sweep, []));
  files.points.write(pointsCsv(sweep));
  const head = manifestHead({ ...x.provenance, sweep, sessions: x.sessions, ok, failed, failures });
  const manifest = new PartialFile(out, "manifest.json");
  const headText = JSON.stringify(head, null, 2);
  manifest.write(`${headText.slice(0, -2)},\n  "runs": [\n`);
  await copyInto(files.runList.temp, manifest);
  files.runList.discard();
  manifest.write("\n  ]\n}\n");
  files.runs.publish();
  files.windows?.publish();
  files.points.publish();
  manifest.publish();
  // Outputs of an earlier invocation that this one does not produce would be mistaken for its own.
  if (!files.windows) rmSync(join(out, "windows.csv"), { force: true });
  if (failed > 0) files.failures.publish();
  else {
    files.failures.discard();
    rmSync(join(out, "failures.csv"), { force: true });
  }
  return { ok, failed, failures, summaries };
}
