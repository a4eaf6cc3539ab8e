/**
 * What a run measures: packets and bytes per verdict, IPCache propagation, and leak windows.
 * A leak window is the time from a pod being ready (or the sending node joining, if later)
 * until that sending node's IPCache has the pod's own entry; traffic inside it is judged
 * against whatever the node held instead (nothing, a stale entry, a node's entry). Observation
 * ends at the run's duration: a window still open then is cut there and marked censored, so
 * its length is a lower bound.
 */
import { Histogram } from "../sim/stats.ts";
import { VERDICTS, type Verdict } from "./datapath/verdict.ts";
import type { WindowSink } from "./windows.ts";

const VERDICT_INDEX = Object.fromEntries(VERDICTS.map((v, i) => [v, i])) as Record<Verdict, number>;

/** Why legitimate traffic was dropped: its target node was not yet known, or it was. */
export type FalseDropCause = "new_node" | "known_node";
/** What the dropped packet was sent to. */
export type FalseDropTarget = "node" | "health" | "other";

export class Accounting {
  /** Packets and bytes per verdict, in VERDICTS order (arrays: this is the innermost loop). */
  private readonly packets = new Float64Array(VERDICTS.length);
  private readonly bytes = new Float64Array(VERDICTS.length);
  /** Window length of every (pod, sending node) pair, zero when the IPCache was in time. */
  readonly windowLengths = new Histogram();
  /**
   * Pod ready (or the sending node listed, if later) -> the sender's IPCache has the pod's
   * /32, every pair (negative: known before ready).
   */
  readonly propagation = new Histogram();
  /** (pod, sending node) pairs that existed, and of those the ones judged (all, unless sampling). */
  pairs = 0;
  judgedPairs = 0;
  openWindows = 0;
  censoredWindows = 0;
  lbBeforeIpcache = 0;
  /** False drops split by cause and by target. */
  private readonly falseDrops = { new_node: 0, known_node: 0, node: 0, health: 0, other: 0 };

  /** @param onWindow told of every window that carried traffic (windows.csv); none: not recorded */
  constructor(readonly onWindow?: WindowSink) {}

  count(verdict: Verdict, packets: number, packetBytes: number): void {
    const i = VERDICT_INDEX[verdict];
    this.packets[i] += packets;
    this.bytes[i] += packets * packetBytes;
  }

  /** Splits false drops (already counted by `count`) by cause and target. */
  falseDrop(cause: FalseDropCause, dstKind: string, packets: number): void {
    this.falseDrops[cause] += packets;
    const target: FalseDropTarget = dstKind === "node" || dstKind === "health" ? dstKind : "other";
    this.falseDrops[target] += packets;
  }

  /** One (pod, sending node) pair: its propagation time, and whether the LB map won the race. */
  pair(propagation: number, lbFirst: boolean): void {
    if (Number.isFinite(propagation)) this.propagation.add(propagation);
    if (lbFirst) this.lbBeforeIpcache++;
  }

  /** API-server traffic (either way) that crossed the wire in plaintext while encryption is on. */
  apiServerPlaintext = 0;

  /** Records one pair's window; `length` is 0 when the node knew the pod before it was ready. */
  window(length: number, censored: boolean): void {
    this.windowLengths.add(Math.max(0, length));
    if (length > 0) this.openWindows++;
    if (censored) this.censoredWindows++;
  }

  metrics(): Record<string, number> {
    const w = this.windowLengths;
    const p = this.propagation;
    const out: Record<string, number> = {
      leak_windows: this.openWindows,
      censored_windows: this.censoredWindows,
      leak_window_p50_s: w.quantile(0.5),
      leak_window_p90_s: w.quantile(0.9),
      leak_window_p99_s: w.quantile(0.99),
      leak_window_max_s: w.max(),
      ipcache_propagation_p50_s: p.quantile(0.5),
      ipcache_propagation_p99_s: p.quantile(0.99),
      ipcache_propagation_max_s: p.max(),
      lb_before_ipcache_pairs: this.lbBeforeIpcache,
    };
    VERDICTS.forEach((v, i) => {
      out[`${v}_packets`] = this.packets[i];
      out[`${v}_bytes`] = this.bytes[i];
    });
    for (const [k, v] of Object.entries(this.falseDrops)) out[`false_dropped_${k}_packets`] = v;
    out.apiserver_plaintext_packets = this.apiServerPlaintext;
    return out;
  }
}
