/**
 * What each cloud and each Cilium IPAM mode does out of the box. Every constant names its
 * source; where no source says, the comment says "assumed" and why.
 */
import type { AddressingStyle, Cloud, IpamMode } from "./cloud.ts";
import type { SubnetPick } from "./subnetPool.ts";

export interface CloudProfile {
  /** Name in messages. */
  readonly label: string;
  /** Default node subnet. */
  readonly nodeSubnet: string;
  /** Addresses the cloud keeps for itself at the start and at the end of every subnet. */
  readonly reservedHead: number;
  readonly reservedTail: number;
  /** Prefix lengths the cloud accepts for a subnet (inclusive). */
  readonly subnetBits: { readonly largest: number; readonly smallest: number };
  /** How the cloud picks a free subnet address when the caller does not name one. */
  readonly subnetPick: SubnetPick;
  /** IPAM modes that work on this cloud; the first of each style is that style's default. */
  readonly modes: readonly IpamMode[];
  /** The style a cluster gets when it names neither style nor mode. */
  readonly defaultStyle: AddressingStyle;
}

export const CLOUDS: Readonly<Record<Cloud, CloudProfile>> = {
  aws: {
    label: "AWS",
    // eksctl's default VPC is 192.168.0.0/16 cut into eight /19 subnets; nodes sit in one of
    // them (docs.aws.amazon.com/eks/latest/eksctl/vpc-configuration.html).
    nodeSubnet: "192.168.0.0/19",
    // AWS keeps the first four and the last address of every subnet, and a subnet is /16 to /28
    // (docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
    reservedHead: 4,
    reservedTail: 1,
    subnetBits: { largest: 16, smallest: 28 },
    // EC2 picks the address (AssignPrivateIpAddresses with a count, RunInstances without one)
    // and does not document how. Assumed: uniformly among the free addresses, drawn from the
    // subnet's random stream.
    subnetPick: "uniform",
    modes: ["eni", "cluster-pool"],
    defaultStyle: "overlapping",
  },
  azure: {
    label: "Azure",
    // AKS's default VNet subnet when none is given (aks-subnet 10.224.0.0/16 in 10.224.0.0/12,
    // learn.microsoft.com AKS networking docs). Not in the research notes; assumed.
    nodeSubnet: "10.224.0.0/16",
    // Azure keeps the first four and the last address; subnets are /2 to /29
    // (learn.microsoft.com virtual-network FAQ and "Plan for IP addressing").
    reservedHead: 4,
    reservedTail: 1,
    subnetBits: { largest: 2, smallest: 29 },
    // Dynamic private IPs: "the next available" address of the subnet, i.e. the lowest free one
    // (learn.microsoft.com, "Private IP addresses", dynamic allocation).
    subnetPick: "lowest",
    // Cilium recommends BYOCNI (cluster-pool) or Azure CNI powered by Cilium (delegated IPAM);
    // Azure IPAM is legacy (Documentation/network/concepts/ipam/azure.rst). The default is
    // therefore Azure CNI powered by Cilium in overlay mode (research §F row 37): separate.
    modes: ["delegated-plugin", "azure", "cluster-pool"],
    defaultStyle: "separate",
  },
  gcp: {
    label: "GCP",
    // The auto-mode default subnet of us-central1 (cloud.google.com/vpc/docs/subnets,
    // auto mode IPv4 ranges). The research notes show a node at 10.164.0.29, the europe-west4
    // auto-mode subnet: same shape, another region.
    nodeSubnet: "10.128.0.0/20",
    // GCP keeps the network, gateway (second), second-to-last and broadcast addresses of a
    // primary range; the smallest primary range is /29 (cloud.google.com/vpc/docs/subnets).
    // The largest bound is this model's, not GCP's.
    reservedHead: 2,
    reservedTail: 2,
    subnetBits: { largest: 8, smallest: 29 },
    // GCE assigns an ephemeral internal IP from the primary range without documenting which.
    // Assumed: uniformly among the free addresses.
    subnetPick: "uniform",
    modes: ["kubernetes", "cluster-pool"],
    defaultStyle: "separate",
  },
};

/** How a node gets its cilium_host (router) and cilium-health addresses. */
export type RouterSource = "interface-pool" | "pod-block" | "link-local";
export type HealthSource = "interface-pool" | "pod-block" | "none";

/**
 * What cilium-operator does for a mode's addresses, and so what stops while it has no leader:
 * "pools", it assigns interface addresses to keep each node's pool at the watermark (v1.15.0
 * Documentation/network/concepts/ipam/eni.rst L48, azure.rst L47 and L132); "blocks", it
 * assigns each new node its pod CIDR, which the agent waits for before it starts
 * (cluster-pool.rst L17 and L31); undefined, the operator has no part (kubernetes: the node's
 * spec.podCIDR; delegated-plugin: Azure CNS).
 */
