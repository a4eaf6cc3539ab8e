/**
 * Where a sender's view of a destination can change inside [from, to): the cut points the
 * traffic judges split a flow at, so that the verdict is fixed within each piece and the
 * piece's packets are one exact Poisson count.
 */
import type { ClusterNode } from "../cluster/nodes.ts";
import type { NodeViews } from "../ipcache/views.ts";

/** Adds `t` when it falls strictly inside (from, to). */
export function addCut(out: number[], t: number, from: number, to: number): void {
  if (t > from && t < to) out.push(t);
}

/**
 * Restarts `out` as [from, to] plus every time node n's view of `ip` (hosted on `host`) may
 * change: its entry for ip arrives or goes, it learns or forgets the node behind any holder
 * of ip (their tunnel routes and WireGuard peers change with them), it learns of `host`.
 */
export function viewCuts(views: NodeViews, ip: number, n: number, host: ClusterNode, from: number, to: number, out: number[]): void {
  out.length = 0;
  out.push(from, to);
  views.entryChangePoints(ip, n, from, to, out);
  views.holderNodeChangePoints(ip, n, from, to, out);
  addCut(out, views.nodeKnownAt(n, host), from, to);
}

export const ascending = (a: number, b: number): number => a - b;
