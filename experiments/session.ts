/**
 * One invocation of `npm run experiment` against an output folder: open its store, run what
 * is missing on the workers while signals may stop it, record the session, and (unless it is
 * a shard) assemble the outputs. Exit codes: 0 done, 1 some runs failed, 130/143 interrupted
 * by SIGINT/SIGTERM (the store stays resumable).
 */
import { availableParallelism } from "node:os";
import { expectedSize } from "../models/size.ts";
import { assemble, SUMMARY_METRICS, type Assembled } from "./assemble.ts";
import { InputError } from "./command.ts";
import { codeKey, gitState, packageVersion, runKeys, sweepKey } from "./keys.ts";
import { watchLaunchers } from "./launcher.ts";
import { Progress } from "./progress.ts";
import { runOnWorkers, Stop } from "./runner.ts";
import { assignShards } from "./shards.ts";
import { STORE_FORMAT, type RunRecord, type Shard, type StoreHeader } from "./store/layout.ts";
import { RunStore, StoreError } from "./store/store.ts";
import { pointLabel, runAt, type Sweep } from "./sweep.ts";
import type { RunRequest } from "./execute.ts";
import { WindowsAppender, type WindowsSoFar } from "./windowsAppender.ts";
import { removePartials } from "./partial.ts";

export interface SessionOptions {
  out: string;
  workers?: number;
  /** Threads inside each run; undefined: the cores the workers leave free, for big runs only. */
  runThreads?: number;
  trace?: boolean;
  restart?: boolean;
  shard?: Shard;
  stealLock?: boolean;
  /** Printed when interrupted, so the user can resume. */
  resumeCommand: string;
  log?: (line: string) => void;
}

export function storeHeader(sweep: Sweep, shard: Shard | null): StoreHeader {
  return {
    format: STORE_FORMAT, name: sweep.name, sweepKey: sweepKey(sweep), codeKey: codeKey(), runCount: sweep.runCount, shard,
    leaklab: packageVersion(), git: gitState(), sweep: sweep.source,
  };
}

/** Expected work of each point's runs (pairs judged). */
export function pointCosts(sweep: Sweep): number[] {
  return sweep.points.map((p) => expectedSize(p.scenario).pairs);
}

export async function runSweepIntoStore(sweep: Sweep, o: SessionOptions): Promise<number> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  warnOnce(sweep, log);
  const header = storeHeader(sweep, o.shard ?? null);
  if (header.git.dirty) log(`warning: the code has uncommitted changes; stored runs are keyed by the sources' hash (${header.codeKey.slice(0, 12)}), not only by commit ${header.git.commit?.slice(0, 12)}`);
  const costs = pointCosts(sweep);
  const owner = o.shard ? assignShards(sweep, costs, o.shard.count) : undefined;
  const mine = (i: number) => owner === undefined || owner[i] === o.shard!.index;
  let store: RunStore;
  try {
    store = RunStore.open(o.out, header, { restart: o.restart, stealLock: o.stealLock, owns: mine });
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new InputError(`cannot use ${o.out} for results: ${(e as Error).message}`);
  }
  try {
    return await session(sweep, store, o, { costs, mine, log });
  } finally {
    store.close();
  }
}

interface Plan {
  costs: number[];
  mine: (i: number) => boolean;
  log: (line: string) => void;
}

