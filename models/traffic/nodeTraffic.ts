/**
 * Traffic that is not pod-to-pod, judged per (sending node, target) over the time both exist,
 * cut where the sender learns of the target node:
 * - pods -> other nodes' IPs (NodePort, hostNetwork services);
 * - cilium-health probes, ICMP and HTTP to every node IP and health IP every 60 s (CFP-32820),
 *   sent from the host;
 * - pods -> outside the cluster.
 * API-server traffic is apiServerTraffic.ts's, keyed in a stream of its own.
 */
import { poisson } from "../../sim/poisson.ts";
import type { Uniform } from "../../sim/random.ts";
import type { Substreams } from "../../sim/substreams.ts";
import { OBSERVER_BLOCK } from "../controlplane/broadcast.ts";
import type { Accounting, FalseDropCause } from "../accounting.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Verdict } from "../datapath/verdict.ts";
import { addCut, ascending } from "./cuts.ts";
import type { Judge, PacketSpec } from "./judge.ts";
import type { Flow } from "./podTraffic.ts";
import type { NodeViews } from "../ipcache/views.ts";

export interface NodeFlows {
  podToNode: Flow;
  /** Seconds between probe rounds; each round sends an ICMP echo and an HTTP request per target. */
  healthProbes: { interval: number; packetBytes: number };
  apiServerToPods: Flow;
  podsToApiServer: Flow;
  podToOutside: Flow;
  /** Where the API server runs (scenario cluster.apiServer). */
  apiServer: "control-plane-node" | "managed";
}

export interface NodeTrafficInput {
  duration: number;
  nodes: readonly ClusterNode[];
  endpoints: readonly Endpoint[];
  views: NodeViews;
  judge: Judge;
  flows: NodeFlows;
  acct: Accounting;
  /** Keyed by (sender, target x 3 + flow), by sender for outside traffic, by (pod, flow) for the API server's. */
  rng: { nodes: Substreams; outside: Substreams; apiserver: Substreams };
  /** Judge only senders whose index is a multiple of this (size estimates); 1: all. */
  observerStride: number;
  /** The blocks of senders (OBSERVER_BLOCK each) to judge: [from, to). */
  blocks: { from: number; to: number };
}

/** An address outside every cluster range (TEST-NET-3), standing for the Internet. */
export const OUTSIDE = (203 << 24) | (0 << 16) | (113 << 8) | 10;

export function accountNodeTraffic(x: NodeTrafficInput): void {
  const probe = { rate: x.flows.healthProbes.interval > 0 ? 2 / x.flows.healthProbes.interval : 0, packetBytes: x.flows.healthProbes.packetBytes };
  const toNodes = x.flows.podToNode.rate > 0 || probe.rate > 0;
  const first = x.blocks.from * OBSERVER_BLOCK;
  const last = Math.min(x.blocks.to * OBSERVER_BLOCK, x.nodes.length);
  for (let i = first; i < last; i++) {
    const n = x.nodes[i];
    if (n.index % x.observerStride !== 0) continue;
    for (const m of toNodes ? x.nodes : []) {
      if (m === n) continue;
      const from = Math.max(n.listed, m.listed);
      const to = Math.min(n.removed, m.removed, x.duration);
      if (!(to > from)) continue;
      const key = m.index * 3;
      flowTo(x, n, m, from, to, { src: n.clientIp, dst: m.ip, srcKind: "pod", dstKind: "node", dstHost: m.index }, x.flows.podToNode, x.rng.nodes, n.index, key);
      flowTo(x, n, m, from, to, { src: n.ip, dst: m.ip, srcKind: "host", dstKind: "node", dstHost: m.index }, probe, x.rng.nodes, n.index, key + 1);
      if (m.healthIp !== undefined) {
        flowTo(x, n, m, from, to, { src: n.ip, dst: m.healthIp, srcKind: "host", dstKind: "health", dstHost: m.index }, probe, x.rng.nodes, n.index, key + 2);
      }
    }
    const out = { src: n.clientIp, dst: OUTSIDE, srcKind: "pod" as const, dstKind: "external" as const, dstHost: -1 };
    const span = Math.min(n.removed, x.duration) - n.listed;
    const flow = x.flows.podToOutside;
    if (span > 0 && flow.rate > 0) x.acct.count(x.judge.verdict(out, n, n.listed), poisson(flow.rate * span, x.rng.outside.select(n.index, 0)), flow.packetBytes);
  }
}

/**
 * A flow from node n to an address of node m, cut where n learns of (or forgets) m, its
 * packets drawn from `rng`'s substream (a, b) (chosen only when the flow has packets).
 */
export function flowTo(
  x: NodeTrafficInput, n: ClusterNode, m: ClusterNode, from: number, to: number, pkt: PacketSpec, flow: Flow,
  rng: Substreams, a: number, b: number, seen?: (verdict: Verdict, packets: number) => void,
): void {
  if (flow.rate === 0) return;
  const cuts = [from, to];
  addCut(cuts, x.views.nodeKnownAt(n.index, m), from, to);
  x.views.entryChangePoints(pkt.dst, n.index, from, to, cuts);
  segments(x, n, pkt, flow, cuts, rng.select(a, b), seen);
}

/** Judges and counts a flow piece by piece; `seen` is told of each piece's verdict and count. */
export function segments(
  x: NodeTrafficInput, sender: ClusterNode, pkt: PacketSpec, flow: Flow, cuts: number[], u: Uniform,
  seen?: (verdict: Verdict, packets: number) => void,
): void {
  cuts.sort(ascending);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const t = cuts[i];
    if (!(cuts[i + 1] > t) || flow.rate === 0) continue;
    const verdict = x.judge.verdict(pkt, sender, t);
    const packets = poisson(flow.rate * (cuts[i + 1] - t), u);
    x.acct.count(verdict, packets, flow.packetBytes);
    seen?.(verdict, packets);
    if (verdict === "false_dropped") x.acct.falseDrop(falseDropCause(x, sender, pkt, t), pkt.dstKind, packets);
  }
}

/** Whether the sender had processed the target node's CiliumNode when it dropped the packet. */
function falseDropCause(x: NodeTrafficInput, sender: ClusterNode, pkt: PacketSpec, t: number): FalseDropCause {
  const target = pkt.dstHost >= 0 ? x.nodes[pkt.dstHost] : undefined;
  return target !== undefined && !x.views.knowsNode(sender.index, target, t) ? "new_node" : "known_node";
}
