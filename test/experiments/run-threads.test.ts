/**
 * A run judged on several threads (shares of its senders) writes exactly the bytes one thread
 * writes, windows included, and leaves no share file behind.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandSweep, runAt } from "../../experiments/sweep.ts";
import { simulateRun, startRun } from "../../models/run.ts";

const root = new URL("../..", import.meta.url).pathname;

/** 700 nodes: three blocks of senders; replacements, an outage, services and node traffic. */
const BASE = {
  duration: 40, cluster: { nodes: 700, cloud: "aws", nodeSubnet: "192.168.0.0/16", lifecycle: { events: [{ at: 15, action: "replace", count: 4 }] } },
  cilium: { version: "1.15", routingMode: "native", ipam: { mode: "cluster-pool" }, enableCiliumEndpointSlice: true },
  controlPlane: { operator: { outages: [{ start: 10, end: 25 }] } },
  workload: { churn: { rate: 20, lifetime: { dist: "exponential", mean: 20 } }, deployments: [{ name: "web", replicas: 8 }] },
  traffic: { service: { rate: 1 }, podToNode: { rate: 0.05 }, healthProbes: { interval: 10 } },
};

describe("a run judged on several threads", () => {
  it("adds up, share by share in any order, to the run judged at once", () => {
    const sweep = expandSweep({ name: "shares", base: BASE });
    const run = runAt(sweep, 0);
    const input = { scenario: sweep.points[0].scenario, seed: run.seed, replication: run.replication };
    const whole = simulateRun(input);
    const a = startRun(input, { from: 0, to: 1 });
    const b = startRun(input, { from: 1, to: 2 });
    const c = startRun(input, { from: 2, to: Number.MAX_SAFE_INTEGER });
    const split = b.finish([c.share, a.share]);
    expect(split.metrics).toEqual(whole.metrics);
    expect(split.fingerprint).toBe(whole.fingerprint);
    const key = (w: { endpoint: number; observerNode: number }) => w.endpoint * 1e6 + w.observerNode;
    const merged = [...a.finish([]).windows, ...b.finish([]).windows, ...c.finish([]).windows].sort((x, y) => key(x) - key(y));
    expect(merged).toEqual(whole.windows);
  }, 60_000);

  it("writes byte-identical runs.csv and windows.csv with 1, 2, 3 and 8 threads", () => {
    const file = join(mkdtempSync(join(tmpdir(), "leaklab-threads-")), "sweep.json");
    writeFileSync(file, JSON.stringify({ name: "threads", replications: 2, base: BASE }));
    const outs = [1, 2, 3, 8].map((t) => {
      const out = mkdtempSync(join(tmpdir(), `leaklab-threads-${t}-`));
      const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/cli.ts", file, "--out", out, "--workers", "1", "--run-threads", String(t)], { cwd: root, encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(join(out, "store", "tmp"))).toEqual([]);
      return out;
    });
    for (const f of ["runs.csv", "windows.csv"]) {
      const one = readFileSync(join(outs[0], f));
      expect(one.length).toBeGreaterThan(1000);
      for (const o of outs.slice(1)) expect(readFileSync(join(o, f)).equals(one), `${f} in ${o}`).toBe(true);
    }
  }, 240_000);
});
