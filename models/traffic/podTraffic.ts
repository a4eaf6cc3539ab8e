/**
 * Traffic to pods, judged pair by pair: for every pod and every other node that could send to
 * it, the time the pair exists is cut where the sending node's view of the pod changes (its
 * own entry arrives, an earlier holder's entry arrives or goes, the pod's node becomes known,
 * the load-balancer map gets the backend). Inside each piece the verdict is fixed, so the
 * packets of each Poisson flow are one exact Poisson count.
 *
 * Classes (rates per pod and sending node): direct pod-IP peers and replies to the pod's own
 * requests from the moment it is ready; service clients from the moment the sender's LB map
 * has the backend.
 */
import { poisson } from "../../sim/poisson.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Accounting } from "../accounting.ts";
import type { WindowCause } from "../windows.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Known } from "../controlplane/announcements.ts";
import type { Verdict } from "../datapath/verdict.ts";
import type { NodeViews } from "../ipcache/views.ts";
import { addCut, ascending, viewCuts } from "./cuts.ts";
import type { Judge, PacketSpec } from "./judge.ts";

export interface Flow {
  rate: number;
  packetBytes: number;
}

export interface PodFlows {
  direct: Flow;
  replies: Flow;
  service: Flow;
  /** From each pod back to each other node's client pod (responseTraffic.ts). */
  responses: Flow;
}

export interface PodTrafficInput {
  duration: number;
  nodes: readonly ClusterNode[];
  endpoints: readonly Endpoint[];
  /** When each sender learned of each pod (its CiliumEndpoint or slice entry). */
  pods: Known;
  /** When each sender's LB map got each service backend. */
  backends: Known;
  /** The pod's publication waited for the operator. */
  delayedByOperator: (endpoint: number) => boolean;
  views: NodeViews;
  judge: Judge;
  flows: PodFlows;
  acct: Accounting;
  rng: RandomStream;
  /** Encryption is on: only then is there a window to measure. */
  encryption: boolean;
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs?: boolean;
  /** Judge only senders whose index is a multiple of this (size estimates); 1: all. */
  observerStride: number;
}

export function accountPodTraffic(x: PodTrafficInput): void {
  const cuts: number[] = [];
  const memo: Verdict[][] = [];
  for (const e of x.endpoints) {
    const start = e.ready;
    const end = Math.min(e.deleted, x.duration);
    if (!(end > start)) continue;
    const host = x.nodes[e.node];
    // The two-state shortcut needs a view that only the pod's own entry changes.
    const sole = x.views.soleHolder(e.ip) && !x.views.deletions.touches(e.ip);
    memo.length = 0;
    for (const sender of x.nodes) {
      if (sender.index === e.node) continue;
      const from = Math.max(start, sender.listed);
      const to = Math.min(end, sender.removed);
      if (!(to > from)) continue;
      x.acct.pairs++;
      if (sender.index % x.observerStride !== 0) continue;
      x.acct.judgedPairs++;
      if (sole && !x.exactPairs && x.views.knowsNodeThroughout(sender.index, host, from, to)) plainPair(x, e, sender, from, to, memo);
      else pair(x, e, host, sender, from, to, cuts);
    }
  }
}

/**
 * The common pair: the address was never anyone else's and the sender knew the pod's node
 * throughout, so the sender's view has two states, before and after the pod's own entry
 * arrives, and their verdicts are the same for every sender of one class (memoised per pod).
 */
function plainPair(x: PodTrafficInput, e: Endpoint, sender: ClusterNode, from: number, to: number, memo: Verdict[][]): void {
  const n = sender.index;
  startPair(x, e, n, from);
  const { known, lbAt } = pairOut;
  const verdicts = (memo[x.judge.senderClass(sender)] ??= []);
  const split = Math.min(Math.max(known, from), to);
  let windowEnd = to;
  let packetsIn = 0;
  let bytesIn = 0;
  let before: Verdict | undefined;
  if (split > from) {
    before = (verdicts[0] ??= x.judge.verdict(podPacket(sender, e), sender, from));
    flowPackets(x, from, split, lbAt);
    x.acct.count(before, flowOut.packets, flowOut.packets === 0 ? 0 : flowOut.bytes / flowOut.packets);
    if (before === "encrypted") windowEnd = from;
    else {
      packetsIn = flowOut.packets;
      bytesIn = flowOut.bytes;
    }
  }
  if (to > split) {
    const after = (verdicts[1] ??= x.judge.verdict(podPacket(sender, e), sender, split));
    flowPackets(x, split, to, lbAt);
    x.acct.count(after, flowOut.packets, flowOut.packets === 0 ? 0 : flowOut.bytes / flowOut.packets);
    if (windowEnd === to && after === "encrypted") windowEnd = split;
  }
  if (x.encryption) closeWindow(x, e, n, from, windowEnd, to, packetsIn, bytesIn, before ?? "leaked", x.delayedByOperator(e.id) ? "operator_outage" : "propagation");
}

