/**
 * windows.csv built while the sweep runs: whenever the runs from the next one on are settled
 * (stored, or failed in this session), their stored rows are appended in run order, without
 * blocking the main thread (reads and writes go to libuv's pool), so copying a sweep's windows
 * overlaps its runs instead of following them. Assembly then continues from where this
 * stopped, so the file's bytes are the same as if it had been written at the end.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { WINDOW_HEADER } from "../models/windows.ts";
import { PartialFile } from "./partial.ts";
import { StoreError } from "./store/errors.ts";
import type { RunRecord } from "./store/layout.ts";
import type { RunStore } from "./store/store.ts";

const CHUNK = 4 << 20;

export interface WindowsSoFar {
  file: PartialFile;
  /** Runs before this index are in the file. */
  next: number;
}

export class WindowsAppender {
  readonly file: PartialFile;
  private next = 0;
  private chain: Promise<void> = Promise.resolve();
  /** The first append that failed (a damaged stored file); nothing is appended after it. */
  private error?: unknown;

  /** @param settled whether run i's record is final for this session */
  constructor(out: string, private readonly store: RunStore, private readonly runCount: number, private readonly settled: (i: number) => boolean) {
    this.file = new PartialFile(out, "windows.csv");
    this.file.write(WINDOW_HEADER);
  }

  /** Something settled: append whatever became contiguous. */
  poke(): void {
    this.chain = this.chain.then(() => this.advance()).catch((e: unknown) => {
      this.error ??= e;
    });
  }

  /** Waits for the appends under way; throws what one of them hit. */
  async finish(): Promise<WindowsSoFar> {
    await this.chain;
    if (this.error !== undefined) throw this.error;
    return { file: this.file, next: this.next };
  }

  /** Stops and throws the partial file away (the sweep was interrupted). */
  async abandon(): Promise<void> {
    this.error ??= new Error("abandoned");
    await this.chain;
    this.file.discard();
  }

  private async advance(): Promise<void> {
    while (this.error === undefined && this.next < this.runCount && this.settled(this.next)) {
      const r = this.store.record(this.next);
      if (r.status === "ok") await appendRows(this.store, r, this.file);
      this.next++;
    }
  }
}

/** Appends a run's stored rows, checking them against the checksum its record holds. */
export async function appendRows(store: RunStore, r: RunRecord, into: PartialFile): Promise<void> {
  if (r.windows === null) {
    throw new StoreError(`run ${r.index} has no stored windows although the sweep writes windows.csv; run the same command again to recompute it`);
  }
  const path = store.paths.windows(r.index);
  if ((await copyInto(path, into)) !== r.windows.sha256) {
    throw new StoreError(`${path} does not match its checksum (the file was damaged); remove ${store.paths.record(r.index)} and run the same command again to recompute it`);
  }
}

/** Appends a file's bytes to `into`; returns their SHA-256. */
export async function copyInto(path: string, into: PartialFile): Promise<string> {
  const hash = createHash("sha256");
  const src = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (let n; (n = (await src.read(chunk, 0, CHUNK, null)).bytesRead) > 0;) {
      const piece = chunk.subarray(0, n);
      hash.update(piece);
      await into.writeAsync(piece);
    }
  } finally {
    await src.close();
  }
  return hash.digest("hex");
}
