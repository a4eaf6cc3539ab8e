/**
 * The store's lock: who may take over a lock file another process left.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock, releaseLock } from "../../experiments/store/lock.ts";

function lockFile(holder: { host: string; pid: number }): string {
  const path = join(mkdtempSync(join(tmpdir(), "leaklab-lock-")), "lock");
  writeFileSync(path, JSON.stringify({ ...holder, started: "2024-01-01T00:00:00.000Z" }));
  return path;
}

describe("store lock", () => {
  it("refuses a lock held by a live process on this host", () => {
    const path = lockFile({ host: hostname(), pid: process.ppid });
    expect(() => acquireLock(path, true, "OUT")).toThrow(/OUT is in use by another leaklab \(pid \d+/);
  });

  it("takes over a lock naming its own pid that it did not take (a retried pod: same hostname, pid 1 again)", () => {
    const path = lockFile({ host: hostname(), pid: process.pid });
    acquireLock(path, false, "OUT");
    expect(JSON.parse(readFileSync(path, "utf8")).started).not.toBe("2024-01-01T00:00:00.000Z");
    // Taken now by this process: a second open is refused until it is released.
    expect(() => acquireLock(path, false, "OUT")).toThrow(/in use/);
    releaseLock(path);
    acquireLock(path, false, "OUT");
    releaseLock(path);
  });

  it("takes over a lock from another host only with --steal-lock", () => {
    const path = lockFile({ host: "other-host", pid: 1 });
    expect(() => acquireLock(path, false, "OUT")).toThrow(/locked by leaklab on host other-host .*pass --steal-lock/);
    acquireLock(path, true, "OUT");
    expect(JSON.parse(readFileSync(path, "utf8")).host).toBe(hostname());
    releaseLock(path);
  });
});
