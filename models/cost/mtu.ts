// MTU plan: what Cilium configures for a given encryption, routing mode,
// version and IP family, and what actually goes on the wire for a packet.

import {
  type IpFamily,
  ESP_DEFAULT_ICV_BYTES,
  espOuterBytes,
  fragmentOnLink,
  tunnelOverheadBytes,
  wireguardOuterBytes,
} from "./overhead.ts";
import {
  ciliumIpsecOverhead,
  ciliumWireguardOverhead,
  parseCiliumVersion,
  supportsWireguard,
  tunnelStacksUnderWireguard,
} from "./version.ts";

export type Encryption = "none" | "wireguard" | "ipsec";
export type RoutingMode = "tunnel" | "native";
/** Cilium's `tunnelProtocol`; both reserve the same 50/70 B (pkg/mtu TunnelOverhead). */
export type TunnelProtocol = "vxlan" | "geneve";

export interface EncapsulationConfig {
  encryption: Encryption;
  routingMode: RoutingMode;
  /** Tunnel encapsulation in tunnel mode; Cilium's default is VXLAN. */
  tunnelProtocol?: TunnelProtocol;
  ciliumVersion: string;
  /** Family of node (underlay) addresses, i.e. of every outer header. */
  ipFamily: IpFamily;
  /** Family of pod addresses; defaults to `ipFamily` (single-stack cluster). */
  innerIpFamily?: IpFamily;
  underlayMtu: number;
  /** Cilium 1.14 `--wireguard-encapsulate`; ignored by other versions. */
  wireguardEncapsulate?: boolean;
  /** IPsec ICV length; Cilium's documented default key spec uses 16 B. */
  ipsecIcvBytes?: number;
  /**
   * Forces the pod route MTU, to model a mis-sized route (for example the
   * 1.15 development state before PR #30329, when VXLAN+WireGuard routes
   * still used DeviceMTU − 80).
   */
  routeMtuOverride?: number;
}

export interface MtuPlan {
  /** MTU of the native (underlay) device. */
  deviceMtu: number;
  /** cilium_wg0 MTU = DeviceMTU − WireguardOverhead; null without WireGuard. */
  wireguardDeviceMtu: number | null;
  /** MTU on pod routes to remote nodes: the size pod traffic is built to. */
  podRouteMtu: number;
  /** TCP MSS of pod traffic: route MTU − inner IP − TCP − 12 B timestamps. */
  tcpMss: number;
  /** Bytes Cilium subtracts from the device MTU for pod routes. */
  budgetBytes: number;
  /** True when VXLAN/Geneve sits inside the encryption (or alone without it). */
  tunnelOnPath: boolean;
  /** Outer IP packet for a full-size pod packet, worst-case padding included. */
  fullSizeOuterBytes: number;
  /** IP packets on the wire per full-size pod packet (>1 means fragmentation). */
  fullSizeFragments: number;
  /** TCP payload ÷ L1 bytes on the wire, for full-size packets. */
  wireEfficiency: number;
}

/** Inner IP + TCP header with the timestamp option Linux enables by default. */
export function tcpHeaderBytes(family: IpFamily): number {
  return (family === "ipv4" ? 20 : 40) + 20 + 12;
}

/** IPv6 never allows a link MTU below 1280; Cilium clamps to it (PR #45425). */
const IPV6_MIN_MTU = 1280;

function tunnelOnPath(cfg: EncapsulationConfig): boolean {
  if (cfg.routingMode !== "tunnel") return false;
  if (cfg.encryption !== "wireguard") return true;
  const version = parseCiliumVersion(cfg.ciliumVersion);
  return tunnelStacksUnderWireguard(version, cfg.wireguardEncapsulate ?? false);
}

function encryptionBudget(cfg: EncapsulationConfig): number {
  if (cfg.encryption === "wireguard") return ciliumWireguardOverhead(parseCiliumVersion(cfg.ciliumVersion));
  if (cfg.encryption === "ipsec") return ciliumIpsecOverhead(cfg.ipsecIcvBytes ?? ESP_DEFAULT_ICV_BYTES);
  return 0;
}

