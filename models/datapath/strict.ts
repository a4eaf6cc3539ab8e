/**
 * Egress strict mode's filter, `strict_allow`, as merged in cilium/cilium#21856 and shown in the
 * seeds: a plaintext IPv4 packet leaving the node is dropped when source and destination are
 * both inside the strict CIDR, unless it comes from the node's own gateway address or (in
 * tunnel mode, or with overlapping node/pod CIDRs and the node exemption) the IPCache says the
 * destination is a node.
 */
import type { IPCacheEntry } from "../ipcache.ts";
import { identityIsNode } from "../identity.ts";
import { maskOf, parseCidr, type Cidr } from "../addressing/ipv4.ts";
import type { Scenario } from "../scenario.ts";

export interface StrictModeConfig {
  enabled: boolean;
  cidr: Cidr;
  /** TUNNEL_MODE is compiled in. */
  tunnel: boolean;
  /** STRICT_IPV4_OVERLAPPING_CIDR: a node IP lies in the CIDR and allowRemoteNodeIdentities is set. */
  overlappingCidr: boolean;
}

export interface PacketAddresses {
  src: number;
  dst: number;
}

/**
 * ipv4_is_in_subnet as the datapath computes it: (addr & mask) == net, with net taken as
 * written. A CIDR with host bits set therefore never matches (the filter silently does nothing).
 */
export function inStrictSubnet(ip: number, cidr: Cidr): boolean {
  return ((ip & maskOf(cidr.bits)) >>> 0) === cidr.base;
}

/**
 * True when the packet may leave in plaintext. `gatewayIp` is the sending node's cilium_host
 * address (IPV4_GATEWAY); `lookup` is the sending node's IPCache.
 */
export function strictAllow(
  pkt: PacketAddresses,
  cfg: StrictModeConfig,
  gatewayIp: number,
  lookup: (ip: number) => IPCacheEntry | undefined,
): boolean {
  // Sent from the node itself: encapsulated traffic to a remote pod, or to a remote node.
  if (pkt.src === gatewayIp) return true;
  const inStrictCidr = inStrictSubnet(pkt.dst, cfg.cidr) && inStrictSubnet(pkt.src, cfg.cidr);
  if (cfg.tunnel || cfg.overlappingCidr) {
    const dst = lookup(pkt.dst);
    if (dst !== undefined && dst.identity !== 0 && identityIsNode(dst.identity)) return true;
  }
  return !inStrictCidr;
}

/** The filter as the agent on a node with IP `nodeIp` configures it from the scenario. */
export function strictModeFor(sc: Scenario, nodeIp: number): StrictModeConfig {
  const strict = sc.cilium.encryption.strictMode;
  const tunnel = sc.cilium.routingMode === "tunnel";
  if (!strict.enabled) return { enabled: false, cidr: { base: 0, bits: 32, text: "" }, tunnel, overlappingCidr: false };
  const cidr = parseCidr(strict.cidr, "cilium.encryption.strictMode.cidr");
  // The agent compiles STRICT_IPV4_OVERLAPPING_CIDR in when its own IP lies in the CIDR and the
  // node exemption is on (pkg/datapath/linux/config WriteNodeConfig).
  const overlappingCidr = strict.allowRemoteNodeIdentities && inStrictSubnet(nodeIp, cidr);
  return { enabled: true, cidr, tunnel, overlappingCidr };
}
