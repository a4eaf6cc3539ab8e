/**
 * One process per store: the lock file names its holder (host and pid). A holder on this host
 * that no longer runs left it behind (a crash, kill -9), so it is taken over. A holder on
 * another host cannot be checked from here; that is refused unless the caller knows better, as
 * a Kubernetes Job does when it starts a replacement pod only after the failed one has ended.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { StoreError } from "./errors.ts";

interface Holder {
  host: string;
  pid: number;
  started: string;
}

export function acquireLock(path: string, steal: boolean, out: string): void {
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: "wx" });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readHolder(path);
    if (holder !== undefined && holder.host === me.host && alive(holder.pid)) {
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
