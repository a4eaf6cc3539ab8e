/**
 * Cluster-pool addressing: node IPs from the node subnet (never reused by pods), a /mask pod
 * block per node from the pool, router and health addresses from that block, host-scope
 * allocation with immediate reuse. A removed node's block is not handed to a new node, as
 * Cilium's operator allocates fresh CIDRs from its pool.
 */
import type { Streams } from "../../sim/random.ts";
import { HostScopeAllocator } from "../addressing/ipam.ts";
import { networkOf, size, subnet, type Cidr } from "../addressing/ipv4.ts";
import type { AddressPlan, NodeAddresses } from "./addressPlan.ts";

export class ClusterPoolPlan implements AddressPlan {
  private readonly ipam: HostScopeAllocator[] = [];
  private nextBlock = 0;

  constructor(
    private readonly nodeSubnet: Cidr,
    private readonly pool: Cidr,
    private readonly mask: number,
    private readonly streams: Streams,
  ) {}

  addNode(node: number, _now: number): NodeAddresses {
    if (node + 2 >= size(this.nodeSubnet)) throw new Error(`node subnet ${this.nodeSubnet.text} is exhausted`);
    const podCidr = subnet(this.pool, this.mask, this.nextBlock++, "cilium.ipam.operator.clusterPoolIPv4PodCIDRList");
    const ipam = new HostScopeAllocator(podCidr, this.streams.stream(`ipam/${node}`));
    this.ipam[node] = ipam;
    const routerIp = ipam.allocateNext();
    const healthIp = ipam.allocateNext();
    return { nodeIp: (networkOf(this.nodeSubnet) + 1 + node) >>> 0, routerIp, healthIp, podCidr };
  }

  removeNode(_node: number, _now: number): void {}

  allocatePod(node: number, _now: number): number {
    return this.ipam[node].allocateNext();
  }

  releasePod(node: number, ip: number, _now: number): void {
    this.ipam[node].release(ip);
  }
}
