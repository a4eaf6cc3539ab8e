import { describe, expect, it } from "vitest";
import { assignShards, parseShard } from "../../experiments/shards.ts";
import { expandSweep } from "../../experiments/sweep.ts";

const sweep = expandSweep({ name: "s", replications: 5, base: { duration: 10 }, grid: { "cluster.nodes": [2, 3, 4, 5, 6, 7, 8] } });

describe("shards", () => {
  it("put every run in exactly one shard, the same way every time", () => {
    const costs = sweep.points.map((p) => (p.index + 1) ** 2);
    const a = assignShards(sweep, costs, 4);
    expect(a).toEqual(assignShards(sweep, costs, 4));
    expect(a.length).toBe(35);
    expect(new Set(a)).toEqual(new Set([0, 1, 2, 3]));
  });

  it("balance the expected work: no shard more than the heaviest run above the mean", () => {
    const costs = sweep.points.map((p) => (p.index + 1) ** 2);
    const a = assignShards(sweep, costs, 4);
    const load = [0, 0, 0, 0];
    a.forEach((s, i) => (load[s] += costs[Math.floor(i / 5)]));
    const mean = load.reduce((x, y) => x + y) / 4;
    expect(Math.max(...load) - mean).toBeLessThanOrEqual(Math.max(...costs));
    expect(Math.max(...load) / Math.min(...load)).toBeLessThan(1.1);
  });

  it("parse I/N counting from 0, as JOB_COMPLETION_INDEX does", () => {
    expect(parseShard("0/3", "--shard")).toEqual({ index: 0, count: 3 });
    expect(parseShard("2/3", "--shard")).toEqual({ index: 2, count: 3 });
    for (const bad of ["3/3", "1", "a/b", "-1/3", "1/0", "01/3", " 1/3"]) expect(() => parseShard(bad, "--shard")).toThrow(/--shard must be I\/N with 0 <= I < N/);
  });
});
