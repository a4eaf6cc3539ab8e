/**
 * The event-driven half of a run: nodes and pods come and go and the control plane carries
 * their changes to every agent, event by event, until the scenario's duration. It ends in a
 * Propagation, a read-only record of who existed, who held which address, and when each node
 * learned of each object. Nothing the datapath does feeds back into the control plane, so the
 * analytic half (traffic/judge.ts) can judge every packet exactly from this record alone.
 */
import { Simulator } from "../sim/simulator.ts";
import type { Streams } from "../sim/random.ts";
import type { Trace } from "../sim/trace.ts";
import { ClusterAddressing } from "./addressing/plan.ts";
import type { Endpoint } from "./cluster/endpoint.ts";
import { Nodes, type ClusterNode } from "./cluster/nodes.ts";
import { Pods } from "./cluster/pods.ts";
import type { Known } from "./controlplane/announcements.ts";
import { ControlPlane } from "./controlplane/controlPlane.ts";
import { IpcacheTimeline } from "./ipcache/timeline.ts";
import type { ViewSources } from "./ipcache/views.ts";
import { streamOf } from "./streams.ts";
import type { ResolvedAddressing } from "./addressing/cloud.ts";
import type { NodesConfig } from "./cluster/nodes.ts";
import type { WorkloadConfig } from "./cluster/pods.ts";
import type { ControlPlaneConfig } from "./controlplane/controlPlane.ts";
import type { Interval } from "../sim/intervals.ts";

/** What the event-driven half reads: the cluster's and the control plane's own configurations. */
export interface PropagationConfig {
  duration: number;
  addressing: ResolvedAddressing;
  /** When the operator has no leader: modes whose addresses it manages wait for it (addressing/plan.ts). */
  operatorLeaderless: readonly Interval[];
  nodes: NodesConfig;
  workload: WorkloadConfig;
  controlPlane: ControlPlaneConfig;
}

export interface Propagation extends ViewSources {
  readonly duration: number;
  readonly endpoints: readonly Endpoint[];
  /** Pods' announcements (their CiliumEndpoint or slice entry), by endpoint id. */
  readonly pods: Known;
  /** Service backends' EndpointSlices (the LB maps), by endpoint id. */
  readonly backends: Known;
  delayedByOperator(endpoint: number): boolean;
  /** What the cluster and the control plane measured (runs.csv columns). */
  readonly clusterMetrics: Record<string, number>;
  readonly controlPlaneMetrics: Record<string, number>;
  /** Simulation events dispatched. */
  readonly events: number;
  /** Per-observer arrival times held (4 bytes each). */
  readonly arrivals: number;
}

export function simulatePropagation(cfg: PropagationConfig, streams: Streams, trace: Trace): Propagation {
  const sim = new Simulator();
  const plan = new ClusterAddressing(cfg.addressing, streams, cfg.operatorLeaderless);
  const nodes = new Nodes(sim, cfg.nodes, plan, streamOf(streams, "clusterNodes"));
  const cp = new ControlPlane(sim, cfg.controlPlane, streams, nodes, (channel, id) => trace.record(sim.now, channel, id));
  const pods = new Pods(sim, cfg.workload, nodes, plan, streams);
  const timeline = new IpcacheTimeline();
  nodes.watch({
    added: (node, initial) => cp.nodeAdded(node, initial),
    removed: (node) => {
      trace.record(sim.now, "node-", node.name);
      pods.nodeRemoved(node.index);
      cp.nodeRemoved(node);
    },
  });
  cp.nodes.onPublished((node) => {
    trace.record(sim.now, "node+", node.name);
    timeline.addNode(node, cp.nodes.known);
  });
  pods.watch({
    created: (e) => {
      trace.record(sim.now, "pod+", e.id, e.node);
      timeline.addPod(e, cp.publisher.known);
      cp.endpointCreated(e);
    },
    deleted: (e, withNode) => {
      trace.record(sim.now, "pod-", e.id);
      cp.endpointDeleted(e, withNode);
    },
  });
  nodes.start();
  pods.start();
  sim.run(cfg.duration);
  return {
    duration: cfg.duration, nodes: nodes.list, endpoints: pods.endpoints, timeline,
    nodeKnown: cp.nodes.known, published: cp.nodes.published, pods: cp.publisher.known, backends: cp.services.known,
    identityOf: (id) => cp.publisher.identityOf(id), delayedByOperator: (id) => cp.publisher.delayedByOperator(id),
    clusterMetrics: { endpoints: pods.endpoints.length, pods_without_address: pods.withoutAddress, pods_waited_for_ipam: pods.waitedForIpam, nodes_joined: nodes.list.length },
    controlPlaneMetrics: cp.metrics(),
    events: sim.dispatched,
    arrivals: cp.endpointBus.cells + cp.nodeBus.cells + cp.lbBus.cells,
  };
}

export type { ClusterNode };
