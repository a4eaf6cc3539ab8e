/**
 * The fate of a packet leaving a node, decided as the source node's datapath decides it, and
 * classified against the ground truth of what the destination really is.
 */
import type { IPCacheEntry } from "../ipcache.ts";
import { strictAllow, type StrictModeConfig } from "./strict.ts";

export const VERDICTS = ["encrypted", "plaintext_allowed", "leaked", "strict_dropped", "false_dropped"] as const;
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

/**
 * Pod-to-pod WireGuard (no node encryption): a pod's packet is redirected to cilium_wg0 only if
 * the destination has an IPCache entry with a key; otherwise it leaves in plaintext, where
 * strict mode may drop it (bpf/lib/wireguard.h wg_maybe_redirect_to_encrypt; PR 21856).
 */
export function egressVerdict(pkt: Packet, node: NodeDatapath): Verdict {
  if (!node.encryption) return "plaintext_allowed";
  const dst = node.lookup(pkt.dst);
  if (pkt.srcKind === "pod" && dst !== undefined && dst.key !== 0) return "encrypted";
  if (node.strict.enabled && !strictAllow(pkt, node.strict, node.gatewayIp, (ip) => node.lookup(ip))) {
    return pkt.dstKind === "pod" && pkt.srcKind === "pod" ? "strict_dropped" : "false_dropped";
  }
  return pkt.srcKind === "pod" && pkt.dstKind === "pod" ? "leaked" : "plaintext_allowed";
}
