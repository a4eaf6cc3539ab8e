/**
 * The cost figures of one scenario: its encryption, routing, version and hardware, for the
 * traffic mix its pod-to-pod flows carry. Analytic, so the same for every replication. The
 * same CostQuestion, with the same defaults, is what `npm run cost` asks (defaultQuestion).
 */
import { datapathConfig } from "./datapath.ts";
import { type Scenario, scenarioSchema } from "./index.ts";
import type { HardwareProfile } from "../cost/hardware.ts";
import { type CostAnswer, costOf, type CostQuestion } from "../cost/question.ts";

/** The scenario's hardware profile with its overrides applied. */
export function scenarioHardware(sc: Scenario): HardwareProfile {
  const h = sc.hardware;
  return {
    ...h.profile,
    ...(h.nicGbps !== undefined ? { nicGbps: h.nicGbps } : {}),
    ...(h.cores !== undefined ? { cores: h.cores } : {}),
    ...(h.underlayMtu !== undefined ? { underlayMtu: h.underlayMtu } : {}),
  };
}

/**
 * The question a scenario asks. The pod-to-pod flows of a node go to every other node (peers =
 * nodes − 1), one flow per pair; with a self-managed control plane the first node runs the API
 * server and opts out of node encryption unless node-encryption-opt-out-labels leaves it in.
 */
export function scenarioQuestion(sc: Scenario): CostQuestion {
  const hardware = scenarioHardware(sc);
  const enc = sc.cilium.encryption;
  const t = sc.traffic;
  return {
    encryption: enc.enabled ? enc.type : "none",
    routingMode: sc.cilium.routingMode,
    tunnelProtocol: "vxlan",
    ciliumVersion: sc.cilium.version,
    ipFamily: "ipv4",
    underlayMtu: hardware.underlayMtu,
    hardware,
    packetBytes: t.podToPod.packetBytes,
    nodes: sc.cluster.nodes,
    peers: sc.cluster.nodes - 1,
    flowsPerPeer: 1,
    nodeEncryption: enc.enabled && enc.nodeEncryption,
    controlPlaneNodes: datapathConfig(sc).controlPlaneOptsOut && sc.cluster.apiServer === "control-plane-node" ? 1 : 0,
    hostTraffic: { podToNode: t.podToNode, healthProbes: t.healthProbes },
  };
}

/** The question of a scenario with every default: what `npm run cost` starts from. */
export function defaultQuestion(): CostQuestion {
  return scenarioQuestion(scenarioSchema.parse({}, ""));
}

export function scenarioCost(sc: Scenario): CostAnswer {
  return costOf(scenarioQuestion(sc));
}

/** The cost columns of runs.csv. */
export function costMetrics(sc: Scenario): Record<string, number> {
  return scenarioCost(sc).columns;
}
