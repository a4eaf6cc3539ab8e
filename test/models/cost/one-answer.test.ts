// `npm run cost` and a sweep answer the same question the same way: both go through costOf
// with the scenario schema's defaults (issue: 51.5 % from the CLI against 0.8 % in the sweep
// for WireGuard at MTU 9000 on 25 GbE, because the CLI assumed 1 peer and Cilium 1.19).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCostCli } from "../../../experiments/cost-cli.ts";
import { expandSweep } from "../../../experiments/sweep.ts";
import { costMetrics, defaultQuestion, scenarioQuestion } from "../../../models/scenario/cost.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";

const noFiles = (p: string): string => {
  throw new Error(`ENOENT: ${p}`);
};

/** The runs.csv cost columns as the CLI prints them: name -> printed value. */
function printedColumns(argv: string[]): Map<string, number> {
  const out = runCostCli(argv, noFiles);
  expect(out.code).toBe(0);
  const block = out.stdout.slice(out.stdout.indexOf("runs.csv cost columns:"));
  const rows = [...block.matchAll(/^ {2}([a-z_]+) +(-?[\d.]+|∞)/gm)];
  return new Map(rows.map((m) => [m[1]!, Number(m[2])]));
}

describe("one model, one answer", () => {
  it("the CLI's defaults are the scenario schema's", () => {
    expect(defaultQuestion()).toEqual(scenarioQuestion(scenarioSchema.parse({}, "")));
    expect(defaultQuestion()).toMatchObject({ nodes: 10, peers: 9, ciliumVersion: "1.15", routingMode: "tunnel", flowsPerPeer: 1 });
  });

  it("the issue's example: WireGuard, MTU 9000, 25 GbE, bulk, in experiments/wireguard-cost.json", () => {
    const sweep = expandSweep(JSON.parse(readFileSync(new URL("../../../experiments/wireguard-cost.json", import.meta.url), "utf8")));
    const point = sweep.points.find((p) => p.values.join() === "9000,65536,wireguard,25")!;
    const fromSweep = costMetrics(point.scenario);
    // The sweep's base: nodes 10, native routing, datapath pr21856 (read as 1.15).
    const cli = printedColumns(["--encryption", "wireguard", "--mtu", "9000", "--routing", "native", "--version", "pr21856", "--packet-bytes", "65536"]);
    expect(cli.size).toBe(Object.keys(fromSweep).length);
    for (const [name, value] of Object.entries(fromSweep)) {
      expect(cli.get(name), name).toBeCloseTo(value, name === "node_encryption_cores" ? 4 : 1);
    }
    expect(fromSweep.throughput_overhead_pct).toBeCloseTo(cli.get("throughput_overhead_pct")!, 1);
  });

  it("every scenario default question gives the CLI's default answer", () => {
    const fromSweep = costMetrics(scenarioSchema.parse({}, ""));
    const cli = printedColumns([]);
    expect(cli.get("throughput_overhead_pct")).toBeCloseTo(fromSweep.throughput_overhead_pct!, 1);
    expect(cli.get("cpu_overhead_cores_per_gbps")).toBeCloseTo(fromSweep.cpu_overhead_cores_per_gbps!, 3);
  });

  it("node encryption in a scenario is node encryption in the CLI", () => {
    const sc = scenarioSchema.parse({ cilium: { encryption: { nodeEncryption: true } } }, "");
    const fromSweep = costMetrics(sc);
    expect(fromSweep.node_encryption_cores).toBeGreaterThan(0);
    expect(printedColumns(["--node-encryption"]).get("node_encryption_cores")).toBeCloseTo(fromSweep.node_encryption_cores!, 4);
  });
});
