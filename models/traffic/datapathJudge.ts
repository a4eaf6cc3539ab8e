/**
 * The judge backed by the datapath model: each packet goes through `decide` with the sending
 * node's configuration, its IPCache and tunnel map at that time, and its WireGuard peers.
 */
import type { ClusterNode } from "../cluster/nodes.ts";
import type { DatapathConfig } from "../datapath/config.ts";
import { decide, type DatapathPacket, type SenderNode } from "../datapath/decide.ts";
import { wireguardPeers } from "../datapath/ipcache.ts";
import { strictFilterFor } from "../datapath/strict.ts";
import type { Judge } from "./judge.ts";
import { ViewAt, type NodeViews } from "./views.ts";

export function datapathJudge(cfg: DatapathConfig, views: NodeViews, nodes: readonly ClusterNode[]): Judge {
  const at = new ViewAt(views);
  const wireguard = wireguardPeers(cfg, at.ipcache, at.hasPeer);
  const senders: SenderNode[] = [];
  const receiver = { cfg };
  const pkt: DatapathPacket = { src: 0, dst: 0, srcKind: "pod", dstKind: "pod", dstNode: undefined };
  return (p, from, t) => {
    at.node = from.index;
    at.time = t;
    const sender = (senders[from.index] ??= { cfg, ip: from.ip, gatewayIp: from.routerIp, strict: strictFilterFor(cfg, { ip: from.ip, gatewayIp: from.routerIp }) });
    pkt.src = p.src;
    pkt.dst = p.dst;
    pkt.srcKind = p.srcKind;
    pkt.dstKind = p.dstKind;
    pkt.dstNode = p.dstHost >= 0 ? nodes[p.dstHost].ip : undefined;
    return decide({ pkt, node: sender, ipcache: at.ipcache, tunnelMap: at.tunnelMap, wireguard, receiver }).verdict;
  };
}
