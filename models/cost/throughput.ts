// Throughput of one node pair (one direction) and of a node talking to
// several peers, as the minimum over the stages a packet must cross.

import { cpuCount, cyclesPerByte } from "./cpu.ts";
import type { Datapath } from "./datapath.ts";
import { ETHERNET_L1_BYTES } from "./overhead.ts";
import { type MessageShape, mixMean, sumPackets } from "./traffic.ts";

export type PairStage =
  | "line"
  | "tcp-flow"
  | "tcp-window"
  | "flow-cap"
  | "peer-serial"
  | "crypto-pool"
  | "sender-cpu"
  | "receiver-cpu";

export type NodeStage = "peers" | "line" | "node-cpu";

export interface PairThroughput {
  /** Payload Gbit/s for one direction between two nodes. */
  gbps: number;
  /** The binding stage, or "fragmentation" when outer packets fragment. */
  bottleneck: PairStage | "fragmentation";
  /** Capacity of every stage in payload Gbit/s (Infinity when not on the path). */
  stages: Record<PairStage, number>;
  /** Share of payload bytes whose outer packets exceed the underlay MTU. */
  fragmentedShare: number;
}

export interface NodeThroughput {
  /** Payload Gbit/s a node sends (and, symmetrically, receives). */
  gbps: number;
  bottleneck: NodeStage;
}

/**
 * Throughput lost to IP fragmentation of outer packets. Cilium PR #30329
 * measured 102 Mbit/s with fragmenting VXLAN+WireGuard packets against
 * 656 Mbit/s once the route MTU was fixed: 656 / 102 ≈ 6.4.
 */
export const FRAGMENTATION_SLOWDOWN = 656 / 102;

export interface PairOptions {
  flows: number;
  /** Round-trip time a bulk flow's window must cover, seconds. */
  rttSeconds: number;
}

/** Payload bytes/s a stage sustains when each message costs `seconds(s)` there. */
function capacity(shapes: readonly MessageShape[], seconds: (s: MessageShape) => number): number {
  const time = mixMean(shapes, seconds);
  return time === 0 ? Infinity : mixMean(shapes, (s) => s.bytes) / time;
}

function stageCapacities(dp: Datapath, shapes: readonly MessageShape[], opt: PairOptions): Record<PairStage, number> {
  const hz = dp.hardware.clockGhz * 1e9;
  const path = dp.hardware.pathCycles;
  const lineBytesPerSecond = (dp.hardware.nicGbps * 1e9) / 8;
  const cpus = cpuCount(dp);
  const cycles = cyclesPerByte(dp, shapes);
  const perCycleBudget = (perMessage: (s: MessageShape) => number, cores: number) =>
    capacity(shapes, (s) => perMessage(s) / (hz * cores));
  const bytesPerSecond: Record<PairStage, number> = {
    line: capacity(shapes, (s) => sumPackets(s, (p) => dp.wire(p).l1Bytes) / lineBytesPerSecond),
    // A TCP flow's receive processing runs on one CPU; flows of a pair spread.
    // A tunnel's decapsulation (GRO of the outer packets) is on that receive path too; with
    // encryption it also lands on the serial stage below, which runs it for the whole pair.
    "tcp-flow": perCycleBudget(
      (s) => s.segments * path.segment + path.flowPerByte * s.bytes + sumPackets(s, (p) => dp.tunnelCycles(p)),
      opt.flows,
    ),
    "tcp-window": (opt.flows * dp.hardware.tcpWindowBytes) / opt.rttSeconds,
    "flow-cap": flowCapBytesPerSecond(dp, shapes, opt.flows),
    // One outer 5-tuple (WireGuard) or one SA (IPsec) per node pair: one RX
    // queue and one TX worker, whatever the number of flows.
    "peer-serial": perCycleBudget((s) => sumPackets(s, (p) => dp.serialCycles(p)), 1),
    "crypto-pool": perCycleBudget((s) => sumPackets(s, (p) => dp.poolCycles(p)), cpus),
    "sender-cpu": (cpus * hz) / cycles.tx,
    "receiver-cpu": (cpus * hz) / cycles.rx,
  };
  const gbps = {} as Record<PairStage, number>;
  for (const [stage, value] of Object.entries(bytesPerSecond)) gbps[stage as PairStage] = (value * 8) / 1e9;
  return gbps;
}

/**
 * A provider's per-flow cap (AWS: 5 Gbit/s per 5-tuple, 10 inside a cluster placement group)
 * counts IP bytes. WireGuard (one UDP tuple, port 51871 both ends) and IPsec (one ESP
 * 3-tuple) carry the whole node pair on one outer flow; unencrypted TCP flows, and VXLAN whose
 * outer source port hashes the inner flow, each get their own.
 */
function flowCapBytesPerSecond(dp: Datapath, shapes: readonly MessageShape[], flows: number): number {
  const cap = dp.hardware.flowCapGbps;
  if (cap === null) return Infinity;
  const tuples = dp.encryption === "none" ? flows : 1;
  const ipBytes = (p: number) => {
    const w = dp.wire(p);
    return w.l1Bytes - w.fragments * ETHERNET_L1_BYTES;
  };
  return capacity(shapes, (s) => sumPackets(s, ipBytes) / ((tuples * cap * 1e9) / 8));
}

/** Divisor applied to throughput when `share` of the bytes fragment. */
export function fragmentationFactor(share: number): number {
  return 1 + share * (FRAGMENTATION_SLOWDOWN - 1);
}

/** Share of payload bytes carried in packets that fragment on the underlay. */
export function fragmentedShare(dp: Datapath, shapes: readonly MessageShape[]): number {
  const fragmented = mixMean(shapes, (s) =>
    s.packets.reduce((sum, g) => sum + (dp.wire(g.payloadBytes).fragments > 1 ? g.count * g.payloadBytes : 0), 0),
  );
  return fragmented / mixMean(shapes, (s) => s.bytes);
}

/** Throughput of one node pair in one direction. */
export function pairThroughput(dp: Datapath, shapes: readonly MessageShape[], opt: PairOptions): PairThroughput {
  const stages = stageCapacities(dp, shapes, opt);
  let bottleneck: PairStage = "line";
  for (const [stage, value] of Object.entries(stages)) {
    if (value < stages[bottleneck]) bottleneck = stage as PairStage;
  }
  const share = fragmentedShare(dp, shapes);
  const gbps = stages[bottleneck] / fragmentationFactor(share);
  return { gbps, bottleneck: share > 0 ? "fragmentation" : bottleneck, stages, fragmentedShare: share };
}

/**
 * Throughput of a node exchanging traffic with `peers` nodes, assuming each
 * peer gets the same mix and the node receives as much as it sends, so its
 * CPUs pay both the sending and the receiving cost. The NIC is full duplex.
 */
export function nodeThroughput(
  dp: Datapath,
  shapes: readonly MessageShape[],
  pair: PairThroughput,
  peers: number,
): NodeThroughput {
  const cycles = cyclesPerByte(dp, shapes);
  const cpuGbps = ((cpuCount(dp) * dp.hardware.clockGhz * 1e9) / (cycles.tx + cycles.rx)) * 8e-9;
  const slowdown = fragmentationFactor(pair.fragmentedShare);
  const candidates: [NodeStage, number][] = [
    ["peers", peers * pair.gbps],
    ["line", pair.stages.line / slowdown],
    ["node-cpu", cpuGbps / slowdown],
  ];
  const [bottleneck, gbps] = candidates.reduce((best, c) => (c[1] < best[1] ? c : best));
  return { gbps, bottleneck };
}
