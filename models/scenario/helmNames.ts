/**
 * Helm values that exist in some modelled versions only. A scenario that writes one its
 * version does not have is refused, naming the versions that have it (Helm would silently
 * ignore an unknown value, and the setting would do nothing); one its version has but
 * deprecates gets a warning. Everything else under `cilium` exists in every modelled version.
 */
import { SpecError } from "../../sim/errors.ts";
import { CILIUM_VERSIONS, type CiliumVersion } from "../datapath/config.ts";
import type { Scenario } from "./index.ts";

interface HelmName {
  /** Leaf paths under the scenario root. */
  paths: readonly string[];
  versions: readonly CiliumVersion[];
  /** What to write instead, in the versions without it. */
  instead?: string;
  /** Versions in which it exists but is deprecated, and for what. */
  deprecated?: { versions: readonly CiliumVersion[]; use: string };
  source: string;
}

const from = (v: CiliumVersion): CiliumVersion[] => CILIUM_VERSIONS.slice(CILIUM_VERSIONS.indexOf(v));
const upTo = (v: CiliumVersion): CiliumVersion[] => CILIUM_VERSIONS.slice(0, CILIUM_VERSIONS.indexOf(v) + 1);

const STRICT = "cilium.encryption.strictMode";

const HELM_NAMES: readonly HelmName[] = [
  {
    paths: ["cilium.enableCiliumEndpointSlice"],
    versions: upTo("1.18"),
    instead: "cilium.ciliumEndpointSlice.enabled",
    deprecated: { versions: ["1.16", "1.17", "1.18"], use: "cilium.ciliumEndpointSlice.enabled" },
    source: "v1.16.0 values.yaml L714-715 marks it deprecated; removed for 1.19 by cilium/cilium#40070",
  },
  {
    paths: ["cilium.ciliumEndpointSlice.enabled", "cilium.ciliumEndpointSlice.rateLimits"],
    versions: from("1.16"),
    instead: "cilium.enableCiliumEndpointSlice (the write limit is then the operator flag ces-write-qps-limit, which has no Helm value)",
    source: "v1.16.0 values.yaml L716-733",
  },
  {
    paths: [`${STRICT}.enabled`, `${STRICT}.cidr`, `${STRICT}.allowRemoteNodeIdentities`],
    versions: from("pr21856"),
    deprecated: { versions: ["1.19"], use: `${STRICT}.egress.*` },
    source: "added by cilium/cilium#21856 (5da5882 values.yaml L772); deprecated by the 1.19 upgrade notes",
  },
  {
    paths: [`${STRICT}.egress.enabled`, `${STRICT}.egress.cidr`, `${STRICT}.egress.allowRemoteNodeIdentities`],
    versions: from("1.19"),
    instead: `${STRICT}.enabled, .cidr and .allowRemoteNodeIdentities`,
    source: "the 1.19 rename (upgrade notes)",
  },
  { paths: [`${STRICT}.ingress.enabled`], versions: from("1.19"), source: "cilium/cilium#39239, 1.19" },
  {
    paths: ["cilium.k8sClientRateLimit.qps", "cilium.k8sClientRateLimit.burst"],
    versions: CILIUM_VERSIONS.filter((v) => v !== "pr21856"),
    source: "added by e2f475dfd0 (2023-07-07) after the #21856 merge, and in v1.14.0 (values.yaml L48-53)",
  },
  {
    paths: ["cilium.k8sClientRateLimit.operator.qps", "cilium.k8sClientRateLimit.operator.burst"],
    versions: from("1.17"),
    instead: "cilium.k8sClientRateLimit.qps and .burst, which the operator shares with the agent",
    source: "v1.17.0-pre.1 values.yaml L84-98",
  },
];

/** The value at a dotted path of the parsed scenario (undefined where absent). */
function valueAt(sc: Scenario, path: string): unknown {
  let v: unknown = sc;
  for (const seg of path.split(".")) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[seg];
  return v;
}

/** 1.19's renamed strict-mode values, next to the older names of the same settings. */
const RENAMED = ["enabled", "cidr", "allowRemoteNodeIdentities"].map((f) => ({ old: `${STRICT}.${f}`, renamed: `${STRICT}.egress.${f}` }));

/** Values as written, comparable (a parsed CIDR by its text). */
const comparable = (v: unknown): unknown => (typeof v === "object" && v !== null && "text" in v ? (v as { text: string }).text : v);

/**
 * Refuses a Helm value that the scenario's version does not have, and an old and a new name of
 * one setting that disagree; returns deprecation warnings.
 */
export function checkHelmNames(sc: Scenario, at: (p: string) => string): string[] {
  const version = sc.cilium.version;
  const warnings: string[] = [];
  for (const name of HELM_NAMES) {
    for (const path of name.paths) {
      if (valueAt(sc, path) === undefined) continue;
      if (!name.versions.includes(version)) {
        const instead = name.instead === undefined ? "" : `; in ${version} write ${name.instead}`;
        throw new SpecError(at(path), `is not a Helm value of Cilium ${version}, which would ignore it: it exists in ${name.versions.join(", ")} (${name.source})${instead}`);
      }
      if (name.deprecated?.versions.includes(version)) {
        warnings.push(`${path}: deprecated in Cilium ${version}; use ${name.deprecated.use} (${name.source})`);
      }
    }
  }
  for (const { old, renamed } of RENAMED) {
    const a = valueAt(sc, old);
    const b = valueAt(sc, renamed);
    if (a !== undefined && b !== undefined && comparable(a) !== comparable(b)) {
      throw new SpecError(at(renamed), `differs from ${old}, which names the same setting; write one of them`);
    }
  }
  return warnings;
}
