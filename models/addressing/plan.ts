/**
 * All address allocation state of one cluster: node IPs, per-node pod blocks or interface pools,
 * router and health addresses, pods, and who held each address before.
 *
 * Deterministic given its random streams and the `now` values passed in (which must not go
 * backwards). Streams: "addressing/subnet" for the cloud's picks in the node subnet, and
 * "addressing/node/<index>" for each node's own picks, so one node's pod churn never shifts
 * another node's numbers.
 */
import type { Streams } from "../../sim/random.ts";
import type { ResolvedAddressing } from "./cloud.ts";
import { AddressBook, type Holding, type PastHolding } from "./history.ts";
import { formatIpv4, type Cidr } from "./ipv4.ts";
import { OverlappingAddressing } from "./overlapping.ts";
import { SeparateAddressing } from "./separate.ts";

export interface NodeAddresses {
  /** Node number, counted from 0 in the order nodes were added; never reused. */
  readonly index: number;
  /** The node's own (InternalIP) address, from the node subnet. */
  readonly nodeIp: number;
  /** The node's pod block; only in separate styles. */
  readonly podCidr?: Cidr;
  /** cilium_host: from the interface pool, the pod block, or a fixed link-local address. */
  readonly routerIp: number;
  /** cilium-health endpoint; absent under delegated IPAM, which allocates none. */
  readonly healthIp?: number;
}

/** What differs between overlapping and separate addressing. */
export interface AddressingStrategy {
  /** Frees whatever the cloud or operator gives back by `now`. */
  settle(now: number): void;
  addNode(index: number, now: number): NodeAddresses;
  allocatePod(index: number, now: number): number;
  releasePod(index: number, ip: number, now: number): void;
  removeNode(node: NodeAddresses, now: number): void;
}

export class ClusterAddressing {
  private readonly strategy: AddressingStrategy;
  private readonly book = new AddressBook();
  private readonly live = new Map<number, NodeAddresses>();
  /** Addresses each live node holds in the book (node IP, router, health, pods). */
  private readonly heldBy = new Map<number, Set<number>>();
  private nextIndex = 0;
  private clock = -Infinity;

  constructor(
    readonly config: ResolvedAddressing,
    streams: Streams,
  ) {
    this.strategy = config.style === "overlapping" ? new OverlappingAddressing(config, streams) : new SeparateAddressing(config, streams);
  }

  /** A new node with its node IP, router and health addresses (and pod block if separate). */
  addNode(now: number): NodeAddresses {
    this.advance(now);
    const index = this.nextIndex;
    const node = this.strategy.addNode(index, now);
    this.nextIndex++;
    this.live.set(index, node);
    this.heldBy.set(index, new Set());
    this.hold(node.nodeIp, "node", index, now);
    // The link-local router address is the same on every node and belongs to no pool.
    if (this.config.router !== "link-local") this.hold(node.routerIp, "router", index, now);
    if (node.healthIp !== undefined) this.hold(node.healthIp, "health", index, now);
    return node;
  }

  /** An address for a new pod on `node`. */
  allocatePod(node: number, now: number): number {
    this.advance(now);
    this.liveNode(node);
    const ip = this.strategy.allocatePod(node, now);
    this.hold(ip, "pod", node, now);
    return ip;
  }

  /** The pod holding `ip` on `node` is gone. */
  releasePod(node: number, ip: number, now: number): void {
    this.advance(now);
    this.liveNode(node);
    const holding = this.book.holder(ip);
    if (holding?.kind !== "pod" || holding.node !== node) throw new Error(`IPAM: ${formatIpv4(ip)} is not a pod address of node ${node}`);
    this.strategy.releasePod(node, ip, now);
    this.book.release(ip, now);
    this.heldBy.get(node)!.delete(ip);
  }

  /** The node is gone, with its pods; its addresses go back as its cloud and IPAM do it. */
  removeNode(node: number, now: number): void {
    this.advance(now);
    const addresses = this.liveNode(node);
    for (const ip of this.heldBy.get(node)!) this.book.release(ip, now);
    this.strategy.removeNode(addresses, now);
    this.live.delete(node);
    this.heldBy.delete(node);
  }

  /** Moves the clock to `now`, freeing what is due; every other method does this first. */
  advance(now: number): void {
    if (!(now >= this.clock)) throw new Error(`IPAM: time went backwards (${now} < ${this.clock})`);
    this.clock = now;
    this.strategy.settle(now);
  }

  /** The current holder of `ip`, if any. */
  holder(ip: number): Holding | undefined {
    return this.book.holder(ip);
  }

  /**
   * The previous holder of `ip`: the last one that gave it up, with when. A pod that has just
   * received a removed node's IP sees `{ kind: "node", node, releasedAt }` here.
   */
  history(ip: number): PastHolding | undefined {
    return this.book.previous(ip);
  }

  node(index: number): NodeAddresses | undefined {
    return this.live.get(index);
  }

  /** Live nodes in the order they were added. */
  get nodes(): NodeAddresses[] {
    return [...this.live.values()];
  }

  private hold(ip: number, kind: Holding["kind"], node: number, now: number): void {
    this.book.hold(ip, kind, node, now);
    this.heldBy.get(node)!.add(ip);
  }

  private liveNode(index: number): NodeAddresses {
    const node = this.live.get(index);
    if (node === undefined) throw new Error(`IPAM: node ${index} does not exist or was removed`);
    return node;
  }
}
