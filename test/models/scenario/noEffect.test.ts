/** Settings that do nothing get a warning that says why (models/scenario/noEffect.ts). */
import { describe, expect, it } from "vitest";
import { scenarioSchema, scenarioWarnings } from "../../../models/scenario/index.ts";

const warnings = (raw: Record<string, unknown>) => scenarioWarnings(scenarioSchema.parse(raw, ""));

describe("settings without effect", () => {
  it("a node event, an outage or a rollout after the run's end", () => {
    const w = warnings({
      duration: 100,
      cluster: { lifecycle: { events: [{ at: 150, action: "add" }, { at: 50, action: "add" }] } },
      controlPlane: { operator: { outages: [{ start: 100, end: 120 }] }, apiServer: { outages: [{ start: 200, end: 210 }] } },
      workload: { deployments: [{ name: "d", replicas: 1, rollouts: [120] }] },
    });
    expect(w).toContain("cluster.lifecycle.events[0].at: no effect: 150 s is not before the run's end (duration 100 s)");
    expect(w.some((x) => x.startsWith("cluster.lifecycle.events[1]"))).toBe(false);
    expect(w.some((x) => x.startsWith("controlPlane.operator.outages[0].start: no effect"))).toBe(true);
    expect(w.some((x) => x.startsWith("controlPlane.apiServer.outages[0].start: no effect"))).toBe(true);
    expect(w.some((x) => x.startsWith("workload.deployments[0].rollouts[0]: no effect"))).toBe(true);
  });

  it("an operator outage while slices are off and IPAM does not depend on the operator", () => {
    const outage = { controlPlane: { operator: { outages: [{ start: 10, end: 20 }] } } };
    expect(warnings({ cluster: { cloud: "gcp" }, cilium: { ipam: { mode: "kubernetes" } }, ...outage }).join("\n"))
      .toMatch(/controlPlane\.operator\.outages: no effect: nothing the operator does is in use .*kubernetes IPAM/);
    expect(warnings({ cluster: { cloud: "gcp" }, cilium: { ipam: { mode: "kubernetes" }, enableCiliumEndpointSlice: true }, ...outage })).toEqual([]);
    // ENI IPAM (AWS's default) is the operator's work.
    expect(warnings(outage)).toEqual([]);
  });

  it("a strict CIDR that holds no pod, or only some pod ranges", () => {
    const strict = (cidr: string) => ({ cilium: { routingMode: "native", ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/16", "10.1.0.0/16"] } }, encryption: { strictMode: { enabled: true, cidr } } } });
    expect(warnings(strict("172.16.0.0/12")).join("\n")).toMatch(/strictMode\.cidr: no effect: 172\.16\.0\.0\/12 holds no pod address \(pods are in 10\.0\.0\.0\/16, 10\.1\.0\.0\/16\)/);
    expect(warnings(strict("10.0.0.0/16")).join("\n")).toMatch(/holds only some pod ranges/);
    expect(warnings(strict("10.0.0.0/8"))).toEqual([]);
  });

  it("slice write limits above the cap the version clamps them to", () => {
    const w = warnings({ cilium: { version: "1.17", ciliumEndpointSlice: { enabled: true, rateLimits: [{ nodes: 0, limit: 80, burst: 100 }] } } });
    expect(w.join("\n")).toMatch(/rateLimits\[0\]: Cilium 1\.17 clamps it to 50\/s, burst 100/);
    expect(warnings({ cilium: { version: "1.19", ciliumEndpointSlice: { enabled: true, rateLimits: [{ nodes: 0, limit: 80, burst: 100 }] } } })).toEqual([]);
  });
});
