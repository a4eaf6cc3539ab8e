/**
 * One run of a sweep's first point in this process, on one thread, windows off: prints its
 * wall seconds and pairs as a JSON line (for the growth benchmark, bench/envelope.ts).
 */
import { performance } from "node:perf_hooks";
import { simulateRun } from "../../models/run.ts";
import { runAt } from "../sweep.ts";
import { loadSweep } from "../sweepFile.ts";

const sweep = loadSweep(process.argv[2]);
const run = runAt(sweep, 0);
const t0 = performance.now();
const r = simulateRun({ scenario: sweep.points[0].scenario, seed: run.seed, replication: run.replication, windows: "none" });
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, pairs: r.work.pairs }));
