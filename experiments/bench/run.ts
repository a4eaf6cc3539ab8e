/**
 * npm run bench [-- kernel scale envelope campaign]: kernel throughput on the hold model for both
 * event queues, the bare queue and the whole kernel, at 1e3, 1e5 and 1e6 pending events, and
 * the whole kernel against ns-3's (bench/ns3.ts); the 1,000-node scale run; the envelope run and
 * the growth series (bench/envelope.ts); the campaign benchmark (bench/campaign.ts). Each
 * configuration runs in its own process. Prints tables and writes results/bench/*.json.
 * Wall-clock figures belong here, never in sweep CSVs.
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { envelopeRun, growth } from "./envelope.ts";
import { compareWithNs3 } from "./ns3.ts";

const root = new URL("../..", import.meta.url).pathname;
const SIZES = [1e3, 1e5, 1e6];
const VARIANTS = ["queue-typed", "kernel-typed", "kernel-typed-ring", "queue-tinyqueue", "kernel-tinyqueue"];
/** Goal for the typed-array queue on a 2-core machine (issue 2), events per second. */
const GOAL: Record<number, number> = { 1e3: 10e6, 1e5: 5e6, 1e6: 2.5e6 };

interface HoldResult {
  variant: string;
  pending: number;
  eventsPerSecond: number;
  eventsPerSecondMedian: number;
  heapMB: number;
}

function measure(variant: string, n: number): HoldResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/bench/hold.ts", variant, String(n)], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`hold ${variant} ${n} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as HoldResult;
}

const SECTIONS = ["kernel", "scale", "envelope", "campaign"];
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !SECTIONS.includes(a));
if (unknown.length > 0) {
  console.error(`error: unknown benchmark ${unknown.join(", ")}; choose from ${SECTIONS.join(", ")} (default: all)`);
  process.exit(2);
}
const wanted = (s: string) => asked.length === 0 || asked.includes(s);
const dir = join(root, "results", "bench");
mkdirSync(dir, { recursive: true });

const mps = (x: number): string => (x / 1e6).toFixed(2).padStart(6);
const results: HoldResult[] = [];
if (wanted("kernel")) kernel();
if (wanted("scale")) scale();
if (wanted("envelope")) {
  console.log("");
  const envelope = envelopeRun();
  const series = growth();
  writeFileSync(join(dir, "envelope.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, envelope, growth: series }, null, 2) + "\n");
}
if (wanted("campaign")) {
  console.log("");
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/bench/campaign.ts"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("campaign benchmark failed");
}

function kernel(): void {
  console.log(`hold model, million events per second (mean over samples; ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version})`);
  console.log(`${"variant".padEnd(18)}${SIZES.map((n) => `N=${n.toExponential(0)}`.padStart(10)).join("")}`);
  for (const v of VARIANTS) {
    const row = SIZES.map((n) => {
      const r = measure(v, n);
      results.push(r);
      return r;
    });
    console.log(`${v.padEnd(18)}${row.map((r) => mps(r.eventsPerSecond).padStart(10)).join("")}`);
  }
  const typed = results.filter((r) => r.variant === "queue-typed");
  console.log(`goal (queue-typed)${SIZES.map((n) => mps(GOAL[n]).padStart(10)).join("")}`);
  // Machines differ; the ratio to the tinyqueue reference measured in this same run does not
  // depend on how fast this machine happens to be today.
  for (const r of typed) {
    const ratio = r.eventsPerSecond / GOAL[r.pending];
    const ref = results.find((x) => x.variant === "queue-tinyqueue" && x.pending === r.pending)!;
    console.log(`  N=${r.pending.toExponential(0)}: ${(100 * ratio).toFixed(0)}% of goal${ratio >= 1 ? "" : " (below goal)"}, `
      + `${(r.eventsPerSecond / ref.eventsPerSecond).toFixed(1)}x the tinyqueue reference`);
  }
  console.log("whole kernel (increments from a ring) against ns-3.37's PriorityQueueScheduler, alternating, medians:");
  const ns3 = compareWithNs3();
  writeFileSync(join(dir, "kernel.json"), JSON.stringify({
    date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, goal: GOAL, results, ns3,
  }, null, 2) + "\n");
}

// The scale goal (issue 4): 1,000 nodes, 20,000 endpoint creations, under 10 s and 1 GiB.
function scale(): void {
  const scaleRun = spawnSync(process.execPath, ["--import", "tsx", "experiments/bench/scale.ts"], { cwd: root, encoding: "utf8" });
  if (scaleRun.status !== 0) throw new Error(`scale benchmark failed:\n${scaleRun.stderr}`);
  const scale = JSON.parse(scaleRun.stdout.trim().split("\n").pop()!) as { wallSeconds: number; peakRssMiB: number; endpoints: number; nodes: number; ipcacheUpserts: number; events: number; packets: number };
  console.log(`\nscale: ${scale.nodes} nodes, ${scale.endpoints} endpoints, ${(scale.ipcacheUpserts / 1e6).toFixed(1)} M IPCache upserts, `
    + `${(scale.packets / 1e9).toFixed(2)} G packets judged, ${scale.events} events`);
  console.log(`  wall ${scale.wallSeconds.toFixed(2)} s (goal < 10 s${scale.wallSeconds < 10 ? "" : ", missed"}), `
    + `peak memory ${scale.peakRssMiB.toFixed(0)} MiB (goal < 1024 MiB${scale.peakRssMiB < 1024 ? "" : ", missed"})`);
  writeFileSync(join(dir, "scale.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, goal: { wallSeconds: 10, peakRssMiB: 1024 }, ...scale }, null, 2) + "\n");
}
