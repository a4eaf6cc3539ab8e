/**
 * The scenario: everything one simulation run needs. Knobs that Cilium has a Helm value for
 * live under `cilium` with Helm's name and path; the rest (cluster shape and lifecycle,
 * control-plane latencies and failures, workload, traffic, hardware) are leaklab's own.
 * Durations are distributions (sim/distributions.ts): a plain number is a constant in seconds.
 */
import { SpecError } from "../../sim/errors.ts";
import * as s from "../../sim/schema.ts";
import { networkOf, size } from "../addressing/ipv4.ts";
import { CORES_WHY, hardwareProfileNames, MAX_CORES, MAX_NIC_GBPS, NIC_WHY, validateHardwareProfile, type HardwareProfile } from "../cost/index.ts";
import { cilium } from "./cilium.ts";
import { addressingOf, cluster } from "./cluster.ts";
import { seconds } from "./common.ts";
import { controlPlane } from "./controlPlane.ts";
import { checkDatapath } from "./datapath.ts";
import { checkHelmNames } from "./helmNames.ts";
import { noEffectWarnings } from "./noEffect.ts";
import { checkNodeCapacity, checkOverlappingFit, checkTrafficVolume, nodesEver } from "./capacity.ts";
import type { AddressRange } from "../datapath/startup.ts";
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
  nicGbps: s.optional(s.number({ min: 0, exclusiveMin: true, max: MAX_NIC_GBPS, why: NIC_WHY, description: "override the profile's NIC line rate, Gbit/s" })),
  cores: s.optional(s.number({ integer: true, min: 1, max: MAX_CORES, why: CORES_WHY, description: "override the profile's physical cores" })),
  underlayMtu: s.optional(s.number({ integer: true, min: 1280, max: 65535, description: "override the profile's underlay (NIC) MTU" })),
});

const scenarioFields = s.object({
  duration: seconds({ exclusiveMin: true, default: 600, description: "simulated seconds" }),
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
  checkHelmNames(sc, at);
  const addressing = addressingOf(sc, path);
  checkNodeCapacity(sc, addressing, at);
  checkOverlappingFit(sc, addressing, at);
  const maxNodes = nodesEver(sc).total;
  sc.workload.deployments.forEach((d, i) => {
    if (d.namespace >= sc.workload.namespaces) throw new SpecError(at(`workload.deployments[${i}].namespace`), `must be below workload.namespaces (${sc.workload.namespaces})`);
    d.rollouts.forEach((t, j) => {
      if (t < d.startAt) throw new SpecError(at(`workload.deployments[${i}].rollouts[${j}]`), `must not be before the deployment's startAt (${d.startAt}), got ${t}`);
    });
  });
  sc.controlPlane.agent.restarts.forEach((r, i) => {
    if (r.node >= maxNodes) throw new SpecError(at(`controlPlane.agent.restarts[${i}].node`), `must name a node that can exist (0 to ${maxNodes - 1}, in join order), got ${r.node}`);
  });
  checkTrafficVolume(sc, at);
  checkDatapath(sc, possibleNodeIps(sc), path);
}

/** What Cilium would accept but ignore in this scenario (for the manifest). */
export function scenarioWarnings(sc: Scenario): string[] {
  return [...checkHelmNames(sc, (p) => p), ...checkDatapath(sc, possibleNodeIps(sc), ""), ...noEffectWarnings(sc)];
}

/**
 * Every address a node may get: the node subnet (nodes take their IPs from it), as a range, so
 * that a /2 costs no more to check than a /28.
 */
function possibleNodeIps(sc: Scenario): AddressRange {
  const subnet = addressingOf(sc).nodeSubnet;
  return { first: networkOf(subnet), count: size(subnet) };
}
