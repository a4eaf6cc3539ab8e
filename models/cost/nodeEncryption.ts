// What `encryption.nodeEncryption` adds: host-originated traffic between nodes goes through
// the WireGuard tunnel too (pod -> remote node IP, cilium-health probes to node and health
// IPs). Nodes labelled node-role.kubernetes.io/control-plane opt out by default (Cilium
// `node-encryption-opt-out-labels`, encryption-wireguard.rst): their node traffic, including
// the API server's, stays in plaintext while their pod traffic is still encrypted.

import { cyclesPerByte } from "./cpu.ts";
import type { Datapath } from "./datapath.ts";
import { type MessageShape, normaliseMix, shapeMessage } from "./traffic.ts";

/** Host traffic rates of one node towards one other node, from the scenario's traffic section. */
export interface HostTraffic {
  /** Pod -> remote node IP (NodePort, hostNetwork): messages per second per node pair. */
  podToNode: { rate: number; packetBytes: number };
  /** cilium-health: an ICMP echo and an HTTP request to each node IP and health IP per round. */
  healthProbes: { interval: number; packetBytes: number };
}

export interface HostEncryption {
  /** Nodes whose host traffic is encrypted both ways (workers: nodes − control-plane nodes). */
  encryptingNodes: number;
  /** Host messages per second a node sends through the tunnel (and receives, symmetrically). */
  messagesPerSecond: number;
  /** Extra CPUs per node, sender + receiver work, for that traffic. */
  cores: number;
  /** Share of one node pair's serial stage the host traffic occupies (0–1). */
  serialShare: number;
}

const NONE: HostEncryption = { encryptingNodes: 0, messagesPerSecond: 0, cores: 0, serialShare: 0 };

interface Stream {
  ratePerPair: number;
  shape: MessageShape;
}

function streams(traffic: HostTraffic, mss: number, tcpHeader: number): Stream[] {
  const shape = (bytes: number) => shapeMessage(normaliseMix(bytes)[0]!, mss, tcpHeader);
  const probe = traffic.healthProbes;
  // Per round, per target pair: ICMP + HTTP to the node IP and to the health IP.
  const probeRate = probe.interval > 0 ? 4 / probe.interval : 0;
  return [
    { ratePerPair: traffic.podToNode.rate, shape: shape(traffic.podToNode.packetBytes) },
    { ratePerPair: probeRate, shape: shape(probe.packetBytes) },
  ].filter((s) => s.ratePerPair > 0);
}

/**
 * Host traffic through the tunnel of one worker node. `enc` and `plain` are the node-to-node
 * datapaths (host traffic is not VXLAN-encapsulated, so native routing) with and without
 * WireGuard; a worker exchanges host traffic with the other `workers − 1` workers.
 */
export function hostEncryption(
  enc: Datapath, plain: Datapath, traffic: HostTraffic, nodes: number, controlPlaneNodes: number,
): HostEncryption {
  const workers = Math.max(0, nodes - controlPlaneNodes);
  if (enc.encryption !== "wireguard" || workers < 2) return { ...NONE, encryptingNodes: workers };
  const hz = enc.hardware.clockGhz * 1e9;
  let messages = 0;
  let cores = 0;
  let serialShare = 0;
  for (const s of streams(traffic, enc.plan.tcpMss, enc.tcpHeader)) {
    const perSide = (dp: Datapath) => {
      const c = cyclesPerByte(dp, [{ ...s.shape, share: 1 }]);
      return (c.tx + c.rx) * s.shape.bytes;
    };
    const rate = s.ratePerPair * (workers - 1);
    messages += rate;
    cores += (rate * (perSide(enc) - perSide(plain))) / hz;
    const serial = s.shape.packets.reduce((sum, g) => sum + g.count * enc.serialCycles(g.payloadBytes), 0);
    serialShare += (s.ratePerPair * serial) / hz;
  }
  return { encryptingNodes: workers, messagesPerSecond: messages, cores, serialShare: Math.min(1, serialShare) };
}
