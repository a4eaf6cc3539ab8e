/**
 * The run store as the main process sees it: opening it checks that it belongs to this sweep,
 * this code and this shard, takes the lock, empties tmp/ and scans what finished; afterwards
 * it answers which runs are done and reads their records back in run order. Its memory is one
 * byte per run, whatever the runs produced.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describeChange } from "./diff.ts";
import { StoreError } from "./errors.ts";
import { acquireLock, releaseLock } from "./lock.ts";
import { decodeRecord, ensureFolder, STORE_FORMAT, StorePaths, writeDurably, type RunRecord, type Shard, type StoreHeader } from "./layout.ts";


export { StoreError };

const OK = 1;
const FAILED = 2;
const HAS_WINDOWS = 4;
const HAS_TRACE = 8;

export interface OpenOptions {
  /** Discard whatever the folder's store holds. */
  restart?: boolean;
  /** Take over a lock left by a process on another host (a retried Kubernetes pod). */
  stealLock?: boolean;
  /** Which runs may be in the store (a shard's share), for rejecting strays. */
  owns?: (index: number) => boolean;
}

export interface ScanReport {
  ok: number;
  failed: number;
  /** Records or side files that were damaged, stray or orphaned, and were removed. */
  removed: number;
}

export class RunStore {
  private readonly state: Uint8Array;
  readonly scan: ScanReport = { ok: 0, failed: 0, removed: 0 };

  private constructor(readonly paths: StorePaths, readonly header: StoreHeader) {
    this.state = new Uint8Array(header.runCount);
  }

  /** Opens (or creates) the store of `out` for `header`'s sweep, locked for this process. */
  static open(out: string, header: StoreHeader, opts: OpenOptions = {}): RunStore {
    const paths = new StorePaths(out);
    if (opts.restart) rmSync(paths.store, { recursive: true, force: true });
    const existing = readHeader(paths);
    if (existing !== undefined) checkCompatible(existing, header, out);
    ensureFolder(out, join(out, ".."));
    ensureFolder(paths.store, out);
    acquireLock(paths.lock, opts.stealLock ?? false, out);
    try {
      for (const d of [paths.tmp, paths.runs, paths.sessions]) ensureFolder(d, paths.store);
      for (const f of readdirSync(paths.tmp)) rmSync(join(paths.tmp, f), { recursive: true, force: true });
      if (existing === undefined) writeDurably(paths, paths.header, paths.store, `${JSON.stringify(header, null, 2)}\n`);
      const store = new RunStore(paths, header);
      store.scanRuns(opts.owns ?? (() => true));
      return store;
    } catch (e) {
      releaseLock(paths.lock);
      throw e;
    }
  }

  /** Opens a finished (or partly finished) store read-only, for merging; no lock, no cleaning. */
  static read(out: string): RunStore {
    const paths = new StorePaths(out);
    const header = readHeader(paths);
    if (header === undefined) throw new StoreError(`${out}: no run store here (expected ${paths.header})`);
    if (header.format !== STORE_FORMAT) throw new StoreError(`${out}: store format ${header.format}, this leaklab reads format ${STORE_FORMAT}`);
    const store = new RunStore(paths, header);
    store.scanRuns(() => true, false);
    return store;
  }

  close(): void {
    releaseLock(this.paths.lock);
  }

  isOk(i: number): boolean {
    return (this.state[i] & OK) !== 0;
  }

  isFailed(i: number): boolean {
    return (this.state[i] & FAILED) !== 0;
  }

  hasWindows(i: number): boolean {
    return (this.state[i] & HAS_WINDOWS) !== 0;
  }

  hasTrace(i: number): boolean {
    return (this.state[i] & HAS_TRACE) !== 0;
  }

  /** Whether run i is finished with everything this invocation needs. */
  satisfies(i: number, windows: boolean, trace: boolean): boolean {
    return this.isOk(i) && (!windows || this.hasWindows(i)) && (!trace || this.hasTrace(i));
  }

  /** Notes a run a worker has just published. */
  noteRecord(r: RunRecord): void {
    this.state[r.index] = stateOf(r);
  }

  /** Run i's record, read back from disk. */
  record(i: number): RunRecord {
    const r = decodeRecord(readFileSync(this.paths.record(i), "utf8"));
    if (r === undefined) throw new StoreError(`${this.paths.record(i)} is damaged; run the same command again to recompute it`);
    return r;
  }

