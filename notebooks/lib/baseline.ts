/**
 * Baselines for `npm run compare`: a committed copy of a sweep's runs.csv and manifest.json,
 * with baseline.json naming the sweep's hash, so that a later comparison can tell whether it
 * compares the same experiment. results/baselines/NAME is the default place (results/ is
 * git-ignored except there).
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../experiments/command.ts";
import { describeChange } from "../../experiments/store/diff.ts";
import { readCsv, readJson, sweepHash, type Manifest, type Row } from "./results.ts";

export interface Side {
  dir: string;
  runs: Row[];
  manifest: Manifest;
  /** The sweep's hash; undefined when it cannot be worked out (an old baseline whose sweep no longer validates). */
  hash?: string;
}

interface BaselineFile {
  sweep: string;
  sweep_hash: string;
  about: string;
}

const ABOUT = "sweep_hash: SHA-256 of the sweep's name, seed, replications, grid axes and every point's scenario as written "
  + "(the run store's sweep key). npm run compare refuses results whose sweep hashes differently unless given --allow-changed-sweep.";

function hashOrUndefined(m: Manifest): string | undefined {
  try {
    return sweepHash(m);
  } catch {
    return undefined;
  }
}

export function readResults(dir: string): Side {
  for (const f of ["runs.csv", "manifest.json"]) {
    if (!existsSync(join(dir, f))) {
      throw new InputError(`no results at ${join(dir, f)}; expected a finished sweep's output folder (npm run experiment writes ${f} when every run is stored)`);
    }
  }
  const manifest = readJson(join(dir, "manifest.json")) as Manifest;
  return { dir, manifest, runs: readCsv(join(dir, "runs.csv")), hash: hashOrUndefined(manifest) };
}

/** The baseline at `dir`; when there is none, the error says the command that makes one. */
export function readBaseline(dir: string, makeIt: string): Side {
  if (!existsSync(join(dir, "runs.csv")) || !existsSync(join(dir, "manifest.json"))) {
    throw new InputError(`no baseline at ${dir} (it needs runs.csv and manifest.json); create it from these results with: ${makeIt}`);
  }
  const manifest = readJson(join(dir, "manifest.json")) as Manifest;
  const file = join(dir, "baseline.json");
  // Baselines saved before baseline.json existed: the hash is recomputed from their manifest.
  const hash = existsSync(file) ? (readJson(file) as BaselineFile).sweep_hash : hashOrUndefined(manifest);
  return { dir, manifest, runs: readCsv(join(dir, "runs.csv")), hash };
}

/** Undefined when both sides ran the same sweep; otherwise what differs, in words. */
export function sweepDifference(baseline: Side, current: Side): string | undefined {
  if (baseline.hash !== undefined && baseline.hash === current.hash) return undefined;
  if (baseline.hash === undefined || current.hash === undefined) {
    return "the sweep's hash cannot be worked out for one side (its sweep does not validate with this code)";
  }
  return describeChange(baseline.manifest.sweep, current.manifest.sweep);
}

/** Copies the results' runs.csv and manifest.json to `to` and writes baseline.json; refuses incomplete results. */
export function saveBaseline(from: string, to: string): { runs: number; hash: string } {
  const current = readResults(from);
  const failed = current.manifest.failures?.length ?? 0;
  if (failed > 0 || existsSync(join(from, "failures.csv"))) {
    throw new InputError(`${from} has failed runs (see its failures.csv); a baseline needs every run: run the sweep's command again to retry them`);
  }
  if (current.hash === undefined) throw new InputError(`${join(from, "manifest.json")}: its sweep does not validate with this code, so it has no hash to save`);
  const record: BaselineFile = { sweep: current.manifest.sweep.name, sweep_hash: current.hash, about: ABOUT };
  try {
    mkdirSync(to, { recursive: true });
    // Each file is written beside its final name and renamed, so a baseline is never half old, half new per file.
    for (const f of ["runs.csv", "manifest.json"]) {
      copyFileSync(join(from, f), join(to, `.${f}.partial`));
      renameSync(join(to, `.${f}.partial`), join(to, f));
    }
    writeFileSync(join(to, ".baseline.json.partial"), `${JSON.stringify(record, null, 2)}\n`);
    renameSync(join(to, ".baseline.json.partial"), join(to, "baseline.json"));
  } catch (e) {
    throw new InputError(`cannot write the baseline to ${to} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { runs: current.runs.length, hash: current.hash };
}
