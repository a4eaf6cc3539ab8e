/**
 * The scenario's datapath configuration, as each agent compiles it, and Cilium's start-up
 * checks on it: refusals are errors naming the field, accepted-but-ignored settings are
 * warnings for the run's manifest.
 */
import { parseCidr } from "../addressing/ipv4.ts";
import type { DatapathConfig } from "../datapath/config.ts";
import { validateDatapath, type DatapathPaths, type NodeIps } from "../datapath/startup.ts";
import type { Scenario } from "./index.ts";

/** The scenario paths of the datapath's fields, written once. */
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

export function datapathConfig(sc: Scenario): DatapathConfig {
  const enc = sc.cilium.encryption;
  const strict = enc.strictMode;
  return {
    version: sc.cilium.version,
    routingMode: sc.cilium.routingMode,
    encryption: enc.enabled ? enc.type : "disabled",
    nodeEncryption: enc.nodeEncryption,
    strictMode: {
      enabled: strict.enabled,
      cidr: strict.cidr === "" ? undefined : parseCidr(strict.cidr, DATAPATH_PATHS.strictCidr),
      allowRemoteNodeIdentities: strict.allowRemoteNodeIdentities,
      ingress: strict.ingress.enabled,
    },
  };
}

/**
 * Runs Cilium's checks for every node IP the run can use; throws a SpecError (paths under
 * `path`) where Cilium refuses, returns warnings otherwise.
 */
export function checkDatapath(sc: Scenario, nodeIps: NodeIps, path: string): string[] {
  const at = Object.fromEntries(Object.entries(DATAPATH_PATHS).map(([k, p]) => [k, path === "" ? p : `${path}.${p}`])) as DatapathPaths;
  if (sc.cilium.encryption.strictMode.cidr !== "") parseCidr(sc.cilium.encryption.strictMode.cidr, at.strictCidr);
  return validateDatapath(datapathConfig(sc), nodeIps, at);
}
