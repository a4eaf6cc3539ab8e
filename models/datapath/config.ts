/**
 * What a node's datapath is configured with, what each modelled Cilium version does with it,
 * and the checks Cilium's agent makes before it loads that datapath.
 *
 * Sources (cilium/cilium unless noted): PR #21856 merged as 5da5882 (strict mode, shipped only
 * in v1.15.0-pre.0..pre.2); 81c45d2 / PR #29000 (tunnel traffic encapsulated, then WireGuard;
 * bpf_overlay check removed); v1.15.8 bpf/lib/wireguard.h and bpf/bpf_host.c; PR #38483 and
 * #38566 (remote pod CIDRs in the ipcache, ≈1.18); PR #38592 (source identity from the skb mark);
 * PR #39239 (ingress strict mode), #42115 (egress strict with IPsec), #42419
 * (identity_is_remote_node), all in 1.19.
 */
import { SpecError } from "../../sim/errors.ts";
import { contains, formatIpv4, hostBitsSet, networkOf, size, type Cidr } from "../addressing/ipv4.ts";

export const CILIUM_VERSIONS = ["1.14", "pr21856", "1.15", "1.18", "1.19"] as const;
export type CiliumVersion = (typeof CILIUM_VERSIONS)[number];
export type RoutingMode = "tunnel" | "native";
export type EncryptionType = "wireguard" | "ipsec" | "disabled";

export interface StrictModeSettings {
  /** Egress strict mode (Helm `encryption.strictMode.enabled`, `.egress.enabled` from 1.19). */
  enabled: boolean;
  /** The strict CIDR as written, host bits included; undefined when unset (Helm default ""). */
  cidr: Cidr | undefined;
  allowRemoteNodeIdentities: boolean;
  /** Ingress strict mode (Helm `encryption.strictMode.ingress.enabled`, 1.19). */
  ingress?: boolean;
}

export interface DatapathConfig {
  version: CiliumVersion;
  routingMode: RoutingMode;
  encryption: EncryptionType;
  /** `encryption.nodeEncryption`: host-originated traffic is encrypted too. */
  nodeEncryption: boolean;
  strictMode: StrictModeSettings;
}

/** What changes between the modelled versions; docs/datapath.md renders this table. */
export interface VersionTraits {
  /** The strict-mode options exist (PR #21856). */
  strictMode: boolean;
  /** pr21856 checks the inner packet in bpf_overlay (tunnel) or in bpf_host (native); later only bpf_host. */
  strictPlacement: "overlay-or-netdev" | "netdev";
  /** Encryption types under which `strict_allow` is compiled in. */
  strictEncryption: readonly EncryptionType[];
  /** The ipcache identity test that exempts node destinations. */
  nodeIdentityTest: "identity_is_node" | "identity_is_remote_node";
  /** Tunnel traffic is encapsulated first and the outer packet redirected to WireGuard (#29000). */
  tunnelThenWireGuard: boolean;
  /** WireGuard AllowedIPs follow the ipcache in tunnel mode too (before #29000 inner packets were encrypted). */
  allowedIpsTrackIpcacheInTunnel: boolean;
  /** The ipcache holds remote nodes' pod CIDRs with tunnel endpoint and key (#38483); the tunnel map is gone (#38839). */
  podCidrEntries: boolean;
  /** The WireGuard hook takes a pod's identity from the skb mark, not from an ipcache lookup (#38592). */
  sourceIdentityFromMark: boolean;
  /** Ingress strict mode in bpf_overlay (#39239). */
  ingressStrict: boolean;
}

const WG: readonly EncryptionType[] = ["wireguard"];
const PRE_1_15 = {
  strictPlacement: "overlay-or-netdev", strictEncryption: WG, nodeIdentityTest: "identity_is_node",
  tunnelThenWireGuard: false, allowedIpsTrackIpcacheInTunnel: true, podCidrEntries: false,
  sourceIdentityFromMark: false, ingressStrict: false,
} as const;
const V1_15 = { ...PRE_1_15, strictMode: true, strictPlacement: "netdev", tunnelThenWireGuard: true, allowedIpsTrackIpcacheInTunnel: false } as const;
const V1_18 = { ...V1_15, podCidrEntries: true, sourceIdentityFromMark: true } as const;

export const VERSION_TRAITS: Readonly<Record<CiliumVersion, VersionTraits>> = {
  "1.14": { ...PRE_1_15, strictMode: false },
  pr21856: { ...PRE_1_15, strictMode: true },
  "1.15": V1_15,
  "1.18": V1_18,
  "1.19": { ...V1_18, strictEncryption: ["wireguard", "ipsec"], nodeIdentityTest: "identity_is_remote_node", ingressStrict: true },
};

