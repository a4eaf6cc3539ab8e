/**
 * npm run trace -- DIR --run N
 *
 * Prints run N's event trace (kept by `npm run experiment -- ... --trace`) as JSON lines, one
 * record per line: [time, kind, ...fields], so a surprising run can be read event by event or
 * fed to jq.
 */
import { existsSync, readFileSync } from "node:fs";
import { readTrace } from "../sim/trace.ts";
import { integer, value, type CommandSpec, type Flag } from "./args.ts";
import { InputError, isMain, runCommand } from "./command.ts";
import { RunStore } from "./store/store.ts";

export const traceSpec = {
  usage: "npm run trace -- DIR --run N",
  summary: "Print the event trace of run N of the sweep stored in DIR as JSON lines (run the sweep with --trace first).",
  positionals: { names: "the sweep's output folder (DIR)", min: 1, max: 1 },
  flags: {
    run: value("N", "run index, as in the manifest (point x replications + replication)", integer(0)),
  },
} satisfies CommandSpec<Record<string, Flag>>;

export function traceLines(dir: string, run: number): string[] {
  const store = RunStore.read(dir);
  if (run >= store.header.runCount) throw new InputError(`--run must be below ${store.header.runCount}, the runs of ${store.header.name}, got ${run}`);
  if (!store.isOk(run) && !store.isFailed(run)) throw new InputError(`run ${run} of ${store.header.name} is not stored in ${dir}${store.header.shard ? ` (shard ${store.header.shard.index}/${store.header.shard.count})` : ""}`);
  const path = store.paths.trace(run);
  if (!store.hasTrace(run) || !existsSync(path)) {
    throw new InputError(`run ${run} was stored without its trace; run the sweep again with --trace (the same command resumes and adds it)`);
  }
  return readTrace(readFileSync(path)).map((r) => JSON.stringify(r));
}

if (isMain(import.meta.url)) {
  void runCommand(traceSpec, ({ flags, positionals }) => {
    if (flags.run === undefined) throw new InputError("--run N is required: which run's trace to print");
    for (const line of traceLines(positionals[0], flags.run)) process.stdout.write(`${line}\n`);
    return 0;
  });
}
