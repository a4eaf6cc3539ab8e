/**
 * The campaign benchmark (run by npm run bench, or alone: npm run bench -- campaign):
 * 1. experiments/bench-campaign.json (24 runs, 200 nodes, windows on) through the real CLI,
 *    against the same sweep with --no-windows: wall time and peak memory, each variant run
 *    twice, alternating, medians reported (goals: at most 1 GiB, within 25 %);
 * 2. parallel efficiency of 2 workers against 1 on the same sweep without windows (goal 90 %);
 * 3. the cost of the store on a small sweep (operator-outage): every run executed into a store
 *    and the outputs assembled from it, against every run executed in memory and the outputs
 *    built as strings (as leaklab did before the store), alternating in this process (goal 5 %).
 * Prints a table and writes results/bench/campaign.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "csv-stringify/sync";
import { windowRow } from "../../models/windows.ts";
import { assemble } from "../assemble.ts";
import { executeInMemory, executeIntoStore, type ScenarioCache } from "../execute.ts";
import { codeKey, runKeys } from "../keys.ts";
import { storeHeader } from "../session.ts";
import { RunStore } from "../store/store.ts";
import { allRuns } from "../sweep.ts";
import { loadSweep } from "../sweepFile.ts";

const root = new URL("../..", import.meta.url).pathname;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface CliRun {
  wallSeconds: number;
  peakRssMiB: number;
}

/** One invocation of the experiment CLI into a fresh folder; wall time measured here, memory from the session it records. */
function cli(file: string, extra: string[]): CliRun {
  const out = mkdtempSync(join(tmpdir(), "leaklab-bench-"));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/cli.ts", file, "--out", out, ...extra], { cwd: root, encoding: "utf8" });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${file} ${extra.join(" ")} failed:\n${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { sessions: { peak_rss_mib: number }[] };
  rmSync(out, { recursive: true, force: true });
  return { wallSeconds, peakRssMiB: Math.max(...manifest.sessions.map((s) => s.peak_rss_mib)) };
}

function campaign(): Record<string, unknown> {
  const file = join(root, "experiments", "bench-campaign.json");
  const runs: Record<string, CliRun[]> = { windows: [], noWindows: [], oneWorker: [] };
  for (let i = 0; i < 2; i++) {
    runs.windows.push(cli(file, ["--workers", "2"]));
    runs.noWindows.push(cli(file, ["--workers", "2", "--no-windows"]));
  }
  runs.oneWorker.push(cli(file, ["--workers", "1", "--no-windows"]));
  const wall = (k: string) => median(runs[k].map((r) => r.wallSeconds));
  const rss = (k: string) => median(runs[k].map((r) => r.peakRssMiB));
  return {
    windowsWallSeconds: wall("windows"), noWindowsWallSeconds: wall("noWindows"), windowsOverWithout: wall("windows") / wall("noWindows"),
    windowsPeakRssMiB: rss("windows"), noWindowsPeakRssMiB: rss("noWindows"),
    oneWorkerWallSeconds: wall("oneWorker"), parallelEfficiency: wall("oneWorker") / (2 * wall("noWindows")), samples: runs,
  };
}

/** Store against in-memory, the same runs in this thread, alternating; seconds per whole sweep. */
async function storeCost(): Promise<Record<string, unknown>> {
  const sweep = loadSweep(join(root, "experiments", "operator-outage.json"));
  const runs = allRuns(sweep);
  const inMemory = (): void => {
    const outcomes = runs.map((run) => executeInMemory(run, sweep.points[run.point].scenario));
    const names = Object.keys(outcomes[0].metrics);
    stringify([["sweep", ...names], ...outcomes.map((o) => [sweep.name, ...names.map((n) => String(o.metrics[n]))])]);
    outcomes.flatMap((o, i) => o.windows.map((w) => windowRow(runs[i].point, runs[i].replication, w))).join("");
  };
  const stored = async (): Promise<void> => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-bench-store-"));
    const store = RunStore.open(out, storeHeader(sweep, null));
    const cache: ScenarioCache = new Map();
    const keyOf = runKeys(sweep, codeKey());
    for (const run of runs) {
      const raw = sweep.points[run.point].raw;
      store.noteRecord(await executeIntoStore({ ...run, key: keyOf(run.point, run.replication, run.seed), raw, windows: true, trace: false }, store.paths, cache));
    }
    await assemble({ sweep, out, storeOf: () => store, provenance: { leaklab: "", git: { commit: null, dirty: null }, code: "", node: "" }, sessions: [] });
    store.close();
    rmSync(out, { recursive: true, force: true });
  };
  const samples: Record<string, number[]> = { inMemory: [], stored: [] };
  const time = async (f: () => void | Promise<void>) => {
    const t0 = performance.now();
    await f();
    return (performance.now() - t0) / 1000;
  };
  inMemory();
  await stored();
  for (let i = 0; i < 7; i++) {
    samples.inMemory.push(await time(inMemory));
    samples.stored.push(await time(stored));
  }
  return { sweep: sweep.name, runs: runs.length, inMemorySeconds: median(samples.inMemory), storedSeconds: median(samples.stored), storedOverInMemory: median(samples.stored) / median(samples.inMemory), samples };
}

const pct = (x: number) => `${((x - 1) * 100).toFixed(1)} %`;
const store = await storeCost();
console.log(`store cost, ${store.sweep} (${store.runs} runs, median of 7, alternating): in memory ${(store.inMemorySeconds as number).toFixed(3)} s, `
  + `through the store ${(store.storedSeconds as number).toFixed(3)} s: ${pct(store.storedOverInMemory as number)} (goal within 5 %)`);
const c = campaign();
console.log(`campaign, experiments/bench-campaign.json (24 runs, 2 workers, medians of 2, alternating):`);
console.log(`  windows on:  ${(c.windowsWallSeconds as number).toFixed(1)} s, peak ${(c.windowsPeakRssMiB as number).toFixed(0)} MiB (goal at most 1024 MiB)`);
console.log(`  windows off: ${(c.noWindowsWallSeconds as number).toFixed(1)} s, peak ${(c.noWindowsPeakRssMiB as number).toFixed(0)} MiB`);
console.log(`  windows on / off: ${(c.windowsOverWithout as number).toFixed(2)}x (goal at most 1.25x)`);
console.log(`  1 worker ${(c.oneWorkerWallSeconds as number).toFixed(1)} s: parallel efficiency of 2 workers ${((c.parallelEfficiency as number) * 100).toFixed(0)} % (goal at least 90 %)`);
writeFileSync(join(root, "results", "bench", "campaign.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, store, campaign: c }, null, 2)}\n`);
