/**
 * The verdicts a packet class can end in, and the first model's entry point `egressVerdict`,
 * which now delegates to decide.ts. Definitions (docs/datapath.md):
 * - encrypted: left the node through WireGuard or IPsec towards the node that hosts the destination.
 * - plaintext_allowed: left in plaintext by design: not pod-to-pod, or encryption is off.
 * - leaked: pod-to-pod traffic that crossed the wire in plaintext.
 * - strict_dropped: pod-to-pod traffic dropped by strict mode, the intended drop.
 * - false_dropped: legitimate non-pod-to-pod traffic dropped by strict mode (pod -> node,
 *   pod -> health, a node not yet known, a host source other than the exempt addresses).
 * - wg_dropped: the destination has a key, but the WireGuard peer or AllowedIP is missing (-ENOKEY).
 * - misdelivered: a stale ipcache entry sent it to a node that no longer hosts the destination.
 * - host_plaintext: host-originated traffic left in plaintext although encryption is on.
 */
import type { IPCacheEntry } from "./ipcache.ts";
import { decide } from "./decide.ts";
import { filterFromLegacy, type StrictModeConfig } from "./strict.ts";
import type { DatapathConfig } from "./config.ts";

export const VERDICTS = [
  "encrypted", "plaintext_allowed", "leaked", "strict_dropped", "false_dropped",
  "wg_dropped", "misdelivered", "host_plaintext",
] as const;
export type Verdict = (typeof VERDICTS)[number];

export type EndpointKind = "pod" | "host" | "node" | "health" | "external";

export interface Packet {
  src: number;
  dst: number;
  srcKind: EndpointKind;
  /** What the destination really is, whatever the IPCache believes. */
  dstKind: EndpointKind;
}

export interface NodeDatapath {
  encryption: boolean;
  strict: StrictModeConfig;
  gatewayIp: number;
  lookup(ip: number): IPCacheEntry | undefined;
}

/** A tunnel-map hit for pod destinations: the first model's nodes are static and all known. */
const STATIC_ROUTE: IPCacheEntry = { identity: 0, hostIp: 1, key: 0 };

/**
 * The first model's question, answered by decide() as Cilium pr21856 with WireGuard: every
 * node is a WireGuard peer and every pod destination has a tunnel route, because the first
 * model's nodes are static and all known. Node encryption is off.
 */
export function egressVerdict(pkt: Packet, node: NodeDatapath): Verdict {
  const cfg: DatapathConfig = {
    version: "pr21856",
    routingMode: node.strict.tunnel ? "tunnel" : "native",
    encryption: node.encryption ? "wireguard" : "disabled",
    nodeEncryption: false,
    strictMode: { enabled: node.strict.enabled, cidr: node.strict.cidr, allowRemoteNodeIdentities: node.strict.overlappingCidr },
  };
  const strict = node.strict.enabled ? filterFromLegacy(node.strict, node.gatewayIp) : null;
  return decide({
    pkt,
    node: { cfg, ip: node.strict.encryptIfaceIp ?? -1, gatewayIp: node.gatewayIp, strict },
    ipcache: { lookup: (ip) => node.lookup(ip) },
    tunnelMap: { lookup: (ip) => (ip === pkt.dst && pkt.dstKind === "pod" ? STATIC_ROUTE : undefined) },
  }).verdict;
}
