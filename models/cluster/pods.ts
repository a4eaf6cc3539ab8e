/**
 * Pods: deployments with replicas and rollouts, and Poisson churn with lifetimes. Each pod is
 * placed uniformly on a schedulable node, gets an address from that node, and is ready after
 * its readiness delay. A pod whose node's pool is empty while the operator cannot refill it
 * waits on that node and gets its address when the operator is back (assumed at once; kubelet's
 * sandbox retries may add to it). Deleting a pod frees its address at once. A deployment replaces pods
 * lost with their node, and a rollout replaces every replica one at a time (max surge 1,
 * max unavailable 0): the old pod goes once its successor is ready. The pod-template-hash
 * label changes with a rollout but is not part of Cilium's identity labels, so replicas keep
 * their identity.
 */
import { poissonArrivals } from "../../sim/arrivals.ts";
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream, Streams } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { IpamExhausted, IpamWaiting } from "../addressing/ipam.ts";
import type { ClusterAddressing } from "../addressing/plan.ts";
import { newEndpoint, type Endpoint } from "./endpoint.ts";
import type { Nodes } from "./nodes.ts";
import { streamOf } from "../streams.ts";

export interface DeploymentSpec {
  name: string;
  namespace: number;
  replicas: number;
  /** Backs a Service: its pods appear in EndpointSlices and load-balancer maps. */
  service: boolean;
  startAt: number;
  rollouts: readonly number[];
}

export interface WorkloadConfig {
  namespaces: number;
  readinessDelay: Distribution;
  churn: { rate: number; lifetime: Distribution | undefined; identities: number };
  deployments: readonly DeploymentSpec[];
  duration: number;
}

/** A pod scheduled on `node` that waits for an address; `then` runs once it exists. */
interface PendingPod {
  labels: string;
  namespace: number;
  service: number;
  node: number;
  then: (e: Endpoint) => void;
  failed: () => void;
  waited: boolean;
}

export interface PodHooks {
  created(e: Endpoint): void;
  deleted(e: Endpoint, withNode: boolean): void;
}

export class Pods {
  readonly endpoints: Endpoint[] = [];
  private readonly live = new Map<number, Endpoint>();
  private readonly replicas: Set<Endpoint>[] = [];
  private readonly place: RandomStream;
  private readonly labels: RandomStream;
  private readonly readiness: RandomStream;
  private readonly arrivals: RandomStream;
  private readonly lifetimes: RandomStream;
  /** Pods that could not get an address; Kubernetes leaves them stuck in ContainerCreating. */
  withoutAddress = 0;
  /** Pods that waited for the operator to refill their node's pool. */
  waitedForIpam = 0;
  /** Pods waiting for an address, in arrival order, retried when the operator is back. */
  private pending: PendingPod[] = [];
  private hooks: PodHooks = { created: () => undefined, deleted: () => undefined };

  constructor(
    private readonly sim: Simulator,
    private readonly cfg: WorkloadConfig,
    private readonly nodes: Nodes,
    private readonly plan: ClusterAddressing,
    streams: Streams,
  ) {
    this.place = streamOf(streams, "workloadPlacement");
    this.labels = streamOf(streams, "workloadIdentity");
    this.readiness = streamOf(streams, "workloadReadiness");
    this.arrivals = streamOf(streams, "workloadArrivals");
    this.lifetimes = streamOf(streams, "workloadLifetime");
  }

  /** Who is told of pods coming and going (set before start). */
  watch(hooks: PodHooks): void {
    this.hooks = hooks;
  }

  start(): void {
    this.cfg.deployments.forEach((d, i) => {
      this.replicas[i] = new Set();
      this.sim.at(d.startAt, () => {
        for (let r = 0; r < d.replicas; r++) this.createReplica(i);
      });
      for (const t of d.rollouts) this.sim.at(t, () => this.rollout(i));
    });
    const churn = this.cfg.churn;
    poissonArrivals(this.sim, this.arrivals, churn.rate, this.cfg.duration, () => {
      const label = this.labels.int(churn.identities);
      this.create(`churn:${label}`, label % this.cfg.namespaces, -1, (e) => {
        if (churn.lifetime) this.sim.after(churn.lifetime.sample(this.lifetimes), () => this.delete(e, false));
      });
    });
    for (const back of this.plan.operatorReturns) this.sim.at(back, () => this.retryPending());
  }

