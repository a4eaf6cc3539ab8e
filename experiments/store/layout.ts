/**
 * The run store on disk, under <out>/store/:
 *
 *   header.json                 which sweep, which code, which shard (written once)
 *   lock                        the process using the store (host, pid)
 *   tmp/                        files being written; emptied whenever the store is opened
 *   runs/<bucket>/<i>.json      run i's record: metrics, or the error it failed with; written last
 *   runs/<bucket>/<i>.windows.csv   its windows.csv rows (no header)
 *   runs/<bucket>/<i>.trace.msgpack its event trace (--trace)
 *   sessions/<start>-<pid>.json one file per invocation that worked on the store
 *
 * Every file reaches its final name by the same route: written under tmp/, fsync'd, renamed,
 * and the folder fsync'd. A run's record is renamed into place after its windows and trace, so
 * a record on disk means the whole run is on disk; a crash leaves at most files in tmp/ (removed
 * at the next open) and side files without a record (removed by the scan).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "./hash.ts";

export const STORE_FORMAT = 1;

export interface Shard {
  /** 0-based, as Kubernetes numbers Indexed Job completions. */
  index: number;
  count: number;
}

export interface StoreHeader {
  format: number;
  name: string;
  sweepKey: string;
  codeKey: string;
  runCount: number;
  shard: Shard | null;
  leaklab: string;
  git: { commit: string | null; dirty: boolean | null };
  /** The sweep file as given, to say what changed when another one is run here. */
  sweep: unknown;
}

export interface FileSummary {
  bytes: number;
  sha256: string;
}

export interface RunRecord {
  index: number;
  point: number;
  replication: number;
  seed: number;
  /** Run key (keys.ts): reused only while it matches. */
  key: string;
  status: "ok" | "failed";
  metrics?: Record<string, number>;
  events?: number;
  fingerprint?: string;
  error?: string;
  stack?: string;
  windows: (FileSummary & { rows: number }) | null;
  trace: FileSummary | null;
  /** Provenance for the manifest only; never in a CSV. */
  wallSeconds: number;
  host: string;
  finished: string;
}

/** Runs per folder under runs/, so that no folder grows past a few thousand entries. */
const BUCKET = 1000;

export class StorePaths {
  readonly store: string;
  readonly header: string;
  readonly lock: string;
  readonly tmp: string;
  readonly runs: string;
  readonly sessions: string;

  constructor(readonly out: string) {
    this.store = join(out, "store");
    this.header = join(this.store, "header.json");
    this.lock = join(this.store, "lock");
    this.tmp = join(this.store, "tmp");
    this.runs = join(this.store, "runs");
    this.sessions = join(this.store, "sessions");
  }

  bucket(index: number): string {
    return join(this.runs, String(Math.floor(index / BUCKET)).padStart(6, "0"));
  }

  record(index: number): string {
    return join(this.bucket(index), `${index}.json`);
  }

  windows(index: number): string {
    return join(this.bucket(index), `${index}.windows.csv`);
  }

  trace(index: number): string {
    return join(this.bucket(index), `${index}.trace.msgpack`);
  }

  /** A fresh name under tmp/ for a file on its way to `final`. */
  temp(final: string): string {
    return join(this.tmp, `${final.slice(this.store.length + 1).replaceAll("/", "_")}.${process.pid}.${tempCounter++}`);
  }
}

let tempCounter = 0;

export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Renames a complete, fsync'd temporary file into place and, unless told it will be done by a
 * later publish into the same folder, makes the rename durable (a folder's fsync persists every
 * entry changed in it so far).
 */
export function publish(temp: string, final: string, folder: string, durableLater = false): void {
  renameSync(temp, final);
  if (!durableLater) fsyncPath(folder);
}

/** Writes `data` to `final` through a temporary file, durably (see publish for `durableLater`). */
export function writeDurably(paths: StorePaths, final: string, folder: string, data: string | Uint8Array, durableLater = false): void {
  const temp = paths.temp(final);
  const fd = openSync(temp, "w");
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  publish(temp, final, folder, durableLater);
}

/** Creates a folder (and its parents) and makes the new entry durable in its parent. */
export function ensureFolder(path: string, parent: string): void {
  if (mkdirSync(path, { recursive: true }) !== undefined) fsyncPath(parent);
}

/** A record as stored: its JSON with a checksum, so a damaged file is recognised, never trusted. */
export function encodeRecord(r: RunRecord): string {
  const body = JSON.stringify(r);
  return `${JSON.stringify({ sha256: sha256(body), record: r })}\n`;
}

export function decodeRecord(text: string): RunRecord | undefined {
  try {
    const parsed = JSON.parse(text) as { sha256?: string; record?: RunRecord };
    if (parsed.record === undefined || parsed.sha256 !== sha256(JSON.stringify(parsed.record))) return undefined;
    return parsed.record;
  } catch {
    return undefined;
  }
}
