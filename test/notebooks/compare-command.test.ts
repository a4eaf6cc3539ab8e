/**
 * npm run compare as a command: saving a baseline, refusing a changed sweep, the three output
 * formats and the exit codes CI relies on (1 regression, 2 nothing compared, 0 otherwise).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareCommand, type CompareFlags } from "../../notebooks/compare.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const committed = join(root, "results/baselines/operator-outage");
const none: CompareFlags = { all: false, "save-baseline": false, "allow-changed-sweep": false };

/** A results folder made from the committed baseline's files, and a baseline saved from it. */
function setup(): { current: string; baseline: string } {
  const dir = mkdtempSync(join(tmpdir(), "leaklab-compare-"));
  const current = join(dir, "operator-outage");
  cpSync(committed, current, { recursive: true });
  rmSync(join(current, "baseline.json"), { force: true });
  const baseline = join(dir, "baselines", "operator-outage");
  expect(run({ ...none, "save-baseline": true }, [current, baseline]).code).toBe(0);
  return { current, baseline };
}

function run(flags: CompareFlags, positionals: string[]): { code: number; out: string } {
  let out = "";
  const code = compareCommand(flags, positionals, (t) => (out += t));
  return { code, out };
}

function scale(dir: string, metric: string, factor: number): void {
  const [head, ...rows] = readFileSync(join(dir, "runs.csv"), "utf8").trimEnd().split("\n");
  const at = head.split(",").indexOf(metric);
  writeFileSync(join(dir, "runs.csv"), [head, ...rows.map((r) => r.split(",").map((c, i) => (i === at ? String(Number(c) * factor) : c)).join(","))].join("\n") + "\n");
}

function editSweep(dir: string, edit: (sweep: Record<string, any>) => void): void {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  edit(m.sweep);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(m));
}