  /** Records what one invocation did, for the manifest. */
  writeSession(session: Record<string, unknown>): void {
    const name = `${String(session.started).replaceAll(":", "-")}-${hostname()}-${process.pid}.json`;
    writeDurably(this.paths, join(this.paths.sessions, name), this.paths.sessions, `${JSON.stringify(session, null, 2)}\n`);
  }

  sessions(): Record<string, unknown>[] {
    return readdirSync(this.paths.sessions).filter((f) => f.endsWith(".json")).sort()
      .map((f) => JSON.parse(readFileSync(join(this.paths.sessions, f), "utf8")) as Record<string, unknown>);
  }

  /**
   * Reads every record once and keeps what is whole: a record with a good checksum, for a run
   * of this sweep (and shard) and code, whose windows and trace files have the sizes it says.
   * Anything else is removed (when `clean`), and so are side files no record accounts for.
   */
  private scanRuns(owns: (i: number) => boolean, clean = true): void {
    const drop = (path: string): void => {
      this.scan.removed++;
      if (clean) rmSync(path, { force: true });
    };
    for (const bucket of readdirSync(this.paths.runs).sort()) {
      const folder = join(this.paths.runs, bucket);
      const files = readdirSync(folder);
      const accounted = new Set<string>();
      for (const f of files) {
        const m = /^(\d+)\.json$/.exec(f);
        if (m === null) continue;
        const r = decodeRecord(readFileSync(join(folder, f), "utf8"));
        const i = Number(m[1]);
        if (r === undefined || r.index !== i || i >= this.header.runCount || !owns(i) || !this.whole(r)) {
          drop(join(folder, f));
          continue;
        }
        this.state[i] = stateOf(r);
        if (r.windows) accounted.add(`${i}.windows.csv`);
        if (r.trace) accounted.add(`${i}.trace.msgpack`);
        if (r.status === "ok") this.scan.ok++;
        else this.scan.failed++;
      }
      for (const f of files) if (/^\d+\.(windows\.csv|trace\.msgpack)$/.test(f) && !accounted.has(f)) drop(join(folder, f));
    }
  }

  private whole(r: RunRecord): boolean {
    const size = (p: string): number => (existsSync(p) ? statSync(p).size : -1);
    return r.key.length > 0
      && (r.windows === null || size(this.paths.windows(r.index)) === r.windows.bytes)
      && (r.trace === null || size(this.paths.trace(r.index)) === r.trace.bytes);
  }
}

function stateOf(r: RunRecord): number {
  if (r.status !== "ok") return FAILED;
  return OK | (r.windows ? HAS_WINDOWS : 0) | (r.trace ? HAS_TRACE : 0);
}

function readHeader(paths: StorePaths): StoreHeader | undefined {
  if (!existsSync(paths.header)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.header, "utf8")) as StoreHeader;
  } catch {
    throw new StoreError(`${paths.header} is damaged; start over with --restart or choose another --out`);
  }
}

/** Refuses a store that holds another sweep, other code or another shard, saying which. */
function checkCompatible(old: StoreHeader, now: StoreHeader, out: string): void {
  const remedy = `Run with --restart to discard the stored runs, or give another --out.`;
  if (old.format !== STORE_FORMAT) throw new StoreError(`${out} holds a run store of format ${old.format}; this leaklab writes format ${STORE_FORMAT}. ${remedy}`);
  if (old.sweepKey !== now.sweepKey) {
    throw new StoreError(`${out} holds runs of a different sweep: ${describeChange(old.sweep, now.sweep)}. ${remedy}`);
  }
  if (old.codeKey !== now.codeKey) {
    const commit = (h: StoreHeader) => `${h.git.commit?.slice(0, 12) ?? "no commit"}${h.git.dirty ? " with uncommitted changes" : ""}`;
    throw new StoreError(`${out} holds runs computed by other code (source hash ${old.codeKey.slice(0, 12)}, ${commit(old)}; `
      + `this is ${now.codeKey.slice(0, 12)}, ${commit(now)}), which could give other results. ${remedy}`);
  }
  const shard = (s: Shard | null) => (s === null ? "the whole sweep" : `shard ${s.index}/${s.count}`);
  if (shard(old.shard) !== shard(now.shard)) throw new StoreError(`${out} holds ${shard(old.shard)}, not ${shard(now.shard)}. ${remedy}`);
}
