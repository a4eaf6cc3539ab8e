/**
 * The scenario: everything one simulation run needs. Knobs that Cilium has a Helm value for
 * live under `cilium` with Helm's name and path; the rest (cluster shape, control-plane
 * latencies, workload, traffic) are leaklab's own. Durations are distributions (see
 * sim/distributions.ts): a plain number is a constant in seconds.
 *
 * Latency defaults are assumptions, not measurements: no public p50/p99 of CEP -> CES -> IPCache
 * propagation exists (Cilium's own metric buckets reach 600 s). The hard numbers from Cilium's
 * code are the 500 ms CES sync delay and the CES write rate limits.
 */
import { parseDistribution, distributionJsonSchema, type Distribution } from "../sim/distributions.ts";
import { SpecError } from "../sim/errors.ts";
import * as s from "../sim/schema.ts";
import { contains, networkOf, parseCidr, size, type Cidr } from "./addressing/ipv4.ts";
import { hardwareProfileNames, validateHardwareProfile, type HardwareProfile } from "./cost/index.ts";

const dist = (description: string, def: unknown): s.Schema<Distribution> =>
  s.custom((v, p) => parseDistribution(v, p), () => distributionJsonSchema(), { description, default: def });

const cidr = (description: string, def?: string): s.Schema<Cidr> =>
  s.custom((v, p) => parseCidr(v, p), () => ({ type: "string", pattern: "^\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$" }), { description, default: def });

const interval = s.object({
  start: s.number({ min: 0, description: "seconds from the start of the run" }),
  end: s.number({ min: 0, description: "seconds from the start of the run" }),
}, {
  check: (v, path) => {
    if (!(v.end > v.start)) throw new SpecError(`${path}.end`, `must be greater than start (${v.start}), got ${v.end}`);
  },
});

const strictMode = s.object({
  enabled: s.boolean({ default: false, description: "drop plaintext packets whose source and destination are both in `cidr`" }),
  cidr: s.string({ default: "", description: "IPv4 CIDR of pod addresses (Helm default empty; required when enabled)" }),
  allowRemoteNodeIdentities: s.boolean({ default: false, description: "exempt destinations whose IPCache identity is a node" }),
});

const rateLimit = s.object({
  nodes: s.number({ integer: true, min: 0, description: "applies from this cluster size up" }),
  limit: s.number({ min: 0, exclusiveMin: true, description: "CES writes per second" }),
  burst: s.number({ integer: true, min: 1, description: "token bucket size" }),
});

const cilium = s.object({
  version: s.oneOf(["pr21856"] as const, {
    default: "pr21856",
    description: "datapath semantics; pr21856 is strict mode as merged (cilium/cilium#21856) and described by the seeds",
  }),
  routingMode: s.oneOf(["tunnel", "native"] as const, { default: "tunnel", description: "Helm routingMode" }),
  encryption: s.object({
    enabled: s.boolean({ default: true }),
    type: s.oneOf(["wireguard", "ipsec"] as const, { default: "wireguard" }),
    strictMode,
  }),
  ipam: s.object({
    mode: s.oneOf(["cluster-pool"] as const, { default: "cluster-pool" }),
    operator: s.object({
      // Helm defaults: clusterPoolIPv4PodCIDRList ["10.0.0.0/8"], clusterPoolIPv4MaskSize 24.
      clusterPoolIPv4PodCIDRList: s.array(cidr("pod CIDR"), { default: ["10.0.0.0/8"], minItems: 1 }),
      clusterPoolIPv4MaskSize: s.number({ integer: true, min: 1, max: 30, default: 24 }),
    }),
  }),
  ciliumEndpointSlice: s.object({
    // cilium-operator code default ces-rate-limits [{"nodes":0,"limit":10,"burst":20}]
    // (operator/pkg/ciliumendpointslice/cell.go). The entry with the largest `nodes` not above
    // the cluster size applies.
    rateLimits: s.array(rateLimit, { default: [{ nodes: 0, limit: 10, burst: 20 }], minItems: 1 }),
  }),
});

