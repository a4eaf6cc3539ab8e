/**
 * The address plan backed by the cloud addressing model: node, router and health addresses and
 * pod addresses as the scenario's cloud and IPAM mode hand them out, including delayed
 * releases and reuse of a removed node's addresses.
 */
import type { Streams } from "../../sim/random.ts";
import type { ResolvedAddressing } from "../addressing/cloud.ts";
import { ClusterAddressing } from "../addressing/plan.ts";
import type { AddressPlan, NodeAddresses } from "./addressPlan.ts";

export class CloudPlan implements AddressPlan {
  private readonly addressing: ClusterAddressing;

  constructor(config: ResolvedAddressing, streams: Streams) {
    this.addressing = new ClusterAddressing(config, streams);
  }

  addNode(node: number, now: number): NodeAddresses {
    const a = this.addressing.addNode(now);
    if (a.index !== node) throw new Error(`address plan out of step: node ${node} got index ${a.index}`);
    return { nodeIp: a.nodeIp, routerIp: a.routerIp, healthIp: a.healthIp, podCidr: a.podCidr };
  }

  removeNode(node: number, now: number): void {
    this.addressing.removeNode(node, now);
  }

  allocatePod(node: number, now: number): number {
    return this.addressing.allocatePod(node, now);
  }

  releasePod(node: number, ip: number, now: number): void {
    this.addressing.releasePod(node, ip, now);
  }
}
