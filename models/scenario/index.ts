/**
 * The scenario: everything one simulation run needs. Knobs that Cilium has a Helm value for
 * live under `cilium` with Helm's name and path; the rest (cluster shape and lifecycle,
 * control-plane latencies and failures, workload, traffic, hardware) are leaklab's own.
 * Durations are distributions (sim/distributions.ts): a plain number is a constant in seconds.
 */
import { SpecError } from "../../sim/errors.ts";
import * as s from "../../sim/schema.ts";
import { networkOf, size } from "../addressing/ipv4.ts";
import { hardwareProfileNames, validateHardwareProfile, type HardwareProfile } from "../cost/index.ts";
import { cilium } from "./cilium.ts";
import { cidr, dist } from "./common.ts";
import { controlPlane } from "./controlPlane.ts";
import { checkDatapath } from "./datapath.ts";
import { traffic, workload } from "./workload.ts";

/** A built-in profile name or a profile object (which may say "base": NAME and override fields). */
const hardwareProfile: s.Schema<HardwareProfile> = s.custom(
  (v, path) => {
    try {
      return validateHardwareProfile(v, path);
    } catch (e) {
      throw new SpecError("", (e as Error).message);
    }
  },
  () => ({ oneOf: [{ enum: hardwareProfileNames() }, { type: "object" }] }),
  { default: "generic-x86-25g", description: "hardware profile of every node, for the encryption cost model" },
);

const hardware = s.object({
  profile: hardwareProfile,
  nicGbps: s.optional(s.number({ min: 0, exclusiveMin: true, description: "override the profile's NIC line rate, Gbit/s" })),
  cores: s.optional(s.number({ integer: true, min: 1, description: "override the profile's physical cores" })),
  underlayMtu: s.optional(s.number({ integer: true, min: 1280, max: 65535, description: "override the profile's underlay (NIC) MTU" })),
});

const lifecycleEvent = s.object({
  at: s.number({ min: 0 }),
  action: s.oneOf(["add", "remove", "replace"] as const, { description: "scale out, scale in (a random node), or replace a random node" }),
  count: s.number({ integer: true, min: 1, default: 1 }),
});

const cluster = s.object({
  nodes: s.number({ integer: true, min: 2, default: 10, description: "nodes at the start" }),
  // eksctl's default VPC is 192.168.0.0/16.
  nodeSubnet: cidr("subnet node IPs come from", "192.168.0.0/16"),
  lifecycle: s.object({
    events: s.array(lifecycleEvent, { default: [] }),
    replacementRate: s.number({ min: 0, default: 0, description: "random node replacements per second (Poisson)" }),
    joinDelay: dist("node created -> agent running, CiliumNode written, cluster listed", { dist: "lognormal", median: 20, p99: 60 }),
  }),
});

const scenarioFields = s.object({
  duration: s.number({ min: 0, exclusiveMin: true, default: 600, description: "simulated seconds" }),
  cluster,
  cilium,
  controlPlane,
  workload,
  hardware,
  traffic,
});

export type Scenario = s.Infer<typeof scenarioFields>;

export const scenarioSchema: s.Schema<Scenario> = s.refine(scenarioFields, checkScenario);

/** Cross-field checks, including the ones Cilium's agent makes at start-up. */
function checkScenario(sc: Scenario, path: string): void {
  const at = (p: string) => (path === "" ? p : `${path}.${p}`);
  const podCidr = sc.cilium.ipam.operator.clusterPoolIPv4PodCIDRList[0];
  const mask = sc.cilium.ipam.operator.clusterPoolIPv4MaskSize;
  const maxNodes = maxNodesEver(sc);
  if (mask < podCidr.bits) throw new SpecError(at("cilium.ipam.operator.clusterPoolIPv4MaskSize"), `must be >= the pod CIDR's prefix length ${podCidr.bits}`);
  if (2 ** (mask - podCidr.bits) < maxNodes) {
    throw new SpecError(at("cilium.ipam.operator.clusterPoolIPv4PodCIDRList"), `${podCidr.text} holds only ${2 ** (mask - podCidr.bits)} /${mask} node blocks for ${maxNodes} nodes`);
  }
  if (size(sc.cluster.nodeSubnet) - 2 < maxNodes) {
    throw new SpecError(at("cluster.nodeSubnet"), `${sc.cluster.nodeSubnet.text} has room for fewer than ${maxNodes} nodes`);
  }
  sc.workload.deployments.forEach((d, i) => {
    if (d.namespace >= sc.workload.namespaces) throw new SpecError(at(`workload.deployments[${i}].namespace`), `must be below workload.namespaces (${sc.workload.namespaces})`);
  });
  checkDatapath(sc, Array.from({ length: maxNodes }, (_, i) => nodeIp(sc, i)), path);
}

/** What Cilium would accept but ignore in this scenario (for the manifest). */
export function scenarioWarnings(sc: Scenario): string[] {
  return checkDatapath(sc, Array.from({ length: maxNodesEver(sc) }, (_, i) => nodeIp(sc, i)), "");
}

/** Nodes that can exist in the run (initial, scale-outs, replacements), a bound for checks. */
function maxNodesEver(sc: Scenario): number {
  const lc = sc.cluster.lifecycle;
  const added = lc.events.filter((e) => e.action !== "remove").reduce((n, e) => n + e.count, 0);
  // Replacements are random: allow five standard deviations above their mean count.
  const mean = lc.replacementRate * sc.duration;
  return sc.cluster.nodes + added + Math.ceil(mean + 5 * Math.sqrt(mean));
}

/** The IP of node `i`: the (i+1)-th host address of the node subnet. */
export function nodeIp(sc: Scenario, i: number): number {
  return (networkOf(sc.cluster.nodeSubnet) + 1 + i) >>> 0;
}

/** The CES write rate limit in force for this cluster size. */
export function cesRateLimit(sc: Scenario): { limit: number; burst: number } {
  const applicable = sc.cilium.ciliumEndpointSlice.rateLimits
    .filter((r) => r.nodes <= sc.cluster.nodes)
    .sort((a, b) => b.nodes - a.nodes);
  return applicable[0] ?? sc.cilium.ciliumEndpointSlice.rateLimits[0];
}
