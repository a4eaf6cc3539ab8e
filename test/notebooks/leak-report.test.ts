import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandSweep, runAt } from "../../experiments/sweep.ts";
import { runInProcess } from "../../experiments/runner.ts";
import { runSweepIntoStore } from "../../experiments/session.ts";
import { report } from "../../notebooks/leak-report.ts";

describe("leak report notebook", async () => {
  const sweep = expandSweep({
    name: "tiny",
    replications: 3,
    base: { duration: 120, cluster: { nodes: 4 }, cilium: { encryption: { strictMode: { cidr: "10.0.0.0/8" } } }, controlPlane: { operator: { outages: [{ start: 30, end: 80 }] } } },
    grid: { "cilium.encryption.strictMode.enabled": [false, true] },
  });
  const outcomes = runInProcess(sweep);
  const quiet = { resumeCommand: "", workers: 1, log: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "leaklab-report-"));
  await runSweepIntoStore(sweep, { ...quiet, out: dir });

  it("tabulates per-point means over replications from the result files", () => {
    const text = report(dir);
    const leakedOff = outcomes.filter((_, i) => runAt(sweep, i).point === 0).map((o) => o.metrics.leaked_packets);
    const mean = leakedOff.reduce((a, b) => a + b, 0) / leakedOff.length;
    const row = text.split("\n").find((l) => l.startsWith("| leaked packets |"))!;
    expect(row).toContain(Math.round(mean).toLocaleString("en-US"));
    expect(row).toMatch(/\| 0 ± 0 \|$/);
    expect(text).toContain("| enabled=false | enabled=true |");
  });

  it("includes the encryption cost columns, one value per point", () => {
    const text = report(dir);
    const expected = outcomes.find((_, i) => runAt(sweep, i).point === 0)!.metrics.throughput_overhead_pct!;
    const row = text.split("\n").find((l) => l.startsWith("| throughput lost to encryption (%) |"))!;
    expect(row).toContain(`| ${Number(expected.toPrecision(3))} |`);
    for (const label of ["| extra CPUs per Gbit/s |", "|   of which sender |", "| extra CPUs per node, node encryption |", "| TCP MSS (B) |"]) {
      expect(text).toContain(label);
    }
  });

  it("reports without windows.csv when the sweep skipped it", async () => {
    const bare = mkdtempSync(join(tmpdir(), "leaklab-report-bare-"));
    await runSweepIntoStore({ ...sweep, windows: false }, { ...quiet, out: bare });
    expect(report(bare)).toContain("No windows.csv");
  });

  it("is reproducible: the same files give the same text", () => {
    expect(report(dir)).toBe(report(dir));
  });
});
