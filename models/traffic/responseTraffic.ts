/**
 * Traffic from each pod back to each other node's client pod: its answers to their requests.
 * Judged on the pod's own node, per (pod, client node), cut where that node's view changes:
 * when it learns of the client's node (the client's entry comes with it), and where a
 * deletion by hand (ipcache/deletions.ts) takes the client's entry or the pod's own source
 * identity. Before 1.18 the WireGuard hook looks the source up in the ipcache, so a pod whose
 * own entry is gone is not encrypted (and strict mode drops it); from 1.18 its identity
 * travels in the skb mark (#38592). This is the direction PR #38566 describes for cilium-cli's
 * first strict-mode test: on 1.18 its requests were encrypted through the pod-CIDR entry, and it
 * passed only because the echo pod's answers were dropped. leaklab's 1.18 takes the identity
 * from the mark, so there the answers are encrypted and that test would fail outright (either
 * way it cannot show the drop it expects, which is why -v2 exists).
 */
import { poisson } from "../../sim/poisson.ts";
import { OBSERVER_BLOCK } from "../controlplane/broadcast.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import { addCut, ascending } from "./cuts.ts";
import type { PacketSpec } from "./judge.ts";
import type { PodTrafficInput } from "./podInput.ts";

export function accountResponseTraffic(x: PodTrafficInput): void {
  const flow = x.flows.responses;
  if (flow.rate === 0) return;
  const cuts: number[] = [];
  const first = x.blocks.from * OBSERVER_BLOCK;
  const last = Math.min(x.blocks.to * OBSERVER_BLOCK, x.nodes.length);
  for (const e of x.endpoints) {
    const from0 = e.ready;
    const to0 = Math.min(e.deleted, x.duration);
    const own = x.nodes[e.node];
    if (own.index % x.observerStride !== 0) continue;
    // Split over threads by the client's block; each (pod, client) pair draws from its own substream.
    for (let c = first; c < last; c++) {
      const client = x.nodes[c];
      if (client.index === e.node) continue;
      const from = Math.max(from0, client.listed);
      const to = Math.min(to0, client.removed);
      if (!(to > from)) continue;
      responseCuts(x, e, own, client, from, to, cuts);
      const pkt: PacketSpec = { src: e.ip, dst: client.clientIp, srcKind: "pod", dstKind: "pod", dstHost: client.index };
      const u = x.rng.responses.select(e.id, client.index);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const a = cuts[i];
        if (!(cuts[i + 1] > a)) continue;
        pkt.srcIdentityLost = x.views.deletions.addressDeleted(e.ip, a);
        const verdict = x.judge.verdict(pkt, own, a);
        x.acct.count(verdict, poisson(flow.rate * (cuts[i + 1] - a), u), flow.packetBytes);
      }
    }
  }
}

function responseCuts(x: PodTrafficInput, e: Endpoint, own: ClusterNode, client: ClusterNode, from: number, to: number, out: number[]): void {
  out.length = 0;
  out.push(from, to);
  addCut(out, x.views.nodeKnownAt(own.index, client), from, to);
  x.views.deletions.changePoints(e.ip, from, to, out);
  x.views.deletions.changePoints(client.clientIp, from, to, out);
  out.sort(ascending);
}
