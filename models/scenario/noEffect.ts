/**
 * Settings a run accepts but that have no effect in it, each with the reason, for the
 * manifest and stderr (scenarioWarnings): times after the run's end, an operator outage when
 * nothing the operator does is in use, a strict CIDR that holds no pod, slice limits above the
 * cap Cilium clamps them to. Silent, each of these has made a sweep measure something else
 * than it meant to (a strict mode "on" whose CIDR held no pod leaked as if it were off).
 */
import { overlaps } from "../addressing/ipv4.ts";
import { addressingOf } from "./cluster.ts";
import { ciliumSettings } from "./effective.ts";
import type { Scenario } from "./index.ts";

export function noEffectWarnings(sc: Scenario): string[] {
  return [...afterTheEnd(sc), ...idleOperator(sc), ...strictWithoutPods(sc), ...clampedLimits(sc)];
}

/** Times at or after `duration`: the run ends first. */
function afterTheEnd(sc: Scenario): string[] {
  const d = sc.duration;
  const late: [string, number][] = [];
  sc.cluster.lifecycle.events.forEach((e, i) => late.push([`cluster.lifecycle.events[${i}].at`, e.at]));
  const cp = sc.controlPlane;
  cp.operator.outages.forEach((o, i) => late.push([`controlPlane.operator.outages[${i}].start`, o.start]));
  cp.operator.leaderFailures.forEach((f, i) => late.push([`controlPlane.operator.leaderFailures[${i}]`, f.at]));
  cp.apiServer.outages.forEach((o, i) => late.push([`controlPlane.apiServer.outages[${i}].start`, o.start]));
  cp.agent.restarts.forEach((r, i) => late.push([`controlPlane.agent.restarts[${i}].start`, r.start]));
  sc.workload.deployments.forEach((dep, i) => {
    late.push([`workload.deployments[${i}].startAt`, dep.startAt]);
    dep.rollouts.forEach((t, j) => late.push([`workload.deployments[${i}].rollouts[${j}]`, t]));
    dep.ipcacheDeleted.forEach((x, j) => late.push([`workload.deployments[${i}].ipcacheDeleted[${j}].start`, x.start]));
  });
  return late.filter(([, t]) => t >= d).map(([path, t]) => `${path}: no effect: ${t} s is not before the run's end (duration ${d} s)`);
}

/** An operator outage or failover when the run uses nothing the operator does. */
function idleOperator(sc: Scenario): string[] {
  const op = sc.controlPlane.operator;
  if (op.outages.length === 0 && op.leaderFailures.length === 0) return [];
  const a = addressingOf(sc);
  if (ciliumSettings(sc).cesEnabled || a.operatorIpam !== undefined) return [];
  const path = op.outages.length > 0 ? "controlPlane.operator.outages" : "controlPlane.operator.leaderFailures";
  return [`${path}: no effect: nothing the operator does is in use (CiliumEndpointSlices are off, agents watch CiliumEndpoints, and ${a.ipamMode} IPAM does not depend on the operator)`];
}

/** Strict mode whose CIDR holds no pod range, or only some of them. */
function strictWithoutPods(sc: Scenario): string[] {
  const s = ciliumSettings(sc).strict;
  if (!s.enabled || s.cidr === undefined) return [];
  const ranges = addressingOf(sc).podRanges;
  const cidr = s.cidr;
  const inside = ranges.filter((r) => overlaps(r, cidr));
  const list = ranges.map((r) => r.text).join(", ");
  if (inside.length === 0) return [`${s.paths.cidr}: no effect: ${cidr.text} holds no pod address (pods are in ${list}), so strict mode drops nothing and traffic to new pods leaks as without it`];
  if (inside.length < ranges.length) return [`${s.paths.cidr}: ${cidr.text} holds only some pod ranges (of ${list}); traffic to pods outside it is not protected`];
  return [];
}

/** CES limits above the cap the version clamps them to (v1.16.0 rate_limit.go L103-108). */
function clampedLimits(sc: Scenario): string[] {
  const cs = ciliumSettings(sc);
  const cap = cs.defaults.cesLimitCap;
  const written = sc.cilium.ciliumEndpointSlice.rateLimits;
  if (cap === undefined || written === undefined) return [];
  return written.flatMap((r, i) => r.limit > cap.limit || r.burst > cap.burst
    ? [`cilium.ciliumEndpointSlice.rateLimits[${i}]: Cilium ${sc.cilium.version} clamps it to ${cap.limit}/s, burst ${cap.burst} (the caps went with cilium/cilium#43154, in 1.19)`]
    : []);
}
