/**
 * Event traces: a run can record what happened as a stream of MessagePack records
 * ([time, kind, ...fields]) for later inspection, and keeps a fingerprint of the trajectory
 * either way. Two runs with the same fingerprint took the same path through the same events,
 * which makes the fingerprint a cheap regression check for "did this change alter behaviour?".
 */
import { Encoder, decodeMulti } from "@msgpack/msgpack";
import { hash32 } from "./random.ts";

export type TraceField = number | string | boolean | null;

export class Trace {
  private readonly encoder = new Encoder();
  private readonly chunks: Uint8Array[] = [];
  private hash = 0x811c9dc5;
  private count = 0;

  /** @param keep record the stream (costs memory); the fingerprint is kept regardless. */
  constructor(private readonly keep = false) {}

  record(time: number, kind: string, ...fields: TraceField[]): void {
    this.count++;
    this.hash = hash32(`${this.hash}|${time}|${kind}|${fields.join("|")}`);
    if (this.keep) this.chunks.push(this.encoder.encode([time, kind, ...fields]));
  }

  get records(): number {
    return this.count;
  }

  /** Hex digest of every record so far, in order. */
  fingerprint(): string {
    return this.hash.toString(16).padStart(8, "0");
  }

  /** The recorded stream as one MessagePack byte sequence. */
  bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Decodes a stream written by `Trace.bytes()`. */
export function readTrace(bytes: Uint8Array): [number, string, ...TraceField[]][] {
  return [...decodeMulti(bytes)] as [number, string, ...TraceField[]][];
}
