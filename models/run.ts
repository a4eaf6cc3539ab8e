/**
 * One simulation run: builds the cluster, starts the pod churn and the control plane, and
 * accounts traffic until the scenario's duration. A pure function of (scenario, seed,
 * replication): same inputs, same result, on any machine and in any worker.
 */
import { Simulator } from "../sim/simulator.ts";
import { Streams } from "../sim/random.ts";
import { Trace } from "../sim/trace.ts";
import { formatIpv4 } from "./addressing/ipv4.ts";
import { Accounting, type LeakWindow } from "./accounting.ts";
import { buildNodes } from "./cluster.ts";
import { costMetrics } from "./cost/scenario.ts";
import { EndpointPipeline } from "./controlplane/pipeline.ts";
import { IPCache, installRemoteNode } from "./ipcache.ts";
import type { Scenario } from "./scenario.ts";
import { PodTraffic } from "./traffic.ts";
import { startChurn } from "./workload.ts";

export interface RunInput {
  scenario: Scenario;
  seed: number;
  replication: number;
  /** Keep the event trace (MessagePack) in the result; the fingerprint is always computed. */
  keepTrace?: boolean;
}

export interface RunResult {
  metrics: Record<string, number>;
  windows: LeakWindow[];
  /** Simulation events dispatched: a deterministic measure of work. */
  events: number;
  fingerprint: string;
  trace?: Uint8Array;
}

export function simulateRun(input: RunInput): RunResult {
  const sc = input.scenario;
  const sim = new Simulator();
  const streams = new Streams(input.seed, input.replication);
  const trace = new Trace(input.keepTrace ?? false);
  const nodes = buildNodes(sc, streams);

  // Nodes are static here, so every agent's node manager holds the same remote-node entries.
  const nodeCache = new IPCache();
  for (const n of nodes) installRemoteNode(nodeCache, n, sc.cilium.encryption.enabled);

  const acct = new Accounting();
  const traffic = new PodTraffic(sc, streams, nodes, nodeCache, acct);
  const pipeline = new EndpointPipeline(sim, sc, streams, nodes, (endpoints, learnAt) => {
    trace.record(sim.now, "slice", endpoints.length);
    for (const e of endpoints) traffic.endpointPropagated(e, learnAt);
  });
  const endpoints = startChurn(sim, sc, streams, nodes, (e) => {
    trace.record(sim.now, "pod", formatIpv4(e.ip), e.node.name, e.identity);
    pipeline.endpointCreated(e);
  });

  sim.run(sc.duration);
  for (const e of pipeline.unpublished()) traffic.endpointNeverPropagated(e);

  const op = pipeline.operator;
  return {
    metrics: {
      endpoints: endpoints.length,
      ...acct.metrics(),
      ces_writes: op.writes,
      operator_queue_max: op.maxQueue,
      operator_queue_avg: op.queueLength.average(sc.duration),
      ...costMetrics(sc),
    },
    windows: acct.windows,
    events: sim.dispatched,
    fingerprint: trace.fingerprint(),
    ...(input.keepTrace ? { trace: trace.bytes() } : {}),
  };
}
