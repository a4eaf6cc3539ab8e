/**
 * Which addresses a cluster's nodes and pods get, per cloud and Cilium IPAM mode.
 *
 * Two addressing styles exist in the clouds Cilium runs on:
 * - overlapping: pods take single addresses from the very subnet the nodes live in (AWS ENI,
 *   legacy Azure IPAM), so node IPs lie inside the pod range and a pod can later receive an
 *   address a node used to have;
 * - separate: pods come from their own range, one block per node (cluster-pool, GKE VPC-native
 *   alias ranges, AKS overlay), so node IPs never lie in it.
 *
 * `resolveAddressing` turns the scenario's few optional fields into one complete, checked
 * configuration; every error names the scenario field to change. The constants and their
 * sources are in profiles.ts.
 */
import { SpecError, nearest } from "../../sim/errors.ts";
import { overlaps, parseIpv4, size, type Cidr } from "./ipv4.ts";
import { networkCidr, overlappingPods, separatePods, usableIn } from "./podRanges.ts";
import {
  CLOUDS,
  DELEGATED_ROUTER_IP,
  INTERFACE_POOL,
  MODES,
  TERMINATION_RELEASE_DELAY,
  type CloudProfile,
  type HealthSource,
  type OperatorIpam,
  type RouterSource,
} from "./profiles.ts";
import type { SubnetPick } from "./subnetPool.ts";

export const CLOUD_NAMES = ["aws", "azure", "gcp"] as const;
export type Cloud = (typeof CLOUD_NAMES)[number];

export const ADDRESSING_STYLES = ["overlapping", "separate"] as const;
export type AddressingStyle = (typeof ADDRESSING_STYLES)[number];

/** Values of Cilium's Helm `ipam.mode` that this model covers. */
export const IPAM_MODES = ["cluster-pool", "kubernetes", "eni", "azure", "delegated-plugin"] as const;
export type IpamMode = (typeof IPAM_MODES)[number];

/** The scenario fields, as written: only `cloud` is required; strings are not yet checked. */
export interface AddressingInput {
  cloud: string;
  addressing?: string;
  ipamMode?: string;
  nodeSubnet?: string;
  /**
   * The pod range, or (cluster-pool's clusterPoolIPv4PodCIDRList) several: blocks come from the
   * first entry with one free, as Cilium's operator takes them. Errors about entry i name
   * `${paths.podCidr}[i]`.
   */
  podCidr?: string | readonly string[];
  podCidrMaskSize?: number;
  /** Cilium's `--aws-release-excess-ips` (Helm `eni.awsReleaseExcessIPs`); ENI only. */
  releaseExcessIps?: boolean;
}

/** The dotted scenario path of each input field, used to name it in errors. */
export type AddressingPaths = Readonly<Record<keyof AddressingInput, string>>;

export const DEFAULT_ADDRESSING_PATHS: AddressingPaths = {
  cloud: "cluster.cloud",
  addressing: "cluster.addressing",
  ipamMode: "cilium.ipam.mode",
  nodeSubnet: "cluster.nodeSubnet",
  podCidr: "cluster.podCidr",
  podCidrMaskSize: "cluster.podCidrMaskSize",
  releaseExcessIps: "cilium.eni.awsReleaseExcessIPs",
};

/** The per-node address pool of ENI and Azure IPAM (see INTERFACE_POOL in profiles.ts). */
export interface InterfacePoolConfig {
  /** Free addresses the operator keeps on every node. */
  readonly preAllocate: number;
  readonly minAllocate: number;
  readonly maxAboveWatermark: number;
  /** Whether free addresses above the watermark go back to the subnet. */
  readonly releaseExcess: boolean;
  /** Seconds an address must stay excess before it goes back (ENI: 180). */
  readonly releaseDelay: number;
}

export interface ResolvedAddressing {
  readonly cloud: Cloud;
  readonly style: AddressingStyle;
  readonly ipamMode: IpamMode;
  /** What the operator does for the addresses (profiles.ts), and so what waits while it has no leader. */
  readonly operatorIpam: OperatorIpam;
  /** Where node IPs come from (and, in overlapping styles, every pod address too). */
  readonly nodeSubnet: Cidr;
  /** Addresses the cloud keeps at the start and end of the node subnet; never handed out. */
  readonly reservedHead: number;
  readonly reservedTail: number;
  /** How the cloud picks a free node-subnet address. */
  readonly subnetPick: SubnetPick;
  /**
   * The range that covers every pod: in overlapping styles the node subnet (or a given range
   * that contains it, e.g. the VPC); in separate styles the pod CIDR the blocks are cut from
   * (the first, when several are given).
   */
  readonly podRange: Cidr;
  /** Every pod range, in order: one, except for a cluster-pool list of several. */
  readonly podRanges: readonly Cidr[];
  /** True when node IPs lie inside `podRange` (overlapping styles). */
  readonly nodeIpsInPodRange: boolean;
  /** Prefix length of each node's pod block; only in separate styles. */
  readonly podCidrMaskSize?: number;
  readonly router: RouterSource;
  /** The fixed cilium_host address when `router` is "link-local". */
  readonly routerIp?: number;
  readonly health: HealthSource;
  /** ENI and Azure IPAM only. */
  readonly interfacePool?: InterfacePoolConfig;
  /** Seconds from a node's removal until its addresses are free in the cloud again. */
  readonly terminationReleaseDelay: number;
  /** Pod ranges inside the node subnet (cluster-pool only): nodes never get these addresses. */
  readonly podRangesInNodeSubnet: readonly Cidr[];
  /** Usable node-subnet addresses, and pod blocks in separate styles. */
  readonly capacity: { readonly nodeAddresses: number; readonly podBlocks?: number };
}