/** Route MTU as Cilium computes it (pkg/mtu getRouteMTU), unless overridden. */
function routeMtu(cfg: EncapsulationConfig, budget: number): number {
  if (cfg.routeMtuOverride !== undefined) return cfg.routeMtuOverride;
  const mtu = cfg.underlayMtu - budget;
  const inner = cfg.innerIpFamily ?? cfg.ipFamily;
  return inner === "ipv6" ? Math.max(IPV6_MIN_MTU, mtu) : mtu;
}

/**
 * Outer IP packet for one pod packet of `innerBytes` (IP layer). WireGuard
 * pads up to the skb's MTU, which for Cilium's redirected packets is the
 * native device's MTU (issue #23917), so padding may exceed cilium_wg0's MTU.
 */
export function outerPacketBytes(cfg: EncapsulationConfig, innerBytes: number): number {
  const tunnel = tunnelOnPath(cfg) ? tunnelOverheadBytes(cfg.ipFamily) : 0;
  const plain = innerBytes + tunnel;
  if (cfg.encryption === "wireguard") return wireguardOuterBytes(plain, cfg.ipFamily, cfg.underlayMtu);
  if (cfg.encryption === "ipsec") {
    return espOuterBytes(innerBytes, cfg.ipFamily, cfg.ipsecIcvBytes ?? ESP_DEFAULT_ICV_BYTES) + tunnel;
  }
  return plain;
}

function checkConfig(cfg: EncapsulationConfig): void {
  const family = cfg.innerIpFamily ?? cfg.ipFamily;
  if (!Number.isInteger(cfg.underlayMtu) || cfg.underlayMtu < 576 || cfg.underlayMtu > 65535) {
    throw new Error(`underlayMtu must be an integer from 576 to 65535, got ${cfg.underlayMtu}`);
  }
  if (cfg.ipFamily === "ipv6" && cfg.underlayMtu < IPV6_MIN_MTU) {
    throw new Error(`underlayMtu must be at least 1280 for ipv6, got ${cfg.underlayMtu}`);
  }
  if (cfg.encryption === "wireguard" && !supportsWireguard(parseCiliumVersion(cfg.ciliumVersion))) {
    throw new Error(`ciliumVersion ${cfg.ciliumVersion} has no WireGuard support (needs 1.10 or later)`);
  }
  const override = cfg.routeMtuOverride;
  if (override !== undefined && (!Number.isInteger(override) || override <= tcpHeaderBytes(family))) {
    throw new Error(`routeMtuOverride must be an integer above the TCP/IP headers, got ${override}`);
  }
}

/** The full MTU plan for one configuration. Throws on impossible input. */
export function mtuPlan(cfg: EncapsulationConfig): MtuPlan {
  checkConfig(cfg);
  const tunnel = tunnelOnPath(cfg) ? tunnelOverheadBytes(cfg.ipFamily) : 0;
  const budget = encryptionBudget(cfg) + tunnel;
  const podRouteMtu = routeMtu(cfg, budget);
  const tcpMss = podRouteMtu - tcpHeaderBytes(cfg.innerIpFamily ?? cfg.ipFamily);
  if (tcpMss <= 0) throw new Error(`underlayMtu ${cfg.underlayMtu} leaves no room for TCP payload`);
  const outer = outerPacketBytes(cfg, podRouteMtu);
  const wire = fragmentOnLink(outer, cfg.underlayMtu, cfg.ipFamily);
  return {
    deviceMtu: cfg.underlayMtu,
    wireguardDeviceMtu: cfg.encryption === "wireguard" ? cfg.underlayMtu - encryptionBudget(cfg) : null,
    podRouteMtu,
    tcpMss,
    budgetBytes: budget,
    tunnelOnPath: tunnel > 0,
    fullSizeOuterBytes: outer,
    fullSizeFragments: wire.fragments,
    wireEfficiency: tcpMss / wire.l1Bytes,
  };
}
