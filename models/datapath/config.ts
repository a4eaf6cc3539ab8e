/**
 * What a node's datapath is configured with, and what each modelled Cilium version does with
 * it (the checks Cilium's agent makes before it loads that datapath are in startup.ts).
 *
 * Sources (cilium/cilium unless noted): PR #21856 merged as 5da5882 (strict mode, shipped only
 * in v1.15.0-pre.0..pre.2); 81c45d2 / PR #29000 (tunnel traffic encapsulated, then WireGuard;
 * bpf_overlay check removed); v1.15.8 bpf/lib/wireguard.h and bpf/bpf_host.c; PR #38483 and
 * #38566 (remote pod CIDRs in the ipcache, ≈1.18); PR #38592 (source identity from the skb mark);
 * PR #39239 (ingress strict mode), #42115 (egress strict with IPsec), #42419
 * (identity_is_remote_node), all in 1.19.
 *
 * 1.16 and 1.17 judge like 1.15 for everything modelled here: v1.16.0's strict_allow (bpf/lib/
 * wireguard.h L169) has the 1.15 logic and bpf_host.c L1486-1494 still runs the WireGuard hook,
 * then strict_allow; v1.17.0-pre.1 only detects overlay packets by their mark (wireguard.h
 * L72) instead of the UDP port. What differs is control-plane defaults and Helm names
 * (models/scenario/versionDefaults.ts, helmNames.ts).
 */
import type { Cidr } from "../addressing/ipv4.ts";

/** In release order: pr21856 (merged 2023-06-30) lies between 1.14 and 1.15. */
export const CILIUM_VERSIONS = ["1.14", "pr21856", "1.15", "1.16", "1.17", "1.18", "1.19"] as const;
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
  /**
   * The node labelled node-role.kubernetes.io/control-plane (ClusterNode.controlPlane) opts
   * out of node encryption (node-encryption-opt-out-labels selects it); absent: false.
   */
  controlPlaneOptsOut?: boolean;
  /**
   * Pods' traffic is masqueraded by iptables (Helm enableIPv4Masquerade true, bpf.masquerade
   * false: the defaults) rather than by BPF or not at all; absent: false.
   */
  iptablesMasquerade?: boolean;
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
  /**
   * IPsec encrypts through a pod-CIDR entry (identity world): only from #41519 ("ipsec: add
   * support for using remote PodCIDR entries", 1.19; backported to a 1.18 patch as #42073, not
   * modelled: leaklab's 1.18 is 1.18.0). Before it IPsec checks the destination identity.
   */
  ipsecUsesPodCidrEntries: boolean;
  /** The WireGuard hook takes a pod's identity from the skb mark, not from an ipcache lookup (#38592). */
  sourceIdentityFromMark: boolean;
  /** Ingress strict mode in bpf_overlay (#39239). */
  ingressStrict: boolean;
}

const WG: readonly EncryptionType[] = ["wireguard"];
const PRE_1_15 = {
  strictPlacement: "overlay-or-netdev", strictEncryption: WG, nodeIdentityTest: "identity_is_node",
  tunnelThenWireGuard: false, allowedIpsTrackIpcacheInTunnel: true, podCidrEntries: false, ipsecUsesPodCidrEntries: false,
  sourceIdentityFromMark: false, ingressStrict: false,
} as const;
const V1_15 = { ...PRE_1_15, strictMode: true, strictPlacement: "netdev", tunnelThenWireGuard: true, allowedIpsTrackIpcacheInTunnel: false } as const;
const V1_18 = { ...V1_15, podCidrEntries: true, sourceIdentityFromMark: true } as const;

export const VERSION_TRAITS: Readonly<Record<CiliumVersion, VersionTraits>> = {
  "1.14": { ...PRE_1_15, strictMode: false },
  pr21856: { ...PRE_1_15, strictMode: true },
  "1.15": V1_15,
  "1.16": V1_15,
  "1.17": V1_15,
  "1.18": V1_18,
  "1.19": { ...V1_18, strictEncryption: ["wireguard", "ipsec"], nodeIdentityTest: "identity_is_remote_node", ingressStrict: true, ipsecUsesPodCidrEntries: true },
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
