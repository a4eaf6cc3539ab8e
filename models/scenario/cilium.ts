/**
 * Cilium's own knobs, by their Helm names and paths. A value whose default depends on the
 * version is optional here and filled in by the resolver from the version's defaults
 * (versionDefaults.ts, effective.ts); names that exist only in some versions are checked by
 * helmNames.ts.
 */
import { SpecError } from "../../sim/errors.ts";
import { COUNT_WHY, MAX_COUNT } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { parseCidr } from "../addressing/ipv4.ts";
import { CILIUM_VERSIONS } from "../datapath/config.ts";
import { eni, ipam } from "./cluster.ts";
import { CONTROL_PLANE_LABEL, parseSelector, selects } from "./labels.ts";
import { rate } from "./common.ts";

const PER_VERSION = "(default: the version's, see the README's version table)";

/** A strict-mode CIDR; the empty string (Helm's "unset") reads as absent. */
const strictCidr = (description: string) => s.optional(s.custom((v, p) => (v === "" ? undefined : parseCidr(v, p)), () => ({ type: "string" }), { description }));

const egressFields = (names: string) => ({
  enabled: s.optional(s.boolean({ description: `drop plaintext packets whose source and destination are both in \`cidr\` (default false; ${names})` })),
  cidr: strictCidr(`IPv4 CIDR of pod addresses (Helm default empty; required when enabled; ${names})`),
  allowRemoteNodeIdentities: s.optional(s.boolean({ description: `exempt destinations whose IPCache identity is a node (default false; ${names})` })),
});

const strictMode = s.object({
  ...egressFields("pr21856 to 1.19, deprecated in 1.19"),
  egress: s.object(egressFields("the 1.19 names")),
  ingress: s.object({
    enabled: s.optional(s.boolean({ description: "1.19: drop cluster traffic that did not arrive through WireGuard (tunnel mode); default false" })),
  }),
});

const rateLimit = s.object({
  nodes: s.number({ integer: true, min: 0, max: MAX_COUNT, why: COUNT_WHY, description: "applies from this cluster size up" }),
  limit: rate({ exclusiveMin: true, description: "CES writes per second" }),
  burst: s.number({ integer: true, min: 1, max: MAX_COUNT, why: COUNT_WHY, description: "token bucket size" }),
});

const clientLimit = (who: string) => ({
  qps: s.optional(rate({ exclusiveMin: true, description: `${who}'s Kubernetes client requests per second ${PER_VERSION}` })),
  burst: s.optional(s.number({ integer: true, min: 1, max: MAX_COUNT, why: COUNT_WHY, description: `${who}'s Kubernetes client burst ${PER_VERSION}` })),
});

/** node-encryption-opt-out-labels: which nodes opt out of node encryption; leaklab's workers carry no label, so a selector must not select them. */
const optOutLabels = s.custom(
  (v, path) => {
    const sel = parseSelector(v, path);
    if (selects(sel, {})) throw new SpecError(path, `\`${sel.text}\` selects nodes without labels, i.e. every worker; leaklab models only the control-plane node's label ${CONTROL_PLANE_LABEL}`);
    return sel;
  },
  () => ({ type: "string" }),
  { default: CONTROL_PLANE_LABEL, description: "label selector of the nodes that opt out of node encryption (Cilium's default; empty: none)" },
);

export const cilium = s.object({
  version: s.oneOf(CILIUM_VERSIONS, {
    default: "1.15",
    description: "datapath semantics and the version's defaults; pr21856 is strict mode as merged (cilium/cilium#21856) and described by the seeds; 1.16 and 1.17 judge like 1.15",
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
  // Helm defaults in every modelled version (v1.14.0 values.yaml L479-481 and L1617-1618 ...
  // v1.17.0-pre.1 L565-567 and L1972-1973); they matter in tunnel mode (datapath/masquerade.ts).
  enableIPv4Masquerade: s.boolean({ default: true, description: "masquerade IPv4 traffic leaving the node from endpoints" }),
  bpf: s.object({
    masquerade: s.boolean({ default: false, description: "masquerade in BPF (after strict mode's filter) instead of iptables (before it)" }),
  }),
  enableCiliumEndpointSlice: s.optional(s.boolean({ description: "agents watch CiliumEndpointSlices (up to 1.18; deprecated from 1.16; default false)" })),
  ciliumEndpointSlice: s.object({
    enabled: s.optional(s.boolean({ description: "agents watch CiliumEndpointSlices written by the operator (from 1.16; Helm default false: agents watch CiliumEndpoints)" })),
    // The entry with the largest `nodes` not above the CiliumNode count applies.
    rateLimits: s.optional(s.array(rateLimit, { minItems: 1, description: `CES write limits by cluster size (from 1.16) ${PER_VERSION}` })),
  }),
  // Helm extraConfig: cilium-config entries without a Helm value of their own.
  extraConfig: s.object({ "node-encryption-opt-out-labels": optOutLabels }),
  k8sClientRateLimit: s.object({
    ...clientLimit("the agent (up to 1.16 also the operator)"),
    operator: s.object(clientLimit("the operator (from 1.17)")),
  }),
});
