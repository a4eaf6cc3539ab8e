/**
 * What a scenario asks of its addresses and of float64 counters, judged before anything runs:
 * refusals a user can act on, naming the field that asks too much, instead of a run that dies
 * halfway (a node that finds its subnet full) or a byte count that silently stops being exact.
 * The figures are expected values from the scenario alone (no simulation), chosen so that a
 * refused point would fail or be inexact; a point close to a limit may still fail when run,
 * and then that run alone is recorded as failed, with the reason.
 */
import type { Distribution } from "../../sim/distributions.ts";
import { SpecError } from "../../sim/errors.ts";
import { EXACT_INTEGER } from "../../sim/limits.ts";
import type { ResolvedAddressing } from "../addressing/cloud.ts";
import type { Scenario } from "./index.ts";

type At = (p: string) => string;

const fmt = (x: number): string => (x >= 1e6 ? x.toExponential(1).replace("e+", "e") : String(Math.round(x)));

/** One field's share of a total, to name the field that contributes most. */
interface Share {
  path: string;
  what: string;
  amount: number;
}

/** Nodes that can exist in the run (initial, scale-outs, replacements), with where they come from. */
export function nodesEver(sc: Scenario): { total: number; shares: Share[] } {
  const lc = sc.cluster.lifecycle;
  const shares: Share[] = [{ path: "cluster.nodes", what: "at the start", amount: sc.cluster.nodes }];
  lc.events.forEach((e, i) => {
    if (e.action !== "remove") shares.push({ path: `cluster.lifecycle.events[${i}].count`, what: `${e.action === "add" ? "added" : "replacing"} at ${e.at} s`, amount: e.count });
  });
  // Replacements are random: allow five standard deviations above their mean count.
  const mean = lc.replacementRate * sc.duration;
  const replacements = Math.ceil(mean + 5 * Math.sqrt(mean));
  if (replacements > 0) shares.push({ path: "cluster.lifecycle.replacementRate", what: `replacements at ${lc.replacementRate}/s over ${sc.duration} s (mean + 5 sd)`, amount: replacements });
  return { total: shares.reduce((n, s) => n + s.amount, 0), shares };
}

/**
 * The field to blame when `total` exceeds `capacity`: a single share that exceeds it alone,
 * else `fallback` (the capacity's own field), with the shares listed.
 */
function blame(shares: Share[], capacity: number, fallback: string): { path: string; detail: string } {
  const alone = shares.filter((s) => s.path !== shares[0].path && s.amount > capacity).sort((a, b) => b.amount - a.amount)[0];
  const listed = shares.filter((s) => s.amount > 0).slice(0, 4).map((s) => `${fmt(s.amount)} ${s.what}`).join(", ");
  return alone !== undefined ? { path: alone.path, detail: listed } : { path: fallback, detail: listed };
}

/** Node subnet and pod blocks: every node that can exist needs an address and, in separate styles, a block. */
export function checkNodeCapacity(sc: Scenario, a: ResolvedAddressing, at: At): void {
  const ever = nodesEver(sc);
  if (a.capacity.nodeAddresses < ever.total) {
    const b = blame(ever.shares, a.capacity.nodeAddresses, "cluster.nodeSubnet");
    const problem = `${a.nodeSubnet.text} has room for ${a.capacity.nodeAddresses} nodes; the run may need ${fmt(ever.total)} (${b.detail})`;
    throw new SpecError(at(b.path), b.path === "cluster.nodeSubnet" ? problem : `cluster.nodeSubnet ${problem}`);
  }
  if (a.capacity.podBlocks !== undefined && a.capacity.podBlocks < ever.total) {
    const field = a.ipamMode === "cluster-pool" ? "cilium.ipam.operator.clusterPoolIPv4PodCIDRList" : "cluster.podCidr";
    const b = blame(ever.shares, a.capacity.podBlocks, field);
    const ranges = a.podRanges.map((r) => r.text).join(", ");
    const problem = `${ranges} hold${a.podRanges.length === 1 ? "s" : ""} ${a.capacity.podBlocks} per-node blocks; the run may need ${fmt(ever.total)}`;
    throw new SpecError(at(b.path), b.path === field ? problem : `${field} ${problem} (${b.detail})`);
  }
}

/** Nodes alive just after each lifecycle event, in time order, and at the start. */
function aliveSteps(sc: Scenario): { t: number; alive: number; event: number }[] {
  const steps = [{ t: 0, alive: sc.cluster.nodes, event: -1 }];
  let alive = sc.cluster.nodes;
  const order = sc.cluster.lifecycle.events.map((e, i) => ({ e, i })).filter(({ e }) => e.at < sc.duration).sort((x, y) => x.e.at - y.e.at);
  for (const { e, i } of order) {
    // The first node stays (it plays the control plane), so a removal keeps at least one.
    if (e.action === "add") alive += e.count;
    if (e.action === "remove") alive = Math.max(1, alive - e.count);
    steps.push({ t: e.at, alive, event: i });
  }
  return steps;
}

/** E[min(L, t)] for a lifetime L, from a fixed set of its quantiles (mean of the clipped values). */
function clippedMean(life: Distribution): (t: number) => number {
  const K = 512;
  const q = Array.from({ length: K }, (_, k) => life.quantile((k + 0.5) / K));
  return (t) => q.reduce((sum, x) => sum + Math.min(x, t), 0) / K;
}

/** Expected pods holding an address at time t (churn and deployments; readiness does not matter). */
function podsAlive(sc: Scenario): (t: number) => number {
  const w = sc.workload;
  const life = w.churn.lifetime;
  const lived = life === undefined ? (t: number) => t : clippedMean(life);
  return (t) => w.churn.rate * lived(t) + w.deployments.filter((d) => d.startAt <= t).reduce((n, d) => n + d.replicas, 0);
}

