/** Cilium's own knobs, by their Helm names and paths. */
import { COUNT_WHY, MAX_COUNT } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { CILIUM_VERSIONS } from "../datapath/config.ts";
import { eni, ipam } from "./cluster.ts";
import { optionalCidr, rate } from "./common.ts";

const strictMode = s.object({
  enabled: s.boolean({ default: false, description: "drop plaintext packets whose source and destination are both in `cidr`" }),
  cidr: optionalCidr("IPv4 CIDR of pod addresses (Helm default empty; required when enabled)"),
  allowRemoteNodeIdentities: s.boolean({ default: false, description: "exempt destinations whose IPCache identity is a node" }),
  ingress: s.object({
    enabled: s.boolean({ default: false, description: "1.19: drop cluster traffic that did not arrive through WireGuard (tunnel mode)" }),
  }),
});

const rateLimit = s.object({
  nodes: s.number({ integer: true, min: 0, max: MAX_COUNT, why: COUNT_WHY, description: "applies from this cluster size up" }),
  limit: rate({ exclusiveMin: true, description: "CES writes per second" }),
  burst: s.number({ integer: true, min: 1, max: MAX_COUNT, why: COUNT_WHY, description: "token bucket size" }),
});

export const cilium = s.object({
  version: s.oneOf(CILIUM_VERSIONS, {
    default: "1.15",
    description: "datapath semantics; pr21856 is strict mode as merged (cilium/cilium#21856) and described by the seeds",
  }),
  routingMode: s.oneOf(["tunnel", "native"] as const, { default: "tunnel", description: "Helm routingMode" }),
  encryption: s.object({
    enabled: s.boolean({ default: true }),
    type: s.oneOf(["wireguard", "ipsec"] as const, { default: "wireguard" }),
    nodeEncryption: s.boolean({ default: false, description: "also encrypt node-to-node and host traffic" }),
    strictMode,
  }),
  ipam,
  eni,
  ciliumEndpointSlice: s.object({
    enabled: s.boolean({ default: false, description: "agents watch CiliumEndpointSlices written by the operator (Helm default false: agents watch CiliumEndpoints)" }),
    // cilium-operator code default ces-rate-limits [{"nodes":0,"limit":10,"burst":20}]
    // (operator/pkg/ciliumendpointslice/cell.go). The entry with the largest `nodes` not above
    // the cluster size applies.
    rateLimits: s.array(rateLimit, { default: [{ nodes: 0, limit: 10, burst: 20 }], minItems: 1 }),
  }),
  // Helm k8sClientRateLimit: 10 QPS, burst 20 for Kubernetes >= 1.27 (5/10 before).
  k8sClientRateLimit: s.object({
    qps: rate({ exclusiveMin: true, default: 10 }),
    burst: s.number({ integer: true, min: 1, max: MAX_COUNT, why: COUNT_WHY, default: 20 }),
  }),
});
