/**
 * The packets of a pod's flows in a piece of a (pod, sender) pair's time, drawn class by class
 * (direct peers, replies, service clients from the moment the sender's LB map has the backend),
 * each an exact Poisson count of whole packets of its class's size, so byte totals are whole
 * numbers and sum to the same total in any order.
 *
 * Pieces whose packets feed no window (encrypted from the start, or after the pod's entry
 * arrived) need not be drawn one by one: the sum of independent Poisson counts is Poisson with
 * the summed mean, so their lengths are added up per verdict over a block of senders and drawn
 * once per (pod, block, verdict). That keeps every metric's distribution exact and saves the
 * costly large-mean draws.
 */
import { poisson } from "../../sim/poisson.ts";
import type { Uniform } from "../../sim/random.ts";
import type { Substreams } from "../../sim/substreams.ts";
import type { Accounting } from "../accounting.ts";
import { VERDICTS, type Verdict } from "../datapath/verdict.ts";

export interface Flow {
  rate: number;
  packetBytes: number;
}

export interface PodFlows {
  direct: Flow;
  replies: Flow;
  service: Flow;
  /** From each pod back to each other node's client pod (responseTraffic.ts). */
  responses: Flow;
}

/** What the last drawPiece drew (kept in one place, so the innermost loop allocates nothing). */
export const drawn = { packets: 0, bytes: 0 };

/** Draws and counts the packets of [a, b) with `verdict`; service traffic from `lbAt` on. */
export function drawPiece(f: PodFlows, a: number, b: number, lbAt: number, u: Uniform, acct: Accounting, verdict: Verdict): void {
  drawn.packets = 0;
  drawn.bytes = 0;
  if (f.direct.rate > 0) drawClass(f.direct, b - a, u, acct, verdict);
  if (f.replies.rate > 0) drawClass(f.replies, b - a, u, acct, verdict);
  const withLb = Math.max(a, Math.min(b, lbAt));
  if (f.service.rate > 0 && b > withLb) drawClass(f.service, b - withLb, u, acct, verdict);
}

/** One class's packets over `len` seconds, counted and added to `drawn` (most pieces draw none). */
function drawClass(flow: Flow, len: number, u: Uniform, acct: Accounting, verdict: Verdict): void {
  const k = poisson(flow.rate * len, u);
  if (k === 0) return;
  acct.count(verdict, k, flow.packetBytes);
  drawn.packets += k;
  drawn.bytes += k * flow.packetBytes;
}

function count(acct: Accounting, verdict: Verdict, f: PodFlows, direct: number, replies: number, service: number): void {
  acct.count(verdict, direct, f.direct.packetBytes);
  acct.count(verdict, replies, f.replies.packetBytes);
  acct.count(verdict, service, f.service.packetBytes);
  drawn.packets = direct + replies + service;
  drawn.bytes = direct * f.direct.packetBytes + replies * f.replies.packetBytes + service * f.service.packetBytes;
}

/** Time summed per verdict over a block of senders, to be drawn at once. */
export class VerdictSums {
  private readonly base = new Float64Array(VERDICTS.length);
  private readonly service = new Float64Array(VERDICTS.length);
  private any = false;

  /** Adds [a, b) of a pair with `verdict` (index into VERDICTS); service from `lbAt` on. */
  add(verdict: number, a: number, b: number, lbAt: number): void {
    this.base[verdict] += b - a;
    const withLb = Math.max(a, Math.min(b, lbAt));
    if (b > withLb) this.service[verdict] += b - withLb;
    this.any = true;
  }

  /** Draws and counts the summed time, from the substream of (pod, block), and starts over. */
  flush(f: PodFlows, rng: Substreams, endpoint: number, block: number, acct: Accounting): void {
    if (!this.any) return;
    for (let v = 0; v < VERDICTS.length; v++) {
      const base = this.base[v];
      const service = this.service[v];
      if (base === 0 && service === 0) continue;
      const u = rng.select(endpoint, block * VERDICTS.length + v);
      const direct = f.direct.rate > 0 ? poisson(f.direct.rate * base, u) : 0;
      const replies = f.replies.rate > 0 ? poisson(f.replies.rate * base, u) : 0;
      const svc = f.service.rate > 0 && service > 0 ? poisson(f.service.rate * service, u) : 0;
      count(acct, VERDICTS[v], f, direct, replies, svc);
      this.base[v] = 0;
      this.service[v] = 0;
    }
    this.any = false;
  }
}
