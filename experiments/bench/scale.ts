/**
 * One run of experiments/bench-1000-nodes.json in this process: prints wall seconds, peak
 * resident memory and the run's size as one JSON line (run by experiments/bench/run.ts).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { simulateRun } from "../../models/run.ts";
import { expandSweep, runAt } from "../sweep.ts";

const file = new URL("../bench-1000-nodes.json", import.meta.url);
const sweep = expandSweep(JSON.parse(readFileSync(file, "utf8")));
const run = runAt(sweep, 0);
const scenario = sweep.points[run.point].scenario;
const t0 = performance.now();
const r = simulateRun({ scenario, seed: run.seed, replication: run.replication, windows: "none" });
const wallSeconds = (performance.now() - t0) / 1000;
const m = r.metrics;
console.log(JSON.stringify({
  wallSeconds,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  nodes: m.nodes_joined,
  endpoints: m.endpoints,
  // Every endpoint reaches every other node's IPCache: endpoints x (nodes - 1) upserts.
  ipcacheUpserts: m.endpoints * (m.nodes_joined - 1),
  events: r.events,
  packets: Object.entries(m).filter(([k]) => k.endsWith("_packets")).reduce((s, [, v]) => s + v, 0),
  leakWindowP99: m.leak_window_p99_s,
}));
