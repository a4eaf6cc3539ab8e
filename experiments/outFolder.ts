/**
 * The output folder is checked before the first run, not after the last: it must be creatable
 * (every missing part below a folder, every name within the file system's limit), writable,
 * and a folder, not a file. Pseudo file systems (/proc, /sys, /dev) are refused outright, also
 * when a symlink leads there.
 */
import { accessSync, constants, mkdirSync, realpathSync, statfsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { InputError } from "./command.ts";

/** NAME_MAX on Linux and macOS file systems. */
const NAME_MAX = 255;
const PSEUDO = ["/proc", "/sys", "/dev"];

/**
 * statfs magic numbers of kernel pseudo file systems (linux/magic.h), wherever they are mounted
 * or reached through a symlink: proc, sysfs, cgroup, cgroup2, debugfs, tracefs, securityfs, bpf,
 * configfs, devpts, pstore. A recursive mkdir under /proc never returns.
 */
const PSEUDO_MAGIC = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0xcafe4a11, 0x62656570, 0x1cd1, 0x6165676c]);

/**
 * Checks that `out` (given as `flag`) can be created and written, without creating anything;
 * throws InputError naming what is wrong. --dry-run uses this alone.
 */
export function checkOutputFolder(out: string, flag = "--out"): void {
  if (out === "") throw new InputError(`${flag} must not be empty`);
  const abs = resolve(out);
  const long = abs.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined) throw new InputError(`${flag}: the name ${JSON.stringify(`${long.slice(0, 40)}...`)} is ${Buffer.byteLength(long)} bytes; file systems allow ${NAME_MAX}`);
  const pseudo = (p: string) => PSEUDO.some((x) => p === x || p.startsWith(`${x}/`));
  if (pseudo(abs)) throw new InputError(`${flag}: ${out} is on a pseudo file system; choose a folder on a disk`);
  let existing = abs;
  while (!exists(existing)) existing = dirname(existing);
  // Symlinks and bind mounts can lead anywhere: judge where the existing part really is.
  const real = realpathSync(existing);
  if (pseudo(real) || isPseudoFs(real)) throw new InputError(`${flag}: ${out} is on a pseudo file system (${existing} is ${real === existing ? "" : `${real}, `}a kernel file system); choose a folder on a disk`);
  if (!statSync(existing).isDirectory()) {
    throw new InputError(existing === abs ? `${flag}: ${out} is a file, not a folder` : `${flag}: ${out} cannot be created, ${existing} is a file`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${flag}: ${existing === abs ? out : existing} is not writable`);
  }
}

/** Checks `out` (given as `flag`) and creates it; throws InputError naming what is wrong. */
export function prepareOutputFolder(out: string, flag = "--out"): void {
  checkOutputFolder(out, flag);
  try {
    mkdirSync(resolve(out), { recursive: true });
  } catch (e) {
    throw new InputError(`${flag}: cannot create ${out} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

function isPseudoFs(p: string): boolean {
  try {
    return PSEUDO_MAGIC.has(Number(statfsSync(p).type));
  } catch {
    return false;
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
