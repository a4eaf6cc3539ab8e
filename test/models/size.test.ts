import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { expectedSize, measureSize } from "../../models/size.ts";
import { simulateRun } from "../../models/run.ts";
import { windowRow } from "../../models/windows.ts";
import { expandSweep, runAt } from "../../experiments/sweep.ts";

const committed = (name: string) => expandSweep(JSON.parse(readFileSync(new URL(`../../experiments/${name}.json`, import.meta.url), "utf8")));

/** A heavier point: 120 nodes, 30 pods/s, an outage; thousands of windows per sampled sender. */
const heavy = expandSweep({
  name: "heavy", base: {
    duration: 120, cluster: { nodes: 120, cloud: "azure", nodeSubnet: "10.224.0.0/12" },
    controlPlane: { operator: { outages: [{ start: 40, end: 70 }] } },
    cilium: { version: "1.15", routingMode: "native", ipam: { mode: "azure" }, enableCiliumEndpointSlice: true },
    workload: { churn: { rate: 30, lifetime: { dist: "exponential", mean: 300 } } },
  },
});

const cases = [
  ["operator-outage", committed("operator-outage"), 0],
  ["node-ip-reuse", committed("node-ip-reuse"), 1],
  ["ces-vs-direct", committed("ces-vs-direct"), 3],
  ["heavy azure point", heavy, 0],
] as const;

describe("run size estimates", () => {
  it.each(cases)("match a real run of %s: pairs and events exactly, windows within a factor of 2", (_, sweep, point) => {
    const run = runAt(sweep, point * sweep.replications);
    const sc = sweep.points[point].scenario;
    const est = measureSize(sc, run.seed, run.replication, point);
    let rows = 0;
    let bytes = 0;
    const real = simulateRun({ scenario: sc, seed: run.seed, replication: run.replication, windows: (w) => {
      rows++;
      bytes += windowRow(point, run.replication, w).length;
    } });
    expect(est.pairs).toBe(real.work.pairs);
    expect(est.events).toBe(real.events);
    expect(est.arrivals).toBe(real.work.arrivals);
    expect(rows).toBeGreaterThan(0);
    expect(est.windowRows / rows).toBeGreaterThan(0.5);
    expect(est.windowRows / rows).toBeLessThan(2);
    expect(est.windowBytes / bytes).toBeGreaterThan(0.5);
    expect(est.windowBytes / bytes).toBeLessThan(2);
  }, 60_000);

  it("expects pairs close to what runs judge, from the scenario alone", () => {
    for (const [, sweep, point] of cases) {
      const run = runAt(sweep, point * sweep.replications);
      const real = simulateRun({ scenario: sweep.points[point].scenario, seed: run.seed, replication: run.replication, windows: "none" });
      const ratio = expectedSize(sweep.points[point].scenario).pairs / real.work.pairs;
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
  }, 60_000);
});

describe("memory estimates", () => {
  const root = new URL("../..", import.meta.url).pathname;
  it.each([["experiments/ces-vs-direct.json", 3], ["experiments/bench-campaign.json", 2]])("are within a factor of 2 of a real run's peak (%s, point %i)", (file, point) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/fixtures/one-run.ts", file, String(point)], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const { peakBytes, estimateBytes } = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(estimateBytes / peakBytes).toBeGreaterThan(0.5);
    expect(estimateBytes / peakBytes).toBeLessThan(2);
  }, 120_000);
});