describe("npm run compare", () => {
  it("saves a baseline with the sweep's hash and finds nothing changed against it", () => {
    const { current, baseline } = setup();
    const saved = JSON.parse(readFileSync(join(baseline, "baseline.json"), "utf8"));
    expect(saved.sweep).toBe("operator-outage");
    expect(saved.sweep_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(baseline, "runs.csv"), "utf8")).toBe(readFileSync(join(current, "runs.csv"), "utf8"));
    const r = run(none, [current, baseline]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("28 comparisons: 0 worse, 0 better, 0 inconclusive, 28 unchanged");
  });

  it("exits 1 on a regression, with a table of metric, point, baseline, current, change and verdict", () => {
    const { current, baseline } = setup();
    scale(current, "leak_window_p99_s", 1.5);
    const r = run(none, [current, baseline]);
    expect(r.code).toBe(1);
    const lines = r.out.split("\n");
    expect(lines[1]).toMatch(/^metric +point +baseline +current +change \(95% interval\) +verdict$/);
    const row = lines[2].match(/^leak_window_p99_s +cilium\.encryption\.strictMode\.enabled=false +([0-9.]+) +([0-9.]+) +\+([0-9.]+) ± [0-9.]+ \(\+50%\) +WORSE$/);
    expect(row, lines[2]).not.toBeNull();
    const [before, after, change] = row!.slice(1).map(Number);
    expect(before).toBeGreaterThan(100); // the outage's windows, about 115 s
    expect(after / before).toBeCloseTo(1.5, 2);
    expect(change / before).toBeCloseTo(0.5, 2);
    // Strict mode on leaked nothing (its exposure was dropped): zero scaled is zero, not worse.
    expect(r.out).toContain("28 comparisons: 1 worse");
  });

  it("speaks JSON and GitHub Actions workflow commands", () => {
    const { current, baseline } = setup();
    scale(current, "leaked_packets", 0.5);
    const j = run({ ...none, format: "json" }, [current, baseline]);
    const parsed = JSON.parse(j.out);
    expect(parsed.exit_code).toBe(0);
    expect(parsed.summary).toEqual({ comparisons: 28, worse: 0, better: 1, same: 27, inconclusive: 0 });
    expect(parsed.comparisons.find((c: { verdict: string }) => c.verdict === "better").metric).toBe("leaked_packets");
    scale(current, "leaked_packets", 4);
    const summaryFile = join(current, "summary.md");
    process.env.GITHUB_STEP_SUMMARY = summaryFile;
    try {
      const g = run({ ...none, format: "github" }, [current, baseline]);
      expect(g.code).toBe(1);
      expect(g.out).toMatch(/^::error title=leaklab regression in operator-outage%3A leaked_packets::cilium\.encryption\.strictMode\.enabled=false: /m);
      expect(g.out).toContain("::group::leaklab compare operator-outage");
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    expect(readFileSync(summaryFile, "utf8")).toMatch(/^### leaklab: operator-outage\n[^]*\| leaked_packets \| cilium\.encryption\.strictMode\.enabled=false \|/);
  });

  it("refuses a sweep changed since the baseline, saying what changed, unless told --allow-changed-sweep", () => {
    const { current, baseline } = setup();
    editSweep(current, (s) => (s.base.duration = 300));
    expect(() => run(none, [current, baseline])).toThrow(
      `ran a different sweep from the baseline ${baseline} (base.duration changed from 360 to 300), so they are different experiments; `
      + `refresh the baseline with: npm run compare -- ${current} ${baseline} --save-baseline, or compare anyway with --allow-changed-sweep`);
    const r = run({ ...none, "allow-changed-sweep": true }, [current, baseline]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("warning: the sweep changed since the baseline (base.duration changed from 360 to 300)");
    // A new description is the same experiment.
    editSweep(current, (s) => ((s.base.duration = 360), (s.description = "reworded")));
    expect(run(none, [current, baseline]).code).toBe(0);
  });

  it("tells how to create a missing baseline, and checks old baselines without baseline.json by their manifest", () => {
    const { current, baseline } = setup();
    const nope = join(baseline, "..", "nope");
    expect(() => run(none, [current, nope])).toThrow(`no baseline at ${nope} (it needs runs.csv and manifest.json); `
      + `create it from these results with: npm run compare -- ${current} ${nope} --save-baseline`);
    const mine = join(current, "..", "my-cluster");
    cpSync(current, mine, { recursive: true });
    expect(() => run(none, [mine])).toThrow(`no baseline at ${join("results", "baselines", "my-cluster")} `
      + `(it needs runs.csv and manifest.json); create it from these results with: npm run compare -- ${mine} --save-baseline`);
    rmSync(join(baseline, "baseline.json"));
    expect(run(none, [current, baseline]).code).toBe(0);
    editSweep(current, (s) => (s.seed = 1));
    expect(() => run(none, [current, baseline])).toThrow("seed changed from 20230720 to 1");
  });

  it("exits 2 when nothing could be compared, and will not save a baseline from failed runs", () => {
    const { current, baseline } = setup();
    const csv = readFileSync(join(current, "runs.csv"), "utf8");
    writeFileSync(join(current, "runs.csv"), csv.replace("cilium.encryption.strictMode.enabled", "cilium.routingMode"));
    expect(run(none, [current, baseline])).toEqual({ code: 2, out: expect.stringContaining("nothing could be compared") });
    // One replication a side: every metric that moved is inconclusive, and here they all moved.
    const [head, ...rows] = csv.trimEnd().split("\n");
    const first = [head, ...rows.filter((r) => r.split(",")[2] === "0")].join("\n") + "\n";
    for (const dir of [current, baseline]) writeFileSync(join(dir, "runs.csv"), first);
    const tracked = head.split(",").map((c, i) => [c, i] as const).filter(([c]) => /^(leak|exposure)_window|^(leak|exposure)_windows$|^(leaked|false_dropped|misdelivered|wg_dropped)_packets$/.test(c)).map(([, i]) => i);
    writeFileSync(join(current, "runs.csv"), first.trimEnd().split("\n").map((r, k) => (k === 0 ? r : r.split(",").map((c, i) => (tracked.includes(i) ? String(Number(c) + 1) : c)).join(","))).join("\n") + "\n");
    const r = run(none, [current, baseline]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("28 comparisons: 0 worse, 0 better, 28 inconclusive, 0 unchanged");
    writeFileSync(join(current, "failures.csv"), "point,replication,seed,error\n0,1,2,boom\n");
    expect(() => run({ ...none, "save-baseline": true }, [current, join(baseline, "x")])).toThrow("has failed runs");
    expect(existsSync(join(baseline, "x"))).toBe(false);
  });

  it("exits with the code it reports, as a process", () => {
    const { current, baseline } = setup();
    scale(current, "leak_window_max_s", 2);
    const r = spawnSync(process.execPath, ["--import", "tsx", "notebooks/compare.ts", current, baseline], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain("WORSE");
  });
});
