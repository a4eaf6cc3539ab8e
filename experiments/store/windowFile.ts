/**
 * A run's windows.csv rows on their way to the store: streamed to a temporary file in 1 MiB
 * pieces as the traffic judge closes windows, hashed on the way. A share of a run judged in
 * threads writes its own file and notes where each pod's rows end; the share that finishes the
 * run then takes every share's rows pod by pod, in share order, which is the order one thread
 * judging everything writes them in (pods in turn, senders ascending within each).
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { MAX_ROW_BYTES, writeWindowRow, type LeakWindow } from "../../models/windows.ts";
import type { FileSummary } from "./layout.ts";

const PIECE = 1 << 20;

/** A share's rows: its file, and (endpoint, end offset) pairs in endpoint order. */
export interface ShareFile {
  path: string;
  ends: number[];
  rows: number;
}

/** Streams windows.csv rows to a temporary file, hashing them on the way. */
export class WindowFile {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private readonly piece = Buffer.allocUnsafe(PIECE + MAX_ROW_BYTES);
  private at = 0;
  rows = 0;
  bytes = 0;
  /** With `track`: (endpoint, byte offset where its rows end) for every endpoint with rows. */
  readonly ends: number[] = [];

  constructor(readonly temp: string, private readonly point: number, private readonly replication: number, private readonly track = false) {
    this.fd = openSync(temp, "w");
  }

  /** The window sink handed to the run (an arrow, so it can be passed as is). */
  readonly add = (w: LeakWindow): void => {
    if (this.track) this.noteEndpoint(w.endpoint);
    this.at = writeWindowRow(this.piece, this.at, this.point, this.replication, w);
    this.rows++;
    if (this.at >= PIECE) this.flush();
  };

  private noteEndpoint(endpoint: number): void {
    const e = this.ends;
    if (e.length > 0 && e[e.length - 2] === endpoint) return;
    if (e.length > 0) e[e.length - 1] = this.bytes + this.at;
    e.push(endpoint, -1);
  }

  /** Takes the shares' rows pod by pod: for each endpoint in order, every share's rows for it, in share order. */
  absorb(shares: readonly ShareFile[]): void {
    const fds = shares.map((s) => openSync(s.path, "r"));
    const pos = shares.map(() => 0);
    const next = shares.map(() => 0);
    try {
      for (;;) {
        let endpoint = Infinity;
        shares.forEach((s, k) => {
          if (next[k] < s.ends.length) endpoint = Math.min(endpoint, s.ends[next[k]]);
        });
        if (endpoint === Infinity) break;
        shares.forEach((s, k) => {
          if (next[k] >= s.ends.length || s.ends[next[k]] !== endpoint) return;
          const end = s.ends[next[k] + 1];
          this.copyRange(fds[k], pos[k], end);
          pos[k] = end;
          next[k] += 2;
        });
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
    this.rows += shares.reduce((n, s) => n + s.rows, 0);
  }

  private copyRange(fd: number, from: number, to: number): void {
    for (let at = from; at < to;) {
      if (this.at >= PIECE) this.flush();
      const n = readSync(fd, this.piece, this.at, Math.min(to - at, PIECE + MAX_ROW_BYTES - this.at), at);
      if (n === 0) throw new Error(`a share's windows file ended at ${at} of ${to} bytes`);
      this.at += n;
      at += n;
    }
  }

  private flush(): void {
    const piece = this.piece.subarray(0, this.at);
    this.at = 0;
    this.hash.update(piece);
    this.bytes += piece.length;
    for (let at = 0; at < piece.length;) at += writeSync(this.fd, piece, at);
  }

  /** A share's file for the share that finishes the run: flushed and closed, with its index. */
  close(): ShareFile {
    if (this.track && this.ends.length > 0) this.ends[this.ends.length - 1] = this.bytes + this.at;
    this.flush();
    closeSync(this.fd);
    return { path: this.temp, ends: this.ends, rows: this.rows };
  }

  /** Flushes, fsyncs and closes; returns what the record says about the file. */
  finish(): FileSummary & { rows: number } {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    return { rows: this.rows, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
    rmSync(this.temp, { force: true });
  }
}

