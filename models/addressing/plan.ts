/**
 * All address allocation state of one cluster: node IPs, per-node pod blocks or interface pools,
 * router and health addresses, pods, and who held each address before.
 *
 * Deterministic given its random streams and the `now` values passed in (which must not go
 * backwards). Streams: "addressing/subnet" for the cloud's picks in the node subnet, and
 * "addressing/node/<index>" for each node's own picks, so one node's pod churn never shifts
 * another node's numbers.
 */
import { firstTimeOutside, inside, type Interval } from "../../sim/intervals.ts";
import type { Streams } from "../../sim/random.ts";
import type { ResolvedAddressing } from "./cloud.ts";
import { AddressBook, type Holding, type PastHolding } from "./history.ts";
import { formatIpv4, type Cidr } from "./ipv4.ts";
import { IpamWaiting } from "./ipam.ts";
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
  /** The operator is back (has a leader again) at `now` and catches up on what it missed. */
  operatorBack(now: number): void;
  /** `initial`: the node existed before the run, with its pool filled. */
  addNode(index: number, now: number, initial: boolean): NodeAddresses;
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

  /** When the operator has no leader; only modes whose addresses it manages wait for it. */
  private readonly operatorDown: readonly Interval[];

  constructor(
    readonly config: ResolvedAddressing,
    streams: Streams,
    /** Merged intervals with no operator leader (controlplane/leadership.ts). */
    operatorDown: readonly Interval[] = [],
  ) {
    this.operatorDown = config.operatorIpam === undefined ? [] : operatorDown;
    const up = (t: number) => !inside(t, this.operatorDown);
    this.strategy = config.style === "overlapping" ? new OverlappingAddressing(config, streams, up) : new SeparateAddressing(config, streams);
  }

  /**
   * Whether a node joining at `t` must wait for the operator: its pod CIDR (cluster-pool) or its
   * interface addresses, router and health included (ENI, Azure), come from the operator, and
   * its agent does not start without them.
   */
  joinWaitsAt(t: number): number | undefined {
    return inside(t, this.operatorDown) ? firstTimeOutside(t, this.operatorDown) : undefined;
  }

  /** The times the operator comes back and refills what it missed (ascending). */
  get operatorReturns(): number[] {
    return this.operatorDown.map((o) => o.end);
  }

  /** A new node with its node IP, router and health addresses (and pod block if separate). */
  addNode(now: number, initial = false): NodeAddresses {
    this.advance(now);
    const index = this.nextIndex;
    const node = this.strategy.addNode(index, now, initial);
    this.nextIndex++;
    this.live.set(index, node);
    this.heldBy.set(index, new Set());
    this.hold(node.nodeIp, "node", index, now);
    // The link-local router address is the same on every node and belongs to no pool.
    if (this.config.router !== "link-local") this.hold(node.routerIp, "router", index, now);
    if (node.healthIp !== undefined) this.hold(node.healthIp, "health", index, now);
    return node;
  }

  /** An address for a new pod on `node`; IpamWaiting (with when to retry) while its pool waits for the operator. */
  allocatePod(node: number, now: number): number {
    this.advance(now);
    this.liveNode(node);
    let ip: number;
    try {
      ip = this.strategy.allocatePod(node, now);
    } catch (e) {
      if (e instanceof IpamWaiting) throw new IpamWaiting(firstTimeOutside(now, this.operatorDown));
      throw e;
    }
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

  /**
   * Moves the clock to `now`, freeing what is due and letting the operator catch up at each
   * return on the way; every other method does this first.
   */
  advance(now: number): void {
    if (!(now >= this.clock)) throw new Error(`IPAM: time went backwards (${now} < ${this.clock})`);
    for (const back of this.operatorReturns) {
      if (back > this.clock && back <= now) {
        this.strategy.settle(back);
        this.strategy.operatorBack(back);
      }
    }
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
