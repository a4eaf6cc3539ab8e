import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { scenarioSchema } from "../../models/scenario/index.ts";
import { costMetrics } from "../../models/scenario/cost.ts";
import { simulateRun } from "../../models/run.ts";
import { expandSweep } from "../../experiments/sweep.ts";

const sc = (over: Record<string, unknown> = {}) => scenarioSchema.parse({ workload: { churn: { rate: 0 } }, ...over }, "base");

describe("encryption cost in the scenario", () => {
  it("adds the three cost columns to every run", () => {
    const m = simulateRun({ scenario: sc(), seed: 1, replication: 0 }).metrics;
    expect(m.throughput_overhead_pct).toBeGreaterThan(0);
    expect(m.cpu_overhead_cores_per_gbps).toBeGreaterThan(0);
    expect(m.latency_added_us).toBeGreaterThan(0);
  });

  it("costs nothing with encryption off", () => {
    const m = costMetrics(sc({ cilium: { encryption: { enabled: false } } }));
    expect(m.throughput_overhead_pct).toBe(0);
    expect(m.cpu_overhead_cores_per_gbps).toBe(0);
    expect(m.latency_added_us).toBe(0);
  });

  it("applies hardware overrides: a slower NIC caps unencrypted bulk throughput", () => {
    const bulk = { traffic: { podToPod: { packetBytes: 65536 } } };
    const fast = costMetrics(sc({ ...bulk, hardware: { profile: "ryzen-3950x-100g" } }));
    const slow = costMetrics(sc({ ...bulk, hardware: { profile: "ryzen-3950x-100g", nicGbps: 1 } }));
    expect(slow.node_gbps_unencrypted).toBeLessThan(1);
    expect(fast.node_gbps_unencrypted).toBeGreaterThan(10);
  });

  it("shrinks the pod MTU by the WireGuard budget, and by VXLAN too in tunnel mode from 1.15", () => {
    const native = sc({ cilium: { routingMode: "native" }, hardware: { underlayMtu: 9000 } });
    const tunnel = sc({ cilium: { routingMode: "tunnel" }, hardware: { underlayMtu: 9000 } });
    expect(costMetrics(native).pod_route_mtu).toBe(9000 - 80);
    expect(costMetrics(tunnel).pod_route_mtu).toBe(9000 - 80 - 50);
  });

  it("rejects an unknown profile naming the field and the valid names", () => {
    expect(() => sc({ hardware: { profile: "cray" } })).toThrow(/hardware\.profile: unknown hardware profile "cray"; valid names: .*ryzen-3950x-100g/);
    expect(() => sc({ hardware: { nicgbps: 10 } })).toThrow("did you mean `nicGbps`?");
  });

  it("sweeps MTU x message size x encryption x NIC speed in experiments/wireguard-cost.json", () => {
    const sweep = expandSweep(JSON.parse(readFileSync(new URL("../../experiments/wireguard-cost.json", import.meta.url), "utf8")));
    expect(sweep.axes.map((a) => a.path)).toEqual(["hardware.underlayMtu", "traffic.podToPod.packetBytes", "cilium.encryption.type", "hardware.nicGbps"]);
    expect(sweep.points).toHaveLength(48);
    const ipsec = costMetrics(sweep.points.find((p) => p.values.join() === "1500,1400,ipsec,25")!.scenario);
    const wg = costMetrics(sweep.points.find((p) => p.values.join() === "1500,1400,wireguard,25")!.scenario);
    // With AES-NI, IPsec spends less CPU per Gbit/s than WireGuard (Cilium CNI benchmark).
    expect(ipsec.cpu_overhead_cores_per_gbps).toBeLessThan(wg.cpu_overhead_cores_per_gbps);
  });
});
