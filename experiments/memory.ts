/** How much memory a run takes, for --dry-run's estimates and the size limits' messages. */

/** Resident memory of a worker before its run: Node, tsx and leaklab loaded (measured). */
export const WORKER_BASE_BYTES = 90 << 20;
/** Bytes held per arrival time, pod and node while a run is judged (fitted on measured runs). */
export const BYTES_PER_ARRIVAL = 4.6;
export const BYTES_PER_ENDPOINT = 3_000;
export const BYTES_PER_NODE = 20_000;
