/**
 * The output folder is checked before the first run, not after the last: it must be creatable
 * (every missing part below a folder, every name within the file system's limit), writable,
 * and a folder, not a file. Pseudo file systems (/proc, /sys, /dev) are refused outright.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { InputError } from "./command.ts";

/** NAME_MAX on Linux and macOS file systems. */
const NAME_MAX = 255;
const PSEUDO = ["/proc", "/sys", "/dev"];

/** Checks `out` (given as `flag`) and creates it; throws InputError naming what is wrong. */
export function prepareOutputFolder(out: string, flag = "--out"): void {
  if (out === "") throw new InputError(`${flag} must not be empty`);
  const abs = resolve(out);
  const long = abs.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined) throw new InputError(`${flag}: the name ${JSON.stringify(`${long.slice(0, 40)}...`)} is ${Buffer.byteLength(long)} bytes; file systems allow ${NAME_MAX}`);
  if (PSEUDO.some((p) => abs === p || abs.startsWith(`${p}/`))) throw new InputError(`${flag}: ${out} is on a pseudo file system; choose a folder on a disk`);
  let existing = abs;
  while (!exists(existing)) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new InputError(existing === abs ? `${flag}: ${out} is a file, not a folder` : `${flag}: ${out} cannot be created, ${existing} is a file`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${flag}: ${existing === abs ? out : existing} is not writable`);
  }
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    throw new InputError(`${flag}: cannot create ${out} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
