/**
 * Overlapping addressing (ENI, legacy Azure IPAM): one cloud subnet holds the node IPs and every
 * pod, router and health address. Each node's interface pool is topped up from the subnet, so an
 * address a removed node (or an excess release) gave back can end up on any node, as a pod's.
 */
import type { Streams } from "../../sim/random.ts";
import type { ResolvedAddressing } from "./cloud.ts";
import { InterfacePool } from "./interfacePool.ts";
import type { AddressingStrategy, NodeAddresses } from "./plan.ts";
import { SubnetPool } from "./subnetPool.ts";
import { IpamExhausted, IpamWaiting } from "./ipam.ts";
import { nodeAddressStream, streamOf } from "../streams.ts";

export class OverlappingAddressing implements AddressingStrategy {
  private readonly subnet: SubnetPool;
  private readonly pools = new Map<number, InterfacePool>();

  constructor(
    private readonly cfg: ResolvedAddressing,
    private readonly streams: Streams,
    /** Whether the operator, which refills the pools, has a leader at t. */
    private readonly operatorUp: (t: number) => boolean = () => true,
  ) {
    this.subnet = new SubnetPool(cfg.nodeSubnet, cfg.reservedHead, cfg.reservedTail, cfg.subnetPick, streamOf(streams, "addressingSubnet"));
  }

  settle(now: number): void {
    // Excess addresses leave their node first, at the time their delay ran out, so that the
    // subnet frees them in the same step.
    for (const pool of this.pools.values()) {
      for (const { ip, at } of pool.releaseDue(now)) this.subnet.giveBack(ip, at);
    }
    this.subnet.settle(now);
  }

  /** The operator is back: it tops up every node's pool it left below the watermark, in node order. */
  operatorBack(now: number): void {
    for (const pool of this.pools.values()) {
      this.topUp(pool, now);
      pool.markExcess(now);
    }
  }

  /**
   * The instance gets its primary IP; the operator fills the node's pool to the watermark; the
   * agent takes router and health addresses from the pool ("router IP allocated from the ENI
   * space", research §F) and the operator tops the pool up again. A node that joins while the
   * operator has no leader waits for it (cluster/nodes.ts), so here the operator is up, or the
   * node is one of the initial ones, whose pools were filled before the run.
   */
  addNode(index: number, now: number, initial: boolean): NodeAddresses {
    // Node IP, router and health must all fit, or nothing changes.
    if (this.subnet.available < 3) throw new IpamExhausted(`IPAM: subnet ${this.cfg.nodeSubnet.text} is exhausted`);
    const nodeIp = this.subnet.take();
    const pool = new InterfacePool(this.cfg.interfacePool!, nodeAddressStream(this.streams, index));
    this.pools.set(index, pool);
    this.topUp(pool, now, initial);
    const routerIp = pool.take();
    const healthIp = pool.take();
    this.topUp(pool, now, initial);
    pool.markExcess(now);
    return { index, nodeIp, routerIp, healthIp };
  }

  /** The agent's pick from the node's pool; while the operator is down the pool is not refilled. */
  allocatePod(index: number, now: number): number {
    const pool = this.poolOf(index);
    this.topUp(pool, now);
    if (pool.free === 0 && !this.operatorUp(now)) throw new IpamWaiting(now);
    const ip = pool.take();
    this.topUp(pool, now);
    pool.markExcess(now);
    return ip;
  }

  releasePod(index: number, ip: number, now: number): void {
    const pool = this.poolOf(index);
    pool.giveBack(ip);
    pool.markExcess(now);
  }

  /** The instance is terminated: its primary IP and every interface address go back. */
  removeNode(node: NodeAddresses, now: number): void {
    const at = now + this.cfg.terminationReleaseDelay;
    for (const ip of this.poolOf(node.index).drain()) this.subnet.giveBack(ip, at);
    this.subnet.giveBack(node.nodeIp, at);
    this.pools.delete(node.index);
  }

  /** Free addresses the cloud could hand out now (for tests and capacity checks). */
  get subnetAvailable(): number {
    return this.subnet.available;
  }

  /** The operator's refill to the watermark: its work, so only while it has a leader (or before the run). */
  private topUp(pool: InterfacePool, now: number, force = false): void {
    if (!force && !this.operatorUp(now)) return;
    const wanted = Math.min(pool.deficit(), this.subnet.available);
    for (let i = 0; i < wanted; i++) pool.add(this.subnet.take());
  }

  private poolOf(index: number): InterfacePool {
    const pool = this.pools.get(index);
    if (pool === undefined) throw new Error(`IPAM: node ${index} has no interface pool`);
    return pool;
  }
}