/**
 * Overlapping addressing (ENI, Azure IPAM): nodes and pods share the node subnet. Each node holds
 * its IP, router, health and client-pod addresses, and the operator keeps `preAllocate` more
 * free on it; pods take the rest. Pods that find the subnet full stay pending (a modelled
 * outcome), but a node that joins then finds no address and the run cannot go on: refused here
 * when the expected demand at a scale-out exceeds the subnet. The demand counts each node's pool
 * at its current use, the least it holds: without excess release a pool never shrinks, so it
 * holds its node's peak use, and a point close to the limit can still run out; that run then
 * fails alone, saying which node could not join when. (Replacements free the old node's
 * addresses first, so they always fit.)
 */
export function checkOverlappingFit(sc: Scenario, a: ResolvedAddressing, at: At): void {
  if (a.interfacePool === undefined) return;
  const capacity = a.capacity.nodeAddresses;
  const fixed = 4;
  const perNode = fixed + a.interfacePool.preAllocate;
  const subnet = `cluster.nodeSubnet ${a.nodeSubnet.text} (${capacity} usable addresses)`;
  const steps = aliveSteps(sc);
  const peak = steps.reduce((best, s) => (s.alive > best.alive ? s : best));
  if (peak.alive * fixed > capacity) {
    const path = peak.event < 0 ? "cluster.nodeSubnet" : `cluster.lifecycle.events[${peak.event}].count`;
    throw new SpecError(at(path), `${peak.alive} nodes${peak.event < 0 ? "" : ` after the scale-out at ${peak.t} s`} need ${peak.alive * fixed} addresses of ${subnet}: under ${a.ipamMode} IPAM each node takes ${fixed} (node IP, router, health, client pod)`);
  }
  const pods = podsAlive(sc);
  for (const s of steps) {
    if (s.event < 0 || sc.cluster.lifecycle.events[s.event].action !== "add") continue;
    const p = pods(s.t);
    const demand = s.alive * perNode + p;
    if (demand <= capacity) continue;
    throw new SpecError(at(`cluster.lifecycle.events[${s.event}]`),
      `the nodes added at ${s.t} s cannot fit: by then ${subnet} must hold about ${fmt(demand)} `
      + `(${s.alive} nodes x ${perNode}: node IP, router, health, client pod and the ${a.interfacePool.preAllocate} addresses ${a.ipamMode} IPAM keeps free per node; ~${fmt(p)} pods), `
      + "so a joining node would find no address and the run would fail; use a larger cluster.nodeSubnet, fewer or shorter-lived pods (workload.churn), or add the nodes earlier");
  }
}

/**
 * Upper bound on the bytes the run counts: every flow at its rate over every pair that can
 * carry it for as long as it can (pods live from creation to the end, or their lifetime; the
 * peak number of nodes throughout). Packet and byte totals are float64 sums of integers, exact
 * only below 2^53: a run that could pass it is refused, naming the flow that contributes most.
 */
export function checkTrafficVolume(sc: Scenario, at: At): void {
  const T = sc.duration;
  const nodes = aliveSteps(sc).reduce((n, s) => Math.max(n, s.alive), 0);
  const podSeconds = podSecondsOf(sc);
  const t = sc.traffic;
  const probeRate = t.healthProbes.interval > 0 ? 2 / t.healthProbes.interval : 0;
  const flows: Share[] = [
    { path: "traffic.podToPod.rate", what: "podToPod", amount: t.podToPod.rate * t.podToPod.packetBytes * podSeconds * (nodes - 1) },
    { path: "traffic.replies.rate", what: "replies", amount: t.replies.rate * t.replies.packetBytes * podSeconds * (nodes - 1) },
    { path: "traffic.service.rate", what: "service", amount: t.service.rate * t.service.packetBytes * podSeconds * (nodes - 1) },
    { path: "traffic.podToNode.rate", what: "podToNode", amount: t.podToNode.rate * t.podToNode.packetBytes * nodes * (nodes - 1) * T },
    // Each node probes every other node's IP and health address.
    { path: "traffic.healthProbes.interval", what: "healthProbes", amount: probeRate * t.healthProbes.packetBytes * 2 * nodes * (nodes - 1) * T },
    { path: "traffic.apiServerToPods.rate", what: "apiServerToPods", amount: t.apiServerToPods.rate * t.apiServerToPods.packetBytes * podSeconds },
    { path: "traffic.podToOutside.rate", what: "podToOutside", amount: t.podToOutside.rate * t.podToOutside.packetBytes * nodes * T },
  ];
  const total = flows.reduce((n, f) => n + f.amount, 0);
  if (total <= EXACT_INTEGER) return;
  const top = flows.reduce((best, f) => (f.amount > best.amount ? f : best));
  throw new SpecError(at(top.path), `the run could count up to ${fmt(total)} bytes (${top.what} ${fmt(top.amount)}), beyond 2^53 (9.0e15), `
    + "the largest integer a float64 counts exactly; lower this flow's rate or packetBytes, the duration, or the number of nodes and pods");
}

/** Pod-seconds with an address: each pod from creation to the end of the run or of its lifetime. */
function podSecondsOf(sc: Scenario): number {
  const T = sc.duration;
  const w = sc.workload;
  const life = w.churn.lifetime;
  // ∫0^T E[min(L, T - s)] ds <= min(T^2 / 2, E[L] T).
  const churn = w.churn.rate * (life === undefined ? (T * T) / 2 : Math.min((T * T) / 2, life.mean * T));
  const deployed = w.deployments.reduce((n, d) => n + d.replicas * Math.max(0, T - d.startAt), 0);
  return churn + deployed;
}
