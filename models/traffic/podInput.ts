/**
 * What judging traffic to pods needs, and the two things every kind of pair does at its end:
 * build the packet it judges, and close its window (recorded for every pair; a windows.csv
 * row when it carried traffic).
 */
import type { Substreams } from "../../sim/substreams.ts";
import type { Accounting } from "../accounting.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Known } from "../controlplane/announcements.ts";
import type { Verdict } from "../datapath/verdict.ts";
import type { NodeViews } from "../ipcache/views.ts";
import type { WindowCause } from "../windows.ts";
import type { PodFlows } from "./flows.ts";
import type { Judge, PacketSpec } from "./judge.ts";

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
  /** Per (pod, sender) pair, per (pod, block of senders) for summed pieces, per (pod, client node) for answers. */
  rng: { pairs: Substreams; sums: Substreams; responses: Substreams };
  /** Encryption is on: only then is there a window to measure. */
  encryption: boolean;
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs?: boolean;
  /** Judge only senders whose index is a multiple of this (size estimates); 1: all. */
  observerStride: number;
  /** The blocks of senders (OBSERVER_BLOCK each) to judge: [from, to). */
  blocks: { from: number; to: number };
}

/** A packet from the sender's client pod to the pod. */
export function podPacket(sender: ClusterNode, e: Endpoint): PacketSpec {
  return { src: sender.clientIp, dst: e.ip, srcKind: "pod", dstKind: "pod", dstHost: e.node };
}

/**
 * Records a pair's windows and, when the exposure carried traffic, its row for windows.csv:
 * the exposure [from, closed), `leaked` seconds of it in plaintext, the leak ending at
 * `leakEnd` (censored with the run when that is its end).
 */
export function closeWindow(
  x: PodTrafficInput, e: Endpoint, observer: number, from: number, closed: number, to: number,
  packets: number, bytes: number, outcome: Verdict, cause: WindowCause, leaked: number, leakEnd: number,
): void {
  const censored = closed === to && to === x.duration;
  x.acct.window(closed - from, censored, leaked, leaked > 0 && leakEnd === x.duration);
  const sink = x.acct.onWindow;
  if (packets === 0 || sink === undefined) return;
  sink({
    endpoint: e.id, endpointIp: e.ip, endpointNode: e.node, observerNode: observer, opened: from, closed, leaked,
    packets, bytes, outcome, cause, censored,
  });
}
