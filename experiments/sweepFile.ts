/**
 * Reading a sweep file from disk: only a regular file is read (a FIFO or a device would block
 * or never end), and only up to a size no sweep needs, so a wrong path fails at once with a
 * message instead of hanging.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { SpecError } from "../sim/errors.ts";
import { parseJsonInput } from "../sim/input.ts";
import { DEFAULT_LIMITS, type SizeLimits } from "./limits.ts";
import { expandSweep, type Sweep } from "./sweep.ts";

/** Sweep files are a few kilobytes; this leaves room for generated grids. */
export const MAX_SWEEP_BYTES = 16 << 20;

export function readSweepText(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait for one.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new SpecError(file, `cannot read the sweep file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new SpecError(file, "is not a regular file; give the path of a sweep JSON file");
    if (st.size > MAX_SWEEP_BYTES) throw new SpecError(file, `is ${st.size} bytes; sweep files are limited to ${MAX_SWEEP_BYTES} bytes`);
    const buf = Buffer.alloc(st.size);
    for (let at = 0; at < st.size;) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Reads, parses (refusing deep nesting and prototype keys) and expands a sweep file within `limits`. */
export function loadSweep(file: string, limits: SizeLimits = DEFAULT_LIMITS): Sweep {
  return expandSweep(parseJsonInput(readSweepText(file), file), limits);
}
