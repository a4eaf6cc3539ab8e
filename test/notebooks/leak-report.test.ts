import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandSweep } from "../../experiments/sweep.ts";
import { runSweep } from "../../experiments/runner.ts";
import { manifest, runsCsv, windowsCsv, writeAtomically } from "../../experiments/output.ts";
import { report } from "../../notebooks/leak-report.ts";

describe("leak report notebook", async () => {
  const sweep = expandSweep({
    name: "tiny",
    replications: 3,
    base: { duration: 120, cluster: { nodes: 4 }, cilium: { encryption: { strictMode: { cidr: "10.0.0.0/8" } } }, controlPlane: { operator: { outages: [{ start: 30, end: 80 }] } } },
    grid: { "cilium.encryption.strictMode.enabled": [false, true] },
  });
  const outcomes = await runSweep(sweep, { workers: 1 });
  const dir = mkdtempSync(join(tmpdir(), "leaklab-report-"));
  writeAtomically(dir, {
    "runs.csv": runsCsv(sweep, outcomes),
    "windows.csv": windowsCsv(sweep, outcomes),
    "manifest.json": manifest({ sweep, outcomes, workers: 1, started: new Date(0), finished: new Date(1000) }),
  });

  it("tabulates per-point means over replications from the result files", () => {
    const text = report(dir);
    const leakedOff = outcomes.filter((_, i) => sweep.runs[i].point === 0).map((o) => o.metrics.leaked_packets);
    const mean = leakedOff.reduce((a, b) => a + b, 0) / leakedOff.length;
    const row = text.split("\n").find((l) => l.startsWith("| leaked packets |"))!;
    expect(row).toContain(Math.round(mean).toLocaleString("en-US"));
    expect(row).toMatch(/\| 0 ± 0 \|$/);
    expect(text).toContain("| enabled=false | enabled=true |");
  });

  it("reports without windows.csv when the sweep skipped it", () => {
    const bare = mkdtempSync(join(tmpdir(), "leaklab-report-bare-"));
    writeAtomically(bare, { "runs.csv": runsCsv(sweep, outcomes), "manifest.json": manifest({ sweep, outcomes, workers: 1, started: new Date(0), finished: new Date(1000) }) });
    expect(report(bare)).toContain("No windows.csv");
  });

  it("is reproducible: the same files give the same text", () => {
    expect(report(dir)).toBe(report(dir));
  });
});
