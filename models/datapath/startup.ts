/**
 * The checks Cilium's agent makes on a datapath configuration before it loads it: what it
 * refuses (an error naming the scenario field) and what it accepts but ignores or silently
 * disables (a warning). Sources as in config.ts.
 */
import { SpecError } from "../../sim/errors.ts";
import { contains, formatIpv4, hostBitsSet, networkOf, size, type Cidr } from "../addressing/ipv4.ts";
import { VERSION_TRAITS, type DatapathConfig } from "./config.ts";

/** Where each field lives in the input (the scenario's dotted paths), for errors and warnings. */
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
export function validateDatapath(cfg: DatapathConfig, nodeIps: NodeIps, at: DatapathPaths): string[] {
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
