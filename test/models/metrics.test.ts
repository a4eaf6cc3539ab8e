import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { METRICS, metricRow, TRACKED_METRICS } from "../../models/metrics.ts";
import { README_FILE, readmeWithMetrics } from "../../experiments/metricsDoc.ts";

describe("metric catalogue", () => {
  it("declares each metric once", () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
  });

  it("builds a run's row in catalogue order and refuses undeclared, doubled or missing metrics", () => {
    const all = Object.fromEntries(METRICS.map((m, i) => [m.name, i]));
    const [first, ...rest] = METRICS.map((m) => m.name);
    const row = metricRow(Object.fromEntries(rest.map((n) => [n, all[n]])), { [first]: 0 });
    expect(Object.keys(row)).toEqual(METRICS.map((m) => m.name));
    expect(() => metricRow(all, { bogus_packets: 1 })).toThrow("metric bogus_packets is not declared in models/metrics.ts");
    expect(() => metricRow(all, { leaked_packets: 1 })).toThrow("metric leaked_packets is produced twice");
    const { leaked_packets: _, ...withoutLeaked } = all;
    expect(() => metricRow(withoutLeaked)).toThrow("metric leaked_packets was not produced by the run");
  });

  it("tracks only metrics where higher is worse", () => {
    expect(TRACKED_METRICS).toContain("leak_window_p99_s");
    for (const name of TRACKED_METRICS) expect(METRICS.find((m) => m.name === name)?.worse).toBe("higher");
  });

  it("is the README's runs.csv column table (npm run schema regenerates it)", () => {
    const readme = readFileSync(README_FILE, "utf8");
    expect(readme).toBe(readmeWithMetrics(readme));
  });
});

describe("the catalogue's readers", () => {
  it("compare tracks exactly the catalogue's tracked metrics", async () => {
    const { TRACKED } = await import("../../notebooks/compare.ts");
    expect([...TRACKED]).toEqual([...TRACKED_METRICS]);
    expect(TRACKED_METRICS).toEqual(["leak_windows", "leak_window_p50_s", "leak_window_p90_s", "leak_window_p99_s", "leak_window_max_s",
      "exposure_windows", "exposure_window_p50_s", "exposure_window_p90_s", "exposure_window_p99_s", "exposure_window_max_s",
      "leaked_packets", "false_dropped_packets", "wg_dropped_packets", "misdelivered_packets"]);
  });
});
