/**
 * The general (pod, sending node) pair, judged segment by segment: the pair's time is cut
 * where the sender's view of the pod can change (its own entry arrives, an earlier holder's
 * entry arrives or goes, the pod's node becomes known, the LB map gets the backend); inside
 * each piece the verdict is fixed and the packets are exact Poisson counts. Its leak window
 * runs from the moment the pair exists until the sender first encrypts to the pod: with the
 * pod's own /32 entry, or earlier through a tunnel route or (1.18+) its node's pod-CIDR entry.
 */
import type { Uniform } from "../../sim/random.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Verdict } from "../datapath/verdict.ts";
import type { WindowCause } from "../windows.ts";
import { addCut, ascending, viewCuts } from "./cuts.ts";
import { drawn, drawPiece } from "./flows.ts";
import { closeWindow, podPacket, type PodTrafficInput } from "./podInput.ts";

export function generalPair(x: PodTrafficInput, e: Endpoint, host: ClusterNode, sender: ClusterNode, from: number, to: number, known: number, lbAt: number, u: Uniform, cuts: number[]): void {
  const n = sender.index;
  viewCuts(x.views, e.ip, n, host, from, to, cuts);
  addCut(cuts, lbAt, from, to);
  addCut(cuts, known, from, to);
  cuts.sort(ascending);
  let windowEnd = to;
  let packetsIn = 0;
  let bytesIn = 0;
  const outcome = new Map<Verdict, number>();
  let cause: WindowCause = "propagation";
  let leaked = 0;
  let leakEnd = from;
  const pkt = podPacket(sender, e);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    if (b <= a) continue;
    const verdict = x.judge.verdict(pkt, sender, a);
    drawPiece(x.flows, a, b, lbAt, u, x.acct, verdict);
    if (windowEnd !== to) continue;
    if (verdict === "encrypted") {
      windowEnd = a;
      continue;
    }
    packetsIn += drawn.packets;
    bytesIn += drawn.bytes;
    if (verdict === "leaked") {
      leaked += b - a;
      leakEnd = b;
    }
    outcome.set(verdict, (outcome.get(verdict) ?? 0) + drawn.packets);
    cause = worse(cause, segmentCause(x, e, sender, host, a));
  }
  if (x.encryption) closeWindow(x, e, n, from, windowEnd, to, packetsIn, bytesIn, packetsIn > 0 ? dominant(outcome) : "leaked", cause, leaked, leakEnd);
}

/** Why the sender did not know the pod at time t. */
function segmentCause(x: PodTrafficInput, e: Endpoint, sender: ClusterNode, host: ClusterNode, t: number): WindowCause {
  const stale = x.views.holderAt(sender.index, e.ip, t);
  if (stale !== undefined && stale.owner !== e) return stale.kind === "pod" ? "stale_after_reuse" : "node_ip_reuse";
  if (!x.views.knowsNode(sender.index, host, t)) return "new_node";
  if (x.delayedByOperator(e.id)) return "operator_outage";
  return "propagation";
}

const CAUSE_RANK: Record<WindowCause, number> = { propagation: 0, operator_outage: 1, new_node: 2, stale_after_reuse: 3, node_ip_reuse: 4 };

function worse(a: WindowCause, b: WindowCause): WindowCause {
  return CAUSE_RANK[b] > CAUSE_RANK[a] ? b : a;
}

function dominant(counts: Map<Verdict, number>): Verdict {
  let best: Verdict = "leaked";
  let most = -1;
  for (const [v, c] of counts) if (c > most) [best, most] = [v, c];
  return best;
}
