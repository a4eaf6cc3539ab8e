/**
 * One simulation run, in its two halves: the event-driven control plane (propagation.ts) runs
 * to the scenario's duration and leaves a record of who learned what and when; the traffic
 * judge (traffic/judgeTraffic.ts) then judges every flow against that record exactly. A pure
 * function of (scenario, seed, replication): same inputs, same result, in any worker.
 */
import { Streams } from "../sim/random.ts";
import { Trace } from "../sim/trace.ts";
import { Accounting, type AccountingState } from "./accounting.ts";
import type { LeakWindow, WindowSink } from "./windows.ts";
import { metricRow } from "./metrics.ts";
import { simulatePropagation } from "./propagation.ts";
import type { Scenario } from "./scenario/index.ts";
import { resolveScenario } from "./scenario/resolve.ts";
import { judgeTraffic } from "./traffic/judgeTraffic.ts";

export interface RunInput {
  scenario: Scenario;
  seed: number;
  replication: number;
  /**
   * Keep the event trace (MessagePack) in the result; the fingerprint is always computed. The
   * trace ends with a "results" record: every metric, in column order.
   */
  keepTrace?: boolean;
  /**
   * The leak windows that carried traffic: "collect" keeps them in the result (default, for
   * small runs and tests), a sink receives each as it closes (memory stays flat however many
   * there are), "none" skips them.
   */
  windows?: "collect" | "none" | WindowSink;
  /** Judge every pair segment by segment, without the two-state shortcut (for verification). */
  exactPairs?: boolean;
  /**
   * Judge traffic only from nodes whose index is a multiple of this (default 1: every node).
   * The metrics then describe that sample; size estimates use it.
   */
  observerStride?: number;
}

/** How much work a run was: deterministic, unlike its wall time. */
export interface RunWork {
  /** (pod, sending node) pairs that existed. */
  pairs: number;
  /** Of those, the ones judged (fewer only with observerStride). */
  judgedPairs: number;
  /** Per-observer arrival times the control plane drew (4 bytes each: most of a run's memory). */
  arrivals: number;
}

export interface RunResult {
  metrics: Record<string, number>;
  /** The windows with traffic, when the input asked to collect them (else empty). */
  windows: LeakWindow[];
  /** Simulation events dispatched: a deterministic measure of work. */
  events: number;
  fingerprint: string;
  work: RunWork;
  trace?: Uint8Array;
}

export function simulateRun(input: RunInput): RunResult {
  return startRun(input).finish([]);
}

/** A run whose control plane has run and whose share of the traffic is judged, waiting for the other shares. */
export interface StartedRun {
  /** What this share counted, for the share that finishes the run. */
  readonly share: AccountingState;
  /** Adds the other shares' accounting and computes the run's result. */
  finish(others: readonly AccountingState[]): RunResult;
}

/**
 * The traffic of a run can be judged in shares (blocks of senders, traffic/judgeTraffic.ts):
 * each share runs the control plane itself (it is deterministic, so every share sees the same
 * record) and judges its blocks; the shares' accounting adds up to what judging all of them in
 * one go gives, exactly (models/accounting.ts).
 */
export function startRun(input: RunInput, blocks?: { from: number; to: number }): StartedRun {
  const cfg = resolveScenario(input.scenario);
  const streams = new Streams(input.seed, input.replication);
  const trace = new Trace(input.keepTrace ?? false);
  const propagation = simulatePropagation(cfg, streams, trace);

  const collected: LeakWindow[] = [];
  const want = input.windows ?? "collect";
  const acct = new Accounting(want === "none" ? undefined : want === "collect" ? (w) => collected.push(w) : want);
  judgeTraffic(propagation, {
    datapath: cfg.datapath, pods: cfg.flows.pods, nodes: cfg.flows.nodes, streams, blocks,
    exactPairs: input.exactPairs ?? false, observerStride: input.observerStride ?? 1, ipcacheDeletes: cfg.ipcacheDeletes,
  }, acct);
  return {
    share: acct.state(),
    finish(others) {
      for (const o of others) acct.absorb(o);
      const metrics = metricRow(propagation.clusterMetrics, acct.metrics(), propagation.controlPlaneMetrics, cfg.cost);
      // The fingerprint covers the results as well as the control plane's path (as OMNeT++'s
      // fingerprint can take scalars), so a change to the datapath's verdicts shows in it too.
      trace.record(cfg.duration, "results", ...Object.values(metrics));
      return {
        metrics,
        windows: collected,
        events: propagation.events,
        fingerprint: trace.fingerprint(),
        work: { pairs: acct.pairs, judgedPairs: acct.judgedPairs, arrivals: propagation.arrivals },
        ...(input.keepTrace ? { trace: trace.bytes() } : {}),
      };
    },
  };
}

