// Traffic mix: application messages and how TCP cuts them into packets.

/** One kind of application message; `weight` is its share of messages. */
export interface MessageClass {
  bytes: number;
  weight: number;
}

/** A single message size, or a weighted mix of sizes. */
export type TrafficMix = number | readonly MessageClass[];

/** Packets of one payload size within a message. */
export interface PacketGroup {
  payloadBytes: number;
  count: number;
}

export interface MessageShape {
  bytes: number;
  /** Share of messages, normalised so the mix sums to 1. */
  share: number;
  /** At most two groups: full-MSS packets and the remainder. */
  packets: PacketGroup[];
  /** TSO/GRO super-packets the TCP stack handles for this message. */
  segments: number;
}

/** Linux GSO/GRO aggregates TCP data into super-packets of at most 64 KiB. */
export const GSO_MAX_BYTES = 65536;

function checkClass(c: MessageClass, where: string): void {
  if (!Number.isInteger(c.bytes) || c.bytes < 1) {
    throw new Error(`${where}.bytes must be a positive integer, got ${c.bytes}`);
  }
  if (!Number.isFinite(c.weight) || c.weight <= 0) {
    throw new Error(`${where}.weight must be a positive number, got ${c.weight}`);
  }
}

/** Validates a mix and returns its classes with weights summing to 1. */
export function normaliseMix(mix: TrafficMix): MessageClass[] {
  const classes = typeof mix === "number" ? [{ bytes: mix, weight: 1 }] : [...mix];
  if (classes.length === 0) throw new Error("packetBytes must list at least one message size");
  classes.forEach((c, i) => checkClass(c, typeof mix === "number" ? "packetBytes" : `packetBytes[${i}]`));
  const total = classes.reduce((sum, c) => sum + c.weight, 0);
  return classes.map((c) => ({ bytes: c.bytes, weight: c.weight / total }));
}

/**
 * Cuts a message into MSS-sized packets. A message below 64 KiB is sent on
 * its own (request/response style: its last packet is short and it is one
 * super-packet). A larger message is treated as part of a continuous stream,
 * as in netperf TCP_STREAM: TCP fills every packet to the MSS and every
 * super-packet to 64 KiB, so counts may be fractional per message.
 */
export function shapeMessage(c: MessageClass, mss: number, tcpHeader: number): MessageShape {
  const perSegment = Math.max(1, Math.floor((GSO_MAX_BYTES - tcpHeader) / mss)) * mss;
  if (c.bytes >= GSO_MAX_BYTES) {
    const packets = [{ payloadBytes: mss, count: c.bytes / mss }];
    return { bytes: c.bytes, share: c.weight, packets, segments: c.bytes / perSegment };
  }
  const full = Math.floor(c.bytes / mss);
  const rest = c.bytes - full * mss;
  const packets: PacketGroup[] = [];
  if (full > 0) packets.push({ payloadBytes: mss, count: full });
  if (rest > 0) packets.push({ payloadBytes: rest, count: 1 });
  return { bytes: c.bytes, share: c.weight, packets, segments: Math.ceil(c.bytes / perSegment) };
}

/** Sum of f(packet) over one message's packets. */
export function sumPackets(shape: MessageShape, f: (payloadBytes: number) => number): number {
  return shape.packets.reduce((sum, g) => sum + g.count * f(g.payloadBytes), 0);
}

/** Mix-weighted mean of a per-message quantity. */
export function mixMean(shapes: readonly MessageShape[], f: (s: MessageShape) => number): number {
  return shapes.reduce((sum, s) => sum + s.share * f(s), 0);
}
