/**
 * The analytic half of a run: every flow of the scenario judged against the Propagation the
 * control plane left, pair by pair and segment by segment, with exact Poisson counts. It reads
 * nothing but that record, the datapath configuration and the flows, so it can be tested on a
 * synthetic record and split however one likes.
 */
import type { Streams } from "../../sim/random.ts";
import { OBSERVER_BLOCK } from "../controlplane/broadcast.ts";
import { substreamsOf } from "../streams.ts";
import type { Accounting } from "../accounting.ts";
import type { DatapathConfig } from "../datapath/config.ts";
import type { IpcacheDelete } from "../ipcache/deletions.ts";
import { NodeViews } from "../ipcache/views.ts";
import type { Propagation } from "../propagation.ts";
import { datapathJudge } from "./datapathJudge.ts";
import { accountApiServerTraffic } from "./apiServerTraffic.ts";
import { accountNodeTraffic, type NodeFlows } from "./nodeTraffic.ts";
import { accountPodTraffic, type PodFlows } from "./podTraffic.ts";
import { accountResponseTraffic } from "./responseTraffic.ts";

export interface JudgeOptions {
  datapath: DatapathConfig;
  pods: PodFlows;
  nodes: NodeFlows;
  /** The run's streams: the judge's keyed substream families are taken from them (models/streams.ts). */
  streams: Streams;
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs: boolean;
  /** Judge only senders whose index is a multiple of this (size estimates); 1: all. */
  observerStride: number;
  /** Judge only senders in these blocks of OBSERVER_BLOCK (a thread's share); default all. */
  blocks?: { from: number; to: number };
  /** Entries deleted by hand from every agent's BPF ipcache (ipcache/deletions.ts). */
  ipcacheDeletes?: readonly IpcacheDelete[];
}

export function judgeTraffic(p: Propagation, o: JudgeOptions, acct: Accounting): void {
  const views = new NodeViews(p, o.datapath, o.ipcacheDeletes);
  const judge = datapathJudge(o.datapath, views, p.nodes);
  const blocks = o.blocks ?? { from: 0, to: senderBlocks(p.nodes.length) };
  const s = o.streams;
  const encryption = o.datapath.encryption !== "disabled";
  const podInput = {
    duration: p.duration, nodes: p.nodes, endpoints: p.endpoints, pods: p.pods, backends: p.backends, delayedByOperator: p.delayedByOperator,
    views, judge, flows: o.pods, acct, rng: { pairs: substreamsOf(s, "podPairs"), sums: substreamsOf(s, "podSums"), responses: substreamsOf(s, "podResponses") },
    encryption, exactPairs: o.exactPairs, observerStride: o.observerStride, blocks,
  };
  accountPodTraffic(podInput);
  accountResponseTraffic(podInput);
  const nodeInput = {
    duration: p.duration, nodes: p.nodes, endpoints: p.endpoints, views, judge, acct, observerStride: o.observerStride, flows: o.nodes, blocks,
    rng: { nodes: substreamsOf(s, "nodePairs"), outside: substreamsOf(s, "outside"), apiserver: substreamsOf(s, "apiserver") },
  };
  accountNodeTraffic(nodeInput);
  accountApiServerTraffic(nodeInput, encryption);
}

/** Blocks of OBSERVER_BLOCK senders in a cluster of `nodes` nodes. */
export function senderBlocks(nodes: number): number {
  return Math.ceil(nodes / OBSERVER_BLOCK);
}
