/**
 * Egress strict mode's filter, `strict_allow` (bpf/lib/wireguard.h from cilium/cilium#21856 to
 * 1.18, bpf/lib/encrypt.h in 1.19), and 1.19's ingress check. A plaintext IPv4 packet leaving
 * the node is dropped when source and destination are both inside the strict CIDR, unless its
 * source is the node's own IPV4_GATEWAY or IPV4_ENCRYPT_IFACE address, or (with the lookup
 * compiled in: tunnel mode or STRICT_IPV4_OVERLAPPING_CIDR) the ipcache says the destination is
 * a node. The filter fails open: anything that is not IPv4 passes.
 */
import type { IPCacheEntry, IPCacheView } from "./entries.ts";
import { identityIsNode, identityIsRemoteNode } from "../identity.ts";
import { contains, maskOf, type Cidr } from "../addressing/ipv4.ts";
import { egressStrictCompiled, VERSION_TRAITS, type DatapathConfig } from "./config.ts";

/** What the agent compiles into one node's filter (the defines of WriteNodeConfig). */
export interface StrictFilter {
  /** STRICT_IPV4_NET / STRICT_IPV4_NET_SIZE, the address kept as written. */
  cidr: Cidr;
  /** IPV4_GATEWAY: the node's cilium_host address. */
  gatewayIp: number;
  /** IPV4_ENCRYPT_IFACE: the node's IPv4 (node.GetIPv4()). */
  encryptIfaceIp: number;
  /** TUNNEL_MODE || STRICT_IPV4_OVERLAPPING_CIDR: exempt destinations the ipcache calls nodes. */
  nodeLookup: boolean;
  /** identity_is_node up to 1.18; identity_is_remote_node from 1.19 (#42419). */
  nodeIdentityTest: "identity_is_node" | "identity_is_remote_node";
}

export type L3Family = "ipv4" | "ipv6" | "other";

export interface StrictPacket {
  src: number;
  dst: number;
  /** Default ipv4. IPv6, ARP and unparsable frames pass (the filter's fail-open branches). */
  family?: L3Family;
}

export type StrictOutcome = "pass:not-ipv4" | "pass:source-exempt" | "pass:node-destination" | "pass:outside-cidr" | "drop";

/**
 * ipv4_is_in_subnet as the datapath computes it: (addr & mask) == net, with net taken as
 * written. A CIDR with host bits set therefore never matches (the filter silently does nothing).
 */
export function inStrictSubnet(ip: number, cidr: Cidr): boolean {
  return ((ip & maskOf(cidr.bits)) >>> 0) === cidr.base;
}

/** The filter a node with this configuration compiles in; null when strict_allow is not compiled. */
export function strictFilterFor(cfg: DatapathConfig, node: { ip: number; gatewayIp: number }): StrictFilter | null {
  const cidr = cfg.strictMode.cidr;
  if (!egressStrictCompiled(cfg) || cidr === undefined) return null;
  // STRICT_IPV4_OVERLAPPING_CIDR depends on the local node IP only (WriteNodeConfig, Go's
  // netip.Prefix.Contains, which ignores host bits).
  const overlapping = cfg.strictMode.allowRemoteNodeIdentities && contains(cidr, node.ip);
  return {
    cidr,
    gatewayIp: node.gatewayIp,
    encryptIfaceIp: node.ip,
    nodeLookup: cfg.routingMode === "tunnel" || overlapping,
    nodeIdentityTest: VERSION_TRAITS[cfg.version].nodeIdentityTest,
  };
}

/** strict_allow, step by step, with the branch that decided. */
export function strictOutcome(pkt: StrictPacket, f: StrictFilter, ipcache: IPCacheView): StrictOutcome {
  if ((pkt.family ?? "ipv4") !== "ipv4") return "pass:not-ipv4";
  if (pkt.src === f.gatewayIp || pkt.src === f.encryptIfaceIp) return "pass:source-exempt";
  const inStrictCidr = inStrictSubnet(pkt.dst, f.cidr) && inStrictSubnet(pkt.src, f.cidr);
  if (f.nodeLookup && isNodeEntry(ipcache.lookup(pkt.dst), f.nodeIdentityTest)) return "pass:node-destination";
  return inStrictCidr ? "drop" : "pass:outside-cidr";
}

/** True when the packet may leave in plaintext. */
export function strictAllowV4(pkt: StrictPacket, f: StrictFilter, ipcache: IPCacheView): boolean {
  return strictOutcome(pkt, f, ipcache) !== "drop";
}

function isNodeEntry(e: IPCacheEntry | undefined, test: StrictFilter["nodeIdentityTest"]): boolean {
  // pr21856/1.15 also test sec_identity != 0; identity 0 is never a node, so it changes nothing.
  if (e === undefined || e.identity === 0) return false;
  return test === "identity_is_node" ? identityIsNode(e.identity) : identityIsRemoteNode(e.identity);
}

/**
 * 1.19 ingress strict mode (bpf_overlay cil_from_overlay, #39239): an overlay packet without
 * MARK_MAGIC_DECRYPT, i.e. one that did not arrive through cilium_wg0, is dropped.
 */
export function strictIngressDrop(arrival: { viaOverlay: boolean; decrypted: boolean }, active: boolean): boolean {
  return active && arrival.viaOverlay && !arrival.decrypted;
}
