/**
 * When cilium-operator has no leader, and so does none of its work (slices, IPAM): while no
 * replica runs (an outage), and after a leader fails until the standby takes over. client-go
 * leader election as the operator configures it (v1.15.0 operator/cmd/flags.go L241-251:
 * lease 15 s, renew deadline 10 s, retry period 2 s; root.go L406: ReleaseOnCancel):
 * - a crash leaves the lease held until it expires, so the standby leads a lease later;
 * - a graceful handover (rollout, drain) releases the lease on shutdown, so the standby takes
 *   it at its next try, within one retry period.
 */
import { mergeIntervals, type Interval } from "../../sim/intervals.ts";

export type LeaderFailureKind = "crash" | "graceful";

export interface LeaderFailure {
  at: number;
  kind: LeaderFailureKind;
}

export interface Leadership {
  /** Intervals with no operator replica running. */
  outages: readonly Interval[];
  leaderFailures: readonly LeaderFailure[];
  leaseDuration: number;
  retryPeriod: number;
}

/** The intervals with no leader (merged): outages, and each failure until the standby leads. */
export function leaderlessIntervals(l: Leadership): Interval[] {
  const gap = (f: LeaderFailure) => (f.kind === "crash" ? l.leaseDuration : l.retryPeriod);
  return mergeIntervals([...l.outages, ...l.leaderFailures.map((f) => ({ start: f.at, end: f.at + gap(f) }))]);
}
