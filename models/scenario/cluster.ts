/**
 * The cluster: its cloud, how nodes and pods are addressed, and how nodes come and go. The
 * addressing defaults are each cloud's out-of-the-box choices (models/addressing/cloud.ts);
 * in cluster-pool mode the pod range and block size use Cilium's Helm names instead.
 */
import { SpecError } from "../../sim/errors.ts";
import { COUNT_WHY, MAX_COUNT } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { ADDRESSING_STYLES, CLOUD_NAMES, IPAM_MODES, resolveAddressing, type ResolvedAddressing } from "../addressing/cloud.ts";
import { dist, rate, seconds } from "./common.ts";

const lifecycleEvent = s.object({
  at: seconds(),
  action: s.oneOf(["add", "remove", "replace"] as const, { description: "scale out, scale in (a random node), or replace a random node" }),
  count: s.number({ integer: true, min: 1, max: MAX_COUNT, why: COUNT_WHY, default: 1 }),
});

export const cluster = s.object({
  nodes: s.number({ integer: true, min: 2, max: MAX_COUNT, why: COUNT_WHY, default: 10, description: "nodes at the start" }),
  cloud: s.oneOf(CLOUD_NAMES, { default: "aws", description: "whose addressing rules apply" }),
  addressing: s.optional(s.oneOf(ADDRESSING_STYLES, { description: "overlapping: pods share the node subnet (ENI, Azure IPAM); separate: pods have their own range" })),
  nodeSubnet: s.optional(s.string({ description: "subnet node IPs come from (default: the cloud's)" })),
  podCidr: s.optional(s.string({ description: "pod range outside cluster-pool mode (kubernetes, delegated-plugin)" })),
  podCidrMaskSize: s.optional(s.number({ integer: true, min: 1, max: 30, description: "per-node pod block outside cluster-pool mode" })),
  apiServer: s.oneOf(["control-plane-node", "managed"] as const, {
    default: "control-plane-node",
    description: "where the API server runs: on the first node, labelled node-role.kubernetes.io/control-plane (self-managed), or outside the cluster (EKS, AKS, GKE)",
  }),
  lifecycle: s.object({
    events: s.array(lifecycleEvent, { default: [] }),
    replacementRate: rate({ default: 0, description: "random node replacements per second (Poisson)" }),
    joinDelay: dist("node created -> agent running, CiliumNode written, cluster listed", { dist: "lognormal", median: 20, p99: 60 }),
  }),
});

export const ipam = s.object({
  mode: s.optional(s.oneOf(IPAM_MODES, { description: "Helm ipam.mode (default: the cloud's)" })),
  operator: s.object({
    clusterPoolIPv4PodCIDRList: s.optional(s.array(s.string(), {
      minItems: 1,
      description: "cluster-pool pod ranges (Helm default [\"10.0.0.0/8\"]); each entry is used once the ones before it have no free block",
    })),
    clusterPoolIPv4MaskSize: s.optional(s.number({ integer: true, min: 1, max: 30, description: "cluster-pool per-node block (Helm default 24)" })),
  }),
});

export const eni = s.object({
  awsReleaseExcessIPs: s.boolean({ default: false, description: "Helm eni.awsReleaseExcessIPs: return excess ENI addresses after 180 s" }),
});

interface AddressingFields {
  cluster: s.Infer<typeof cluster>;
  cilium: { ipam: s.Infer<typeof ipam>; eni: s.Infer<typeof eni> };
}

const resolved = new WeakMap<object, ResolvedAddressing>();

/** The scenario's addressing with every default applied; errors name the scenario field. */
export function addressingOf(sc: AddressingFields, path = ""): ResolvedAddressing {
  const cached = resolved.get(sc);
  if (cached) return cached;
  const at = (p: string) => (path === "" ? p : `${path}.${p}`);
  const { cluster: c, cilium } = sc;
  const pool = cilium.ipam.operator;
  const mode = cilium.ipam.mode;
  if (mode !== "cluster-pool" && (pool.clusterPoolIPv4PodCIDRList || pool.clusterPoolIPv4MaskSize)) {
    throw new SpecError(at("cilium.ipam.operator"), `cluster-pool settings apply only with cilium.ipam.mode "cluster-pool"; for ${mode ?? "the cloud's default IPAM"} set cluster.podCidr and cluster.podCidrMaskSize`);
  }
  if (mode === "cluster-pool" && (c.podCidr || c.podCidrMaskSize)) {
    throw new SpecError(at("cluster.podCidr"), "in cluster-pool mode the pod range is cilium.ipam.operator.clusterPoolIPv4PodCIDRList (and clusterPoolIPv4MaskSize)");
  }
  const clusterPool = mode === "cluster-pool";
  const r = resolveAddressing({
    cloud: c.cloud, addressing: c.addressing, ipamMode: mode, nodeSubnet: c.nodeSubnet,
    // Every entry of the list is checked and modelled (blocks come from the first with room).
    podCidr: clusterPool ? pool.clusterPoolIPv4PodCIDRList : c.podCidr,
    podCidrMaskSize: clusterPool ? pool.clusterPoolIPv4MaskSize : c.podCidrMaskSize,
    releaseExcessIps: cilium.eni.awsReleaseExcessIPs,
  }, {
    cloud: at("cluster.cloud"), addressing: at("cluster.addressing"), ipamMode: at("cilium.ipam.mode"), nodeSubnet: at("cluster.nodeSubnet"),
    podCidr: at(clusterPool ? "cilium.ipam.operator.clusterPoolIPv4PodCIDRList" : "cluster.podCidr"),
    podCidrMaskSize: at(clusterPool ? "cilium.ipam.operator.clusterPoolIPv4MaskSize" : "cluster.podCidrMaskSize"),
    releaseExcessIps: at("cilium.eni.awsReleaseExcessIPs"),
  });
  resolved.set(sc, r);
  return r;
}
