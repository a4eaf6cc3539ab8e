import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { compareRuns } from "../../notebooks/compare.ts";

const baseline = parse(readFileSync(new URL("../../results/baselines/operator-outage/runs.csv", import.meta.url), "utf8"), { columns: true }) as Record<string, string>[];

const scaled = (metric: string, factor: number) => baseline.map((r) => ({ ...r, [metric]: String(Number(r[metric]) * factor) }));

describe("regression tracking against the committed baseline", () => {
  it("finds no change when nothing changed", () => {
    const changes = compareRuns(baseline, baseline, 0.1);
    expect(changes.length).toBeGreaterThan(10);
    expect(changes.filter((c) => c.verdict !== "same")).toEqual([]);
  });

  it("flags a longer p99 window as worse and a shorter one as better, per grid point", () => {
    const worse = compareRuns(baseline, scaled("exposure_window_p99_s", 1.5), 0.1).filter((c) => c.verdict !== "same");
    expect(worse.map((c) => [c.metric, c.verdict])).toEqual([["exposure_window_p99_s", "worse"], ["exposure_window_p99_s", "worse"]]);
    expect(worse[0].point).toContain("cilium.encryption.strictMode.enabled=");
    // Strict mode's exposure was dropped, not leaked: its leak window is 0 and stays so.
    const leaks = compareRuns(baseline, scaled("leak_window_p99_s", 1.5), 0.1).filter((c) => c.verdict !== "same");
    expect(leaks.map((c) => [c.metric, c.point, c.verdict])).toEqual([["leak_window_p99_s", "cilium.encryption.strictMode.enabled=false", "worse"]]);
    const better = compareRuns(baseline, scaled("leaked_packets", 0.5), 0.1).filter((c) => c.verdict !== "same");
    expect(better.map((c) => c.verdict)).toEqual(["better"]);
  });

  it("ignores a shift inside the replications' noise or the tolerance", () => {
    expect(compareRuns(baseline, scaled("leaked_packets", 1.05), 0.1).filter((c) => c.verdict !== "same")).toEqual([]);
  });
});

describe("regression tracking edge cases", () => {
  it("calls a change with one replication inconclusive, and reads empty cells as missing", () => {
    const one = baseline.filter((r) => r.replication === "0");
    const changed = one.map((r) => ({ ...r, exposure_window_p99_s: String(Number(r.exposure_window_p99_s) * 2) }));
    expect(compareRuns(one, changed, 0.1).filter((c) => c.metric === "exposure_window_p99_s").map((c) => c.verdict)).toEqual(["inconclusive", "inconclusive"]);
    const empty = baseline.map((r) => ({ ...r, exposure_window_p99_s: "" }));
    expect(compareRuns(baseline, empty, 0.1).filter((c) => c.metric === "exposure_window_p99_s").map((c) => c.verdict)).toEqual(["inconclusive", "inconclusive"]);
  });

  it("matches nothing when the grid axes differ", () => {
    const renamed = baseline.map(({ ["cilium.encryption.strictMode.enabled"]: v, ...rest }) => ({ ...rest, "cilium.routingMode": v }));
    expect(compareRuns(baseline, renamed, 0.1)).toEqual([]);
  });
});
