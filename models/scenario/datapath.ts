/**
 * The scenario's datapath configuration, as each agent compiles it, and Cilium's start-up
 * checks on it: refusals are errors naming the field, accepted-but-ignored settings are
 * warnings for the run's manifest.
 */
import { parseCidr } from "../addressing/ipv4.ts";
import { validateDatapath, type DatapathConfig, type NodeIps } from "../datapath/config.ts";
import type { Scenario } from "./index.ts";

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
      cidr: strict.cidr === "" ? undefined : parseCidr(strict.cidr, "cilium.encryption.strictMode.cidr"),
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
  const prefix = (p: string) => (path === "" ? p : `${path}.${p}`);
  if (sc.cilium.encryption.strictMode.cidr !== "") parseCidr(sc.cilium.encryption.strictMode.cidr, prefix("cilium.encryption.strictMode.cidr"));
  return validateDatapath(datapathConfig(sc), nodeIps, {
    version: prefix("cilium.version"),
    routingMode: prefix("cilium.routingMode"),
    encryption: prefix("cilium.encryption.type"),
    nodeEncryption: prefix("cilium.encryption.nodeEncryption"),
    strictEnabled: prefix("cilium.encryption.strictMode.enabled"),
    strictCidr: prefix("cilium.encryption.strictMode.cidr"),
    allowRemoteNodeIdentities: prefix("cilium.encryption.strictMode.allowRemoteNodeIdentities"),
    strictIngress: prefix("cilium.encryption.strictMode.ingress.enabled"),
  });
}