/** Where each field lives in the scenario, for errors and warnings. */
export interface DatapathPaths {
  version: string;
  routingMode: string;
  encryption: string;
  nodeEncryption: string;
  strictEnabled: string;
  strictCidr: string;
  allowRemoteNodeIdentities: string;
  strictIngress: string;
}

export const DATAPATH_PATHS: DatapathPaths = {
  version: "cilium.version",
  routingMode: "cilium.routingMode",
  encryption: "cilium.encryption.type",
  nodeEncryption: "cilium.encryption.nodeEncryption",
  strictEnabled: "cilium.encryption.strictMode.enabled",
  strictCidr: "cilium.encryption.strictMode.cidr",
  allowRemoteNodeIdentities: "cilium.encryption.strictMode.allowRemoteNodeIdentities",
  strictIngress: "cilium.encryption.strictMode.ingress.enabled",
};

/** True when this node's agent compiles the egress filter in (strict_allow exists and is reached). */
export function egressStrictCompiled(cfg: DatapathConfig): boolean {
  const traits = VERSION_TRAITS[cfg.version];
  return cfg.strictMode.enabled && traits.strictMode && cfg.strictMode.cidr !== undefined
    && traits.strictEncryption.includes(cfg.encryption);
}

/** True when bpf_overlay drops undecrypted overlay packets on this node (1.19: WireGuard and tunnel only). */
export function ingressStrictActive(cfg: DatapathConfig): boolean {
  return cfg.strictMode.ingress === true && VERSION_TRAITS[cfg.version].ingressStrict
    && cfg.encryption === "wireguard" && cfg.routingMode === "tunnel";
}

/** A block of consecutive addresses (a subnet): `count` from `first`, aligned to its size. */
export interface AddressRange {
  first: number;
  count: number;
}

/** The node IPs the checks consider: a list, or a whole subnet as a range. */
export type NodeIps = readonly number[] | AddressRange;

function isRange(ips: NodeIps): ips is AddressRange {
  return !Array.isArray(ips);
}

/**
 * The addresses `contains(cidr, ip)` accepts form one aligned block (every address for a /0),
 * and so does an aligned range: two such blocks are disjoint or one holds the other.
 */
function overlapOf(cidr: Cidr, r: AddressRange): AddressRange {
  const start = networkOf(cidr);
  const end = start + size(cidr);
  const lo = Math.max(start, r.first);
  const hi = Math.min(end, r.first + r.count);
  return { first: lo, count: Math.max(0, hi - lo) };
}

/** The first node IP (in list or address order) inside the strict CIDR. */
function firstInside(cidr: Cidr, ips: NodeIps): number | undefined {
  if (!isRange(ips)) return ips.find((ip) => contains(cidr, ip));
  const o = overlapOf(cidr, ips);
  return o.count > 0 ? o.first : undefined;
}

function countInside(cidr: Cidr, ips: NodeIps): number {
  return isRange(ips) ? overlapOf(cidr, ips).count : ips.filter((ip) => contains(cidr, ip)).length;
}

/**
 * Cilium's start-up checks for this configuration on nodes with IPs `nodeIps`. Throws a
 * SpecError naming the field where Cilium refuses to run; returns warnings (prefixed by the
 * field) for what Cilium accepts but ignores or silently disables.
 */
export function validateDatapath(cfg: DatapathConfig, nodeIps: NodeIps, paths: Partial<DatapathPaths> = {}): string[] {
  const at: DatapathPaths = { ...DATAPATH_PATHS, ...paths };
  checkIngress(cfg, at);
  const warnings = [...nodeEncryptionWarnings(cfg, at), ...ingressWarnings(cfg, at)];
  if (!cfg.strictMode.enabled) return warnings;
  const traits = VERSION_TRAITS[cfg.version];
  if (!traits.strictMode) {
    return [...warnings, `${at.strictEnabled}: Cilium ${cfg.version} has no strict mode (it arrived with cilium/cilium#21856); Helm ignores the values and nothing is dropped`];
  }
  const cidr = cfg.strictMode.cidr;
  if (cidr === undefined) {
    // pkg/option/config.go Populate: the CIDR must parse as IPv4 or the agent exits.
    throw new SpecError(at.strictCidr, "strict mode needs an IPv4 CIDR; Cilium's agent exits at start-up when the strict-mode CIDR does not parse (option Populate)");
  }
  checkNodeIpsOutside(cfg, cidr, nodeIps, at);
  return [...warnings, ...encryptionWarnings(cfg, at), ...cidrWarnings(cidr, at), ...allowWarnings(cfg, cidr, nodeIps, at)];
}