/** Checks and completes the addressing fields of a scenario. */
export function resolveAddressing(input: AddressingInput, paths: AddressingPaths = DEFAULT_ADDRESSING_PATHS): ResolvedAddressing {
  const cloud = oneOf(input.cloud, CLOUD_NAMES, paths.cloud);
  const profile = CLOUDS[cloud];
  const { mode, style } = modeAndStyle(input, cloud, paths);
  const nodeSubnet = nodeSubnetOf(input.nodeSubnet ?? profile.nodeSubnet, profile, paths.nodeSubnet);
  const pods = style === "overlapping" ? overlappingPods(input, mode, nodeSubnet, paths) : separatePods(input, mode, nodeSubnet, paths);
  const releaseExcess = releaseFlag(input.releaseExcessIps, mode, paths);
  const modeProfile = MODES[mode];
  const inNodeSubnet = style === "separate" ? pods.ranges.filter((r) => overlaps(r, nodeSubnet)) : [];
  return {
    cloud,
    style,
    ipamMode: mode,
    operatorIpam: modeProfile.operator,
    nodeSubnet,
    reservedHead: profile.reservedHead,
    reservedTail: profile.reservedTail,
    subnetPick: profile.subnetPick,
    podRange: pods.ranges[0],
    podRanges: pods.ranges,
    nodeIpsInPodRange: style === "overlapping",
    ...(pods.maskSize === undefined ? {} : { podCidrMaskSize: pods.maskSize }),
    router: modeProfile.router,
    ...(modeProfile.router === "link-local" ? { routerIp: parseIpv4(DELEGATED_ROUTER_IP) } : {}),
    health: modeProfile.health,
    ...(style === "overlapping" ? { interfacePool: interfacePoolOf(releaseExcess) } : {}),
    terminationReleaseDelay: TERMINATION_RELEASE_DELAY,
    podRangesInNodeSubnet: inNodeSubnet,
    capacity: {
      nodeAddresses: size(nodeSubnet) - profile.reservedHead - profile.reservedTail - inNodeSubnet.reduce((n, r) => n + usableIn(r, nodeSubnet, profile), 0),
      ...(pods.maskSize === undefined ? {} : { podBlocks: pods.ranges.reduce((n, r) => n + 2 ** (pods.maskSize! - r.bits), 0) }),
    },
  };
}

function modeAndStyle(input: AddressingInput, cloud: Cloud, paths: AddressingPaths): { mode: IpamMode; style: AddressingStyle } {
  const profile = CLOUDS[cloud];
  const style = input.addressing === undefined ? undefined : oneOf(input.addressing, ADDRESSING_STYLES, paths.addressing);
  const mode = input.ipamMode === undefined ? undefined : oneOf(input.ipamMode, IPAM_MODES, paths.ipamMode);
  if (mode !== undefined) {
    if (!profile.modes.includes(mode)) {
      throw new SpecError(paths.ipamMode, `${mode} is ${MODES[mode].what}; with ${paths.cloud} "${cloud}" use one of ${quoted(profile.modes)}`);
    }
    const own = MODES[mode].style;
    if (style !== undefined && style !== own) {
      const why = own === "overlapping" ? "takes pod addresses from the node subnet" : "gives pods their own range";
      throw new SpecError(paths.addressing, `"${style}" does not fit ${paths.ipamMode} "${mode}", which ${why} ("${own}")`);
    }
    return { mode, style: own };
  }
  const chosen = style ?? profile.defaultStyle;
  const fallback = profile.modes.find((m) => MODES[m].style === chosen);
  if (fallback === undefined) {
    const offered = [...new Set(profile.modes.map((m) => MODES[m].style))];
    throw new SpecError(paths.addressing, `${profile.label} offers no "${chosen}" addressing with Cilium (its IPAM modes ${quoted(profile.modes)} are all ${quoted(offered)})`);
  }
  return { mode: fallback, style: chosen };
}

function nodeSubnetOf(text: string, profile: CloudProfile, path: string): Cidr {
  const subnet = networkCidr(text, path);
  const { largest, smallest } = profile.subnetBits;
  if (subnet.bits < largest || subnet.bits > smallest) {
    throw new SpecError(path, `must be a /${largest} to /${smallest} subnet on ${profile.label}, got ${subnet.text}`);
  }
  return subnet;
}

/** `--aws-release-excess-ips`: a boolean, and on only with ENI (Azure IPAM never releases). */
function releaseFlag(value: unknown, mode: IpamMode, paths: AddressingPaths): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new SpecError(paths.releaseExcessIps, `must be true or false, got ${JSON.stringify(value)}`);
  if (value && mode !== "eni") {
    throw new SpecError(paths.releaseExcessIps, `only ENI IPAM releases excess addresses; ${paths.ipamMode} is "${mode}", which never does`);
  }
  return value;
}

function interfacePoolOf(releaseExcess: boolean): InterfacePoolConfig {
  return {
    preAllocate: INTERFACE_POOL.preAllocate,
    minAllocate: INTERFACE_POOL.minAllocate,
    maxAboveWatermark: INTERFACE_POOL.maxAboveWatermark,
    releaseExcess,
    releaseDelay: INTERFACE_POOL.eniReleaseDelay,
  };
}

function oneOf<T extends string>(value: unknown, valid: readonly T[], path: string): T {
  if (typeof value === "string" && (valid as readonly string[]).includes(value)) return value as T;
  const guess = typeof value === "string" ? nearest(value, valid) : undefined;
  const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
  throw new SpecError(path, `must be one of ${quoted(valid)}, got ${JSON.stringify(value)}${hint}`);
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}
