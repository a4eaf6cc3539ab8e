/**
 * IPAM that cilium-operator manages stops with it: ENI and Azure pools are not refilled while
 * it has no leader, and nodes whose addresses it hands out (their pod CIDR, or their pool with
 * router and health) wait to join; kubernetes and delegated IPAM do not depend on it.
 */
import { describe, expect, it } from "vitest";
import { resolveAddressing } from "../../../models/addressing/cloud.ts";
import { IpamWaiting } from "../../../models/addressing/ipam.ts";
import { ClusterAddressing } from "../../../models/addressing/plan.ts";
import { simulatePropagation } from "../../../models/propagation.ts";
import { simulateRun } from "../../../models/run.ts";
import { resolveScenario } from "../../../models/scenario/resolve.ts";
import { Trace } from "../../../sim/trace.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { Streams } from "../../../sim/random.ts";

const outage = [{ start: 10, end: 20 }];

describe("the address plan while the operator has no leader", () => {
  it("Azure: a node's pool is not refilled, its pods wait until the operator is back, which then tops every pool up", () => {
    const plan = new ClusterAddressing(resolveAddressing({ cloud: "azure", ipamMode: "azure" }), new Streams(1, 0), outage);
    plan.addNode(0, true);
    // The initial pool holds 8 free addresses; the operator keeps refilling it while up.
    for (let i = 0; i < 20; i++) plan.allocatePod(0, 5);
    for (let i = 0; i < 8; i++) plan.allocatePod(0, 11);
    let waited: unknown;
    try {
      plan.allocatePod(0, 12);
    } catch (e) {
      waited = e;
    }
    expect(waited).toBeInstanceOf(IpamWaiting);
    expect((waited as IpamWaiting).at).toBe(20);
    plan.advance(20);
    expect(() => plan.allocatePod(0, 20)).not.toThrow();
  });

  it("cluster-pool and ENI/Azure nodes wait to join; kubernetes and delegated IPAM do not", () => {
    const at = (ipamMode: string, cloud: string) => new ClusterAddressing(resolveAddressing({ cloud, ipamMode }), new Streams(1, 0), outage).joinWaitsAt(15);
    expect(at("cluster-pool", "aws")).toBe(20);
    expect(at("eni", "aws")).toBe(20);
    expect(at("azure", "azure")).toBe(20);
    expect(at("kubernetes", "gcp")).toBeUndefined();
    expect(at("delegated-plugin", "azure")).toBeUndefined();
    expect(new ClusterAddressing(resolveAddressing({ cloud: "aws", ipamMode: "eni" }), new Streams(1, 0), outage).joinWaitsAt(25)).toBeUndefined();
  });
});

describe("a run with an operator outage", () => {
  const run = (ipam: string, cloud: string) => simulateRun({
    scenario: scenarioSchema.parse({
      duration: 120, cluster: { nodes: 4, cloud },
      cilium: { version: "1.15", routingMode: "native", ipam: { mode: ipam } },
      controlPlane: { operator: { outages: [{ start: 30, end: 90 }] } },
      workload: { churn: { rate: 4 } },
    }, ""),
    seed: 3, replication: 0,
  });

  it("makes pods wait for Azure addresses once the pools are used up, even with slices off", () => {
    const r = run("azure", "azure");
    expect(r.metrics.pods_waited_for_ipam).toBeGreaterThan(50);
    expect(r.metrics.pods_without_address).toBe(0);
  });

  it("changes nothing where the operator manages no addresses", () => {
    expect(run("kubernetes", "gcp").metrics.pods_waited_for_ipam).toBe(0);
  });

  it("lets a cluster-pool node that joins during it start only once the operator is back", () => {
    const sc = scenarioSchema.parse({
      duration: 120, cluster: { nodes: 4, lifecycle: { events: [{ at: 40, action: "add", count: 1 }], joinDelay: 1 } },
      cilium: { ipam: { mode: "cluster-pool" } }, controlPlane: { operator: { outages: [{ start: 30, end: 90 }] } },
    }, "");
    const p = simulatePropagation(resolveScenario(sc), new Streams(3, 0), new Trace(false));
    expect(p.nodes.map((n) => n.joined)).toEqual([0, 0, 0, 0, 90]);
  });
});
