/**
 * The nodes of a cluster-pool cluster: each node has an IP from the node subnet and a per-node
 * pod CIDR block, from which Cilium allocates the node's router (cilium_host) and health
 * addresses and then its pods' addresses.
 */
import type { Streams } from "../sim/random.ts";
import { subnet, type Cidr } from "./addressing/ipv4.ts";
import { HostScopeAllocator } from "./addressing/ipam.ts";
import { nodeIp, type Scenario } from "./scenario.ts";

export interface ClusterNode {
  index: number;
  name: string;
  ip: number;
  podCidr: Cidr;
  ipam: HostScopeAllocator;
  /** cilium_host address: the IPV4_GATEWAY of the strict-mode filter. */
  routerIp: number;
  healthIp: number;
  /** A long-lived client pod on this node that sends the node's pod traffic. */
  clientIp: number;
}

export function buildNodes(sc: Scenario, streams: Streams): ClusterNode[] {
  const pool = sc.cilium.ipam.operator.clusterPoolIPv4PodCIDRList[0];
  const mask = sc.cilium.ipam.operator.clusterPoolIPv4MaskSize;
  const width = String(sc.cluster.nodes - 1).length;
  return Array.from({ length: sc.cluster.nodes }, (_, index) => {
    const podCidr = subnet(pool, mask, index, "cilium.ipam.operator.clusterPoolIPv4PodCIDRList");
    const ipam = new HostScopeAllocator(podCidr, streams.stream(`ipam/${index}`));
    const routerIp = ipam.allocateNext();
    const healthIp = ipam.allocateNext();
    const clientIp = ipam.allocateNext();
    const name = `node-${String(index).padStart(width, "0")}`;
    return { index, name, ip: nodeIp(sc, index), podCidr, ipam, routerIp, healthIp, clientIp };
  });
}