/** When the sender learned of the pod and got it in its LB map; set by startPair (no allocation per pair). */
const pairOut = { known: 0, lbAt: 0 };

/** What every pair does first: when the sender learned of the pod, and the pair's propagation record. */
function startPair(x: PodTrafficInput, e: Endpoint, n: number, from: number): void {
  const known = x.pods.learnedAt(e.id, n);
  const lbAt = e.service >= 0 ? x.backends.learnedAt(e.id, n) : Infinity;
  if (x.encryption) x.acct.pair(known - from, e.service >= 0 && lbAt < known);
  pairOut.known = known;
  pairOut.lbAt = lbAt;
}

/** A packet from the sender's client pod to the pod (no closures here: this runs per pair). */
function podPacket(sender: ClusterNode, e: Endpoint): PacketSpec {
  return { src: sender.clientIp, dst: e.ip, srcKind: "pod", dstKind: "pod", dstHost: e.node };
}

/** Result of flowPackets, kept in one place so the innermost loop allocates nothing. */
const flowOut = { packets: 0, bytes: 0 };

/** Packets and bytes of the pod's flows in [a, b), with service traffic from `lbAt` on. */
function flowPackets(x: PodTrafficInput, a: number, b: number, lbAt: number): void {
  const f = x.flows;
  const base = f.direct.rate + f.replies.rate;
  const baseBytes = meanBytes(f, false);
  const plain = poisson(base * (b - a), x.rng);
  const withLb = Math.max(a, Math.min(b, lbAt));
  const service = b > withLb && f.service.rate > 0 ? poisson(f.service.rate * (b - withLb), x.rng) : 0;
  flowOut.packets = plain + service;
  flowOut.bytes = plain * baseBytes + service * f.service.packetBytes;
}

/**
 * One (pod, sending node) pair. Its leak window runs from the moment the pair exists until the
 * sender first encrypts to the pod: with the pod's own /32 entry, or earlier through a tunnel
 * route or (1.18+) its node's pod-CIDR entry. The /32's arrival is reported separately as
 * IPCache propagation.
 */
function pair(x: PodTrafficInput, e: Endpoint, host: ClusterNode, sender: ClusterNode, from: number, to: number, cuts: number[]): void {
  const n = sender.index;
  startPair(x, e, n, from);
  const { known, lbAt } = pairOut;
  viewCuts(x.views, e.ip, n, host, from, to, cuts);
  addCut(cuts, lbAt, from, to);
  addCut(cuts, known, from, to);
  cuts.sort(ascending);

  let windowEnd = to;
  let packetsIn = 0;
  let bytesIn = 0;
  const outcome = new Map<Verdict, number>();
  let cause: WindowCause = "propagation";
  const pkt = podPacket(sender, e);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    if (b <= a) continue;
    const verdict = x.judge.verdict(pkt, sender, a);
    const service = a >= lbAt;
    const bytes = meanBytes(x.flows, service);
    const packets = poisson((x.flows.direct.rate + x.flows.replies.rate + (service ? x.flows.service.rate : 0)) * (b - a), x.rng);
    x.acct.count(verdict, packets, bytes);
    if (windowEnd !== to) continue;
    if (verdict === "encrypted") {
      windowEnd = a;
      continue;
    }
    packetsIn += packets;
    bytesIn += packets * bytes;
    outcome.set(verdict, (outcome.get(verdict) ?? 0) + packets);
    cause = worse(cause, segmentCause(x, e, sender, host, a));
  }
  if (x.encryption) closeWindow(x, e, n, from, windowEnd, to, packetsIn, bytesIn, packetsIn > 0 ? dominant(outcome) : "leaked", cause);
}

/** Records a pair's window and, when it carried traffic, its row for windows.csv. */
function closeWindow(
  x: PodTrafficInput, e: Endpoint, observer: number, from: number, closed: number, to: number,
  packets: number, bytes: number, outcome: Verdict, cause: WindowCause,
): void {
  const censored = closed === to && to === x.duration;
  x.acct.window(closed - from, censored);
  const sink = x.acct.onWindow;
  if (packets === 0 || sink === undefined) return;
  sink({
    endpoint: e.id, endpointIp: e.ip, endpointNode: e.node, observerNode: observer, opened: from, closed,
    packets, bytes, outcome, cause, censored,
  });
}

/** Mean packet size of the active classes, weighted by rate. */
function meanBytes(f: PodFlows, service: boolean): number {
  const s = service ? f.service.rate : 0;
  const rate = f.direct.rate + f.replies.rate + s;
  const bytes = f.direct.rate * f.direct.packetBytes + f.replies.rate * f.replies.packetBytes + (service ? s * f.service.packetBytes : 0);
  return rate === 0 ? 0 : bytes / rate;
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
