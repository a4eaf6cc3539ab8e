/**
 * CiliumNode objects: a node that has joined and listed the cluster has its agent write its
 * CiliumNode (once the API server is up); every other agent turns it into IPCache entries and
 * a WireGuard peer. A removed node's CiliumNode is deleted after the node manager's delay.
 * The initial nodes' objects exist before the run, so every agent has them from the start.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import { Announcements } from "./announcements.ts";
import type { ApiServer } from "./apiserver.ts";
import type { Broadcasts } from "./broadcast.ts";

export class NodePublisher {
  readonly known: Announcements;
  /** Nodes in the order their CiliumNode was published (lookups favour the latest holder of an address). */
  readonly published: ClusterNode[] = [];
  private readonly listeners: ((node: ClusterNode) => void)[] = [];
  private readonly countListeners: ((count: number) => void)[] = [];
  /** CiliumNodes that exist now (published, not yet deleted). */
  private count = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    channel: Broadcasts,
    /** Removal -> CiliumNode deleted (the node's IPs are released at removal). */
    private readonly deleteDelay: Distribution,
    private readonly rng: RandomStream,
  ) {
    this.known = new Announcements(channel);
  }

  /** Tells `fn` of every node whose CiliumNode is published, when it is. */
  onPublished(fn: (node: ClusterNode) => void): void {
    this.listeners.push(fn);
  }

  /** Tells `fn` the CiliumNode count whenever a CiliumNode is created or deleted (the operator watches them). */
  onCountChanged(fn: (count: number) => void): void {
    this.countListeners.push(fn);
  }

  /** A node was created; its CiliumNode follows once it has listed the cluster. */
  added(node: ClusterNode, initial: boolean): void {
    if (initial) return this.publishNow(node, true);
    this.sim.at(node.listed, () => {
      const written = this.api.upAt(this.sim.now);
      this.sim.at(written, () => {
        // Removed while its CiliumNode write waited for the API server: never published.
        if (node.removed <= this.sim.now) return;
        this.publishNow(node, false);
      });
    });
  }

  /** A node went away: its CiliumNode is deleted after the node manager's delay. */
  removed(node: ClusterNode): void {
    const written = this.api.upAt(this.sim.now + this.deleteDelay.sample(this.rng));
    this.sim.at(written, () => {
      this.known.retract(node.index, this.known.channel.emit(this.sim.now));
      if (this.known.isAnnounced(node.index)) this.counted(-1);
    });
  }

  private publishNow(node: ClusterNode, initial: boolean): void {
    this.known.announceNow(node.index, this.sim.now, initial);
    this.published.push(node);
    for (const fn of this.listeners) fn(node);
    if (!initial) this.counted(+1);
    else this.count++;
  }

  private counted(delta: number): void {
    this.count += delta;
    for (const fn of this.countListeners) fn(this.count);
  }
}
