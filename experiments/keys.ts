/**
 * What a stored result depends on, as hashes. A finished run may be reused only if recomputing
 * it would give the same bytes: the same scenario, seed and replication (the run key) computed
 * by the same code (the code key). The code key hashes the sources that compute a run's stored
 * files (the kernel, the models, sweep expansion, the executor and the store's writer) and the
 * dependency lock file, so it holds for a dirty tree and for a container image without git
 * alike; editing a command, the assembly of outputs or a notebook keeps stored runs valid. The
 * git commit is kept beside it for people.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { sha256 } from "./store/hash.ts";
import type { Sweep } from "./sweep.ts";

export const repoRoot = new URL("..", import.meta.url).pathname;

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** Everything in a sweep that reaches its results: name (a runs.csv column), axes, each point's scenario, seed, replications. */
export function sweepKey(sweep: Sweep): string {
  return sha256(canonicalJson({
    name: sweep.name, seed: sweep.seed, replications: sweep.replications, axes: sweep.axes, points: sweep.points.map((p) => p.raw),
  }));
}

/** Run keys of a sweep: one hash per (point scenario, seed, replication, code). */
export function runKeys(sweep: Sweep, codeKey: string): (point: number, replication: number, seed: number) => string {
  const pointHashes = sweep.points.map((p) => sha256(canonicalJson(p.raw)));
  return (point, replication, seed) => sha256(`${pointHashes[point]}|${seed}|${replication}|${codeKey}`);
}

/** The sources a stored run depends on (folders are read recursively). */
const CODE_PATHS = ["sim", "models", "experiments/sweep.ts", "experiments/execute.ts", "experiments/worker.ts", "experiments/store"];
const CODE_FILE = /\.(ts|mts|mjs|js)$/;

let cachedCodeKey: string | undefined;

/** Hash of leaklab's version, the sources that compute results, and the dependency lock file. */
export function codeKey(): string {
  if (cachedCodeKey !== undefined) return cachedCodeKey;
  const h = createHash("sha256");
  const files = CODE_PATHS.flatMap((p) => sourceFiles(join(repoRoot, p))).sort();
  // The lock file pins every dependency and names leaklab's own version.
  for (const f of [...files, join(repoRoot, "package-lock.json")]) {
    h.update(`${relative(repoRoot, f)}\0`).update(readFileSync(f)).update("\0");
  }
  cachedCodeKey = h.digest("hex");
  return cachedCodeKey;
}

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => {
    const child = join(path, e.name);
    if (e.isDirectory()) return sourceFiles(child);
    return CODE_FILE.test(e.name) ? [child] : [];
  });
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
}

export interface GitState {
  commit: string | null;
  dirty: boolean | null;
}

let cachedGit: GitState | undefined;

/** The checkout's commit and whether it has uncommitted changes (null outside a git checkout). */
export function gitState(): GitState {
  if (cachedGit !== undefined) return cachedGit;
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" });
  if (head.status !== 0) return (cachedGit = { commit: null, dirty: null });
  // Dirty means the code that computes runs differs from the commit; a sweep file does not count.
  const status = spawnSync("git", ["status", "--porcelain", "--", ...CODE_PATHS, "package-lock.json"], { cwd: repoRoot, encoding: "utf8" });
  return (cachedGit = { commit: head.stdout.trim(), dirty: status.stdout.trim() !== "" });
}
