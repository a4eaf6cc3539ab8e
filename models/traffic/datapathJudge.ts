/**
 * The judge backed by the datapath model: each packet goes through `decide` with the sending
 * node's configuration, its IPCache and tunnel map at that time, and its WireGuard peers.
 */
import type { ClusterNode } from "../cluster/nodes.ts";
import type { DatapathConfig } from "../datapath/config.ts";
import { decide, type DatapathPacket, type SenderNode } from "../datapath/decide.ts";
import { wireguardPeers } from "../datapath/wireguard.ts";
import { inStrictSubnet, strictFilterFor } from "../datapath/strict.ts";
import type { Judge } from "./judge.ts";
import { ViewAt, type NodeViews } from "../ipcache/views.ts";

export function datapathJudge(cfg: DatapathConfig, views: NodeViews, nodes: readonly ClusterNode[]): Judge {
  const at = new ViewAt(views);
  const wireguard = wireguardPeers(cfg, at.ipcache, at.hasPeer);
  const senders: SenderNode[] = [];
  const receiver = { cfg };
  const pkt: DatapathPacket = { src: 0, dst: 0, srcKind: "pod", dstKind: "pod", dstNode: undefined };
  const senderOf = (n: ClusterNode): SenderNode =>
    (senders[n.index] ??= { cfg, ip: n.ip, gatewayIp: n.routerIp, strict: strictFilterFor(cfg, { ip: n.ip, gatewayIp: n.routerIp }) });
  return {
    verdict(p, from, t) {
      at.node = from.index;
      at.time = t;
      pkt.src = p.src;
      pkt.dst = p.dst;
      pkt.srcKind = p.srcKind;
      pkt.dstKind = p.dstKind;
      pkt.dstNode = p.dstHost >= 0 ? nodes[p.dstHost].ip : undefined;
      pkt.srcIdentityLost = p.srcIdentityLost === true;
      return decide({ pkt, node: senderOf(from), ipcache: at.ipcache, tunnelMap: at.tunnelMap, wireguard, receiver }).verdict;
    },
    // For pod traffic a sender's own node only matters through its strict filter: whether it
    // is compiled in, whether it looks destinations up, and whether the client pod is in the CIDR.
    senderClass(n) {
      const f = senderOf(n).strict;
      if (f === null || f === undefined) return 0;
      return 1 + (f.nodeLookup ? 2 : 0) + (inStrictSubnet(n.clientIp, f.cidr) ? 4 : 0);
    },
  };
}
