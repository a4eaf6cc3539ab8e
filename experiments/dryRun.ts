/**
 * --dry-run: validate the sweep and say how big it is before anything is written. Each point's
 * size is measured once (models/size.ts: its control plane in full, its traffic from a sample of
 * senders), so the events and pairs are exact for replication 0 and the windows an estimate.
 */
import { measureSize, type MeasuredSize } from "../models/size.ts";
import { processMemoryBytes, workerMemoryBytes } from "./memory.ts";
import { pointLabel, runAt, type Sweep } from "./sweep.ts";
import { warnOnce } from "./session.ts";

/** Above this, windows.csv is worth a warning: it takes minutes to write and read. */
const LARGE_WINDOWS_BYTES = 1 << 30;

export function dryRun(sweep: Sweep, out: string, o: { workers: number; trace: boolean }): number {
  const log = (l: string) => process.stdout.write(`${l}\n`);
  warnOnce(sweep, (l) => process.stderr.write(`${l}\n`));
  log(`${sweep.name}: ${sweep.points.length} point(s) x ${sweep.replications} replication(s) = ${sweep.runCount} runs -> ${out}`);
  const sizes = sweep.points.map((p) => {
    const run = runAt(sweep, p.index * sweep.replications);
    const m = measureSize(p.scenario, run.seed, run.replication, p.index);
    log(`  point ${p.index}: ${pointLabel(sweep, p.index)}`);
    log(`    per run: ${count(m.nodes)} nodes x ${count(m.endpoints)} pods = ${count(m.pairs)} pairs, ${count(m.events)} events, `
      + `~${count(m.windowRows)} windows (${bytes(m.windowBytes)}), ~${bytes(workerMemoryBytes(m))} of memory`);
    return m;
  });
  const R = sweep.replications;
  const sum = (f: (m: MeasuredSize) => number) => sizes.reduce((t, m) => t + f(m) * R, 0);
  const windowBytes = sweep.windows ? sum((m) => m.windowBytes) : 0;
  const workers = Math.max(1, Math.min(o.workers, sweep.runCount));
  const peakWorker = Math.max(...sizes.map(workerMemoryBytes));
  log(`  total: ${count(sum((m) => m.pairs))} pairs, ${count(sum((m) => m.events))} events, `
    + (sweep.windows ? `windows.csv ~${count(sum((m) => m.windowRows))} rows, ~${bytes(windowBytes)} (the store keeps a second copy)` : "no windows.csv"));
  const heaviest = sizes.reduce((a, b) => (workerMemoryBytes(b) > workerMemoryBytes(a) ? b : a));
  log(`  memory: ~${bytes(peakWorker)} per worker, ~${bytes(processMemoryBytes(heaviest, workers))} in all with ${workers} worker(s)`);
  if (windowBytes > LARGE_WINDOWS_BYTES) {
    process.stderr.write(`warning: windows.csv will be about ${bytes(windowBytes)}; if you need only runs.csv, add --no-windows (or "windows": false in the sweep)\n`);
  }
  return 0;
}

function count(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(1)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(0)} k`;
  return String(Math.round(x));
}

function bytes(x: number): string {
  if (x >= 2 ** 30) return `${(x / 2 ** 30).toFixed(1)} GiB`;
  if (x >= 2 ** 20) return `${(x / 2 ** 20).toFixed(0)} MiB`;
  return `${(x / 2 ** 10).toFixed(0)} KiB`;
}
