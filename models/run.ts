/**
 * One simulation run: the cluster's nodes and pods evolve and the control plane carries their
 * changes to every agent, event by event, until the scenario's duration; then traffic is
 * judged against each node's IPCache timeline. A pure function of (scenario, seed,
 * replication): same inputs, same result, in any worker.
 */
import { Simulator } from "../sim/simulator.ts";
import { Streams } from "../sim/random.ts";
import { Trace } from "../sim/trace.ts";
import { IpcacheTimeline } from "./ipcache/timeline.ts";
import { Accounting } from "./accounting.ts";
import type { LeakWindow, WindowSink } from "./windows.ts";
import type { Endpoint } from "./cluster/endpoint.ts";
import { ClusterAddressing } from "./addressing/plan.ts";
import { Nodes, type ClusterNode } from "./cluster/nodes.ts";
import { Pods } from "./cluster/pods.ts";
import { ControlPlane } from "./controlplane/controlPlane.ts";
import { costMetrics } from "./cost/scenario.ts";
import { datapathConfig } from "./scenario/datapath.ts";
import type { Scenario } from "./scenario/index.ts";
import { addressingOf } from "./scenario/cluster.ts";
import { datapathJudge } from "./traffic/datapathJudge.ts";
import { accountNodeTraffic } from "./traffic/nodeTraffic.ts";
import { accountPodTraffic } from "./traffic/podTraffic.ts";
import { NodeViews } from "./ipcache/views.ts";

export interface RunInput {
  scenario: Scenario;
  seed: number;
  replication: number;
  /** Keep the event trace (MessagePack) in the result; the fingerprint is always computed. */
  keepTrace?: boolean;
  /**
   * The leak windows that carried traffic: "collect" keeps them in the result (default, for
   * small runs and tests), a sink receives each as it closes (memory stays flat however many
   * there are), "none" skips them.
   */
  windows?: "collect" | "none" | WindowSink;
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs?: boolean;
  /**
   * Judge traffic only from nodes whose index is a multiple of this (default 1: every node).
   * The metrics then describe that sample; size estimates use it.
   */
  observerStride?: number;
}

/** How much work a run was: deterministic, unlike its wall time. */
export interface RunWork {
  /** (pod, sending node) pairs that existed. */
  pairs: number;
  /** Of those, the ones judged (fewer only with observerStride). */
  judgedPairs: number;
  /** Per-observer arrival times the control plane drew (4 bytes each: most of a run's memory). */
  arrivals: number;
}

export interface RunResult {
  metrics: Record<string, number>;
  /** The windows with traffic, when the input asked to collect them (else empty). */
  windows: LeakWindow[];
  /** Simulation events dispatched: a deterministic measure of work. */
  events: number;
  fingerprint: string;
  work: RunWork;
  trace?: Uint8Array;
}

export function simulateRun(input: RunInput): RunResult {
  const sc = input.scenario;
  const sim = new Simulator();
  const streams = new Streams(input.seed, input.replication);
  const trace = new Trace(input.keepTrace ?? false);
  const plan = new ClusterAddressing(addressingOf(sc), streams);
  const book = new IpcacheTimeline();
  const dp = datapathConfig(sc);

  let pods: Pods | undefined;
  // Buses deliver to the nodes, and nodes publish through the control plane: break the cycle
  // with an observer set that reads the node list once it exists.
  const observers = { get count() { return nodes.count; }, listedAt: (n: number) => nodes.listedAt(n) };
  const cp = new ControlPlane(sim, sc, streams, observers, (bus, id) => trace.record(sim.now, bus, id));
  const nodes: Nodes = new Nodes(sim, {
    initial: sc.cluster.nodes, events: sc.cluster.lifecycle.events, replacementRate: sc.cluster.lifecycle.replacementRate,
    joinDelay: sc.cluster.lifecycle.joinDelay, deleteDelay: sc.controlPlane.nodeManager.deleteDelay, duration: sc.duration,
  }, plan, cp.api, streams.stream("cluster/nodes"), {
    joined: (node) => {
      trace.record(sim.now, "node+", node.name);
      views.nodeAdded(node);
      for (const [kind, ip] of [["node", node.ip], ["router", node.routerIp], ["health", node.healthIp]] as const) {
        if (ip !== undefined) book.add({ kind, ip, owner: node, hostNode: node.index, bus: nodes.bus! });
      }
    },
    removing: (node) => {
      trace.record(sim.now, "node-", node.name);
      pods!.nodeRemoved(node.index);
    },
  });
  const views = new NodeViews(book, nodes, dp);
  nodes.bus = cp.nodeBus;
  pods = new Pods(sim, {
    namespaces: sc.workload.namespaces, readinessDelay: sc.workload.readinessDelay, churn: sc.workload.churn,
    deployments: sc.workload.deployments, duration: sc.duration,
  }, nodes, plan, streams, {
    created: (e) => {
      trace.record(sim.now, "pod+", e.id, e.node);
      book.add({ kind: "pod", ip: e.ip, owner: e, hostNode: e.node, bus: cp.endpointBus });
      cp.endpointCreated(e);
    },
    deleted: (e, withNode) => {
      trace.record(sim.now, "pod-", e.id);
      cp.endpointDeleted(e, withNode);
    },
  });
  nodes.start();
  pods.start();
  sim.run(sc.duration);

  const collected: LeakWindow[] = [];
  const want = input.windows ?? "collect";
  const acct = new Accounting(want === "none" ? undefined : want === "collect" ? (w) => collected.push(w) : want);
  const judging = { exactPairs: input.exactPairs ?? false, observerStride: input.observerStride ?? 1 };
  judgeTraffic(sc, nodes.list, pods.endpoints, views, cp, dp, acct, streams, judging);
  return {
    metrics: {
      endpoints: pods.endpoints.length,
      pods_without_address: pods.withoutAddress,
      nodes_joined: nodes.list.length,
      ...acct.metrics(),
      ...cp.metrics(),
      ...costMetrics(sc),
    },
    windows: collected,
    events: sim.dispatched,
    fingerprint: trace.fingerprint(),
    work: { pairs: acct.pairs, judgedPairs: acct.judgedPairs, arrivals: cp.endpointBus.cells + cp.nodeBus.cells + cp.lbBus.cells },
    ...(input.keepTrace ? { trace: trace.bytes() } : {}),
  };
}

function judgeTraffic(
  sc: Scenario, nodes: readonly ClusterNode[], endpoints: readonly Endpoint[], views: NodeViews, cp: ControlPlane,
  dp: ReturnType<typeof datapathConfig>, acct: Accounting, streams: Streams, judging: { exactPairs: boolean; observerStride: number },
): void {
  const judge = datapathJudge(dp, views, nodes);
  const t = sc.traffic;
  accountPodTraffic({
    duration: sc.duration, nodes, endpoints, endpointBus: cp.endpointBus, lbBus: cp.lbBus, lbUpsert: cp.services.lbUpsert,
    views, judge, flows: { direct: t.podToPod, replies: t.replies, service: t.service }, acct,
    rng: streams.stream("traffic/pods"), encryption: dp.encryption !== "disabled", ...judging,
  });
  accountNodeTraffic({
    duration: sc.duration, nodes, endpoints, views, judge, acct, rng: streams.stream("traffic/nodes"), observerStride: judging.observerStride,
    flows: { podToNode: t.podToNode, healthProbes: t.healthProbes, apiServerToPods: t.apiServerToPods, podToOutside: t.podToOutside },
  });
}
