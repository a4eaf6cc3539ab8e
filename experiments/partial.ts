/**
 * Output files that are either complete or absent: each is written as `.NAME.partial-PID-N` in
 * its folder, fsync'd and renamed over NAME. A run killed while writing leaves one partial file,
 * which no reader mistakes for an output and the next run in that folder removes.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, write, writeSync } from "node:fs";
import { promisify } from "node:util";
import { join } from "node:path";
import { fsyncPath } from "./store/layout.ts";

const PARTIAL = /^\..+\.partial-\d+-\d+$/;
const writeAsync = promisify(write);
let counter = 0;

export class PartialFile {
  private readonly fd: number;
  /** Where the file is while it is being written. */
  readonly temp: string;

  constructor(private readonly folder: string, private readonly name: string) {
    this.temp = join(folder, `.${name}.partial-${process.pid}-${counter++}`);
    this.fd = openSync(this.temp, "w");
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
  }

  /** Appends without blocking the thread (the write runs on libuv's pool); await before the next write. */
  async writeAsync(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length;) at += (await writeAsync(this.fd, bytes, at, bytes.length - at, null)).bytesWritten;
  }

  /** Makes the file complete under its real name. */
  publish(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.temp, join(this.folder, this.name));
    fsyncPath(this.folder);
  }

  discard(): void {
    closeSync(this.fd);
    rmSync(this.temp, { force: true });
  }
}

/** Removes partial files an interrupted run left in `folder`. */
export function removePartials(folder: string): void {
  for (const f of readdirSync(folder)) if (PARTIAL.test(f)) rmSync(join(folder, f), { force: true });
}
