/**
 * How each version paces CiliumEndpointSlice writes (controlplane/cesWriteLimit.ts,
 * operator.ts) and which limits a scenario gets by default (scenario/versionDefaults.ts).
 */
import { describe, expect, it } from "vitest";
import { CesController } from "../../../models/controlplane/operator.ts";
import { ApiServer } from "../../../models/controlplane/apiserver.ts";
import { CesWriteLimit, rateLimitFor, type CesWriteLimitConfig } from "../../../models/controlplane/cesWriteLimit.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { resolveScenario } from "../../../models/scenario/resolve.ts";
import { parseDistribution } from "../../../sim/distributions.ts";
import { RandomStream } from "../../../sim/random.ts";
import { Simulator } from "../../../sim/simulator.ts";

const FAST_CLIENT = { qps: 1e6, burst: 1e6 };

/** 100 changes per second to one slice for 60 s; the slice's writes per second in the last 50 s. */
function hotSlice(writeLimit: CesWriteLimitConfig, queueing: "merge" | "shift"): number {
  const sim = new Simulator();
  const api = new ApiServer({ writeLatency: parseDistribution(0.02, "w"), outages: [], watchDelayPerWritePerSecond: 0 }, new RandomStream("api"));
  const times: number[] = [];
  const ctl = new CesController(sim, api, { sliceMode: "identity", syncDelay: parseDistribution(0.5, "d"), writeLimit, initialNodes: 10, queueing, leaderless: [] },
    new RandomStream("op"), () => times.push(sim.now));
  for (let i = 0; i < 6000; i++) sim.at(i / 100, () => ctl.cepChanged({ id: i % 50, identity: 300, namespace: 0 }, "upsert"));
  sim.run(60);
  return times.filter((t) => t >= 10).length / 50;
}

describe("slice write pacing by version", () => {
  const bucket10: CesWriteLimitConfig = { table: [{ nodes: 0, limit: 10, burst: 20 }], followsNodes: false, client: FAST_CLIENT };

  it("1.17's AfterFunc writes a hot slice as fast as the bucket allows; 1.14-1.16's AddAfter merges each 500 ms (PR #23615: 10/s before, about 2/s after)", () => {
    expect(hotSlice(bucket10, "shift")).toBeCloseTo(10, 0);
    expect(hotSlice(bucket10, "merge")).toBeGreaterThan(1.8);
    expect(hotSlice(bucket10, "merge")).toBeLessThan(2.1);
  });

  it("before 1.15 only the operator's client (5 QPS, burst 10) paces first writes", () => {
    const limit = new CesWriteLimit({ followsNodes: false, client: { qps: 5, burst: 10 } }, 10);
    expect(limit.limit).toBeUndefined();
    let t = 0;
    for (let i = 0; i < 30; i++) {
      t = limit.nextAvailable(t);
      limit.take(t);
    }
    expect(t).toBeCloseTo(4, 9);
  });

  it("passes both the CES bucket and the operator's client: 1.15-1.16's shared 10/20 client caps a 50/s bucket", () => {
    const limit = new CesWriteLimit({ table: [{ nodes: 0, limit: 50, burst: 100 }], followsNodes: false, client: { qps: 10, burst: 20 } }, 10);
    let t = 0;
    for (let i = 0; i < 120; i++) {
      t = limit.nextAvailable(t);
      limit.take(t);
    }
    expect(t).toBeCloseTo(10, 6);
  });

  it("chooses the table's entry again when the CiliumNode count changes (1.16 on), clamped to Cilium's 50/100 cap", () => {
    const table = [{ nodes: 0, limit: 10, burst: 20 }, { nodes: 100, limit: 80, burst: 300 }];
    const limit = new CesWriteLimit({ table, followsNodes: true, cap: { limit: 50, burst: 100 }, client: FAST_CLIENT }, 99);
    expect(limit.limit).toEqual({ limit: 10, burst: 20 });
    limit.nodesChanged(100, 5);
    expect(limit.limit).toEqual({ limit: 50, burst: 100 });
    expect(rateLimitFor(table, 100)).toEqual({ limit: 80, burst: 300 });
    const fixed = new CesWriteLimit({ table, followsNodes: false, client: FAST_CLIENT }, 99);
    fixed.nodesChanged(150, 5);
    expect(fixed.limit).toEqual({ limit: 10, burst: 20 });
  });
});

describe("each version's slice limits by default", () => {
  const operator = (cilium: Record<string, unknown>, nodes: number) => resolveScenario(scenarioSchema.parse({
    cluster: { nodes, nodeSubnet: "192.168.0.0/16" }, cilium,
  }, "")).controlPlane.operator!;

  it("1.14 and pr21856: no bucket, the shared 5/10 client, merged changes", () => {
    for (const version of ["1.14", "pr21856"]) {
      const op = operator({ version, enableCiliumEndpointSlice: true }, 10);
      expect(op.writeLimit.table).toBeUndefined();
      expect(op.writeLimit.client).toEqual({ qps: 5, burst: 10 });
      expect(op.queueing).toBe("merge");
    }
  });

  it("1.15: the fixed 10/20 flags; 1.16: 10/20, 7/15 from 100 nodes, 5/10 from 500; 1.17 on: 50/100 from 100 nodes", () => {
    const at = (cilium: Record<string, unknown>, nodes: number) => rateLimitFor(operator(cilium, nodes).writeLimit.table!, nodes);
    expect(at({ version: "1.15", enableCiliumEndpointSlice: true }, 600)).toEqual({ limit: 10, burst: 20 });
    expect(at({ version: "1.16", ciliumEndpointSlice: { enabled: true } }, 150)).toEqual({ limit: 7, burst: 15 });
    expect(at({ version: "1.16", ciliumEndpointSlice: { enabled: true } }, 600)).toEqual({ limit: 5, burst: 10 });
    for (const version of ["1.17", "1.18", "1.19"]) expect(at({ version, ciliumEndpointSlice: { enabled: true } }, 150)).toEqual({ limit: 50, burst: 100 });
    expect(operator({ version: "1.16", ciliumEndpointSlice: { enabled: true } }, 10).queueing).toBe("merge");
    expect(operator({ version: "1.17", ciliumEndpointSlice: { enabled: true } }, 10).queueing).toBe("shift");
  });

  it("the operator's client: the agent's up to 1.16, its own 100/200 from 1.17", () => {
    expect(operator({ version: "1.15", enableCiliumEndpointSlice: true, k8sClientRateLimit: { qps: 30, burst: 60 } }, 10).writeLimit.client).toEqual({ qps: 30, burst: 60 });
    expect(operator({ version: "1.17", ciliumEndpointSlice: { enabled: true } }, 10).writeLimit.client).toEqual({ qps: 100, burst: 200 });
    expect(operator({ version: "1.17", ciliumEndpointSlice: { enabled: true }, k8sClientRateLimit: { operator: { qps: 40 } } }, 10).writeLimit.client).toEqual({ qps: 40, burst: 200 });
  });
});
