/**
 * Upper bounds on what a simulation can represent exactly, shared by every input schema. Each
 * comes with the reason a message gives when a value passes it. Beyond them runs would not fail
 * loudly: times would lose resolution, counts would stop being exact integers and then overflow
 * to Infinity (an empty CSV cell), and a run would take longer than anyone would wait.
 */

/** The largest integer a float64 holds exactly; every count and byte total must stay below it. */
export const EXACT_INTEGER = 2 ** 53;

/** Longest time in seconds: a duration, a time in the run, a delay's parameters. */
export const MAX_SECONDS = 1e9;
export const SECONDS_WHY = "times are float64 seconds, which below 1e9 s (31 years) keep a resolution of 0.12 µs, and leak windows stay inside the quantile histogram's range (2^40 s)";

/** Highest rate per second: messages, pod creations, replacements, writes. */
export const MAX_RATE = 1e6;
export const RATE_WHY = "a rate times the longest run (1e9 s) is at most 1e15 events, below 2^53, so counts stay exact integers";

/** Most objects of one kind a field may ask for (replicas, namespaces, bursts). */
export const MAX_COUNT = 1e6;
export const COUNT_WHY = "a count times the longest run (1e9 s) stays below 2^53, so pod-seconds stay exact (the size limits, such as --max-pods, usually refuse far less)";

/** Largest message or packet in bytes. */
export const MAX_BYTES = 2 ** 30;
export const BYTES_WHY = "1 GiB; bytes are counted as packets x size, which must stay exact below 2^53";

/** A bound as messages write it: 1e9, 2^30, 65535. */
export function formatBound(x: number): string {
  if (Number.isInteger(x) && x >= 2 ** 20 && Number.isInteger(Math.log2(x))) return `2^${Math.log2(x)}`;
  if (Math.abs(x) >= 1e6 && Number(x.toExponential(3)) === x) return x.toExponential().replace("e+", "e");
  return String(x);
}
