/**
 * The analytic half of a run: every flow of the scenario judged against the Propagation the
 * control plane left, pair by pair and segment by segment, with exact Poisson counts. It reads
 * nothing but that record, the datapath configuration and the flows, so it can be tested on a
 * synthetic record and split however one likes.
 */
import type { RandomStream } from "../../sim/random.ts";
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
  /** The streams pod and node traffic draw their counts from. */
  rng: { pods: RandomStream; nodes: RandomStream };
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs: boolean;
  /** Judge only senders whose index is a multiple of this (size estimates); 1: all. */
  observerStride: number;
  /** Entries deleted by hand from every agent's BPF ipcache (ipcache/deletions.ts). */
  ipcacheDeletes?: readonly IpcacheDelete[];
}

export function judgeTraffic(p: Propagation, o: JudgeOptions, acct: Accounting): void {
  const views = new NodeViews(p, o.datapath, o.ipcacheDeletes);
  const judge = datapathJudge(o.datapath, views, p.nodes);
  const podInput = {
    duration: p.duration, nodes: p.nodes, endpoints: p.endpoints, pods: p.pods, backends: p.backends, delayedByOperator: p.delayedByOperator,
    views, judge, flows: o.pods, acct, rng: o.rng.pods, encryption: o.datapath.encryption !== "disabled",
    exactPairs: o.exactPairs, observerStride: o.observerStride,
  };
  accountPodTraffic(podInput);
  accountResponseTraffic(podInput);
  const nodeInput = {
    duration: p.duration, nodes: p.nodes, endpoints: p.endpoints, views, judge, acct, rng: o.rng.nodes, observerStride: o.observerStride, flows: o.nodes,
  };
  accountNodeTraffic(nodeInput);
  accountApiServerTraffic(nodeInput, o.datapath.encryption !== "disabled");
}
