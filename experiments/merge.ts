/**
 * npm run merge -- OUT SHARD_DIR... [--wait SECONDS]
 *
 * Assembles the outputs of a sharded sweep from its shards' stores: checks that they belong to
 * one sweep computed by one code, that every shard of the split is there once, and that every
 * run is stored exactly once, then writes into OUT the same runs.csv, windows.csv, points.csv
 * and manifest.json a single machine would have written. With --wait it first waits for shards
 * still running (a Kubernetes merge Job started beside the shards' Indexed Job).
 */
import { decimal, flag, value, type CommandSpec, type Flag } from "./args.ts";
import { InputError, isMain, runCommand } from "./command.ts";
import { codeKey, sweepKey } from "./keys.ts";
import { prepareOutputFolder } from "./outFolder.ts";
import { assembleAndReport, pointCosts } from "./session.ts";
import { assignShards } from "./shards.ts";
import { RunStore, StoreError } from "./store/store.ts";
import { NO_LIMITS } from "./limits.ts";
import { expandSweep, type Sweep } from "./sweep.ts";

export const mergeSpec = {
  usage: "npm run merge -- OUT SHARD_DIR...",
  summary: "Assemble a sharded sweep's outputs in OUT from the shards' output folders (each run with --shard I/N).",
  positionals: { names: "the output folder and the shard folders (OUT SHARD_DIR...)", min: 2, max: 100_001 },
  flags: {
    wait: value("SECONDS", "wait up to this long for shards that are missing or still running (default: do not wait)", decimal(0)),
    "no-windows": flag("write no windows.csv, even if the shards stored windows"),
  },
} satisfies CommandSpec<Record<string, Flag>>;

const POLL_MS = 5000;

export interface MergePlan {
  sweep: Sweep;
  stores: RunStore[];
  /** The shard (index into `stores`, by shard number) that holds each run. */
  owner: Int32Array;
}

/** Reads the shards and checks they form one whole sweep; `missing` lists what is not stored yet. */
export function planMerge(dirs: readonly string[]): { plan?: MergePlan; missing: string[] } {
  const stores = dirs.map((d) => RunStore.read(d));
  const first = stores[0].header;
  for (const [i, s] of stores.entries()) {
    const h = s.header;
    if (h.shard === null) throw new StoreError(`${dirs[i]} holds a whole sweep, not a shard; it needs no merge`);
    if (h.sweepKey !== first.sweepKey) throw new StoreError(`${dirs[i]} holds a shard of another sweep than ${dirs[0]}`);
    if (h.codeKey !== first.codeKey) throw new StoreError(`${dirs[i]} was computed by other code than ${dirs[0]} (source hash ${h.codeKey.slice(0, 12)} vs ${first.codeKey.slice(0, 12)})`);
    if (h.shard.count !== first.shard!.count) throw new StoreError(`${dirs[i]} is shard ${h.shard.index}/${h.shard.count}, ${dirs[0]} is one of ${first.shard!.count}`);
  }
  const count = first.shard!.count;
  const byIndex: (RunStore | undefined)[] = new Array(count);
  for (const [i, s] of stores.entries()) {
    const k = s.header.shard!.index;
    if (byIndex[k] !== undefined) throw new StoreError(`shard ${k}/${count} is given twice (${byIndex[k]!.paths.out} and ${dirs[i]})`);
    byIndex[k] = s;
  }
  const absent = [...byIndex.keys()].filter((k) => byIndex[k] === undefined);
  if (absent.length > 0) return { missing: absent.map((k) => `shard ${k}/${count} (no folder given)`) };
  // The shards ran this sweep already, within whatever limits their command line allowed.
  const sweep = expandSweep(first.sweep, NO_LIMITS);
  if (sweepKey(sweep) !== first.sweepKey) throw new StoreError(`the shards' sweep expands differently with this leaklab (its scenario defaults changed); merge with the code that ran them`);
  const owner = assignShards(sweep, pointCosts(sweep), count);
  const missing: string[] = [];
  for (let i = 0; i < sweep.runCount; i++) {
    const s = byIndex[owner[i]]!;
    if (!s.isOk(i) && !s.isFailed(i)) missing.push(`run ${i} (shard ${owner[i]}/${count}, ${s.paths.out})`);
    for (const other of stores) if (other !== s && (other.isOk(i) || other.isFailed(i))) throw new StoreError(`run ${i} is stored by ${other.paths.out} although it belongs to shard ${owner[i]}`);
  }
  return missing.length > 0 ? { missing } : { plan: { sweep, stores: byIndex as RunStore[], owner }, missing };
}

async function waitForShards(dirs: readonly string[], seconds: number, log: (l: string) => void): Promise<MergePlan> {
  const deadline = Date.now() + seconds * 1000;
  let lastReport = 0;
  for (;;) {
    let missing: string[];
    try {
      const r = planMerge(dirs);
      if (r.plan) return r.plan;
      missing = r.missing;
    } catch (e) {
      // A shard folder with no store yet: its pod has not started.
      if (!(e instanceof StoreError && /no run store here/.test(e.message)) || seconds === 0) throw e;
      missing = [e.message];
    }
    const describe = `${missing.length} missing: ${missing.slice(0, 3).join("; ")}${missing.length > 3 ? "; ..." : ""}`;
    if (Date.now() >= deadline) throw new InputError(`the shards are not complete (${describe})${seconds > 0 ? ` after waiting ${seconds} s` : ""}`);
    if (Date.now() - lastReport > 60_000) {
      lastReport = Date.now();
      log(`waiting for shards: ${describe}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}

if (isMain(import.meta.url)) {
  void runCommand(mergeSpec, async ({ flags, positionals }) => {
    const [out, ...dirs] = positionals;
    const log = (l: string) => process.stderr.write(`${l}\n`);
    const started = new Date();
    const plan = await waitForShards(dirs, flags.wait ?? 0, log);
    if (plan.stores[0].header.codeKey !== codeKey()) log(`warning: this leaklab's sources differ from those that computed the shards; the outputs are the shards' results as stored`);
    prepareOutputFolder(out, "OUT");
    if (flags["no-windows"]) plan.sweep.windows = false;
    else plan.sweep.windows = everyOkRunHasWindows(plan);
    return assembleAndReport(plan.sweep, plan.stores, out, started, log, (i) => plan.stores[plan.owner[i]]);
  });
}

/** windows.csv is written when the shards stored windows; a mix means a shard ran with --no-windows. */
function everyOkRunHasWindows(plan: MergePlan): boolean {
  let withWindows = 0;
  let without = -1;
  for (let i = 0; i < plan.sweep.runCount; i++) {
    const s = plan.stores[plan.owner[i]];
    if (!s.isOk(i)) continue;
    if (s.hasWindows(i)) withWindows++;
    else without = i;
  }
  if (without >= 0 && withWindows > 0) {
    throw new InputError(`run ${without} (in ${plan.stores[plan.owner[without]].paths.out}) has no stored windows while others do; re-run that shard without --no-windows, or merge with --no-windows`);
  }
  return withWindows > 0;
}