export type OperatorIpam = "pools" | "blocks" | undefined;

export interface ModeProfile {
  readonly style: AddressingStyle;
  readonly operator: OperatorIpam;
  /** "eni is an AWS IPAM": what the mode is, for messages. */
  readonly what: string;
  /** Default pod range and per-node block size, for separate styles. */
  readonly podCidr?: string;
  readonly podCidrMaskSize?: number;
  readonly router: RouterSource;
  readonly health: HealthSource;
}

export const MODES: Readonly<Record<IpamMode, ModeProfile>> = {
  // Pods get ENI secondary IPs from the subnet of the node's primary ENI, and the router IP is
  // "allocated from the ENI space"; health likewise (research §F; Documentation/network/concepts/
  // ipam/eni.rst and routing.rst).
  eni: { style: "overlapping", operator: "pools", what: "an AWS IPAM", router: "interface-pool", health: "interface-pool" },
  // Legacy Azure IPAM: private IPs on the node's interfaces, from the VNet subnet (research §F;
  // Documentation/network/concepts/ipam/azure.rst).
  azure: { style: "overlapping", operator: "pools", what: "an Azure IPAM", router: "interface-pool", health: "interface-pool" },
  // Cilium's default IPAM: per-node /24 from 10.0.0.0/8; router and health come from the node's
  // block (Helm values clusterPoolIPv4PodCIDRList/MaskSize; Documentation/network/concepts/ipam/
  // cluster-pool.rst, example "10.0.0.1 (router)", "10.0.0.3 (health)").
  "cluster-pool": {
    style: "separate",
    operator: "blocks",
    what: "Cilium's cluster-pool IPAM",
    podCidr: "10.0.0.0/8",
    podCidrMaskSize: 24,
    router: "pod-block",
    health: "pod-block",
  },
  // GKE VPC-native: each node's spec.podCIDR is an alias range from the secondary range; 110 pods
  // per node by default → /24 (research §F row 38). GKE picks a /14 from 10.0.0.0/8 when none is
  // given; 10.4.0.0/14 matches the research example node range 10.4.0.0/24. The router IP comes
  // from the node's podCIDR (issue cilium/cilium#21844: cilium_host 10.68.0.82).
  kubernetes: {
    style: "separate",
    operator: undefined,
    what: "the IPAM that reads each node's spec.podCIDR, which out of the box only GKE (VPC-native alias ranges) sets",
    podCidr: "10.4.0.0/14",
    podCidrMaskSize: 24,
    router: "pod-block",
    health: "pod-block",
  },
  // Azure CNI powered by Cilium, overlay: pods from a private CIDR (10.244.0.0/16 by default,
  // /24 per node) handed out by Azure's delegated IPAM (research §F row 37). The agent's IPAM is
  // a no-op (pkg/ipam noOpAllocator), so cilium_host takes the fixed local-router-ipv4
  // 169.254.23.0 (Documentation/network/concepts/ipam/azure-delegated-ipam.rst) and there is no
  // health endpoint address to allocate.
  "delegated-plugin": {
    style: "separate",
    operator: undefined,
    what: "the IPAM of Azure CNI powered by Cilium",
    podCidr: "10.244.0.0/16",
    podCidrMaskSize: 24,
    router: "link-local",
    health: "none",
  },
};

/** cilium_host's address under delegated IPAM (azure-delegated-ipam.rst). */
export const DELEGATED_ROUTER_IP = "169.254.23.0";

/**
 * ENI and Azure IPAM watermarks (research table rows 35-36):
 * - pre-allocate 8 free addresses per node (eni.rst, azure.rst);
 * - min-allocate unset (0) and max-above-watermark 0 (azure.rst; assumed the same for ENI, whose
 *   Helm default leaves it unset);
 * - excess free addresses go back to EC2 after `excess-ip-release-delay` = 180 s, but only with
 *   `--aws-release-excess-ips` (Helm `eni.awsReleaseExcessIPs`), which is off by default (eni.rst);
 * - Azure IPAM never releases: its PrepareIPRelease returns nothing (pkg/azure/ipam/node.go).
 */
export const INTERFACE_POOL = {
  preAllocate: 8,
  minAllocate: 0,
  maxAboveWatermark: 0,
  eniReleaseDelay: 180,
} as const;

/**
 * Seconds from a node's removal until the cloud may hand its addresses out again. AWS deletes
 * the primary ENI and Cilium's ENIs (delete-on-termination is on by default, eni.rst) with the
 * instance; Azure and GCP free a deleted VM's NIC and ephemeral internal IP. None documents a
 * hold-down, so assumed 0: the addresses are free from the moment of removal. This is the
 * worst case for a pod inheriting a removed node's IP.
 */
export const TERMINATION_RELEASE_DELAY = 0;
