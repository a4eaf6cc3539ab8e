/**
 * What a run measures: packets and bytes per verdict, IPCache propagation, and per (pod, sending
 * node) pair two windows. The exposure window runs from the pod being ready (or the sender
 * listed, if later) until the sender first encrypts to the pod: the time it did not know how
 * to, whatever became of the packets (strict mode turns it into drops). The leak window is the
 * part of it in which plaintext actually left: the pieces whose verdict was `leaked`. Without
 * strict mode they coincide; with it the leak window is zero unless something slips through
 * (a reused node IP, masquerading). Observation ends at the run's duration: a window still open
 * then is cut there and marked censored, so its length is a lower bound.
 */
import { Histogram, type HistogramState } from "../sim/stats.ts";
import { VERDICT_INDEX, VERDICTS, type Verdict } from "./datapath/verdict.ts";
import type { WindowSink } from "./windows.ts";

// A local copy: imported bindings are read through accessors in the loader's module format,
// and count() runs for every piece of every pair.
const verdictIndex = VERDICT_INDEX;


/** Why legitimate traffic was dropped: its target node was not yet known, or it was. */
export type FalseDropCause = "new_node" | "known_node";
/** What the dropped packet was sent to. */
export type FalseDropTarget = "node" | "health" | "other";

export interface AccountingState {
  packets: Float64Array;
  bytes: Float64Array;
  sameLengths: HistogramState;
  exposureOnly: HistogramState;
  leakOnly: HistogramState;
  propagation: HistogramState;
  counters: number[];
  falseDrops: Record<"new_node" | "known_node" | "node" | "health" | "other", number>;
}

export class Accounting {
  /** Packets and bytes per verdict, in VERDICTS order (arrays: this is the innermost loop). */
  private readonly packets = new Float64Array(VERDICTS.length);
  private readonly bytes = new Float64Array(VERDICTS.length);
  /**
   * Every (pod, sending node) pair's exposure window (zero when the IPCache was in time) and
   * leak window (the plaintext seconds within it, zero when none leaked), kept as three
   * histograms: the pairs whose two windows are equal (every pair without strict mode) counted
   * once in `sameLengths`, the others' exposures and leaks apart. The exposure histogram is
   * sameLengths + exposureOnly, the leak one sameLengths + leakOnly: exact, with one bucket
   * update per pair where two would do the same (this runs 10^8 times in a big run).
   */
  private readonly sameLengths = new Histogram();
  private readonly exposureOnly = new Histogram();
  private readonly leakOnly = new Histogram();
  /**
   * Pod ready (or the sending node listed, if later) -> the sender's IPCache has the pod's
   * /32, every pair (negative: known before ready).
   */
  readonly propagation = new Histogram();
  /** (pod, sending node) pairs that existed, and of those the ones judged (all, unless sampling). */
  pairs = 0;
  judgedPairs = 0;
  exposureWindows = 0;
  censoredExposures = 0;
  leakWindows = 0;
  censoredLeaks = 0;
  lbBeforeIpcache = 0;
  /** API-server traffic (either way) that crossed the wire in plaintext while encryption is on. */
  apiServerPlaintext = 0;
  /** False drops split by cause and by target. */
  private readonly falseDrops = { new_node: 0, known_node: 0, node: 0, health: 0, other: 0 };

  /** @param onWindow told of every window that carried traffic (windows.csv); none: not recorded */
  constructor(readonly onWindow?: WindowSink) {}

  /** Everything this accounting has counted, as plain data a thread can send. */
  state(): AccountingState {
    return {
      packets: this.packets, bytes: this.bytes,
      sameLengths: this.sameLengths.state(), exposureOnly: this.exposureOnly.state(), leakOnly: this.leakOnly.state(),
      propagation: this.propagation.state(), falseDrops: { ...this.falseDrops },
      counters: [this.pairs, this.judgedPairs, this.exposureWindows, this.censoredExposures, this.leakWindows, this.censoredLeaks, this.lbBeforeIpcache, this.apiServerPlaintext],
    };
  }

  /**
   * Adds what another share of the run counted. Every count is a whole number (packets, bytes of
   * whole packets, histogram buckets), so the sum is the same in any order: a run judged in
   * shares gives the numbers it gives judged at once.
   */
  absorb(s: AccountingState): void {
    for (let i = 0; i < VERDICTS.length; i++) {
      this.packets[i] += s.packets[i];
      this.bytes[i] += s.bytes[i];
    }
    this.sameLengths.absorb(s.sameLengths);
    this.exposureOnly.absorb(s.exposureOnly);
    this.leakOnly.absorb(s.leakOnly);
    this.propagation.absorb(s.propagation);
    const [pairs, judged, exposures, censoredExposures, leaks, censoredLeaks, lb, apiServerPlaintext] = s.counters;
    this.pairs += pairs;
    this.judgedPairs += judged;
    this.exposureWindows += exposures;
    this.censoredExposures += censoredExposures;
    this.leakWindows += leaks;
    this.censoredLeaks += censoredLeaks;
    this.lbBeforeIpcache += lb;
    this.apiServerPlaintext += apiServerPlaintext;
    for (const k of Object.keys(this.falseDrops) as (keyof typeof this.falseDrops)[]) this.falseDrops[k] += s.falseDrops[k];
  }

  count(verdict: Verdict, packets: number, packetBytes: number): void {
    const i = verdictIndex[verdict];
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

  /**
   * Records one pair's windows: its exposure (0 when the node knew the pod before it was
   * ready) and the leak within it, each censored when it was still open at the run's end.
   */
  window(exposure: number, censored: boolean, leak: number, leakCensored: boolean): void {
    const length = Math.max(0, exposure);
    if (length === leak) this.sameLengths.add(length);
    else {
      this.exposureOnly.add(length);
      this.leakOnly.add(leak);
    }
    if (exposure > 0) this.exposureWindows++;
    if (censored) this.censoredExposures++;
    if (leak > 0) this.leakWindows++;
    if (leakCensored) this.censoredLeaks++;
  }

  /** The exposure windows' histogram (`exposure`) or the leak windows' one, put together. */
  private lengths(which: "exposure" | "leak"): Histogram {
    const h = new Histogram();
    h.absorb(this.sameLengths.state());
    h.absorb((which === "exposure" ? this.exposureOnly : this.leakOnly).state());
    return h;
  }

  metrics(): Record<string, number> {
    const x = this.lengths("exposure");
    const l = this.lengths("leak");
    const p = this.propagation;
    const out: Record<string, number> = {
      leak_windows: this.leakWindows,
      censored_leak_windows: this.censoredLeaks,
      leak_window_p50_s: l.quantile(0.5),
      leak_window_p90_s: l.quantile(0.9),
      leak_window_p99_s: l.quantile(0.99),
      leak_window_max_s: l.max(),
      exposure_windows: this.exposureWindows,
      censored_exposure_windows: this.censoredExposures,
      exposure_window_p50_s: x.quantile(0.5),
      exposure_window_p90_s: x.quantile(0.9),
      exposure_window_p99_s: x.quantile(0.99),
      exposure_window_max_s: x.max(),
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
