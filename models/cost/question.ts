// One question to the cost model, answered the same way for `npm run cost` and for every run
// of a sweep: the CLI and models/scenario/cost.ts both build a CostQuestion (with the same
// defaults, taken from the scenario schema) and call costOf. It adds to encryptionCost what a
// cluster brings: peers = nodes − 1, node encryption of host traffic, and the runs.csv columns.

import { datapath } from "./datapath.ts";
import type { HardwareProfile } from "./hardware.ts";
import { type CostInput, type CostResult, encryptionCost } from "./index.ts";
import { type Encryption, mtuPlan, type RoutingMode, type TunnelProtocol } from "./mtu.ts";
import { type HostEncryption, hostEncryption, type HostTraffic } from "./nodeEncryption.ts";
import type { IpFamily } from "./overhead.ts";
import type { TrafficMix } from "./traffic.ts";

export interface CostQuestion {
  encryption: Encryption;
  routingMode: RoutingMode;
  tunnelProtocol: TunnelProtocol;
  /** "1.15", "1.19.5"; the datapath variant "pr21856" reads as 1.15, where it shipped. */
  ciliumVersion: string;
  ipFamily: IpFamily;
  underlayMtu: number;
  hardware: HardwareProfile;
  /** Pod-to-pod message size, or a weighted mix. */
  packetBytes: TrafficMix;
  nodes: number;
  /** Node pairs a node exchanges pod traffic with; a sweep uses nodes − 1. */
  peers: number;
  flowsPerPeer: number;
  nodeEncryption: boolean;
  /** Nodes that opt out of node encryption (node-role.kubernetes.io/control-plane). */
  controlPlaneNodes: number;
  hostTraffic: HostTraffic;
}

export interface CostAnswer {
  input: CostInput;
  result: CostResult;
  host: HostEncryption;
  /** The cost columns of runs.csv. */
  columns: Record<string, number>;
}

/** The Cilium version the cost model reads for a datapath variant. */
export function costVersion(v: string): string {
  return v === "pr21856" ? "1.15" : v;
}

function checkQuestion(q: CostQuestion): void {
  if (!Number.isInteger(q.nodes) || q.nodes < 2) throw new Error(`nodes must be an integer of at least 2, got ${q.nodes}`);
  if (!Number.isInteger(q.controlPlaneNodes) || q.controlPlaneNodes < 0 || q.controlPlaneNodes >= q.nodes) {
    throw new Error(`controlPlaneNodes must be an integer from 0 to nodes − 1 (${q.nodes - 1}), got ${q.controlPlaneNodes}`);
  }
}

/**
 * Host traffic under node encryption: node-to-node datapaths (no VXLAN) with and without
 * WireGuard. Cilium supports node encryption with WireGuard only (PR #25770).
 */
function hostCost(q: CostQuestion, input: CostInput): HostEncryption {
  if (!q.nodeEncryption || q.encryption !== "wireguard") return { encryptingNodes: 0, messagesPerSecond: 0, cores: 0, serialShare: 0 };
  const cfg = { ...input, routingMode: "native" as const, routeMtuOverride: undefined };
  const enc = datapath(cfg, q.hardware, mtuPlan(cfg));
  const plainCfg = { ...cfg, encryption: "none" as const };
  const plain = datapath(plainCfg, q.hardware, mtuPlan(plainCfg));
  return hostEncryption(enc, plain, q.hostTraffic, q.nodes, q.controlPlaneNodes);
}

/** The answer to one question: the model's figures and the runs.csv columns. */
export function costOf(q: CostQuestion): CostAnswer {
  checkQuestion(q);
  const input: CostInput = {
    encryption: q.encryption,
    routingMode: q.routingMode,
    tunnelProtocol: q.tunnelProtocol,
    ciliumVersion: costVersion(q.ciliumVersion),
    ipFamily: q.ipFamily,
    underlayMtu: q.underlayMtu,
    hardware: q.hardware,
    packetBytes: q.packetBytes,
    peers: q.peers,
    flowsPerPeer: q.flowsPerPeer,
  };
  const result = encryptionCost(input);
  const host = hostCost(q, input);
  // Host packets share each pair's serial stage with pod traffic.
  const encryptedGbps = result.node.encrypted.gbps * (1 - host.serialShare);
  const plainGbps = result.node.unencrypted.gbps;
  const extra = (side: "tx" | "rx") => result.cpusPerGbps.encrypted[side] - result.cpusPerGbps.unencrypted[side];
  // The first seven columns keep their names and order from the first version.
  const columns = {
    throughput_overhead_pct: q.encryption === "none" ? 0 : 100 * (1 - encryptedGbps / plainGbps),
    cpu_overhead_cores_per_gbps: result.cpu_overhead_cores_per_gbps,
    latency_added_us: result.latency_added_us,
    pod_route_mtu: result.mtu.encrypted.podRouteMtu,
    tcp_mss: result.mtu.encrypted.tcpMss,
    node_gbps_unencrypted: plainGbps,
    node_gbps_encrypted: encryptedGbps,
    cpu_overhead_sender_cores_per_gbps: extra("tx"),
    cpu_overhead_receiver_cores_per_gbps: extra("rx"),
    node_encryption_cores: host.cores,
  };
  return { input, result, host, columns };
}
