/**
 * Separate addressing (cluster-pool, GKE VPC-native, AKS overlay): node IPs come from the cloud
 * subnet, pods from a per-node block of their own range (or ranges, for a cluster-pool list). Within a block, addresses are handed
 * out by Cilium's host-scope rule, random start then linear scan with immediate reuse
 * (HostScopeAllocator). For delegated IPAM (Azure CNS) the in-block order is not documented and
 * the same rule is assumed; its release is immediate ("marked available", azure-delegated-ipam.rst).
 */
import type { Streams } from "../../sim/random.ts";
import { NodeBlockPools } from "./blockPool.ts";
import type { ResolvedAddressing } from "./cloud.ts";
import { HostScopeAllocator } from "./ipam.ts";
import { networkOf, size } from "./ipv4.ts";
import type { AddressingStrategy, NodeAddresses } from "./plan.ts";
import { SubnetPool } from "./subnetPool.ts";
import { IpamExhausted } from "./ipam.ts";
import { nodeAddressStream, streamOf } from "../streams.ts";

export class SeparateAddressing implements AddressingStrategy {
  private readonly subnet: SubnetPool;
  private readonly blocks: NodeBlockPools;
  private readonly allocators = new Map<number, HostScopeAllocator>();

  constructor(
    private readonly cfg: ResolvedAddressing,
    private readonly streams: Streams,
  ) {
    this.subnet = new SubnetPool(cfg.nodeSubnet, cfg.reservedHead, cfg.reservedTail, cfg.subnetPick, streamOf(streams, "addressingSubnet"));
    this.blocks = new NodeBlockPools(cfg.podRanges, cfg.podCidrMaskSize!);
    // A cluster-pool range inside the node subnet: the nodes get the rest of it.
    for (const r of cfg.podRangesInNodeSubnet) for (let i = 0; i < size(r); i++) this.subnet.exclude(networkOf(r) + i);
  }

  settle(now: number): void {
    this.subnet.settle(now);
  }

  /** Blocks are assigned when a node joins; a node that waited joins once the operator is back (cluster/nodes.ts). */
  operatorBack(): void {}

  /** Node IP from the subnet, a block from the pod range, then router and health from the block. */
  addNode(index: number): NodeAddresses {
    // A node needs both, or nothing changes.
    if (this.blocks.available === 0) throw new IpamExhausted(`IPAM: no /${this.blocks.bits} block left in ${this.cfg.podRanges.map((r) => r.text).join(", ")}`);
    const nodeIp = this.subnet.take();
    const podCidr = this.blocks.allocate();
    const block = new HostScopeAllocator(podCidr, nodeAddressStream(this.streams, index));
    this.allocators.set(index, block);
    const routerIp = this.cfg.router === "pod-block" ? block.allocateNext() : this.cfg.routerIp!;
    const healthIp = this.cfg.health === "pod-block" ? block.allocateNext() : undefined;
    return { index, nodeIp, podCidr, routerIp, ...(healthIp === undefined ? {} : { healthIp }) };
  }

  allocatePod(index: number): number {
    return this.blockOf(index).allocateNext();
  }

  releasePod(index: number, ip: number): void {
    this.blockOf(index).release(ip);
  }

  /**
   * The node IP goes back to the subnet after the termination delay; the block is released at
   * once, as the operator does when the CiliumNode is deleted.
   */
  removeNode(node: NodeAddresses, now: number): void {
    this.blockOf(node.index);
    this.subnet.giveBack(node.nodeIp, now + this.cfg.terminationReleaseDelay);
    this.blocks.release(node.podCidr!);
    this.allocators.delete(node.index);
  }

  private blockOf(index: number): HostScopeAllocator {
    const block = this.allocators.get(index);
    if (block === undefined) throw new Error(`IPAM: node ${index} has no pod block`);
    return block;
  }
}
