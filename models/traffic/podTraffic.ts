/**
 * Traffic to pods, judged pair by pair: for every pod and every other node that could send to
 * it, over the time both exist. Senders are taken in blocks of OBSERVER_BLOCK, so the work can
 * be split by blocks (threads judge disjoint blocks) without changing a single number: every
 * draw comes from a substream keyed by its pair, or by its (pod, block) for summed pieces.
 *
 * Classes (rates per pod and sending node): direct pod-IP peers and replies to the pod's own
 * requests from the moment it is ready; service clients from the moment the sender's LB map
 * has the backend.
 */
import { OBSERVER_BLOCK } from "../controlplane/broadcast.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import { VERDICT_INDEX, type Verdict } from "../datapath/verdict.ts";
import { drawn, drawPiece, VerdictSums } from "./flows.ts";
import { generalPair } from "./podPair.ts";
import { closeWindow, podPacket, type PodTrafficInput } from "./podInput.ts";

export type { Flow, PodFlows } from "./flows.ts";
export type { PodTrafficInput } from "./podInput.ts";

// Imported bindings are read through accessors in the module format the loader produces;
// the hot loops below use these local copies instead.
const BLOCK = OBSERVER_BLOCK;
const ENCRYPTED = VERDICT_INDEX.encrypted;
const verdictIndex = VERDICT_INDEX;
const out = drawn;
const draw = drawPiece;
const close = closeWindow;
const packet = podPacket;
const general = generalPair;

export function accountPodTraffic(x: PodTrafficInput): void {
  const cuts: number[] = [];
  const memo: Verdict[][] = [];
  const sums = new VerdictSums();
  const nodeCount = x.nodes.length;
  const classes = new Int8Array(nodeCount).fill(-1);
  // The senders' times in flat arrays: this loop visits every (pod, sender) pair.
  const listed = Float64Array.from(x.nodes, (n) => n.listed);
  const removed = Float64Array.from(x.nodes, (n) => n.removed);
  const lastBlock = Math.min(x.blocks.to, Math.ceil(nodeCount / BLOCK));
  const stride = x.observerStride;
  // A pod's arrivals at a block of senders, read once per block.
  const knownAt = new Float64Array(BLOCK);
  const lbAt = new Float64Array(BLOCK).fill(Infinity);
  let pairs = 0;
  let judged = 0;
  for (const e of x.endpoints) {
    const start = e.ready;
    const end = Math.min(e.deleted, x.duration);
    if (!(end > start)) continue;
    const host = x.nodes[e.node];
    // The two-state shortcut needs a view that only the pod's own entry changes.
    const plain = !x.exactPairs && x.views.soleHolder(e.ip) && !x.views.deletions.touches(e.ip);
    // A node there from the start and never removed is known to every agent all along.
    const hostAlways = x.views.alwaysKnown(host);
    const service = e.service >= 0;
    const cause = x.delayedByOperator(e.id) ? "operator_outage" : "propagation";
    memo.length = 0;
    for (let b = x.blocks.from; b < lastBlock; b++) {
      const first = b * BLOCK;
      const last = Math.min(first + BLOCK, nodeCount);
      x.pods.learnedAtBlock(e.id, first, last, knownAt);
      if (service) x.backends.learnedAtBlock(e.id, first, last, lbAt);
      for (let n = first; n < last; n++) {
        if (n === e.node) continue;
        const from = start > listed[n] ? start : listed[n];
        const to = end < removed[n] ? end : removed[n];
        if (!(to > from)) continue;
        pairs++;
        if (n % stride !== 0) continue;
        judged++;
        const known = knownAt[n - first];
        const lb = service ? lbAt[n - first] : Infinity;
        if (x.encryption) x.acct.pair(known - from, lb < known);
        const sender = x.nodes[n];
        if (plain && (hostAlways || x.views.knowsNodeThroughout(n, host, from, to))) {
          const cls = classes[n] >= 0 ? classes[n] : (classes[n] = x.judge.senderClass(sender));
          twoStatePair(x, e, sender, from, to, known, lb, (memo[cls] ??= []), sums, cause);
        } else general(x, e, host, sender, from, to, known, lb, x.rng.pairs.select(e.id, n), cuts);
      }
      sums.flush(x.flows, x.rng.sums, e.id, b, x.acct);
    }
  }
  x.acct.pairs += pairs;
  x.acct.judgedPairs += judged;
}

/**
 * The common pair: the address was never anyone else's and the sender knew the pod's node
 * throughout, so the sender's view has two states, before and after the pod's own entry
 * arrives, and their verdicts are the same for every sender of one class (memoised per pod).
 * Only a window's own packets are drawn per pair; everything else is summed.
 */
function twoStatePair(
  x: PodTrafficInput, e: Endpoint, sender: ClusterNode, from: number, to: number, known: number, lbAt: number, verdicts: Verdict[], sums: VerdictSums,
  cause: "operator_outage" | "propagation",
): void {
  const split = Math.min(Math.max(known, from), to);
  let windowEnd = to;
  let packetsIn = 0;
  let bytesIn = 0;
  let before: Verdict | undefined;
  if (split > from) {
    before = (verdicts[0] ??= x.judge.verdict(packet(sender, e), sender, from));
    if (before === "encrypted") {
      sums.add(ENCRYPTED, from, split, lbAt);
      windowEnd = from;
    } else {
      draw(x.flows, from, split, lbAt, x.rng.pairs.select(e.id, sender.index), x.acct, before);
      packetsIn = out.packets;
      bytesIn = out.bytes;
    }
  }
  // Plaintext left in a state whose verdict is `leaked` (strict mode makes it a drop instead).
  let leaked = before === "leaked" ? split - from : 0;
  let leakEnd = split;
  if (to > split) {
    const after = (verdicts[1] ??= x.judge.verdict(packet(sender, e), sender, split));
    sums.add(verdictIndex[after], split, to, lbAt);
    if (windowEnd === to && after === "encrypted") windowEnd = split;
    if (windowEnd === to && after === "leaked") {
      leaked += to - split;
      leakEnd = to;
    }
  }
  if (x.encryption) close(x, e, sender.index, from, windowEnd, to, packetsIn, bytesIn, before ?? "leaked", cause, leaked, leakEnd);
}
