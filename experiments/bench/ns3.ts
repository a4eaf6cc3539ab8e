/**
 * The kernel against ns-3's, like for like: leaklab's whole kernel with increments from a
 * precomputed ring (hold.ts kernel-typed-ring) and ns-3.37's PriorityQueueScheduler running
 * the same hold model (anchors/ns3-hold.cc, built here against Debian's libns3-dev), measured
 * alternately, twice each, at 1e3, 1e5 and 1e6 pending events; medians and their ratio.
 * Without libns3-dev (apt-get install libns3-dev) it says so and measures nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const SIZES = [1e3, 1e5, 1e6];
const SCHEDULER = "ns3::PriorityQueueScheduler";

export interface AnchorRow {
  pending: number;
  leaklab: number;
  ns3: number;
  ratio: number;
}

/** Builds the anchor; undefined (with the reason printed) when ns-3 is not installed. */
function build(): string | undefined {
  if (!existsSync("/usr/include/ns3/core-module.h")) {
    console.log("ns-3 anchor skipped: Debian's libns3-dev is not installed (apt-get install libns3-dev)");
    return undefined;
  }
  const dir = join(root, "results", "bench");
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, "ns3-hold");
  const r = spawnSync("g++", ["-O2", "-std=c++17", "-o", bin, join(root, "experiments/bench/anchors/ns3-hold.cc"), "-lns3-core"], { encoding: "utf8" });
  if (r.status !== 0) {
    console.log(`ns-3 anchor skipped: it did not build:\n${r.stderr}`);
    return undefined;
  }
  return bin;
}

const json = (out: string) => JSON.parse(out.trim().split("\n").pop()!) as { eventsPerSecondMedian: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function compareWithNs3(): AnchorRow[] {
  const bin = build();
  if (bin === undefined) return [];
  return SIZES.map((n) => {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < 2; round++) {
      const a = spawnSync(process.execPath, ["--import", "tsx", "experiments/bench/hold.ts", "kernel-typed-ring", String(n)], { cwd: root, encoding: "utf8" });
      if (a.status !== 0) throw new Error(a.stderr);
      ours.push(json(a.stdout).eventsPerSecondMedian);
      const b = spawnSync(bin, [SCHEDULER, String(n), "3"], { encoding: "utf8" });
      if (b.status !== 0) throw new Error(b.stderr);
      theirs.push(json(b.stdout).eventsPerSecondMedian);
    }
    const row = { pending: n, leaklab: median(ours), ns3: median(theirs), ratio: median(ours) / median(theirs) };
    console.log(`  N=${n.toExponential(0)}: leaklab ${(row.leaklab / 1e6).toFixed(2)} M/s, ns-3 ${(row.ns3 / 1e6).toFixed(2)} M/s: ${row.ratio.toFixed(2)}x (goal 1.5x)`);
    return row;
  });
}