const controlPlane = s.object({
  agent: s.object({
    cepWriteDelay: dist("endpoint created -> CiliumEndpoint written (identity resolution and API call)", { dist: "lognormal", median: 0.05, p99: 0.5 }),
    ipcacheUpsertDelay: dist("slice received -> IPCache entry upserted on that node", { dist: "lognormal", median: 0.005, p99: 0.05 }),
  }),
  operator: s.object({
    // DefaultCESSyncTime = 500 ms (operator/pkg/ciliumendpointslice/endpointslice.go).
    syncDelay: dist("CEP seen -> CES key enqueued (batching window)", 0.5),
    outages: s.array(interval, { default: [], description: "intervals when no operator runs: no CES is written" }),
  }),
  apiServer: s.object({
    // Kubernetes SLO: mutating API calls p99 <= 1 s. Watch latency has no SLO.
    writeLatency: dist("API write latency", { dist: "lognormal", median: 0.02, p99: 0.2 }),
    watchDelay: dist("object written -> delivered to one watcher", { dist: "lognormal", median: 0.05, p99: 0.5 }),
  }),
});

const workload = s.object({
  podCreationRate: s.number({ min: 0, default: 1, description: "new pods per second, Poisson, placed uniformly on nodes" }),
  readinessDelay: dist("pod created -> ready (traffic starts)", { dist: "lognormal", median: 2, p99: 8 }),
  identities: s.number({ integer: true, min: 1, default: 20, description: "distinct label sets; each pod draws one uniformly" }),
});

const flow = (rate: number, bytes: number, what: string) => s.object({
  rate: s.number({ min: 0, default: rate, description: `messages per second ${what}` }),
  packetBytes: s.number({
    integer: true, min: 1, max: 2 ** 30, default: bytes,
    description: "application message size in bytes; the cost model treats 64 KiB or more as a bulk stream",
  }),
});

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

const scenarioFields = s.object({
  duration: s.number({ min: 0, exclusiveMin: true, default: 600, description: "simulated seconds" }),
  cluster: s.object({
    nodes: s.number({ integer: true, min: 2, default: 10 }),
    // eksctl's default VPC is 192.168.0.0/16.
    nodeSubnet: cidr("subnet node IPs come from", "192.168.0.0/16"),
  }),
  cilium,
  controlPlane,
  workload,
  hardware,
  traffic: s.object({
    podToPod: flow(10, 1400, "from each other node's pods to each new pod"),
    podToNode: flow(1, 200, "from each node's pods to each other node's IP (NodePort, hostNetwork)"),
  }),
});

export type Scenario = s.Infer<typeof scenarioFields>;

export const scenarioSchema: s.Schema<Scenario> = s.refine(scenarioFields, checkScenario);

/** Cross-field checks, including the ones Cilium's agent makes at start-up. */
function checkScenario(sc: Scenario, path: string): void {
  const at = (p: string) => (path === "" ? p : `${path}.${p}`);
  const podCidr = sc.cilium.ipam.operator.clusterPoolIPv4PodCIDRList[0];
  const mask = sc.cilium.ipam.operator.clusterPoolIPv4MaskSize;
  if (mask < podCidr.bits) throw new SpecError(at("cilium.ipam.operator.clusterPoolIPv4MaskSize"), `must be >= the pod CIDR's prefix length ${podCidr.bits}`);
  if (2 ** (mask - podCidr.bits) < sc.cluster.nodes) {
    throw new SpecError(at("cilium.ipam.operator.clusterPoolIPv4PodCIDRList"), `${podCidr.text} holds only ${2 ** (mask - podCidr.bits)} /${mask} node blocks for ${sc.cluster.nodes} nodes`);
  }
  if (size(sc.cluster.nodeSubnet) - 2 < sc.cluster.nodes) {
    throw new SpecError(at("cluster.nodeSubnet"), `${sc.cluster.nodeSubnet.text} has room for fewer than ${sc.cluster.nodes} nodes`);
  }
  const strict = sc.cilium.encryption.strictMode;
  if (strict.enabled) checkStrictMode(sc, at("cilium.encryption.strictMode"));
}

function checkStrictMode(sc: Scenario, path: string): void {
  const strict = sc.cilium.encryption.strictMode;
  // Cilium refuses to start unless the CIDR parses as IPv4 (pkg/option/config.go).
  const strictCidr = parseCidr(strict.cidr, `${path}.cidr`);
  if (strict.allowRemoteNodeIdentities) return;
  // Cilium's agent refuses a node IP inside the strict CIDR without the node exemption:
  // the node would drop all its own traffic (WriteNodeConfig).
  for (let i = 0; i < sc.cluster.nodes; i++) {
    if (!contains(strictCidr, nodeIp(sc, i))) continue;
    throw new SpecError(`${path}.allowRemoteNodeIdentities`, `node IPs in ${sc.cluster.nodeSubnet.text} lie inside the strict-mode CIDR ${strict.cidr}; Cilium refuses this configuration unless allowRemoteNodeIdentities is true`);
  }
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
