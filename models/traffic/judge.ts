/**
 * The seam between traffic and the datapath: the verdict a packet gets when node `from` sends
 * it at time t, given what that node's IPCache and WireGuard device hold then.
 */
import type { ClusterNode } from "../cluster/nodes.ts";
import type { EndpointKind, Verdict } from "../datapath/verdict.ts";

export interface PacketSpec {
  src: number;
  dst: number;
  srcKind: EndpointKind;
  dstKind: EndpointKind;
  /** Index of the node that really hosts the destination, or -1 outside the cluster. */
  dstHost: number;
  /** The source pod's own ipcache entry is gone on its node (decide.ts DatapathPacket). */
  srcIdentityLost?: boolean;
}

export interface Judge {
  verdict(pkt: PacketSpec, from: ClusterNode, t: number): Verdict;
  /**
   * Senders of one class decide alike: for the same destination and the same state of their
   * IPCache, tunnel map and peers, they give the same verdict. Lets a verdict be reused.
   */
  senderClass(node: ClusterNode): number;
}
