/**
 * Nodes joining and leaving: the initial nodes exist before the run; later ones join on the
 * schedule (scale-out, replacement) or as a Poisson replacement process. A joining node gets
 * its addresses, starts its agent and lists the cluster; a leaving node's addresses go back
 * to the address plan. What the rest of the cluster learns of them (their CiliumNode) is the
 * control plane's business: the hooks tell it.
 */
import { poissonArrivals } from "../../sim/arrivals.ts";
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { Cidr } from "../addressing/ipv4.ts";
import { IpamExhausted } from "../addressing/ipam.ts";
import type { ClusterAddressing, NodeAddresses } from "../addressing/plan.ts";

export interface ClusterNode {
  index: number;
  name: string;
  ip: number;
  routerIp: number;
  healthIp?: number;
  podCidr?: Cidr;
  /** A long-lived client pod that sends this node's pod traffic. */
  clientIp: number;
  /** It runs the API server and carries node-role.kubernetes.io/control-plane. */
  controlPlane: boolean;
  joined: number;
  /** Agent up and cluster listed: schedulable from here. */
  listed: number;
  removed: number;
}

export interface LifecycleEvent {
  at: number;
  action: "add" | "remove" | "replace";
  count: number;
}

export interface NodesConfig {
  initial: number;
  events: readonly LifecycleEvent[];
  /** Random node replacements per second (Poisson); 0 for none. */
  replacementRate: number;
  /** Join -> agent running, CiliumNode written and the cluster listed. */
  joinDelay: Distribution;
  duration: number;
  /** The first node runs the API server (a self-managed control plane); false: it runs outside the cluster. */
  controlPlaneNode: boolean;
}

/** A node's name from its index (join order). */
export function nodeName(index: number): string {
  return `node-${String(index).padStart(3, "0")}`;
}

export interface NodeHooks {
  /** A node exists (its addresses assigned); `initial`: before the run, known everywhere. */
  added(node: ClusterNode, initial: boolean): void;
  /** A node is going away (its addresses are released right after). */
  removed(node: ClusterNode): void;
}

export class Nodes {
  readonly list: ClusterNode[] = [];
  /** Alive and listed, by index; and alive but still joining (listed later). */
  private readonly listedNodes: ClusterNode[] = [];
  private readonly joining: ClusterNode[] = [];
  private hooks: NodeHooks = { added: () => undefined, removed: () => undefined };

  constructor(
    private readonly sim: Simulator,
    private readonly cfg: NodesConfig,
    private readonly plan: ClusterAddressing,
    private readonly rng: RandomStream,
  ) {}

  /** Who is told of nodes coming and going (set before start). */
  watch(hooks: NodeHooks): void {
    this.hooks = hooks;
  }

  get count(): number {
    return this.list.length;
  }

  listedAt(n: number): number {
    return this.list[n]?.listed ?? Infinity;
  }

  /** Creates the initial nodes (known everywhere from t=0) and schedules the lifecycle. */
  start(): void {
    for (let i = 0; i < this.cfg.initial; i++) this.add(true);
    for (const ev of this.cfg.events) this.sim.at(ev.at, () => this.apply(ev));
    poissonArrivals(this.sim, this.rng, this.cfg.replacementRate, this.cfg.duration, () => {
      this.removeRandom();
      this.add(false);
    });
  }

  /**
   * The nodes alive and listed at the current time, in index order; the array is kept up to
   * date as nodes come and go (placing 150,000 pods on 5,000 nodes must not filter the node
   * list each time), so callers must not change it.
   */
  schedulable(): readonly ClusterNode[] {
    const now = this.sim.now;
    for (let i = this.joining.length - 1; i >= 0; i--) {
      const n = this.joining[i];
      if (n.listed > now) continue;
      this.joining.splice(i, 1);
      if (n.removed > now) this.listedNodes.splice(insertionPoint(this.listedNodes, n.index), 0, n);
    }
    return this.listedNodes;
  }

  private apply(ev: LifecycleEvent): void {
    for (let i = 0; i < ev.count; i++) {
      if (ev.action !== "add") this.removeRandom();
      if (ev.action !== "remove") this.add(false);
    }
  }

  private add(initial: boolean): void {
    const now = this.sim.now;
    // A node whose addresses come from the operator (its pod CIDR, or its interface pool with
    // router and health) cannot start its agent while the operator has no leader: it joins when
    // the operator is back. Simplification: its CiliumNode and its primary IP wait too.
    const back = initial ? undefined : this.plan.joinWaitsAt(now);
    if (back !== undefined) {
      this.sim.at(back, () => this.add(false));
      return;
    }
    const index = this.list.length;
    let a: NodeAddresses;
    let clientIp: number;
    try {
      a = this.plan.addNode(now, initial);
      if (a.index !== index) throw new Error(`address plan out of step: node ${index} got index ${a.index}`);
      clientIp = this.plan.allocatePod(index, now);
    } catch (err) {
      // Validation refuses scale-outs that cannot fit (models/scenario/capacity.ts); one that
      // runs out all the same fails this run alone, saying where and when.
      if (!(err instanceof IpamExhausted)) throw err;
      const why = this.plan.config.style === "overlapping"
        ? "; pods and the nodes' interface pools hold the rest of cluster.nodeSubnet (a larger subnet, fewer pods or an earlier scale-out would fit)"
        : "";
      throw new IpamExhausted(`node ${index} could not join at ${now.toFixed(1)} s: ${err.message}${why}`);
    }
    const ready = initial ? now : now + this.cfg.joinDelay.sample(this.rng);
    const node: ClusterNode = {
      index, name: nodeName(index), ip: a.nodeIp, routerIp: a.routerIp, healthIp: a.healthIp,
      podCidr: a.podCidr, clientIp, controlPlane: this.cfg.controlPlaneNode && index === 0, joined: now, listed: ready, removed: Infinity,
    };
    this.list.push(node);
    this.joining.push(node);
    this.hooks.added(node, initial);
  }

  private removeRandom(): void {
    // The first node stays, as it always has: it plays the control plane when the API server
    // runs in the cluster (and keeps the random picks the same when it does not).
    const candidates = this.schedulable().filter((n) => n.index !== 0);
    if (candidates.length === 0) return;
    const node = candidates[this.rng.int(candidates.length)];
    node.removed = this.sim.now;
    this.listedNodes.splice(this.listedNodes.indexOf(node), 1);
    this.hooks.removed(node);
    this.plan.removeNode(node.index, this.sim.now);
  }
}

/** Where a node of index `index` goes in a list sorted by index. */
function insertionPoint(list: readonly ClusterNode[], index: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