async function session(sweep: Sweep, store: RunStore, o: SessionOptions, plan: Plan): Promise<number> {
  const started = new Date();
  const trace = o.trace ?? false;
  const costOf = (i: number) => plan.costs[Math.floor(i / sweep.replications)];
  let total = 0;
  let reused = 0;
  let pendingCost = 0;
  for (let i = 0; i < sweep.runCount; i++) {
    if (!plan.mine(i)) continue;
    total++;
    if (store.satisfies(i, sweep.windows, trace)) reused++;
    else pendingCost += costOf(i);
  }
  if (store.scan.removed > 0) plan.log(`store: removed ${store.scan.removed} incomplete or damaged file(s); their runs will be run again`);
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), total - reused));
  if (o.workers !== undefined && o.workers > availableParallelism()) plan.log(`warning: --workers ${o.workers} is more than the ${availableParallelism()} cores here; runs will compete for them`);
  const progress = new Progress({ total, reused, pendingCost, cost: costOf });
  // A whole sweep's windows.csv is copied together while its runs go on, in run order.
  const settled = new Uint8Array(sweep.runCount);
  for (let i = 0; i < sweep.runCount; i++) if (store.satisfies(i, sweep.windows, trace)) settled[i] = 1;
  let appender: WindowsAppender | undefined;
  if (!o.shard && sweep.windows) {
    removePartials(o.out);
    appender = new WindowsAppender(o.out, store, sweep.runCount, (i) => settled[i] === 1);
    appender.poke();
  }
  let interrupted: NodeJS.Signals | undefined;
  const failedNow: RunRecord[] = [];
  let executed = 0;
  if (reused < total) {
    const stop = new Stop();
    const onSignal = (sig: NodeJS.Signals) => {
      if (interrupted === undefined) {
        interrupted = sig;
        stop.request();
        plan.log(`\n${sig}: finishing the runs in progress, then stopping (${sig === "SIGINT" ? "Ctrl-C" : sig} again to abandon them)`);
      } else stop.abandon();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const unwatch = watchLaunchers(() => onSignal("SIGTERM"));
    try {
      await runOnWorkers({
        // Cores the workers leave free go to big runs, as threads inside them (experiments/shares.ts);
        // --workers N is the budget when given (a Kubernetes pod's CPU request), else the cores here.
        out: o.out, workers, stop, requests: requests(sweep, store, plan.mine, trace, o.runThreads ?? -Math.max(1, Math.floor((o.workers ?? availableParallelism()) / workers))),
        onRecord: (r) => {
          store.noteRecord(r);
          executed++;
          if (r.status !== "ok") failedNow.push(r);
          progress.ran(r.index, r.status === "ok");
          settled[r.index] = 1;
          appender?.poke();
        },
      });
    } finally {
      unwatch();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    progress.finish();
  } else plan.log(`all ${total} runs of ${sweep.name}${o.shard ? ` (shard ${o.shard.index}/${o.shard.count})` : ""} are stored already; reusing them`);
  const finished = new Date();
  store.writeSession({
    started: started.toISOString(), finished: finished.toISOString(), wall_seconds: (finished.getTime() - started.getTime()) / 1000,
    workers, ran: executed, reused, failed: failedNow.length, interrupted: interrupted ?? null,
    shard: o.shard ?? null, node: process.version, peak_rss_mib: process.resourceUsage().maxRSS / 1024,
  });
  if (interrupted !== undefined) {
    await appender?.abandon();
    plan.log(`stopped; every finished run is stored in ${o.out}/store. Resume with:\n  ${o.resumeCommand}`);
    return interrupted === "SIGINT" ? 130 : 143;
  }
  if (o.shard) return shardDone(sweep, store, o, plan);
  return assembleAndReport(sweep, [store], o.out, started, plan.log, undefined, await appender?.finish());
}

/** Requests for every run of this invocation's share that the store cannot serve, in run order. */
function* requests(sweep: Sweep, store: RunStore, mine: (i: number) => boolean, trace: boolean, threads: number): Generator<RunRequest> {
  const keyOf = runKeys(sweep, store.header.codeKey);
  for (let i = 0; i < sweep.runCount; i++) {
    if (!mine(i) || store.satisfies(i, sweep.windows, trace)) continue;
    const run = runAt(sweep, i);
    // A rerun keeps what the stored run had, so asking for a trace never loses windows.
    const windows = sweep.windows || store.hasWindows(i);
    yield { ...run, key: keyOf(run.point, run.replication, run.seed), raw: sweep.points[run.point].raw, windows, trace: trace || store.hasTrace(i), threads };
  }
}

function shardDone(sweep: Sweep, store: RunStore, o: SessionOptions, plan: Plan): number {
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < sweep.runCount; i++) {
    if (!plan.mine(i)) continue;
    if (store.isOk(i)) ok++;
    else if (store.isFailed(i)) failed++;
  }
  plan.log(`shard ${o.shard!.index}/${o.shard!.count} of ${sweep.name}: ${ok} runs stored in ${o.out}${failed > 0 ? `, ${failed} failed` : ""}; `
    + `assemble the shards with: npm run merge -- OUT SHARD_DIR...`);
  return failed > 0 ? 1 : 0;
}

/** Assembles the outputs from `stores` (one, or every shard), prints the summary, returns the exit code. */
export async function assembleAndReport(
  sweep: Sweep, stores: RunStore[], out: string, started: Date, log: (line: string) => void, storeOf?: (i: number) => RunStore, windowsSoFar?: WindowsSoFar,
): Promise<number> {
  const head = stores[0].header;
  const result = await assemble({
    sweep, out, storeOf: storeOf ?? (() => stores[0]),
    provenance: { leaklab: head.leaklab, git: head.git, code: head.codeKey, node: process.version },
    sessions: stores.flatMap((s) => s.sessions()).sort((a, b) => String(a.started).localeCompare(String(b.started))),
  }, windowsSoFar);
  const secs = ((Date.now() - started.getTime()) / 1000).toFixed(1);
  console.log(`${sweep.name}: ${result.ok} runs${result.failed > 0 ? `, ${result.failed} failed` : ""} in ${secs} s -> ${out}/`);
  console.log(pointSummary(sweep, result));
  if (result.failed === 0) return 0;
  log(`\n${result.failed} run(s) failed (listed in ${out}/failures.csv); running the same command again retries them:`);
  for (const r of result.failures.slice(0, 5)) log(`  point ${r.point} (${pointLabel(sweep, r.point)}), replication ${r.replication}, seed ${r.seed}: ${r.error}`);
  if (result.failed > 5) log(`  ... and ${result.failed - 5} more`);
  return 1;
}

/** Per point: mean and 95% interval over replications of the headline metrics. */
function pointSummary(sweep: Sweep, a: Assembled): string {
  return sweep.points.map((p) => {
    const cells = SUMMARY_METRICS.map((m, k) => {
      const s = a.summaries[p.index][k].summary();
      return `${m} ${fmt(s.mean)}${Number.isFinite(s.halfWidth) ? ` ±${fmt(s.halfWidth)}` : ""}`;
    });
    return `  point ${p.index} ${pointLabel(sweep, p.index).replaceAll(", ", " ")}\n    ${cells.join("   ")}`;
  }).join("\n");
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : "n/a");

/** Settings Cilium would accept but ignore, once per message, with the points they apply to. */
export function warnOnce(sweep: Sweep, log: (line: string) => void): void {
  const byMessage = new Map<string, number[]>();
  for (const p of sweep.points) for (const w of p.warnings) byMessage.set(w, [...(byMessage.get(w) ?? []), p.index]);
  for (const [w, points] of byMessage) {
    const where = points.length === sweep.points.length ? "all points" : `point${points.length > 1 ? "s" : ""} ${points.join(", ")}`;
    log(`warning (${where}): ${w}`);
  }
}
