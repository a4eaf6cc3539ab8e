/**
 * The performance benchmarks of the Kubernetes scalability envelope:
 * - the envelope run (experiments/bench-envelope.json: 5,000 nodes, 150,000 pods, 7.4e8 pairs)
 *   through the real command on every core (one worker, its run judged in threads): wall time,
 *   peak memory, pairs per second for the whole run (goals: 30 s, 2 GiB);
 * - growth: the same churn (500 pods/s for 60 s) at 500, 1,000, 2,000 and 5,000 nodes on one
 *   thread, each in its own process: time per pair and its fitted exponent against the pairs
 *   (goal: time per pair grows by at most 10 % from the smallest to the largest); the one-thread
 *   pairs per second come from these runs.
 * Prints a table and returns the figures for results/bench/envelope.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const root = new URL("../..", import.meta.url).pathname;

export function envelopeRun(): Record<string, number> {
  const out = mkdtempSync(join(tmpdir(), "leaklab-envelope-"));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/cli.ts", "experiments/bench-envelope.json", "--out", out, "--workers", "1"], { cwd: root, encoding: "utf8" });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`envelope run failed:\n${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { sessions: { peak_rss_mib: number }[] };
  const runs = readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n");
  const header = runs[0].split(",");
  const row = runs[1].split(",");
  const endpoints = Number(row[header.indexOf("endpoints")]);
  const nodes = Number(row[header.indexOf("nodes_joined")]);
  rmSync(out, { recursive: true, force: true });
  const pairs = endpoints * (nodes - 1);
  const peak = Math.max(...manifest.sessions.map((s) => s.peak_rss_mib));
  console.log(`envelope: ${nodes} nodes x ${endpoints} pods (${(pairs / 1e6).toFixed(0)} M pairs): ${wall.toFixed(1)} s wall (goal 30 s), `
    + `peak ${peak.toFixed(0)} MiB (goal 2048 MiB), ${(pairs / wall / 1e6).toFixed(1)} M pairs/s for the whole run`);
  return { wallSeconds: wall, peakRssMiB: peak, pairs, pairsPerSecond: pairs / wall };
}

const GROWTH_NODES = [500, 1000, 2000, 5000];

/** One growth point, judged on one thread in a fresh process: seconds and pairs. */
function growthPoint(nodes: number): { nodes: number; seconds: number; pairs: number } {
  const sweep = JSON.parse(readFileSync(join(root, "experiments", "bench-envelope.json"), "utf8"));
  sweep.name = `growth-${nodes}`;
  sweep.base.duration = 60;
  sweep.base.cluster.nodes = nodes;
  const file = join(mkdtempSync(join(tmpdir(), "leaklab-growth-")), "sweep.json");
  writeFileSync(file, JSON.stringify(sweep));
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/bench/one-run.ts", file], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`growth run at ${nodes} nodes failed:\n${r.stderr}`);
  return { nodes, ...(JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number; pairs: number }) };
}

export function growth(): Record<string, unknown> {
  const points = GROWTH_NODES.map(growthPoint);
  // Least squares of log(seconds) on log(pairs): the exponent is 1 when time grows as the pairs.
  const xs = points.map((p) => Math.log(p.pairs));
  const ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const exponent = xs.reduce((t, x, i) => t + (x - mx) * (ys[i] - my), 0) / xs.reduce((t, x) => t + (x - mx) ** 2, 0);
  const perPair = points.map((p) => p.seconds / p.pairs);
  const growthPct = (perPair[perPair.length - 1] / perPair[0] - 1) * 100;
  console.log("growth (500 pods/s for 60 s, one thread):");
  for (const p of points) console.log(`  ${String(p.nodes).padStart(5)} nodes: ${(p.pairs / 1e6).toFixed(1)} M pairs in ${p.seconds.toFixed(2)} s, ${((p.seconds / p.pairs) * 1e9).toFixed(1)} ns per pair, ${(p.pairs / p.seconds / 1e6).toFixed(1)} M pairs/s`);
  console.log(`  time per pair from ${GROWTH_NODES[0]} to ${GROWTH_NODES[GROWTH_NODES.length - 1]} nodes: ${growthPct >= 0 ? "+" : ""}${growthPct.toFixed(1)} % (goal at most +10 %); fitted exponent ${exponent.toFixed(3)}`);
  return { points, exponent, perPairGrowthPct: growthPct, onePairsPerSecond: points[points.length - 1].pairs / points[points.length - 1].seconds };
}
