/**
 * How a new endpoint reaches every other node's IPCache (CiliumEndpointSlice mode):
 * agent writes the CiliumEndpoint -> the API server delivers it to the operator -> the operator
 * batches it into a CiliumEndpointSlice and writes it -> the API server delivers the slice to
 * every agent -> each agent upserts its IPCache.
 *
 * The fan-out is computed, not simulated event by event: when a slice write lands, each
 * observer's learn time is drawn at once (one watch delay and one processing delay per node
 * per slice event, shared by the endpoints in it). Nothing after that point feeds back into the
 * control plane, so this is exact and keeps large clusters cheap.
 */
import type { Simulator } from "../../sim/simulator.ts";
import type { Streams } from "../../sim/random.ts";
import type { ClusterNode } from "../cluster.ts";
import { cesRateLimit, type Scenario } from "../scenario.ts";
import type { Endpoint } from "../workload.ts";
import { CesController } from "./operator.ts";

/** `learnAt[n]` is when node n's IPCache knows each of `endpoints`. */
export type Propagated = (endpoints: readonly Endpoint[], learnAt: Float64Array) => void;

export class EndpointPipeline {
  readonly operator: CesController;
  private readonly byId: Endpoint[] = [];
  /** Endpoints not yet in any written slice, by id. */
  private readonly pending = new Set<number>();

  constructor(
    private readonly sim: Simulator,
    private readonly sc: Scenario,
    private readonly streams: Streams,
    private readonly nodes: readonly ClusterNode[],
    private readonly onPropagated: Propagated,
  ) {
    const cp = sc.controlPlane;
    this.operator = new CesController(sim, {
      syncDelay: cp.operator.syncDelay,
      writeLatency: cp.apiServer.writeLatency,
      rateLimit: cesRateLimit(sc),
      outages: cp.operator.outages,
    }, streams.stream("operator"), (ids) => this.sliceWritten(ids));
  }

  /** The pod's endpoint exists on its node; the agent starts publishing it. */
  endpointCreated(e: Endpoint): void {
    this.byId[e.id] = e;
    this.pending.add(e.id);
    const cp = this.sc.controlPlane;
    const cepWritten = cp.agent.cepWriteDelay.sample(this.streams.stream("agent/cep"));
    const seenByOperator = cepWritten + cp.apiServer.watchDelay.sample(this.streams.stream("apiserver/watch-operator"));
    this.sim.after(seenByOperator, (id) => this.operator.cepObserved(id, this.byId[id].identity), e.id);
  }

  /** Endpoints whose slice never reached the agents before the run ended. */
  unpublished(): Endpoint[] {
    return [...this.pending].map((id) => this.byId[id]);
  }

  private sliceWritten(ids: readonly number[]): void {
    const cp = this.sc.controlPlane;
    const watch = this.streams.stream("apiserver/watch-agents");
    const upsert = this.streams.stream("agent/ipcache");
    const learnAt = new Float64Array(this.nodes.length);
    for (let n = 0; n < this.nodes.length; n++) {
      learnAt[n] = this.sim.now + cp.apiServer.watchDelay.sample(watch) + cp.agent.ipcacheUpsertDelay.sample(upsert);
    }
    const endpoints = ids.map((id) => this.byId[id]);
    for (const id of ids) this.pending.delete(id);
    this.onPropagated(endpoints, learnAt);
  }
}
