/** Pods and the traffic they carry. */
import { SpecError } from "../../sim/errors.ts";
import { BYTES_WHY, COUNT_WHY, MAX_BYTES, MAX_COUNT } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { dist, flow, rate, seconds } from "./common.ts";

const count = (o: { min: number; default?: number; description?: string }) => s.number({ integer: true, ...o, max: MAX_COUNT, why: COUNT_WHY });

/** Cluster-local security identities are 16 bits: 256 to 65535 (higher bits carry the cluster ID in a cluster mesh). */
const MAX_IDENTITIES = 65535;

const ipcacheDelete = s.object({
  start: seconds({ description: "entries deleted (cilium bpf ipcache delete on every agent)" }),
  end: seconds({ description: "entries restored" }),
  podCidrEntries: s.boolean({ default: false, description: "also delete every remote pod-CIDR entry (cilium-cli strict-mode-encryption-v2, 1.18 on)" }),
}, {
  check: (v, path) => {
    if (!(v.end > v.start)) throw new SpecError(`${path}.end`, `must be greater than start (${v.start}), got ${v.end}`);
  },
});

const deployment = s.object({
  name: s.string({ description: "for reports" }),
  namespace: count({ min: 0, default: 0 }),
  replicas: count({ min: 1 }),
  service: s.boolean({ default: true, description: "backs a Service: its pods are load-balancer backends" }),
  startAt: seconds({ default: 0 }),
  rollouts: s.array(seconds(), { default: [], description: "times of rolling updates (max surge 1, max unavailable 0)" }),
  ipcacheDeleted: s.array(ipcacheDelete, {
    default: [],
    description: "intervals in which its pods' /32 entries (those alive at the start) are deleted from every agent's BPF ipcache, as cilium-cli's strict-mode tests do",
  }),
});

export const workload = s.object({
  namespaces: count({ min: 1, default: 1, description: "churn pods are spread over this many namespaces" }),
  readinessDelay: dist("pod created -> ready (traffic starts)", { dist: "lognormal", median: 2, p99: 8 }),
  churn: s.object({
    rate: rate({ default: 1, description: "new pods per second, Poisson, placed uniformly on nodes" }),
    lifetime: s.optional(dist("pod lifetime; absent: pods live until the end", undefined)),
    identities: s.number({
      integer: true, min: 1, max: MAX_IDENTITIES, default: 20, description: "distinct label sets; each pod draws one uniformly",
      why: "Cilium's cluster-local security identities are 16 bits (256 to 65535)",
    }),
  }),
  deployments: s.array(deployment, { default: [] }),
});

export const traffic = s.object({
  podToPod: flow(10, 1400, "from a client pod on each other node to each pod (direct pod-IP peers)"),
  replies: flow(0, 1400, "of replies from each other node to each pod's own requests"),
  responses: flow(0, 1400, "from each pod back to each other node's client pod: its answers to their requests (judged on the pod's node)"),
  service: flow(0, 1400, "from each other node's service clients to each backend, once its LB map has it"),
  podToNode: flow(1, 200, "from each node's client pod to every other node's IP (NodePort, hostNetwork)"),
  healthProbes: s.object({
    // cilium-health probes every node and health IP every 60 s (CFP-32820).
    interval: seconds({ default: 60, description: "seconds between probe rounds (ICMP + HTTP per target); 0: none" }),
    packetBytes: s.number({ integer: true, min: 1, max: MAX_BYTES, why: BYTES_WHY, default: 100 }),
  }),
  apiServerToPods: flow(0.1, 500, "from the API server (the first node's host, or outside the cluster with cluster.apiServer managed) to each pod: webhooks, port-forward, proxied requests"),
  podsToApiServer: flow(0.1, 500, "from each pod to the API server: its replies, and its own API calls (the kubernetes Service leads to the API server's address)"),
  podToOutside: flow(1, 500, "from each node's client pod to the Internet"),
});
