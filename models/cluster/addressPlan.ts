/**
 * What the cluster needs from addressing: node addresses when a node joins, pod addresses,
 * and releases. Implementations decide the cloud's rules (per-node blocks, shared subnets,
 * release delays), which is where a pod can come to inherit a removed node's IP.
 */
import type { Cidr } from "../addressing/ipv4.ts";

export interface NodeAddresses {
  nodeIp: number;
  routerIp: number;
  /** cilium-health's address; none where the IPAM allocates none (delegated IPAM). */
  healthIp?: number;
  /** The node's own pod block in styles that have one (Cilium's per-node pod CIDR). */
  podCidr?: Cidr;
}

export interface AddressPlan {
  addNode(node: number, now: number): NodeAddresses;
  removeNode(node: number, now: number): void;
  allocatePod(node: number, now: number): number;
  releasePod(node: number, ip: number, now: number): void;
}
