/**
 * The scenario's datapath configuration, as each agent compiles it, and Cilium's start-up
 * checks on it: refusals are errors naming the field, accepted-but-ignored settings are
 * warnings for the run's manifest.
 */
import type { DatapathConfig } from "../datapath/config.ts";
import { validateDatapath, type DatapathPaths, type NodeIps } from "../datapath/startup.ts";
import { ciliumSettings } from "./effective.ts";
import { CONTROL_PLANE_LABEL, selects } from "./labels.ts";
import type { Scenario } from "./index.ts";

/** The scenario paths of the datapath's fields, with strict mode's names before 1.19. */
export const DATAPATH_PATHS: DatapathPaths = {
  version: "cilium.version",
  routingMode: "cilium.routingMode",
  encryption: "cilium.encryption.type",
  nodeEncryption: "cilium.encryption.nodeEncryption",
  strictEnabled: "cilium.encryption.strictMode.enabled",
  strictCidr: "cilium.encryption.strictMode.cidr",
  allowRemoteNodeIdentities: "cilium.encryption.strictMode.allowRemoteNodeIdentities",
  strictIngress: "cilium.encryption.strictMode.ingress.enabled",
};

/** The same, with strict mode's fields under the names this scenario used (1.19's egress.* or the older ones). */
function datapathPaths(sc: Scenario): DatapathPaths {
  const p = ciliumSettings(sc).strict.paths;
  return {
    ...DATAPATH_PATHS,
    strictEnabled: p.enabled,
    strictCidr: p.cidr,
    allowRemoteNodeIdentities: p.allowRemoteNodeIdentities,
    strictIngress: p.ingress,
  };
}

const built = new WeakMap<Scenario, DatapathConfig>();

/** The datapath configuration of a scenario, built once per scenario object. */
export function datapathConfig(sc: Scenario): DatapathConfig {
  let cfg = built.get(sc);
  if (cfg === undefined) built.set(sc, (cfg = build(sc)));
  return cfg;
}

function build(sc: Scenario): DatapathConfig {
  const enc = sc.cilium.encryption;
  const strict = ciliumSettings(sc).strict;
  return {
    version: sc.cilium.version,
    routingMode: sc.cilium.routingMode,
    encryption: enc.enabled ? enc.type : "disabled",
    nodeEncryption: enc.nodeEncryption,
    iptablesMasquerade: sc.cilium.enableIPv4Masquerade && !sc.cilium.bpf.masquerade,
    controlPlaneOptsOut: selects(sc.cilium.extraConfig["node-encryption-opt-out-labels"], { [CONTROL_PLANE_LABEL]: "" }),
    strictMode: {
      enabled: strict.enabled,
      cidr: strict.cidr,
      allowRemoteNodeIdentities: strict.allowRemoteNodeIdentities,
      ingress: strict.ingress,
    },
  };
}

/**
 * Runs Cilium's checks for every node IP the run can use; throws a SpecError (paths under
 * `path`) where Cilium refuses, returns warnings otherwise.
 */
export function checkDatapath(sc: Scenario, nodeIps: NodeIps, path: string): string[] {
  const at = Object.fromEntries(Object.entries(datapathPaths(sc)).map(([k, p]) => [k, path === "" ? p : `${path}.${p}`])) as DatapathPaths;
  return validateDatapath(datapathConfig(sc), nodeIps, at);
}