  /** The operator is back and has refilled the pools: waiting pods try again, in arrival order. */
  private retryPending(): void {
    const waiting = this.pending;
    this.pending = [];
    for (const p of waiting) {
      if (this.nodes.list[p.node].removed <= this.sim.now) p.failed();
      else this.tryStart(p);
    }
  }

  /** Deletes every pod on a node that is going away; deployments replace theirs elsewhere. */
  nodeRemoved(node: number): void {
    for (const e of [...this.live.values()]) {
      if (e.node !== node) continue;
      this.delete(e, true);
      const d = this.deploymentOf(e);
      if (d >= 0) this.createReplica(d);
    }
  }

  private deploymentOf(e: Endpoint): number {
    return e.labels.startsWith("deploy:") ? Number(e.labels.slice(7)) : -1;
  }

  private createReplica(d: number, then: (e: Endpoint) => void = () => undefined, failed: () => void = () => undefined): void {
    const spec = this.cfg.deployments[d];
    this.create(`deploy:${d}`, spec.namespace, spec.service ? d : -1, (e) => {
      this.replicas[d].add(e);
      then(e);
    }, failed);
  }

  private rollout(d: number): void {
    const old = [...this.replicas[d]];
    const step = (i: number): void => {
      if (i >= old.length) return;
      const next = (wait: number) => this.sim.after(wait, () => {
        if (old[i].deleted === Infinity) this.delete(old[i], false);
        step(i + 1);
      });
      // Max unavailable 0: the old pod goes once its successor is ready (at once if none can start).
      this.createReplica(d, (fresh) => next(Math.max(0, fresh.ready - this.sim.now)), () => next(0));
    };
    step(0);
  }

  /** Schedules a pod on a random schedulable node; `then` runs once it has an address and exists. */
  private create(labels: string, namespace: number, service: number, then: (e: Endpoint) => void = () => undefined, failed: () => void = () => undefined): void {
    const candidates = this.nodes.schedulable();
    if (candidates.length === 0) return failed();
    const node = candidates[this.place.int(candidates.length)].index;
    this.tryStart({ labels, namespace, service, node, then, failed, waited: false });
  }

  private tryStart(p: PendingPod): void {
    const now = this.sim.now;
    const ip = this.allocate(p);
    if (ip === undefined) return;
    const e = newEndpoint({
      id: this.endpoints.length, node: p.node, ip, namespace: p.namespace, labels: p.labels, service: p.service,
      created: now, ready: now + this.cfg.readinessDelay.sample(this.readiness),
    });
    this.endpoints.push(e);
    this.live.set(e.id, e);
    this.hooks.created(e);
    p.then(e);
  }

  /** The pod's address; undefined when it must wait (queued) or none is left (given up, counted). */
  private allocate(p: PendingPod): number | undefined {
    try {
      return this.plan.allocatePod(p.node, this.sim.now);
    } catch (err) {
      if (err instanceof IpamWaiting) {
        if (!p.waited) this.waitedForIpam++;
        p.waited = true;
        this.pending.push(p);
        return undefined;
      }
      if (!(err instanceof IpamExhausted)) throw err;
      this.withoutAddress++;
      p.failed();
      return undefined;
    }
  }

  private delete(e: Endpoint, withNode: boolean): void {
    if (!this.live.delete(e.id)) return;
    e.deleted = this.sim.now;
    const d = this.deploymentOf(e);
    if (d >= 0) this.replicas[d].delete(e);
    this.plan.releasePod(e.node, e.ip, this.sim.now);
    this.hooks.deleted(e, withNode);
  }
}
