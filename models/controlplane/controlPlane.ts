/**
 * The control plane of one run, assembled from its own configuration (resolved from the
 * scenario by models/scenario/resolve.ts): the API server, the agents' clients, identity
 * allocation, the endpoint publisher with either the CiliumEndpointSlice controller or direct
 * CiliumEndpoint watching, the service EndpointSlice pipeline, and the three kinds of broadcast
 * agents watch (endpoints or slices, CiliumNodes, EndpointSlices).
 */
import type { Streams } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Distribution } from "../../sim/distributions.ts";
import { AgentClient } from "./agent.ts";
import { ApiServer, type ApiServerConfig } from "./apiserver.ts";
import { mergeIntervals, type Interval } from "../../sim/intervals.ts";
import { Broadcasts, type DeliveryConfig, type ObserverSet } from "./broadcast.ts";
import { EndpointPublisher } from "./endpoints.ts";
import { IdentityAllocator } from "./identity.ts";
import { NodePublisher } from "./nodes.ts";
import { CesController, type OperatorConfig } from "./operator.ts";
import { ServiceEndpoints } from "./services.ts";
import { channelSubstreams, streamOf } from "../streams.ts";

const NO_INTERVALS: Interval[] = [];

/** Everything the control plane reads, and nothing else. */
export interface ControlPlaneConfig {
  duration: number;
  apiServer: ApiServerConfig & { watchDelay: Distribution };
  agent: {
    cepWriteDelay: Distribution;
    ipcacheUpsertDelay: Distribution;
    resyncInterval: number;
    resyncDelay: Distribution;
    restarts: readonly (Interval & { node: number })[];
    /** The agent's Kubernetes client limiter (Helm k8sClientRateLimit). */
    qps: number;
    burst: number;
  };
  identity: { allocationDelay: Distribution };
  /** The CiliumEndpointSlice controller; undefined: agents watch CiliumEndpoints directly. */
  operator?: OperatorConfig;
  nodeManager: { processingDelay: Distribution; deleteDelay: Distribution };
  services: { endpointSliceSyncDelay: Distribution; lbUpdateDelay: Distribution };
}

export class ControlPlane {
  readonly api: ApiServer;
  readonly endpointBus: Broadcasts;
  readonly nodeBus: Broadcasts;
  readonly lbBus: Broadcasts;
  readonly identities: IdentityAllocator;
  readonly publisher: EndpointPublisher;
  readonly nodes: NodePublisher;
  readonly operator?: CesController;
  readonly services: ServiceEndpoints;
  private readonly agents: AgentClient[] = [];
  private readonly restarts = new Map<number, Interval[]>();

  /** @param record told of every broadcast, for the run's trace and fingerprint */
  constructor(sim: Simulator, private readonly cfg: ControlPlaneConfig, streams: Streams, observers: ObserverSet, record: (channel: string, id: number) => void = () => undefined) {
    this.api = new ApiServer(cfg.apiServer, streamOf(streams, "apiserverWrite"));
    // Looked up for every arrival, so grouped by node and merged once.
    for (const r of cfg.agent.restarts) this.restarts.set(r.node, [...(this.restarts.get(r.node) ?? []), r]);
    for (const [node, list] of this.restarts) this.restarts.set(node, mergeIntervals(list));
    const delivery = (processingDelay: DeliveryConfig["processingDelay"]): DeliveryConfig => ({
      watchDelay: cfg.apiServer.watchDelay, processingDelay, apiServerOutages: this.api.outages,
      agentRestarts: (n) => this.restartsOf(n), anyRestarts: this.restarts.size > 0, resyncDelay: cfg.agent.resyncDelay,
    });
    const bus = (name: string, processing: DeliveryConfig["processingDelay"]) => {
      return new Broadcasts(delivery(processing), observers, channelSubstreams(streams, name), (t) => this.api.loadFactor(t), (id) => record(name, id));
    };
    this.endpointBus = bus("endpoints", cfg.agent.ipcacheUpsertDelay);
    this.nodeBus = bus("nodes", cfg.nodeManager.processingDelay);
    this.lbBus = bus("services", cfg.services.lbUpdateDelay);
    this.identities = new IdentityAllocator(sim, cfg.identity.allocationDelay, streamOf(streams, "identity"));
    const op = cfg.operator;
    this.publisher = new EndpointPublisher(sim, {
      cepWriteDelay: cfg.agent.cepWriteDelay, operatorWatchDelay: cfg.apiServer.watchDelay, syncInterval: cfg.agent.resyncInterval, leaderless: op ? op.leaderless : [],
    }, (node) => this.agent(sim, node), this.identities, this.endpointBus, streamOf(streams, "agentCep"));
    if (op) {
      this.operator = new CesController(sim, this.api, op, streamOf(streams, "operator"), (c) => this.publisher.sliceWritten(c));
      this.publisher.operator = this.operator;
    }
    this.services = new ServiceEndpoints(sim, this.api, this.lbBus, cfg.services.endpointSliceSyncDelay, streamOf(streams, "services"), cfg.agent.resyncInterval);
    // CiliumNode deletion delays come from the node lifecycle's stream, interleaved with its
    // join delays and removal picks as they always were, so that results stay reproducible.
    this.nodes = new NodePublisher(sim, this.api, this.nodeBus, cfg.nodeManager.deleteDelay, streamOf(streams, "clusterNodes"));
    this.nodes.onCountChanged((count) => this.operator?.nodesChanged(count));
  }

  nodeAdded(node: ClusterNode, initial: boolean): void {
    this.nodes.added(node, initial);
  }

  nodeRemoved(node: ClusterNode): void {
    this.nodes.removed(node);
  }

  endpointCreated(e: Endpoint): void {
    this.publisher.created(e);
    this.services.backendCreated(e);
  }

  endpointDeleted(e: Endpoint, withNode: boolean): void {
    this.publisher.deleted(e, withNode);
  }

  private agent(sim: Simulator, node: number): AgentClient {
    const cfg = this.cfg;
    return (this.agents[node] ??= new AgentClient(sim, this.api, {
      qps: cfg.agent.qps, burst: cfg.agent.burst, restarts: this.restartsOf(node),
    }));
  }

  private restartsOf(node: number): Interval[] {
    return this.restarts.get(node) ?? NO_INTERVALS;
  }

  metrics(): Record<string, number> {
    const op = this.operator;
    return {
      ces_writes: op?.writes ?? 0,
      ces_failed_writes: op?.failedWrites ?? 0,
      ces_dropped_after_retries: op?.droppedSlices ?? 0,
      operator_queue_max: op?.maxQueue ?? 0,
      operator_queue_avg: op ? op.queueLength.average(this.cfg.duration) : 0,
      apiserver_writes: this.api.writes,
      apiserver_failed_writes: this.api.failedWrites,
      identities_allocated: this.identities.allocations,
      agent_write_retries: this.agents.reduce((n, a) => n + (a?.retries ?? 0), 0),
      agent_requests: this.agents.reduce((n, a) => n + (a?.requests ?? 0), 0),
    };
  }
}
