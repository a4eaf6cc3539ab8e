// Encryption cost model: the single entry point the runner calls.
//
// encryptionCost(input) compares one encryption (none, WireGuard or IPsec) with
// the same cluster unencrypted, for one traffic mix on one hardware profile,
// and returns the three runs.csv figures plus the detail behind them.

import { cpusPerGbps, cpuSecondsPerGB, cyclesPerByte, type SideFigures } from "./cpu.ts";
import { type Datapath, datapath } from "./datapath.ts";
import type { HardwareProfile } from "./hardware.ts";
import { messageAddedSeconds, packetAddedSeconds, tcpRrPerSecond } from "./latency.ts";
import { type EncapsulationConfig, type MtuPlan, mtuPlan } from "./mtu.ts";
import { type NodeThroughput, nodeThroughput, type PairThroughput, pairThroughput } from "./throughput.ts";
import { type MessageShape, mixMean, normaliseMix, shapeMessage, type TrafficMix } from "./traffic.ts";

export type { Encryption, EncapsulationConfig, MtuPlan, RoutingMode } from "./mtu.ts";
export type { IpFamily } from "./overhead.ts";
export type { MessageClass, TrafficMix } from "./traffic.ts";
export type { CipherFigures, HardwareProfile, PathCycles } from "./hardware.ts";
export type { NodeThroughput, PairThroughput, PairStage, NodeStage } from "./throughput.ts";
export type { SideFigures } from "./cpu.ts";
export { hardwareProfile, hardwareProfileNames } from "./hardware.ts";
export { CORES_WHY, MAX_CORES, MAX_NIC_GBPS, NIC_WHY, validateHardwareProfile } from "./validate.ts";
export { mtuPlan } from "./mtu.ts";

export interface CostInput extends EncapsulationConfig {
  hardware: HardwareProfile;
  /** Application message size in bytes, or a weighted mix of sizes. */
  packetBytes: TrafficMix;
  /** Node pairs a node exchanges traffic with (≥ 1). */
  peers: number;
  /** Concurrent TCP flows per node pair (default 1, as in netperf single-stream). */
  flowsPerPeer?: number;
}

/** The same quantity without and with the chosen encryption (identical for "none"). */
export interface Compared<T> {
  unencrypted: T;
  encrypted: T;
}

export interface CostResult {
  /** Node throughput lost to encryption, % of the unencrypted node throughput. */
  throughput_overhead_pct: number;
  /** Extra CPUs (hardware threads), sender + receiver, per Gbit/s of payload. */
  cpu_overhead_cores_per_gbps: number;
  /** Extra one-way latency per application message, mix mean, µs. */
  latency_added_us: number;
  mtu: Compared<MtuPlan>;
  /** One direction between two nodes. */
  pair: Compared<PairThroughput>;
  /** A node exchanging the mix with `peers` nodes. */
  node: Compared<NodeThroughput>;
  cpuSecondsPerGB: Compared<SideFigures>;
  cpusPerGbps: Compared<SideFigures>;
  latency: {
    /** Added one-way latency of a 1-byte and of a full-MSS packet, µs. */
    packetAddedUs: { smallest: number; fullSize: number };
    /** Added time of a request/response of two messages from the mix, µs. */
    requestResponseAddedUs: number;
    /** 1-byte TCP_RR transactions/s on one connection. */
    tcpRr1BytePerSecond: Compared<number>;
  };
}

interface Side {
  dp: Datapath;
  shapes: MessageShape[];
  pair: PairThroughput;
  node: NodeThroughput;
}

function checkCounts(input: CostInput): void {
  if (!Number.isInteger(input.peers) || input.peers < 1) {
    throw new Error(`peers must be a positive integer, got ${input.peers}`);
  }
  const flows = input.flowsPerPeer ?? 1;
  if (!Number.isInteger(flows) || flows < 1) {
    throw new Error(`flowsPerPeer must be a positive integer, got ${flows}`);
  }
}

function evaluate(cfg: EncapsulationConfig, input: CostInput, plain: Datapath | null): Side {
  const plan = mtuPlan(cfg);
  const dp = datapath(cfg, input.hardware, plan);
  const shapes = normaliseMix(input.packetBytes).map((c) => shapeMessage(c, plan.tcpMss, dp.tcpHeader));
  const added = plain === null ? 0 : packetAddedSeconds(dp, plain, plan.tcpMss);
  const rttSeconds = input.hardware.rttUs * 1e-6 + 2 * added;
  const pair = pairThroughput(dp, shapes, { flows: input.flowsPerPeer ?? 1, rttSeconds });
  return { dp, shapes, pair, node: nodeThroughput(dp, shapes, pair, input.peers) };
}

function cpuFigures(side: Side): { seconds: SideFigures; cpus: SideFigures } {
  const cycles = cyclesPerByte(side.dp, side.shapes);
  const ghz = side.dp.hardware.clockGhz;
  return { seconds: cpuSecondsPerGB(cycles, ghz), cpus: cpusPerGbps(cycles, ghz) };
}

/** Compares `input.encryption` with no encryption on the same cluster. */
export function encryptionCost(input: CostInput): CostResult {
  checkCounts(input);
  // The baseline is the same cluster unencrypted with Cilium's own route MTU;
  // a route MTU override describes a mis-configured encrypted datapath only.
  const plain = evaluate({ ...input, encryption: "none", routeMtuOverride: undefined }, input, null);
  const enc = input.encryption === "none" ? plain : evaluate(input, input, plain.dp);
  const cpuPlain = cpuFigures(plain);
  const cpuEnc = cpuFigures(enc);
  const gbps = { encrypted: enc.pair.gbps, unencrypted: plain.pair.gbps };
  const messageUs = mixMean(enc.shapes, (s) => messageAddedSeconds(enc.dp, plain.dp, s, gbps)) * 1e6;
  const smallestUs = packetAddedSeconds(enc.dp, plain.dp, 1) * 1e6;
  const rttUs = input.hardware.rttUs;
  return {
    throughput_overhead_pct: 100 * (1 - enc.node.gbps / plain.node.gbps),
    cpu_overhead_cores_per_gbps: cpuEnc.cpus.tx + cpuEnc.cpus.rx - (cpuPlain.cpus.tx + cpuPlain.cpus.rx),
    latency_added_us: messageUs,
    mtu: { unencrypted: plain.dp.plan, encrypted: enc.dp.plan },
    pair: { unencrypted: plain.pair, encrypted: enc.pair },
    node: { unencrypted: plain.node, encrypted: enc.node },
    cpuSecondsPerGB: { unencrypted: cpuPlain.seconds, encrypted: cpuEnc.seconds },
    cpusPerGbps: { unencrypted: cpuPlain.cpus, encrypted: cpuEnc.cpus },
    latency: {
      packetAddedUs: { smallest: smallestUs, fullSize: packetAddedSeconds(enc.dp, plain.dp, enc.dp.plan.tcpMss) * 1e6 },
      requestResponseAddedUs: 2 * messageUs,
      tcpRr1BytePerSecond: {
        unencrypted: tcpRrPerSecond(rttUs, 0),
        encrypted: tcpRrPerSecond(rttUs, smallestUs * 1e-6),
      },
    },
  };
}
