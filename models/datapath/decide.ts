/**
 * The fate of one packet class leaving a node: what the sending node's datapath does with it
 * (encapsulate, redirect to WireGuard or IPsec, drop in strict mode, or let it go in plaintext),
 * and, where it matters, what the receiving node does (1.19 ingress strict mode). The outcome
 * is judged against the ground truth of what the destination is and which node hosts it, and
 * ends in exactly one verdict.
 *
 * Path through the datapath, per version (see config.ts VERSION_TRAITS and docs/datapath.md):
 * - Tunnel mode: a destination with a tunnel endpoint (ipcache entry, else before 1.18 the
 *   tunnel map) goes to cilium_vxlan. Before 1.15 WireGuard skips the tunnel for keyed
 *   destinations and encrypts the inner packet; pr21856 checks strict_allow on the inner
 *   packet in bpf_overlay. From 1.15 the outer packet is redirected to cilium_wg0 (#29000).
 * - Everything else leaves through the native device: bpf_host cil_to_netdev runs the VLAN
 *   filter, then wg_maybe_redirect_to_encrypt, then strict_allow (v1.15.8 order). In tunnel
 *   mode with iptables masquerading, a pod's packet that takes this path has been SNATed to
 *   the node IP in POSTROUTING before tc egress sees it (masquerade.ts).
 */
import { IDENTITY, identityIsNode } from "../identity.ts";
import { ingressStrictActive, VERSION_TRAITS, type DatapathConfig } from "./config.ts";
import type { IPCacheView } from "./entries.ts";
import type { WireGuardView } from "./wireguard.ts";
import { masqueraded } from "./masquerade.ts";
import { strictFilterFor, strictIngressDrop, strictOutcome, type L3Family, type StrictFilter } from "./strict.ts";
import type { EndpointKind, Verdict } from "./verdict.ts";

export interface DatapathPacket {
  src: number;
  dst: number;
  /** pod or health: an endpoint; host (or node): the host namespace; external: forwarded traffic. */
  srcKind: EndpointKind;
  /** What the destination really is: pod, health, node (a remote node's address), host (this node's), external. */
  dstKind: EndpointKind;
  /** The node that really hosts the destination now; enables the misdelivery check. */
  dstNode?: number;
  family?: L3Family;
  /** The source pod's own ipcache entry is gone (terminating pod); matters before 1.18 (#38592). */
  srcIdentityLost?: boolean;
  /** Sent on a VLAN id that bpf_host's VLAN filter lets through before encryption and strict mode. */
  allowedVlan?: boolean;
}

export interface SenderNode {
  cfg: DatapathConfig;
  /** The node's IPv4 (IPV4_ENCRYPT_IFACE). */
  ip: number;
  /** The node's cilium_host address (IPV4_GATEWAY). */
  gatewayIp: number;
  /** A precomputed strictFilterFor(cfg, node): null when not compiled in; derived when absent. */
  strict?: StrictFilter | null;
}

export interface DecideInput {
  pkt: DatapathPacket;
  node: SenderNode;
  ipcache: IPCacheView;
  /** Before 1.18, tunnel mode: remote pod CIDR -> node (cilium_tunnel_map). Ignored from 1.18. */
  tunnelMap?: IPCacheView;
  /** The sender's WireGuard peers; when absent every node is a peer with complete AllowedIPs. */
  wireguard?: WireGuardView;
  /** The receiving node, for 1.19 ingress strict mode. */
  receiver?: { cfg: DatapathConfig };
}

export interface Decision {
  verdict: Verdict;
  /** Which step decided, e.g. `wg`, `wg-overlay`, `strict@to-netdev`, `pass:node-destination`. */
  reason: string;
}

/** How the packet leaves the sending node. `via` is the node it was sent to when the ipcache chose it. */
type Wire =
  | { fate: "encrypted"; via: number; reason: string }
  | { fate: "plaintext"; via: number | undefined; overlay: boolean; reason: string }
  | { fate: "dropped"; by: "strict" | "wireguard"; reason: string };

export function decide(input: DecideInput): Decision {
  return classify(input, egress(input));
}

function egress(input: DecideInput): Wire {
  const endpoint = tunnelEndpoint(input);
  if (input.node.cfg.encryption === "disabled") return plaintext(endpoint, "encryption-disabled");
  // Without a tunnel endpoint the packet goes to the stack (DROP_NO_TUNNEL_ENDPOINT), where
  // iptables may masquerade it before bpf_host sees it (masquerade.ts).
  return endpoint === undefined ? viaNetdev(masqueraded(input), input) : viaOverlay(input, endpoint);
}