/** 1.19 daemon/cmd initAndValidateDaemonConfig: ingress strict needs WireGuard and tunnelling. */
function checkIngress(cfg: DatapathConfig, at: DatapathPaths): void {
  if (!cfg.strictMode.ingress || !VERSION_TRAITS[cfg.version].ingressStrict) return;
  if (cfg.encryption === "ipsec") {
    throw new SpecError(at.strictIngress, "Cilium 1.19 refuses ingress strict mode with IPsec: only WireGuard supports it (initAndValidateDaemonConfig)");
  }
  if (cfg.routingMode !== "tunnel") {
    throw new SpecError(at.strictIngress, "Cilium 1.19 refuses ingress strict mode without tunnel routing (initAndValidateDaemonConfig; native routing came after 1.19 with #46415)");
  }
}

function nodeEncryptionWarnings(cfg: DatapathConfig, at: DatapathPaths): string[] {
  if (!cfg.nodeEncryption || cfg.encryption !== "disabled") return [];
  return [`${at.nodeEncryption}: no effect with encryption disabled`];
}

function ingressWarnings(cfg: DatapathConfig, at: DatapathPaths): string[] {
  if (!cfg.strictMode.ingress) return [];
  if (!VERSION_TRAITS[cfg.version].ingressStrict) {
    return [`${at.strictIngress}: ingress strict mode arrived in Cilium 1.19 (#39239); ${cfg.version} has no such option and Helm ignores it`];
  }
  if (cfg.encryption === "disabled") return [`${at.strictIngress}: encryption is disabled; leaklab treats ingress strict mode as off (Cilium's behaviour here is not documented)`];
  return [];
}

/**
 * WriteNodeConfig (pkg/datapath/linux/config) refuses a node IPv4 inside the strict CIDR unless
 * remote-node identities are allowed: that node would drop its own traffic. Go's
 * netip.Prefix.Contains masks both sides, so host bits in the CIDR do not avoid this check.
 */
function checkNodeIpsOutside(cfg: DatapathConfig, cidr: Cidr, nodeIps: NodeIps, at: DatapathPaths): void {
  if (cfg.strictMode.allowRemoteNodeIdentities) return;
  const inside = firstInside(cidr, nodeIps);
  if (inside === undefined) return;
  throw new SpecError(at.allowRemoteNodeIdentities, `node IP ${formatIpv4(inside)} lies inside the strict-mode CIDR ${cidr.text}; Cilium's agent refuses to write that node's datapath configuration (WriteNodeConfig) because the node would drop its own traffic, unless allowRemoteNodeIdentities is true`);
}

function encryptionWarnings(cfg: DatapathConfig, at: DatapathPaths): string[] {
  if (cfg.encryption === "disabled") {
    return [`${at.strictEnabled}: encryption is disabled, so strict_allow is not compiled in and nothing is dropped`];
  }
  if (!VERSION_TRAITS[cfg.version].strictEncryption.includes(cfg.encryption)) {
    return [`${at.strictEnabled}: in Cilium ${cfg.version} strict_allow is compiled only with WireGuard (ENABLE_WIREGUARD); with IPsec strict mode does nothing until 1.19 (#42115)`];
  }
  if (cfg.encryption === "ipsec" && cfg.routingMode === "tunnel") {
    return [`${at.strictEnabled}: with IPsec in tunnel mode the filter sees encapsulated packets whose source is the node IP, so unencrypted tunnel traffic passes it (inferred from strict_allow's source exemption)`];
  }
  return [];
}

function cidrWarnings(cidr: Cidr, at: DatapathPaths): string[] {
  if (cidr.bits === 0) {
    return [`${at.strictCidr}: a /0 strict CIDR makes ipv4_is_in_subnet shift by 32, which C leaves undefined; leaklab uses an all-zero mask, so 0.0.0.0/0 matches every address and any other /0 none`];
  }
  if (hostBitsSet(cidr)) {
    return [`${at.strictCidr}: ${cidr.text} has host bits set; the datapath compares (address & mask) with the address as written, so the filter never matches and strict mode drops nothing`];
  }
  return [];
}

/** The flag only adds STRICT_IPV4_OVERLAPPING_CIDR on nodes whose own IP lies in the CIDR. */
function allowWarnings(cfg: DatapathConfig, cidr: Cidr, nodeIps: NodeIps, at: DatapathPaths): string[] {
  if (!cfg.strictMode.allowRemoteNodeIdentities) return [];
  if (cfg.routingMode === "tunnel") {
    return [`${at.allowRemoteNodeIdentities}: no effect in tunnel mode, where the remote-node lookup is always compiled in`];
  }
  const inside = countInside(cidr, nodeIps);
  const total = isRange(nodeIps) ? nodeIps.count : nodeIps.length;
  if (inside === 0) {
    return [`${at.allowRemoteNodeIdentities}: no effect: no node IP lies in ${cidr.text}, so no node compiles the remote-node lookup`];
  }
  if (inside < total) {
    return [`${at.allowRemoteNodeIdentities}: only ${inside} of ${total} node IPs lie in ${cidr.text}; nodes outside it compile no lookup and drop their pods' traffic to node addresses inside it`];
  }
  return [];
}
