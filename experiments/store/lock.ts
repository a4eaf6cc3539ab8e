/**
 * One process per store: the lock file names its holder (host and pid). A holder on this host
 * that no longer runs left it behind (a crash, kill -9), so it is taken over. A holder on
 * another host cannot be checked from here; that is refused unless the caller knows better, as
 * a Kubernetes Job does when it starts a replacement pod only after the failed one has ended.
 *
 * A lock naming this host and this very process's pid that this process did not take is left
 * over too: a container's first process always has pid 1, and the pods of an Indexed Job keep
 * their hostname (<job>-<index>) across retries, so a pod replacing one that was OOM-killed
 * finds the lock of "pid 1 on this host", which is itself.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { StoreError } from "./errors.ts";

interface Holder {
  host: string;
  pid: number;
  started: string;
}

/** Lock files this process has taken (and not yet released). */
const taken = new Set<string>();

export function acquireLock(path: string, steal: boolean, out: string): void {
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: "wx" });
      taken.add(resolve(path));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readHolder(path);
    const mine = holder !== undefined && holder.host === me.host && holder.pid === me.pid;
    if (holder !== undefined && holder.host === me.host && (mine ? taken.has(resolve(path)) : alive(holder.pid))) {
      throw new StoreError(`${out} is in use by another leaklab (pid ${holder.pid}, started ${holder.started}); wait for it or stop it`);
    }
    if (holder !== undefined && holder.host !== me.host && !steal) {
      throw new StoreError(`${out} is locked by leaklab on host ${holder.host} (pid ${holder.pid}, started ${holder.started}); `
        + `if that process has ended, pass --steal-lock`);
    }
    rmSync(path, { force: true });
  }
  throw new StoreError(`${out}: could not take the store's lock (${path})`);
}

export function releaseLock(path: string): void {
  const holder = readHolder(path);
  if (holder !== undefined && holder.host === hostname() && holder.pid === process.pid) rmSync(path, { force: true });
  taken.delete(resolve(path));
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
