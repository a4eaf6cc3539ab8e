/**
 * windows.csv, read once, streaming: a campaign's file is gigabytes, so no row is kept. Each
 * row goes to the report's per-point summaries (counts and a log-binned duration sketch, a few
 * kilobytes per point) and to every recipe that asked for rows.
 *
 * leaklab writes windows.csv without quoting (no cell can hold a comma, quote or newline;
 * models/windows.ts), so a line splits on commas; a line that does not is reported by number.
 */
import { createReadStream } from "node:fs";
import { InputError } from "../../experiments/command.ts";
import { LogSketch } from "./sketch.ts";

/** The columns recipes get; the rest of the row (addresses, node names) is not parsed. */
export interface WindowRow {
  point: number;
  replication: number;
  /** The exposure window: the sender could not encrypt to the pod (duration_s). */
  duration: number;
  /** Seconds of it in which plaintext left (leaked_s; NaN in a windows.csv older than that column). */
  leaked: number;
  packets: number;
  outcome: string;
  cause: string;
  censored: boolean;
}

const NEEDED = ["point", "replication", "duration_s", "packets", "outcome", "cause", "censored"] as const;

export async function streamWindows(file: string, onRow: (w: WindowRow) => void): Promise<void> {
  let rest = "";
  let line = 0;
  let at: number[] | undefined;
  let width = 0;
  let leakedAt = -1;
  const take = (text: string) => {
    line++;
    if (at === undefined) {
      const header = text.split(",");
      at = NEEDED.map((c) => header.indexOf(c));
      const missing = NEEDED.filter((_, i) => at![i] < 0);
      if (missing.length > 0) throw new InputError(`${file}: the header has no ${missing.join(", ")} column; not a leaklab windows.csv`);
      leakedAt = header.indexOf("leaked_s");
      width = header.length;
      return;
    }
    if (text === "") return;
    const c = text.split(",");
    if (c.length !== width) throw new InputError(`${file}:${line}: ${c.length} cells where the header has ${width}`);
    onRow({
      point: Number(c[at[0]]), replication: Number(c[at[1]]), duration: Number(c[at[2]]),
      leaked: leakedAt < 0 ? NaN : Number(c[leakedAt]), packets: Number(c[at[3]]),
      outcome: c[at[4]], cause: c[at[5]], censored: c[at[6]] === "true",
    });
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (rest !== "") take(rest);
  if (at === undefined) throw new InputError(`${file} is empty; not a leaklab windows.csv`);
}

/** One point's windows: counts by outcome and cause, and the distributions of exposure and leak. */
export class WindowStats {
  count = 0;
  censored = 0;
  /** Windows through which some plaintext left, and the distribution of those seconds. */
  leaking = 0;
  readonly leaks = new LogSketch();
  packets = 0;
  readonly outcomes = new Map<string, number>();
  readonly causes = new Map<string, number>();
  readonly durations = new LogSketch();
  /** Durations per outcome (the verdict most of a window's packets got): a few sketches, one per verdict seen. */
  readonly byOutcome = new Map<string, LogSketch>();

  add(w: WindowRow): void {
    this.count++;
    if (w.censored) this.censored++;
    this.packets += w.packets;
    this.outcomes.set(w.outcome, (this.outcomes.get(w.outcome) ?? 0) + 1);
    this.causes.set(w.cause, (this.causes.get(w.cause) ?? 0) + 1);
    this.durations.add(w.duration);
    if (w.leaked > 0) {
      this.leaking++;
      this.leaks.add(w.leaked);
    }
    let sketch = this.byOutcome.get(w.outcome);
    if (sketch === undefined) this.byOutcome.set(w.outcome, (sketch = new LogSketch()));
    sketch.add(w.duration);
  }
}

/** Per-point statistics of a windows.csv (rows naming a point the manifest lacks are an error). */
export function windowCollector(points: number, file: string): { stats: WindowStats[]; add: (w: WindowRow) => void } {
  const stats = Array.from({ length: points }, () => new WindowStats());
  return {
    stats,
    add: (w) => {
      const s = stats[w.point];
      if (s === undefined) throw new InputError(`${file}: a row names point ${w.point}, but the manifest lists ${points} points`);
      s.add(w);
    },
  };
}
