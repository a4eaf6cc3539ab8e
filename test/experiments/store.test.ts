import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { RunStore, StoreError } from "../../experiments/store/store.ts";
import { encodeRecord, StorePaths, type RunRecord, type StoreHeader } from "../../experiments/store/layout.ts";
import { RunWriter } from "../../experiments/store/writer.ts";
import { describeChange } from "../../experiments/store/diff.ts";
import type { LeakWindow } from "../../models/windows.ts";

const header = (over: Partial<StoreHeader> = {}): StoreHeader => ({
  format: 1, name: "t", sweepKey: "s1", codeKey: "c1", runCount: 6, shard: null, leaklab: "0", git: { commit: null, dirty: null },
  sweep: { name: "t", replications: 3 }, ...over,
});

const window = (i: number): LeakWindow => ({
  endpoint: i, endpointIp: 0x0a000001 + i, endpointNode: 1, observerNode: 2, opened: 1.5, closed: 2.25 + i, leaked: 0.75 + i, packets: 3, bytes: 4200,
  outcome: "leaked", cause: "propagation", censored: false,
});

/** Stores run `index` with `rows` windows, as a worker would. */
function storeRun(out: string, index: number, rows = 3, trace?: Uint8Array): RunRecord {
  const w = new RunWriter(new StorePaths(out), { index, point: Math.floor(index / 3), replication: index % 3, seed: 7, key: `k${index}` }, true);
  for (let i = 0; i < rows; i++) w.sink!(window(i));
  return w.succeed({ metrics: { a: index }, events: 10, fingerprint: "f", trace }, 0.1);
}

function fresh(): string {
  return mkdtempSync(join(tmpdir(), "leaklab-store-"));
}

describe("run store", () => {
  it("keeps what workers published and reads it back", () => {
    const out = fresh();
    RunStore.open(out, header()).close();
    const r = storeRun(out, 4, 5, new Uint8Array([1, 2, 3]));
    expect(r.windows).toMatchObject({ rows: 5 });
    const store = RunStore.open(out, header());
    expect([0, 1, 2, 3, 4, 5].map((i) => store.isOk(i))).toEqual([false, false, false, false, true, false]);
    expect(store.satisfies(4, true, true)).toBe(true);
    expect(store.record(4).metrics).toEqual({ a: 4 });
    expect(readFileSync(store.paths.windows(4), "utf8").split("\n")).toHaveLength(6);
    store.close();
  });

  it("empties tmp/ and drops damaged records, strays and orphaned side files when opened", () => {
    const out = fresh();
    RunStore.open(out, header()).close();
    storeRun(out, 0);
    storeRun(out, 1);
    storeRun(out, 2);
    const paths = new StorePaths(out);
    writeFileSync(join(paths.tmp, "0.windows.csv.123.0"), "half a row");
    // Damaged: a record cut short; truncated: its windows file shorter than the record says.
    const text = readFileSync(paths.record(0), "utf8");
    writeFileSync(paths.record(0), text.slice(0, text.length / 2));
    writeFileSync(paths.windows(1), "short\n");
    // Orphaned: windows of a run whose record never landed.
    writeFileSync(paths.windows(5), "1,2,3\n");
    const store = RunStore.open(out, header());
    expect(readdirSync(paths.tmp)).toEqual([]);
    expect([store.isOk(0), store.isOk(1), store.isOk(2), store.isOk(5)]).toEqual([false, false, true, false]);
    // Two records (damaged, truncated) and three side files (theirs and the orphan).
    expect(store.scan.removed).toBe(5);
    expect(existsSync(paths.windows(5))).toBe(false);
    store.close();
  });

  it("rejects a record whose checksum does not match", () => {
    const out = fresh();
    RunStore.open(out, header()).close();
    const r = storeRun(out, 3);
    const paths = new StorePaths(out);
    writeFileSync(paths.record(3), encodeRecord(r).replace('"a":3', '"a":4'));
    const store = RunStore.open(out, header());
    expect(store.isOk(3)).toBe(false);
    store.close();
  });

  it("refuses another sweep, other code or another shard, saying which", () => {
    const out = fresh();
    RunStore.open(out, header()).close();
    expect(() => RunStore.open(out, header({ sweepKey: "s2", sweep: { name: "t", replications: 4 } }))).toThrow(/different sweep: replications changed from 3 to 4/);
    expect(() => RunStore.open(out, header({ codeKey: "c2" }))).toThrow(/computed by other code/);
    expect(() => RunStore.open(out, header({ shard: { index: 1, count: 2 } }))).toThrow(/holds the whole sweep, not shard 1\/2/);
    expect(() => RunStore.open(out, header({ codeKey: "c2" }))).toThrow(StoreError);
    RunStore.open(out, header({ codeKey: "c2" }), { restart: true }).close();
  });

  it("drops runs outside the store's shard", () => {
    const out = fresh();
    RunStore.open(out, header()).close();
    storeRun(out, 1);
    storeRun(out, 2);
    const store = RunStore.open(out, header(), { owns: (i) => i % 2 === 0 });
    expect([store.isOk(1), store.isOk(2)]).toEqual([false, true]);
    store.close();
  });

  it("is locked against a live process, taken over from a dead one, and guarded across hosts", () => {
    const out = fresh();
    const store = RunStore.open(out, header());
    const paths = new StorePaths(out);
    const mine = readFileSync(paths.lock, "utf8");
    // This process holds it: a second opener (another pid on this host) sees it alive.
    writeFileSync(paths.lock, JSON.stringify({ host: hostname(), pid: process.ppid, started: "then" }));
    expect(() => RunStore.open(out, header())).toThrow(/in use by another leaklab \(pid/);
    writeFileSync(paths.lock, JSON.stringify({ host: hostname(), pid: 2 ** 22 + 12345, started: "then" }));
    RunStore.open(out, header()).close();
    writeFileSync(paths.lock, JSON.stringify({ host: "pod-a", pid: 1, started: "then" }));
    expect(() => RunStore.open(out, header())).toThrow(/locked by leaklab on host pod-a .* pass --steal-lock/);
    RunStore.open(out, header(), { stealLock: true }).close();
    expect(existsSync(paths.lock)).toBe(false);
    expect(mine).toContain(String(process.pid));
    store.close();
  });
});

describe("describing a changed sweep", () => {
  it("names the changed, added and removed paths, a few at a time", () => {
    expect(describeChange({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: true })).toBe("b.c changed from [1,2] to [1,3]; d was added (true)");
    expect(describeChange({ a: 1, b: 2, c: 3, d: 4, e: 5 }, {})).toMatch(/^a was removed \(was 1\); .* and 1 more$/);
    expect(describeChange({ a: 1 }, { a: 1 })).toContain("defaults changed");
  });
});

describe("a store folder that cannot be made", () => {
  it("is an error before anything is written", () => {
    const out = fresh();
    writeFileSync(join(out, "file"), "");
    expect(() => RunStore.open(join(out, "file"), header())).toThrow();
    mkdirSync(join(out, "ok"));
    RunStore.open(join(out, "ok"), header()).close();
  });
});
