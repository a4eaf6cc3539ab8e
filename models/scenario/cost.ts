/**
 * The cost figures of one scenario: its encryption, routing, version and hardware, for the
 * traffic mix its pod-to-pod flows carry. Analytic, so the same for every replication.
 */
import type { Scenario } from "./index.ts";
import { encryptionCost, type CostResult } from "../cost/index.ts";
import type { HardwareProfile } from "../cost/hardware.ts";

/** Cilium version as the cost model reads it: PR 21856 shipped with 1.15. */
function costVersion(v: Scenario["cilium"]["version"]): string {
  return v === "pr21856" ? "1.15" : v;
}

/** The scenario's hardware profile with its overrides applied. */
export function scenarioHardware(sc: Scenario): HardwareProfile {
  const h = sc.hardware;
  return {
    ...h.profile,
    ...(h.nicGbps !== undefined ? { nicGbps: h.nicGbps } : {}),
    ...(h.cores !== undefined ? { cores: h.cores } : {}),
    ...(h.underlayMtu !== undefined ? { underlayMtu: h.underlayMtu } : {}),
  };
}

export function scenarioCost(sc: Scenario): CostResult {
  const hardware = scenarioHardware(sc);
  const enc = sc.cilium.encryption;
  const flow = sc.traffic.podToPod;
  return encryptionCost({
    encryption: enc.enabled ? enc.type : "none",
    routingMode: sc.cilium.routingMode,
    ciliumVersion: costVersion(sc.cilium.version),
    ipFamily: "ipv4",
    underlayMtu: hardware.underlayMtu,
    hardware,
    packetBytes: flow.packetBytes,
    peers: sc.cluster.nodes - 1,
  });
}

/** The cost columns of runs.csv. */
export function costMetrics(sc: Scenario): Record<string, number> {
  const c = scenarioCost(sc);
  return {
    throughput_overhead_pct: c.throughput_overhead_pct,
    cpu_overhead_cores_per_gbps: c.cpu_overhead_cores_per_gbps,
    latency_added_us: c.latency_added_us,
    pod_route_mtu: c.mtu.encrypted.podRouteMtu,
    tcp_mss: c.mtu.encrypted.tcpMss,
    node_gbps_unencrypted: c.node.unencrypted.gbps,
    node_gbps_encrypted: c.node.encrypted.gbps,
  };
}
