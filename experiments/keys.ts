/**
 * What a stored result depends on, as hashes. A finished run may be reused only if recomputing
 * it would give the same bytes: the same scenario, seed and replication (the run key) computed
 * by the same code (the code key). The code key hashes the sources that compute runs and the
 * lock file of the dependencies, so it holds for a dirty tree and for a container image without
 * git alike; the git commit is kept beside it for people.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

/** Folders whose sources compute runs; benchmarks are left out, they compute no results. */
const CODE_DIRS = ["sim", "models", "experiments"];
const CODE_FILE = /\.(ts|mts|mjs|js)$/;

let cachedCodeKey: string | undefined;

/** Hash of leaklab's version, the sources that compute results, and the dependency lock file. */
export function codeKey(): string {
  if (cachedCodeKey !== undefined) return cachedCodeKey;
  const h = createHash("sha256");
  const files = CODE_DIRS.flatMap((d) => sourceFiles(join(repoRoot, d))).sort();
  for (const f of [...files, join(repoRoot, "package.json"), join(repoRoot, "package-lock.json")]) {
    h.update(`${relative(repoRoot, f)}\0`).update(readFileSync(f)).update("\0");
  }
  cachedCodeKey = h.digest("hex");
  return cachedCodeKey;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "bench" ? [] : sourceFiles(path);
    return CODE_FILE.test(e.name) ? [path] : [];
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
  // Dirty means the code differs from the commit; a new sweep file or a result does not count.
  const code = ["sim", "models", ":(glob)experiments/**/*.ts", ":(glob)experiments/**/*.mjs", "package.json", "package-lock.json"];
  const status = spawnSync("git", ["status", "--porcelain", "--", ...code], { cwd: repoRoot, encoding: "utf8" });
  return (cachedGit = { commit: head.stdout.trim(), dirty: status.stdout.trim() !== "" });
}
