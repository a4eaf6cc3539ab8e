import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { expandSweep } from "../../experiments/sweep.ts";
import { runSweepIntoStore } from "../../experiments/session.ts";
import { buildReport, writeReport } from "../../notebooks/leak-report.ts";
import type { RecipeFactory } from "../../notebooks/lib/recipe.ts";
import { RECIPES } from "../../notebooks/recipes/index.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const quiet = { resumeCommand: "", workers: 1, log: () => undefined };
const scratch = (name: string) => mkdtempSync(join(tmpdir(), `leaklab-report-${name}-`));

describe("leak report", async () => {
  const sweep = expandSweep({
    name: "tiny",
    replications: 3,
    base: {
      duration: 120, cluster: { nodes: 4 }, cilium: { version: "pr21856", routingMode: "native", ipam: { mode: "cluster-pool" }, enableCiliumEndpointSlice: true, encryption: { strictMode: { cidr: "10.0.0.0/8" } } },
      controlPlane: { operator: { outages: [{ start: 30, end: 80 }] } },
    },
    grid: { "cilium.encryption.strictMode.enabled": [false, true] },
  });
  const dir = scratch("tiny");
  await runSweepIntoStore(sweep, { ...quiet, out: dir });
  const runs = parse(readFileSync(join(dir, "runs.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  const report = await buildReport(dir);

  it("has a row per point with the swept parameter under its full name and metrics with intervals", () => {
    const all = report.markdown.split("\n");
    const header = "| point | cilium.encryption.strictMode.enabled | leaked_packets | strict_dropped_packets | false_dropped_packets "
      + "| wg_dropped_packets | misdelivered_packets | host_plaintext_packets | encrypted_packets |";
    expect(all).toContain(header);
    const lines = all.slice(all.indexOf(header));
    const leaked = runs.filter((r) => r.point === "0").map((r) => Number(r.leaked_packets));
    const mean = Math.round(leaked.reduce((a, b) => a + b, 0) / leaked.length);
    const row = lines.find((l) => l.startsWith("| 0 | false | "))!;
    expect(row).toContain(`| ${mean.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")} ± `);
    expect(mean).toBeGreaterThan(0);
    expect(lines.find((l) => l.startsWith("| 1 | true | "))).toMatch(/^\| 1 \| true \| 0 ± 0 \| [1-9]/);
  });

  it("draws the four chart families and writes each spec with its data inline", () => {
    expect(report.charts.map((c) => c.id)).toEqual([
      "window-ecdf", "leak-p99-vs-cilium.encryption.strictMode.enabled", "exposure-p99-vs-cilium.encryption.strictMode.enabled", "leaked-packets-vs-cilium.encryption.strictMode.enabled", "verdict-mix",
    ]);
    for (const c of report.charts) {
      const spec = JSON.parse(c.spec);
      expect(spec.$schema).toMatch(/vega-lite\/v6/);
      expect(spec.data.values.length).toBeGreaterThan(0);
      expect(c.svg).toMatch(/^<svg /);
      expect(report.html).toContain(c.svg.trimEnd());
    }
  });

  it("says which metrics it did not draw because they are 0 everywhere", () => {
    expect(report.markdown).toContain("- Not drawn against the parameters, being 0 at every point: `false_dropped_packets`.");
  });

  it("is self-contained: no script, no external resource", () => {
    expect(report.html).not.toMatch(/<script|<link|<img|src=|@import|url\((?!#)|href="(?!charts\/|#)/);
  });

  it("takes the ECDF per point and outcome from windows.csv, to within the sketch's 2.33%", () => {
    const windows = parse(readFileSync(join(dir, "windows.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    const spec = JSON.parse(report.charts[0].spec);
    const series = [...new Set(spec.data.values.map((v: { series: string }) => v.series))];
    expect(series).toEqual(["#0 false · leaked", "#1 true · dropped"]);
    for (const [name, point, outcome] of [[series[0], "0", "leaked"], [series[1], "1", "dropped"]]) {
      const steps = spec.data.values.filter((v: { series: string }) => v.series === name);
      const durations = windows.filter((w) => w.point === point && w.outcome === outcome).map((w) => Number(w.duration_s));
      expect(durations.length).toBeGreaterThan(10);
      expect(steps.at(-1).fraction).toBe(1);
      for (const { duration_s: x, fraction } of steps) {
        // The step at x (a bin's middle, or the max) holds the windows up to its bin's top, 10^0.01 above the middle.
        const upTo = durations.filter((d) => d <= x * 10 ** 0.01 * (1 + 1e-12)).length;
        expect(upTo / durations.length).toBeCloseTo(fraction, 12);
      }
    }
  });

  it("is a pure function of the result files: the same bytes in this process and in a fresh one", () => {
    writeReport(report, dir);
    const again = scratch("again");
    cpSync(dir, again, { recursive: true });
    const r = spawnSync(process.execPath, ["--import", "tsx", "notebooks/leak-report.ts", dir], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ["report.html", "report.md", "sweep.json", ...readdirSync(join(again, "charts")).map((c) => join("charts", c))]) {
      expect(readFileSync(join(dir, f), "utf8"), f).toBe(readFileSync(join(again, f), "utf8"));
    }
    expect(r.stdout).toBe(report.markdown);
  });

  it("gives every recipe's window hook each row of windows.csv once", async () => {
    let rows = 0;
    const counting: RecipeFactory = () => ({ window: () => void rows++, charts: () => [] });
    await buildReport(dir, dir, [...RECIPES, counting]);
    expect(rows).toBe(readFileSync(join(dir, "windows.csv"), "utf8").trimEnd().split("\n").length - 1);
  });

  it("calls out failed runs, the manifest's warnings and censored windows", async () => {
    const copy = scratch("caveats");
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(copy, "failures.csv"), "point,replication,seed,error\n1,2,99,RangeError: boom\n");
    const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
    manifest.warnings = [{ point: 0, warnings: ["strict CIDR has host bits set"] }];
    writeFileSync(join(copy, "manifest.json"), JSON.stringify(manifest));
    const csv = readFileSync(join(copy, "runs.csv"), "utf8").split("\n");
    const at = csv[0].split(",").indexOf("censored_exposure_windows");
    csv[1] = csv[1].split(",").map((c, i) => (i === at ? "7" : c)).join(",");
    writeFileSync(join(copy, "runs.csv"), csv.join("\n"));
    const md = (await buildReport(copy)).markdown;
    expect(md).toContain("1 run(s) failed");
    expect(md).toContain("| 1 | 2 | 99 | RangeError: boom |");
    expect(md).toContain("Point 0: strict CIDR has host bits set");
    expect(md).toContain("Censored windows: at #0 (7)");
  });

  it("reports without windows.csv when the sweep skipped it, and names a damaged windows.csv line", async () => {
    const bare = scratch("bare");
    await runSweepIntoStore({ ...sweep, windows: false }, { ...quiet, out: bare });
    const r = await buildReport(bare);
    expect(r.markdown).toContain("No windows.csv");
    expect(r.charts.map((c) => c.id)).not.toContain("window-ecdf");
    expect(r.markdown).toContain("--no-windows");
    writeFileSync(join(bare, "windows.csv"), `${readFileSync(join(dir, "windows.csv"), "utf8").split("\n")[0]}\n0,0,1\n`);
    await expect(buildReport(bare)).rejects.toThrow(`${join(bare, "windows.csv")}:2: 3 cells where the header has 15`);
  });
});

describe("leak report of a sweep with variants, list values and two numeric axes", async () => {
  const sweep = expandSweep({
    name: "shapes",
    replications: 2,
    base: { duration: 40, cluster: { nodes: 3 }, workload: { churn: { rate: 1 } } },
    variants: { direct: {}, slices: { cilium: { enableCiliumEndpointSlice: true } } },
    grid: { "workload.churn.rate": [1, 4], "traffic.podToPod.packetBytes": [64, 1400] },
  });
  const dir = scratch("shapes");
  await runSweepIntoStore(sweep, { ...quiet, out: dir, workers: 2 });
  const report = await buildReport(dir);

  it("draws each swept parameter, one line per value of the others", () => {
    const ids = report.charts.map((c) => c.id);
    for (const axis of ["variant", "workload.churn.rate", "traffic.podToPod.packetBytes"]) expect(ids).toContain(`exposure-p99-vs-${axis}`);
    const spec = JSON.parse(report.charts.find((c) => c.id === "leaked-packets-vs-workload.churn.rate")!.spec);
    expect(new Set(spec.data.values.map((v: { series: string }) => v.series))).toEqual(new Set(["direct · 64", "direct · 1400", "slices · 64", "slices · 1400"]));
    expect(spec.encoding.color.title).toBe("variant · traffic.podToPod.packetBytes");
  });

  it("charts the cost only along the parameters it changes with", () => {
    const cost = report.charts.map((c) => c.id).filter((id) => id.startsWith("throughput-overhead"));
    expect(cost).toEqual(["throughput-overhead-vs-traffic.podToPod.packetBytes"]);
  });

  it("writes the files it names and removes charts an earlier report made", () => {
    const out = scratch("out");
    writeReport(report, out);
    writeFileSync(join(out, "charts", "stale.vl.json"), "{}");
    writeReport(report, out);
    expect(existsSync(join(out, "charts", "stale.vl.json"))).toBe(false);
    expect(readdirSync(join(out, "charts")).length).toBe(report.charts.length * 2);
    expect(readFileSync(join(out, "report.html"), "utf8")).toBe(report.html);
  });
});
