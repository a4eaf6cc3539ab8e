/**
 * What a run measures: packets and bytes per verdict, and leak windows. A leak window is the
 * time from a new pod being ready until a sending node's IPCache knows it; traffic from that
 * node to the pod inside the window leaves in plaintext (or is dropped by strict mode).
 * Observation ends at the run's duration: a window still open then is cut there and marked
 * censored, so its duration is a lower bound.
 */
import { Samples } from "../sim/stats.ts";
import { VERDICTS, type Verdict } from "./datapath/verdict.ts";

export interface LeakWindow {
  endpoint: number;
  endpointIp: string;
  endpointNode: string;
  observerNode: string;
  opened: number;
  closed: number;
  packets: number;
  bytes: number;
  outcome: "leaked" | "dropped";
  censored: boolean;
}

export class Accounting {
  readonly packets = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  readonly bytes = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  /** Window length of every (endpoint, sending node) pair, zero when the IPCache was in time. */
  readonly windowLengths = new Samples();
  /** Windows that carried traffic, in the order they were closed. */
  readonly windows: LeakWindow[] = [];
  openWindows = 0;
  censoredWindows = 0;

  count(verdict: Verdict, packets: number, packetBytes: number): void {
    this.packets[verdict] += packets;
    this.bytes[verdict] += packets * packetBytes;
  }

  /** Records one pair's window; `length` is 0 when the node knew the pod before it was ready. */
  window(length: number, censored: boolean): void {
    this.windowLengths.add(length);
    if (length > 0) this.openWindows++;
    if (censored) this.censoredWindows++;
  }

  metrics(): Record<string, number> {
    const w = this.windowLengths;
    const out: Record<string, number> = {
      leak_windows: this.openWindows,
      censored_windows: this.censoredWindows,
      leak_window_p50_s: w.quantile(0.5),
      leak_window_p90_s: w.quantile(0.9),
      leak_window_p99_s: w.quantile(0.99),
      leak_window_max_s: w.max(),
    };
    for (const v of VERDICTS) {
      out[`${v}_packets`] = this.packets[v];
      out[`${v}_bytes`] = this.bytes[v];
    }
    return out;
  }
}
