/**
 * The one reader of the scenario: turns a parsed scenario into each component's own
 * configuration, as an OMNeT++ module reads only its own parameters. The cluster, the control
 * plane, the datapath, the traffic judge and the cost model take what this returns and never
 * see the scenario. Memoised per scenario object, so a point's datapath configuration, strict
 * CIDR and cost figures are worked out once however often they are asked for (validation,
 * warnings, every run of the point). Defaults that depend on the Cilium version belong here.
 */
import type { ControlPlaneConfig } from "../controlplane/controlPlane.ts";
import { leaderlessIntervals } from "../controlplane/leadership.ts";
import type { Interval } from "../../sim/intervals.ts";
import type { DatapathConfig } from "../datapath/config.ts";
import type { IpcacheDelete } from "../ipcache/deletions.ts";
import type { NodeFlows } from "../traffic/nodeTraffic.ts";
import type { PodFlows } from "../traffic/podTraffic.ts";
import type { PropagationConfig } from "../propagation.ts";
import { addressingOf } from "./cluster.ts";
import { costMetrics } from "./cost.ts";
import { datapathConfig } from "./datapath.ts";
import { ciliumSettings } from "./effective.ts";
import type { Scenario } from "./index.ts";

export interface RunConfig extends PropagationConfig {
  datapath: DatapathConfig;
  flows: { pods: PodFlows; nodes: NodeFlows };
  /** The cost model's columns of runs.csv (analytic: the same for every run of the point). */
  cost: Record<string, number>;
  /** Entries deleted by hand from every agent's BPF ipcache (traffic half only). */
  ipcacheDeletes: IpcacheDelete[];
}

const resolved = new WeakMap<Scenario, RunConfig>();

export function resolveScenario(sc: Scenario): RunConfig {
  let r = resolved.get(sc);
  if (r === undefined) {
    r = build(sc);
    resolved.set(sc, r);
  }
  return r;
}

function build(sc: Scenario): RunConfig {
  const lc = sc.cluster.lifecycle;
  const w = sc.workload;
  const t = sc.traffic;
  return {
    duration: sc.duration,
    addressing: addressingOf(sc),
    operatorLeaderless: operatorLeaderless(sc),
    nodes: { initial: sc.cluster.nodes, events: lc.events, replacementRate: lc.replacementRate, joinDelay: lc.joinDelay, duration: sc.duration, controlPlaneNode: sc.cluster.apiServer === "control-plane-node" },
    workload: { namespaces: w.namespaces, readinessDelay: w.readinessDelay, churn: w.churn, deployments: w.deployments, duration: sc.duration },
    controlPlane: controlPlaneConfig(sc),
    datapath: datapathConfig(sc),
    flows: {
      pods: { direct: t.podToPod, replies: t.replies, service: t.service, responses: t.responses },
      nodes: {
        podToNode: t.podToNode, healthProbes: t.healthProbes, apiServerToPods: t.apiServerToPods, podsToApiServer: t.podsToApiServer,
        podToOutside: t.podToOutside, apiServer: sc.cluster.apiServer,
      },
    },
    cost: costMetrics(sc),
    ipcacheDeletes: w.deployments.flatMap((d, i) => d.ipcacheDeleted.map((x) => ({ deployment: i, ...x }))),
  };
}

/** When the operator has no leader: its outages and leader failures (leadership.ts). */
function operatorLeaderless(sc: Scenario): Interval[] {
  const op = sc.controlPlane.operator;
  return leaderlessIntervals({ outages: op.outages, leaderFailures: op.leaderFailures, leaseDuration: op.leaseDuration, retryPeriod: op.retryPeriod });
}

function controlPlaneConfig(sc: Scenario): ControlPlaneConfig {
  const cp = sc.controlPlane;
  const cs = ciliumSettings(sc);
  const op = cp.operator;
  return {
    duration: sc.duration,
    apiServer: cp.apiServer,
    agent: { ...cp.agent, ...cs.agentClient },
    identity: cp.identity,
    operator: cs.cesEnabled
      ? {
        sliceMode: op.sliceMode, syncDelay: op.syncDelay, leaderless: operatorLeaderless(sc),
        writeLimit: { table: cs.cesRateLimits, followsNodes: cs.defaults.cesLimitFollowsNodes, cap: cs.defaults.cesLimitCap, client: cs.operatorClient },
        initialNodes: sc.cluster.nodes, queueing: cs.defaults.cesQueueing,
      }
      : undefined,
    nodeManager: cp.nodeManager,
    services: cp.services,
  };
}
