/**
 * How big a run is, from its scenario alone, without simulating: the mean number of nodes
 * alive, the pods created, and the (pod, sending node) pairs the traffic judge will visit.
 * Judging pairs is most of a run's work, so the pair count is what weighs runs against each
 * other (progress estimates, balancing shards). Expected values, not bounds.
 */
import { simulateRun } from "./run.ts";
import type { Scenario } from "./scenario/index.ts";
import { resolveScenario } from "./scenario/resolve.ts";
import { windowRow } from "./windows.ts";

export interface ExpectedSize {
  /** Time-averaged nodes alive. */
  nodes: number;
  /** Nodes that ever exist (initial, added, replacements). */
  nodesEver: number;
  /** Pods created over the run. */
  endpoints: number;
  /** (pod, other node) pairs judged, plus (node, node) pairs of host traffic. */
  pairs: number;
}

export function expectedSize(sc: Scenario): ExpectedSize {
  const cfg = resolveScenario(sc);
  const T = cfg.duration;
  const lc = cfg.nodes;
  const events = lc.events.filter((e) => e.at < T).sort((a, b) => a.at - b.at);
  let alive = lc.initial;
  let ever = alive + lc.replacementRate * T;
  let area = 0;
  let last = 0;
  for (const e of events) {
    area += alive * (e.at - last);
    last = e.at;
    if (e.action === "add") alive += e.count;
    if (e.action === "remove") alive = Math.max(1, alive - e.count);
    if (e.action !== "remove") ever += e.count;
  }
  area += alive * (T - last);
  const nodes = area / T;
  const w = cfg.workload;
  const deployed = w.deployments.filter((d) => d.startAt < T).reduce((n, d) => n + d.replicas * (1 + d.rollouts.filter((t) => t < T).length), 0);
  const endpoints = w.churn.rate * T + deployed;
  return { nodes, nodesEver: ever, endpoints, pairs: endpoints * Math.max(0, nodes - 1) + nodes * nodes };
}

/** Pairs judged when measuring a run's size: enough for the window count to be a few percent off. */
const SAMPLE_PAIRS = 200_000;

export interface MeasuredSize {
  events: number;
  endpoints: number;
  nodes: number;
  pairs: number;
  /** Estimated windows.csv rows and bytes of the run (from the sampled senders, scaled up). */
  windowRows: number;
  windowBytes: number;
  /** Arrival times the control plane holds (4 bytes each). */
  arrivals: number;
}

/**
 * Measures a run's size by running it with traffic judged from a sample of sending nodes: the
 * control plane runs whole (events, pods and arrivals are exact), the pairs are counted exactly,
 * and the windows of the sampled senders, scaled by pairs / sampled pairs, estimate the run's.
 */
export function measureSize(sc: Scenario, seed: number, replication: number, point: number): MeasuredSize {
  const expected = expectedSize(sc);
  const stride = Math.max(1, Math.min(Math.floor(expected.nodes / 4), Math.ceil(expected.pairs / SAMPLE_PAIRS)));
  let rows = 0;
  let bytes = 0;
  const r = simulateRun({
    scenario: sc, seed, replication, observerStride: stride,
    windows: (w) => {
      rows++;
      bytes += windowRow(point, replication, w).length;
    },
  });
  const scale = r.work.judgedPairs > 0 ? r.work.pairs / r.work.judgedPairs : 1;
  return {
    events: r.events, endpoints: r.metrics.endpoints, nodes: r.metrics.nodes_joined, pairs: r.work.pairs,
    windowRows: rows * scale, windowBytes: bytes * scale, arrivals: r.work.arrivals,
  };
}
