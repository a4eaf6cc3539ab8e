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
import { IpamExhausted } from "./ipam.ts";
import { nodeAddressStream, streamOf } from "../streams.ts";

export class OverlappingAddressing implements AddressingStrategy {
  private readonly subnet: SubnetPool;
  private readonly pools = new Map<number, InterfacePool>();

  constructor(
    private readonly cfg: ResolvedAddressing,
    private readonly streams: Streams,
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

  /**
   * The instance gets its primary IP; the operator fills the node's pool to the watermark; the
   * agent takes router and health addresses from the pool ("router IP allocated from the ENI
   * space", research §F) and the operator tops the pool up again.
   */
  addNode(index: number, now: number): NodeAddresses {
    // Node IP, router and health must all fit, or nothing changes.
    if (this.subnet.available < 3) throw new IpamExhausted(`IPAM: subnet ${this.cfg.nodeSubnet.text} is exhausted`);
    const nodeIp = this.subnet.take();
    const pool = new InterfacePool(this.cfg.interfacePool!, nodeAddressStream(this.streams, index));
    this.pools.set(index, pool);
    this.topUp(pool);
    const routerIp = pool.take();
    const healthIp = pool.take();
    this.topUp(pool);
    pool.markExcess(now);
    return { index, nodeIp, routerIp, healthIp };
  }

  allocatePod(index: number, now: number): number {
    const pool = this.poolOf(index);
    this.topUp(pool);
    const ip = pool.take();
    this.topUp(pool);
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

  private topUp(pool: InterfacePool): void {
    const wanted = Math.min(pool.deficit(), this.subnet.available);
    for (let i = 0; i < wanted; i++) pool.add(this.subnet.take());
  }

  private poolOf(index: number): InterfacePool {
    const pool = this.pools.get(index);
    if (pool === undefined) throw new Error(`IPAM: node ${index} has no interface pool`);
    return pool;
  }
}
