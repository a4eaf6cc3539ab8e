// CPU accounting: cycles per payload byte on the sending and the receiving
// node, and their conversion to CPU-seconds per GB and CPUs per Gbit/s.
// "CPU" means a hardware thread, as in Kubernetes and in the Cilium charts
// (% of 32 threads).

import type { Datapath, Side } from "./datapath.ts";
import { type MessageShape, mixMean, sumPackets } from "./traffic.ts";

export interface SideFigures {
  /** Sending node. */
  tx: number;
  /** Receiving node. */
  rx: number;
}

/**
 * Cycles per payload byte on each side. The unencrypted stack (per
 * super-packet and per byte) runs on both paths: WireGuard segments GSO
 * packets itself and the receiver regains inner GRO after decryption, so
 * encryption adds its per-packet work on top, differently on each side.
 * A tunnel adds its encapsulation (sender) or decapsulation (receiver) per packet.
 */
export function cyclesPerByte(dp: Datapath, shapes: readonly MessageShape[]): SideFigures {
  const path = dp.hardware.pathCycles;
  const bytes = mixMean(shapes, (s) => s.bytes);
  const side = (sd: Side, perByte: number) => {
    const perMessage = (s: MessageShape) =>
      s.segments * path.segment + sumPackets(s, (p) => dp.extraCycles(p, sd) + dp.tunnelCycles(p));
    return (mixMean(shapes, perMessage) + perByte * bytes) / bytes;
  };
  return { tx: side("tx", path.txPerByte), rx: side("rx", path.rxPerByte) };
}

/** CPU-seconds per GB (1e9 bytes) of payload: cycles per byte ÷ GHz. */
export function cpuSecondsPerGB(cycles: SideFigures, clockGhz: number): SideFigures {
  return { tx: cycles.tx / clockGhz, rx: cycles.rx / clockGhz };
}

/** CPUs kept busy per Gbit/s of payload: 1 Gbit/s is 0.125 GB/s. */
export function cpusPerGbps(cycles: SideFigures, clockGhz: number): SideFigures {
  const s = cpuSecondsPerGB(cycles, clockGhz);
  return { tx: s.tx * 0.125, rx: s.rx * 0.125 };
}

/** Hardware threads of a node. */
export function cpuCount(dp: Datapath): number {
  return dp.hardware.cores * dp.hardware.threadsPerCore;
}