function plaintext(endpoint: number | undefined, reason: string): Wire {
  return { fate: "plaintext", via: endpoint, overlay: endpoint !== undefined, reason };
}

/**
 * The tunnel endpoint bpf_lxc / bpf_host would encapsulate to. Node addresses are not sent
 * through the tunnel: pod -> remote node is encrypted only with node encryption (WireGuard
 * docs, "Which traffic is encrypted"), as the research truth table's rows 22-24 also assume.
 */
function tunnelEndpoint({ pkt, node, ipcache, tunnelMap }: DecideInput): number | undefined {
  if (node.cfg.routingMode !== "tunnel") return undefined;
  const entry = ipcache.lookup(pkt.dst);
  if (entry !== undefined && entry.identity !== 0 && identityIsNode(entry.identity)) return undefined;
  if (entry !== undefined && entry.hostIp !== 0) return entry.hostIp;
  if (VERSION_TRAITS[node.cfg.version].podCidrEntries) return undefined;
  const mapped = tunnelMap?.lookup(pkt.dst)?.hostIp ?? 0;
  return mapped === 0 ? undefined : mapped;
}

function viaOverlay(input: DecideInput, endpoint: number): Wire {
  const { pkt, node } = input;
  const traits = VERSION_TRAITS[node.cfg.version];
  if (node.cfg.encryption === "wireguard" && traits.tunnelThenWireGuard) return overlayToWireGuard(input, endpoint);
  if (wantsEncryption(input)) {
    // Before #29000 a WireGuard node skips the tunnel for keyed destinations (eth0 -> cilium_wg0).
    if (node.cfg.encryption === "wireguard") return viaNetdev(input);
    return { fate: "encrypted", via: endpoint, reason: "ipsec" };
  }
  // pr21856 polices the inner packet in bpf_overlay cil_to_overlay, before encapsulation.
  const filter = filterOf(node);
  if (filter !== null && traits.strictPlacement === "overlay-or-netdev") {
    if (strictOutcome(pkt, filter, input.ipcache) === "drop") return { fate: "dropped", by: "strict", reason: "strict@to-overlay" };
  }
  return plaintext(endpoint, "overlay-plaintext");
}

/** From 1.15 the WireGuard hook redirects every overlay packet; the kernel picks the peer by the outer destination. */
function overlayToWireGuard(input: DecideInput, endpoint: number): Wire {
  if (input.pkt.allowedVlan) return plaintext(endpoint, "vlan-bypass");
  if (wireguardOf(input).peerFor(endpoint) === undefined) return { fate: "dropped", by: "wireguard", reason: "wg-no-peer" };
  return { fate: "encrypted", via: endpoint, reason: "wg-overlay" };
}

/**
 * bpf_host cil_to_netdev on the native device: VLAN filter, encryption hook, strict_allow.
 * `input` is what tc egress sees; `original` what the pod sent, when iptables rewrote it (the
 * verdict is still judged on what the packet carries, in classify).
 */
function viaNetdev(input: DecideInput, original: DecideInput = input): Wire {
  const { pkt, node } = input;
  if (pkt.allowedVlan && node.cfg.encryption === "wireguard") return plaintext(undefined, "vlan-bypass");
  const encrypted = encryptionHook(input);
  if (encrypted !== undefined) return encrypted;
  const filter = filterOf(node);
  if (filter === null) return plaintext(undefined, plaintextCause(input));
  // pr21856 compiles the bpf_host check only without TUNNEL_MODE.
  if (VERSION_TRAITS[node.cfg.version].strictPlacement === "overlay-or-netdev" && node.cfg.routingMode === "tunnel") {
    return plaintext(undefined, "unchecked:pr21856-tunnel-stack-route");
  }
  if (pkt.allowedVlan) return plaintext(undefined, "vlan-bypass");
  const outcome = strictOutcome(pkt, filter, input.ipcache);
  if (outcome === "drop") return { fate: "dropped", by: "strict", reason: "strict@to-netdev" };
  return plaintext(undefined, input === original ? outcome : `iptables-masquerade+${outcome}`);
}

/**
 * WireGuard: redirect to cilium_wg0 and let the kernel pick the peer by AllowedIPs. IPsec: xfrm
 * to the entry's node, except through a 1.18 pod-CIDR entry (world identity), which IPsec
 * ignores until #41519: the packet then leaves in plaintext (PR #42073's "we also need the
 * change that relaxes the checking of the destination's identity").
 */
