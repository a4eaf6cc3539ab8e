// Latency that encryption adds to a packet, a message and a request/response.

import type { Datapath } from "./datapath.ts";
import type { MessageShape } from "./traffic.ts";

/**
 * Added one-way latency of a single packet. Encryption's per-packet work sits
 * on the critical path on both nodes: WireGuard crosses a workqueue hand-off to
 * an encrypt worker and the per-peer TX worker on the sender, a decrypt worker
 * and the per-peer NAPI on the receiver; IPsec runs inline in the softirq.
 * The calibrated per-packet cycles already include those hand-offs, so the
 * added time is the sender's plus the receiver's extra cycles plus the extra
 * wire bytes. On the Cilium testbed this gives ≈ 16 µs (WireGuard) and ≈ 6 µs
 * (IPsec) for a 1-byte packet, against ≈ 19.5 and ≈ 8 µs derived from TCP_RR rates.
 */
export function packetAddedSeconds(dp: Datapath, plain: Datapath, payload: number): number {
  const hz = dp.hardware.clockGhz * 1e9;
  const extraWireBytes = dp.wire(payload).l1Bytes - plain.wire(payload).l1Bytes;
  const cycles = dp.extraCycles(payload, "tx") + dp.extraCycles(payload, "rx");
  return cycles / hz + (extraWireBytes * 8) / (dp.hardware.nicGbps * 1e9);
}

/**
 * Added one-way latency of a whole message: its first packet pays the
 * per-packet delay, the rest stream behind it at the pair's throughput.
 */
export function messageAddedSeconds(
  dp: Datapath,
  plain: Datapath,
  shape: MessageShape,
  gbps: { encrypted: number; unencrypted: number },
): number {
  const first = shape.packets[0]?.payloadBytes ?? shape.bytes;
  const rest = (shape.bytes - first) * 8;
  const streaming = rest / (gbps.encrypted * 1e9) - rest / (gbps.unencrypted * 1e9);
  return packetAddedSeconds(dp, plain, first) + streaming;
}

/** 1-byte TCP_RR transactions per second for a base round trip of `rttUs`. */
export function tcpRrPerSecond(rttUs: number, addedPerPacketSeconds: number): number {
  return 1 / (rttUs * 1e-6 + 2 * addedPerPacketSeconds);
}
