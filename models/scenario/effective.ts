/**
 * What the scenario's Cilium settings come to in its version: each Helm value as written, or
 * that version's default (versionDefaults.ts), with the names the version uses merged (an
 * older and a newer name of one setting). The resolver and the datapath configuration read
 * these, never the version-dependent fields themselves. Memoised per scenario object.
 */
import type { Cidr } from "../addressing/ipv4.ts";
import type { Scenario } from "./index.ts";
import { VERSION_DEFAULTS, type RateLimit, type VersionDefaults } from "./versionDefaults.ts";

export interface StrictSettings {
  enabled: boolean;
  cidr: Cidr | undefined;
  allowRemoteNodeIdentities: boolean;
  ingress: boolean;
  /** The scenario path each came from, for errors and warnings. */
  paths: { enabled: string; cidr: string; allowRemoteNodeIdentities: string; ingress: string };
}

export interface CiliumSettings {
  defaults: VersionDefaults;
  /** Agents watch CiliumEndpointSlices (Helm: either name true, as the v1.16.0 configmap template L1158 does). */
  cesEnabled: boolean;
  /** The CES write table, or undefined where the version paces writes by the operator's client only. */
  cesRateLimits: readonly RateLimit[] | undefined;
  agentClient: { qps: number; burst: number };
  operatorClient: { qps: number; burst: number };
  strict: StrictSettings;
}

const cache = new WeakMap<Scenario, CiliumSettings>();

export function ciliumSettings(sc: Scenario): CiliumSettings {
  let s = cache.get(sc);
  if (s === undefined) cache.set(sc, (s = build(sc)));
  return s;
}

function build(sc: Scenario): CiliumSettings {
  const c = sc.cilium;
  const d = VERSION_DEFAULTS[c.version];
  const rl = c.k8sClientRateLimit;
  const agentClient = { qps: rl.qps ?? d.agentClient.qps, burst: rl.burst ?? d.agentClient.burst };
  // Up to 1.16 the operator reads the agent's k8s-client-qps/burst from the same ConfigMap.
  const own = d.operatorClient;
  const operatorClient = own === "agent's" ? { ...agentClient } : { qps: rl.operator.qps ?? own.qps, burst: rl.operator.burst ?? own.burst };
  return {
    defaults: d,
    cesEnabled: c.ciliumEndpointSlice.enabled === true || c.enableCiliumEndpointSlice === true,
    cesRateLimits: c.ciliumEndpointSlice.rateLimits ?? d.cesRateLimits,
    agentClient,
    operatorClient,
    strict: strictOf(sc),
  };
}

const STRICT = "cilium.encryption.strictMode";

/**
 * One setting under its pre-1.19 name and its 1.19 egress name: the one written (helmNames.ts
 * refuses two that differ). An unwritten one is named as the scenario's other strict fields are.
 */
function either<T>(old: T | undefined, renamed: T | undefined, field: string, egress: boolean): { value: T | undefined; path: string } {
  const path = renamed !== undefined || (old === undefined && egress) ? `${STRICT}.egress.${field}` : `${STRICT}.${field}`;
  return { value: renamed ?? old, path };
}

function strictOf(sc: Scenario): StrictSettings {
  const s = sc.cilium.encryption.strictMode;
  const egress = Object.values(s.egress).some((v) => v !== undefined);
  const enabled = either(s.enabled, s.egress.enabled, "enabled", egress);
  const cidr = either(s.cidr, s.egress.cidr, "cidr", egress);
  const allow = either(s.allowRemoteNodeIdentities, s.egress.allowRemoteNodeIdentities, "allowRemoteNodeIdentities", egress);
  return {
    enabled: enabled.value ?? false,
    cidr: cidr.value,
    allowRemoteNodeIdentities: allow.value ?? false,
    ingress: s.ingress.enabled ?? false,
    paths: { enabled: enabled.path, cidr: cidr.path, allowRemoteNodeIdentities: allow.path, ingress: `${STRICT}.ingress.enabled` },
  };
}