function encryptionHook(input: DecideInput): Wire | undefined {
  const entry = input.ipcache.lookup(input.pkt.dst);
  if (!wantsEncryption(input) || entry === undefined) return undefined;
  if (input.node.cfg.encryption === "ipsec") {
    if (entry.identity === IDENTITY.world && !VERSION_TRAITS[input.node.cfg.version].ipsecUsesPodCidrEntries) return undefined;
    return { fate: "encrypted", via: entry.hostIp, reason: "ipsec" };
  }
  const peer = wireguardOf(input).peerFor(input.pkt.dst);
  if (peer === undefined) return { fate: "dropped", by: "wireguard", reason: "wg-no-peer" };
  return { fate: "encrypted", via: peer, reason: "wg" };
}

/**
 * wg_maybe_redirect_to_encrypt's source and destination tests: the destination entry has a key,
 * and the source is a cluster endpoint whose identity is known (from the ipcache before 1.18,
 * from the skb mark after #38592), or the host with node encryption. World sources never.
 */
function wantsEncryption({ pkt, node, ipcache }: DecideInput): boolean {
  if ((ipcache.lookup(pkt.dst)?.key ?? 0) === 0) return false;
  return sourceEncrypts(pkt, node.cfg);
}

function sourceEncrypts(pkt: DatapathPacket, cfg: DatapathConfig): boolean {
  switch (pkt.srcKind) {
    case "pod":
    case "health":
      return !pkt.srcIdentityLost || VERSION_TRAITS[cfg.version].sourceIdentityFromMark;
    case "host":
    case "node":
      return cfg.nodeEncryption;
    default:
      return false;
  }
}

function plaintextCause(input: DecideInput): string {
  if (!sourceEncrypts(input.pkt, input.node.cfg)) return "source-not-encrypted";
  return wantsEncryption(input) && input.node.cfg.encryption === "ipsec" ? "ipsec-ignores-pod-cidr-entry" : "no-key";
}

function filterOf(node: SenderNode): StrictFilter | null {
  return node.strict !== undefined ? node.strict : strictFilterFor(node.cfg, node);
}

/** Default peers: every node is configured and AllowedIPs hold whatever the ipcache says. */
function wireguardOf(input: DecideInput): WireGuardView {
  if (input.wireguard !== undefined) return input.wireguard;
  return {
    peerFor(ip) {
      const hostIp = input.ipcache.lookup(ip)?.hostIp ?? 0;
      return hostIp !== 0 ? hostIp : ip;
    },
  };
}

/**
 * One verdict per packet. A packet sent in plaintext is judged by what crossed the wire: a
 * pod-to-pod packet is leaked even if the receiver then drops it or it reached the wrong node.
 */
function classify(input: DecideInput, wire: Wire): Decision {
  const { pkt } = input;
  const podToPod = pkt.srcKind === "pod" && pkt.dstKind === "pod";
  if (wire.fate === "dropped") {
    const verdict = wire.by === "wireguard" ? "wg_dropped" : podToPod ? "strict_dropped" : "false_dropped";
    return { verdict, reason: wire.reason };
  }
  const misdelivered = wire.via !== undefined && pkt.dstNode !== undefined && wire.via !== pkt.dstNode;
  if (wire.fate === "encrypted") {
    return misdelivered ? { verdict: "misdelivered", reason: "stale-tunnel-endpoint" } : { verdict: "encrypted", reason: wire.reason };
  }
  return classifyPlaintext(input, wire, podToPod, misdelivered);
}

function classifyPlaintext(input: DecideInput, wire: Wire & { fate: "plaintext" }, podToPod: boolean, misdelivered: boolean): Decision {
  const encrypting = input.node.cfg.encryption !== "disabled";
  const ingressDrop = strictIngressDrop(
    { viaOverlay: wire.overlay, decrypted: false },
    input.receiver !== undefined && ingressStrictActive(input.receiver.cfg),
  );
  if (encrypting && podToPod) return { verdict: "leaked", reason: ingressDrop ? `${wire.reason}+strict@from-overlay` : wire.reason };
  if (misdelivered) return { verdict: "misdelivered", reason: "stale-tunnel-endpoint" };
  if (ingressDrop) return { verdict: podToPod ? "strict_dropped" : "false_dropped", reason: "strict@from-overlay" };
  const hostSource = input.pkt.srcKind === "host" || input.pkt.srcKind === "node";
  return { verdict: encrypting && hostSource ? "host_plaintext" : "plaintext_allowed", reason: wire.reason };
}
