/**
 * How much memory runs take, for --dry-run's estimates, the Kubernetes manifests' requests and
 * the size limits' messages. Fitted on measured runs here (Node 20, 2024-era x86): the main
 * process with tsx and leaklab loaded (130 MiB), each worker thread's own heap before its run
 * (40 MiB), and what a run holds: a fixed 20 MiB, about 4 KiB per pod, 80 KiB per node
 * (addresses, views, pools) and 4.6 bytes per arrival time (4 in Float32Arrays, and their
 * headers). The 1,000-node scale run measures 221 MiB above its base, this model says 215.
 */
import type { MeasuredSize } from "../models/size.ts";

export const MAIN_BASE_BYTES = 130 << 20;
export const WORKER_BASE_BYTES = 40 << 20;
export const RUN_BASE_BYTES = 20 << 20;
export const BYTES_PER_ARRIVAL = 4.6;
export const BYTES_PER_ENDPOINT = 4 << 10;
export const BYTES_PER_NODE = 80 << 10;

/** What one run holds while it is judged. */
export function runMemoryBytes(m: Pick<MeasuredSize, "arrivals" | "endpoints" | "nodes">): number {
  return RUN_BASE_BYTES + BYTES_PER_ARRIVAL * m.arrivals + BYTES_PER_ENDPOINT * m.endpoints + BYTES_PER_NODE * m.nodes;
}

export function workerMemoryBytes(m: MeasuredSize): number {
  return WORKER_BASE_BYTES + runMemoryBytes(m);
}

/** A whole process running `workers` such runs at once (0: the run in the main thread). */
export function processMemoryBytes(m: MeasuredSize, workers: number): number {
  return MAIN_BASE_BYTES + (workers === 0 ? runMemoryBytes(m) : workers * workerMemoryBytes(m));
}
