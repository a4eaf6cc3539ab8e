/**
 * The experiment command as a user runs it: real process, real files.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

function experiment(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/cli.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split("\n").map((l) => l.split(","));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe("npm run experiment", () => {
  const out1 = mkdtempSync(join(tmpdir(), "leaklab-1-"));
  const out2 = mkdtempSync(join(tmpdir(), "leaklab-2-"));
  const one = experiment("experiments/operator-outage.json", "--out", out1, "--workers", "1");
  const two = experiment("experiments/operator-outage.json", "--out", out2, "--workers", "2");

  it("runs the operator-outage sweep", () => {
    expect(one.stderr).not.toMatch(/Error/);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(one.stdout).toContain("operator-outage: 10 runs");
  });

  it("writes byte-identical CSV whatever the number of workers", () => {
    for (const f of ["runs.csv", "windows.csv"]) {
      expect(readFileSync(join(out2, f), "utf8")).toBe(readFileSync(join(out1, f), "utf8"));
    }
    const manifest = JSON.parse(readFileSync(join(out2, "manifest.json"), "utf8"));
    expect(manifest.workers).toBe(2);
    expect(manifest.runs).toHaveLength(10);
    expect(manifest.runs[0].events_per_second).toBeGreaterThan(0);
  });

  it("shows the seeds' effect: leaks without strict mode, drops and no leaks with it", () => {
    const runs = parseCsv(readFileSync(join(out1, "runs.csv"), "utf8"));
    expect(runs).toHaveLength(10);
    const off = runs.filter((r) => r["cilium.encryption.strictMode.enabled"] === "false");
    const on = runs.filter((r) => r["cilium.encryption.strictMode.enabled"] === "true");
    for (const r of off) {
      expect(Number(r.leaked_packets)).toBeGreaterThan(0);
      expect(Number(r.strict_dropped_packets)).toBe(0);
    }
    for (const r of on) {
      expect(Number(r.leaked_packets)).toBe(0);
      expect(Number(r.strict_dropped_packets)).toBeGreaterThan(0);
      expect(Number(r.false_dropped_packets)).toBe(0);
    }
    const windows = parseCsv(readFileSync(join(out1, "windows.csv"), "utf8"));
    expect(new Set(windows.map((w) => w.outcome))).toEqual(new Set(["leaked", "dropped"]));
    expect(windows.every((w) => Number(w.duration_s) > 0 && Number(w.packets) > 0)).toBe(true);
  });

  it("rejects a bad sweep with the field named and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklab-bad-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ name: "bad", base: {}, grid: { "controlPlane.operator.outage": [[]] } }));
    const r = experiment(file, "--out", join(dir, "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `outages`?");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("skips windows.csv with --no-windows and removes a stale one", () => {
    const r = experiment("experiments/operator-outage.json", "--out", out2, "--workers", "1", "--no-windows");
    expect(r.code).toBe(0);
    expect(existsSync(join(out2, "windows.csv"))).toBe(false);
    expect(readFileSync(join(out2, "runs.csv"), "utf8")).toBe(readFileSync(join(out1, "runs.csv"), "utf8"));
  });

  it("warns, on stderr and in the manifest, about a strict CIDR with host bits set", () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklab-warn-"));
    const file = join(dir, "warn.json");
    writeFileSync(file, JSON.stringify({
      name: "warn", base: { duration: 20, cluster: { nodes: 2 }, workload: { churn: { rate: 0.2 } },
        cilium: { version: "1.15", ipam: { mode: "cluster-pool" }, encryption: { strictMode: { enabled: true, cidr: "10.0.0.1/8" } } } },
    }));
    const r = experiment(file, "--out", join(dir, "out"), "--workers", "1");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning \(all points\): cilium\.encryption\.strictMode\.cidr: .*host bits/);
    const manifest = JSON.parse(readFileSync(join(dir, "out", "manifest.json"), "utf8"));
    expect(manifest.warnings[0].warnings[0]).toMatch(/host bits/);
  });

  it("explains usage errors", () => {
    const r = experiment("--workers", "0", "x.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers must be a whole number from 1 to 1024, got \"0\"");
    expect(experiment("missing.json").stderr).toContain("missing.json: cannot read the sweep file (ENOENT)");
  });
});
