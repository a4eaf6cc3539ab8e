/**
 * --dry-run: validate the sweep and say how big it is before anything is written. Each point's
 * size is measured once (models/size.ts: its control plane in full, its traffic from a sample of
 * senders), so the events and pairs are exact for replication 0 and the windows an estimate.
 */
import { measureSize, type MeasuredSize } from "../models/size.ts";
import { pointLabel, runAt, type Sweep } from "./sweep.ts";
import { warnOnce } from "./session.ts";

/** Above this, windows.csv is worth a warning: it takes minutes to write and read. */
const LARGE_WINDOWS_BYTES = 1 << 30;
/**
 * Resident memory, fitted on measured runs here (Node 20, 2024-era x86): the main process with
 * tsx and leaklab loaded (130 MiB), each worker thread's own heap before its run (40 MiB), and
 * what a run holds: a fixed 20 MiB, about 4 KiB per pod, 80 KiB per node (addresses, views,
 * pools) and 4.6 bytes per arrival time (4 in Float32Arrays, and their headers). The 1,000-node
 * scale run measures 221 MiB above its base, this model says 215.
 */
const MAIN_BASE_BYTES = 130 << 20;
const WORKER_BASE_BYTES = 40 << 20;
const RUN_BASE_BYTES = 20 << 20;
const BYTES_PER_ARRIVAL = 4.6;
const BYTES_PER_ENDPOINT = 4 << 10;
const BYTES_PER_NODE = 80 << 10;

/** What one run holds while it is judged. */
function runMemoryBytes(m: MeasuredSize): number {
  return RUN_BASE_BYTES + BYTES_PER_ARRIVAL * m.arrivals + BYTES_PER_ENDPOINT * m.endpoints + BYTES_PER_NODE * m.nodes;
}

export function workerMemoryBytes(m: MeasuredSize): number {
  return WORKER_BASE_BYTES + runMemoryBytes(m);
}

/** A whole process running `workers` such runs at once (0: the run in the main thread). */
export function processMemoryBytes(m: MeasuredSize, workers: number): number {
  return MAIN_BASE_BYTES + (workers === 0 ? runMemoryBytes(m) : workers * workerMemoryBytes(m));
}

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
