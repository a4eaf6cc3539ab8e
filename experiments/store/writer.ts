/**
 * Writes one run into the store, from wherever it runs (a worker thread, as a rule): its
 * windows.csv rows stream to a temporary file in 1 MiB pieces as the traffic judge closes them,
 * so a run with a million windows holds one piece at a time; on success the rows, the trace
 * and finally the record are published; on failure the record says why. Nothing here keeps a
 * run's windows in memory.
 */
import { hostname } from "node:os";
import type { LeakWindow } from "../../models/windows.ts";
import { WindowFile, type ShareFile } from "./windowFile.ts";
import { sha256 } from "./hash.ts";
import { encodeRecord, ensureFolder, publish, writeDurably, type FileSummary, type RunRecord, type StorePaths } from "./layout.ts";


export interface RunIdentity {
  index: number;
  point: number;
  replication: number;
  seed: number;
  key: string;
}

export class RunWriter {
  private readonly windowFile?: WindowFile;

  constructor(private readonly paths: StorePaths, private readonly run: RunIdentity, withWindows: boolean) {
    ensureFolder(paths.bucket(run.index), paths.runs);
    if (withWindows) this.windowFile = new WindowFile(paths.temp(paths.windows(run.index)), run.point, run.replication);
  }

  /** Takes the rows of a run judged in shares, endpoint by endpoint in share order (see windowFile.ts). */
  absorbShares(shares: readonly ShareFile[]): void {
    this.windowFile?.absorb(shares);
  }

  /** Where the run sends its windows, or undefined when they are not kept. */
  get sink(): ((w: LeakWindow) => void) | undefined {
    return this.windowFile?.add;
  }

  /** Publishes the finished run: windows, trace, then the record that makes them count. */
  succeed(result: { metrics: Record<string, number>; events: number; fingerprint: string; trace?: Uint8Array }, wallSeconds: number): RunRecord {
    const folder = this.paths.bucket(this.run.index);
    let windows: RunRecord["windows"] = null;
    if (this.windowFile) {
      windows = this.windowFile.finish();
      // The record's publish, into the same folder, makes this rename durable too; a record that
      // lands without its windows is caught by the size check of the next scan.
      publish(this.windowFile.temp, this.paths.windows(this.run.index), folder, true);
    }
    let trace: FileSummary | null = null;
    if (result.trace) {
      writeDurably(this.paths, this.paths.trace(this.run.index), folder, result.trace, true);
      trace = { bytes: result.trace.length, sha256: sha256(result.trace) };
    }
    return this.commit({
      ...this.run, status: "ok", metrics: result.metrics, events: result.events, fingerprint: result.fingerprint,
      windows, trace, wallSeconds, host: hostname(), finished: new Date().toISOString(),
    });
  }

  /** Records that the run threw; its partial windows are thrown away. */
  fail(error: unknown, wallSeconds: number): RunRecord {
    this.windowFile?.discard();
    const e = error instanceof Error ? error : new Error(String(error));
    return this.commit({
      ...this.run, status: "failed", error: `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`, stack: e.stack,
      windows: null, trace: null, wallSeconds, host: hostname(), finished: new Date().toISOString(),
    });
  }

  private commit(record: RunRecord): RunRecord {
    writeDurably(this.paths, this.paths.record(this.run.index), this.paths.bucket(this.run.index), encodeRecord(record));
    return record;
  }
}
