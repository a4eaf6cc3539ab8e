/**
 * Campaigns that survive: the experiment command as a user runs it (a real process, real
 * files), killed, interrupted, failing and resumed, must end with exactly the bytes of a run
 * that was never disturbed.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hash32 } from "../../sim/random.ts";

const root = new URL("../..", import.meta.url).pathname;
const CLI = ["--import", "tsx", "experiments/cli.ts"];
const OUTPUTS = ["runs.csv", "windows.csv", "points.csv"];

/** 24 runs of a 20-node cluster with an operator outage: a sweep of a few seconds. */
const SWEEP = {
  name: "kill-resume", seed: 11, replications: 12,
  base: {
    duration: 240, cluster: { nodes: 20, cloud: "aws" },
    cilium: { version: "pr21856", routingMode: "native", ipam: { mode: "cluster-pool" }, enableCiliumEndpointSlice: true, encryption: { strictMode: { cidr: "10.0.0.0/8" } } },
    workload: { churn: { rate: 2 } },
    controlPlane: { operator: { outages: [{ start: 80, end: 160 }] } },
  },
  grid: { "cilium.encryption.strictMode.enabled": [false, true] },
};

function sweepFile(sweep: unknown = SWEEP): string {
  const file = join(mkdtempSync(join(tmpdir(), "leaklab-sweep-")), "sweep.json");
  writeFileSync(file, JSON.stringify(sweep));
  return file;
}

function runCli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI and resolves with its exit code (or signal) once it ends; `act` may signal it. */
function startCli(args: string[], act: (pid: number) => void = () => undefined): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
    act(child.pid!);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function storedRuns(out: string): number {
  const runs = join(out, "store", "runs");
  if (!existsSync(runs)) return 0;
  return readdirSync(runs).reduce((n, b) => n + readdirSync(join(runs, b)).filter((f) => f.endsWith(".json")).length, 0);
}

async function waitFor(check: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(25)) if (Date.now() > end) throw new Error("timed out waiting");
}

function expectSameOutputs(out: string, ref: string): void {
  for (const f of OUTPUTS) expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
}

/** Nothing temporary is left: the store's tmp/ is empty and no partial output remains. */
function expectNoLeftovers(out: string): void {
  expect(readdirSync(join(out, "store", "tmp"))).toEqual([]);
  expect(readdirSync(out).filter((f) => f.includes(".partial-"))).toEqual([]);
}

describe("a sweep that is killed, interrupted or fails", () => {
  const file = sweepFile();
  const ref = mkdtempSync(join(tmpdir(), "leaklab-ref-"));
  const first = runCli([file, "--out", ref, "--workers", "2"]);

  it("runs undisturbed as the reference", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(join(ref, "runs.csv"), "utf8").trim().split("\n")).toHaveLength(25);
    expectNoLeftovers(ref);
  });

  it("survives SIGKILL at 20 random moments and resumes to the same bytes", async () => {
    // A fixed sequence of moments (xorshift). Every other kill lands at a random time after
    // start (start-up, opening the store), the others once a random number of further runs is
    // stored, a moment later (mid-run, mid-write, assembling the outputs).
    let state = 0x9e3779b9;
    const random = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    let kills = 0;
    const progress: number[] = [];
    while (kills < 20) {
      const out = mkdtempSync(join(tmpdir(), "leaklab-kill-"));
      for (let attempt = 0; ; attempt++) {
        const before = storedRuns(out);
        // Near the end, wait for all 24: the kill then lands while the outputs are assembled.
        const target = before >= 20 ? 24 : before + 1 + random(4);
        const extra = random(200);
        const kill = (pid: number) => {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already finished
          }
        };
        const r = await startCli([file, "--out", out, "--workers", "2"], (pid) => {
          if (attempt % 2 === 0) setTimeout(() => kill(pid), 100 + random(1500));
          else void waitFor(() => storedRuns(out) >= target, 120_000).then(() => setTimeout(() => kill(pid), extra), () => undefined);
        });
        if (r.signal !== "SIGKILL") {
          expect(r.code, r.stderr).toBe(0);
          break;
        }
        kills++;
        progress.push(storedRuns(out));
      }
      expectSameOutputs(out, ref);
      expectNoLeftovers(out);
    }
    console.info(`SIGKILL moments: ${kills}; runs stored after each kill: ${progress.join(" ")}`);
    expect(kills).toBeGreaterThanOrEqual(20);
  }, 600_000);

  it("stops on SIGINT with exit 130 and the command that resumes, keeping finished runs", async () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-int-"));
    const r = await startCli([file, "--out", out, "--workers", "1"], (pid) => void waitFor(() => storedRuns(out) >= 2).then(() => process.kill(pid, "SIGINT")));
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: finishing the runs in progress/);
    expect(r.stderr).toContain(`Resume with:\n  npm run experiment -- ${file} --out ${out} --workers 1`);
    expect(existsSync(join(out, "runs.csv"))).toBe(false);
    const kept = storedRuns(out);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(24);
    const resumed = runCli([file, "--out", out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${kept} reused`);
    expectSameOutputs(out, ref);
  }, 120_000);

  it("stops on SIGTERM with exit 143, and a second signal abandons the runs in flight", async () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-term-"));
    const r = await startCli([file, "--out", out, "--workers", "2"], (pid) => void waitFor(() => storedRuns(out) >= 1).then(async () => {
      process.kill(pid, "SIGTERM");
      await sleep(50);
      process.kill(pid, "SIGTERM");
    }));
    expect(r.code).toBe(143);
    expect(runCli([file, "--out", out]).code).toBe(0);
    expectSameOutputs(out, ref);
    expectNoLeftovers(out);
  }, 120_000);

  it("records a run that throws and a worker that dies, goes on, exits 1, and retries them on resume", () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-fail-"));
    const r = runCli([file, "--out", out, "--workers", "2"], { LEAKLAB_FAIL_RUN: "3,17:exit" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 run\(s\) failed/);
    expect(r.stderr).toContain("point 0 (cilium.encryption.strictMode.enabled=false), replication 3");
    const failures = readFileSync(join(out, "failures.csv"), "utf8").trim().split("\n");
    expect(failures[0]).toBe("point,replication,seed,error");
    expect(failures.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(["0,3", "1,5"]);
    expect(failures[1]).toContain("fails on purpose");
    expect(failures[2]).toContain("the worker thread died");
    expect(readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n")).toHaveLength(23);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.complete).toBe(false);
    expect(manifest.failures.map((f: { point: number; replication: number }) => [f.point, f.replication])).toEqual([[0, 3], [1, 5]]);
    const retried = runCli([file, "--out", out]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toContain("22 reused");
    expect(existsSync(join(out, "failures.csv"))).toBe(false);
    expectSameOutputs(out, ref);
  }, 120_000);

  it("refuses a changed sweep file, saying what changed, and starts over with --restart", () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-changed-"));
    const small = { ...SWEEP, replications: 2 };
    expect(runCli([sweepFile(small), "--out", out]).code).toBe(0);
    const changed = sweepFile({ ...small, replications: 3, base: { ...SWEEP.base, duration: 200 } });
    const r = runCli([changed, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("holds runs of a different sweep: replications changed from 2 to 3; base.duration changed from 240 to 200");
    expect(r.stderr).toContain("--restart");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const restarted = runCli([changed, "--out", out, "--restart"]);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n")).toHaveLength(7);
  }, 120_000);

  it("refuses a folder another running leaklab holds", async () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-lock-"));
    let second: ReturnType<typeof runCli> | undefined;
    const r = await startCli([file, "--out", out, "--workers", "1"], (pid) => void waitFor(() => storedRuns(out) >= 1).then(() => {
      second = runCli([file, "--out", out]);
      process.kill(pid, "SIGKILL");
    }));
    expect(r.signal).toBe("SIGKILL");
    expect(second!.code).toBe(2);
    expect(second!.stderr).toMatch(/is in use by another leaklab \(pid \d+/);
    // The killed holder's lock is stale now: the next run takes it over and finishes.
    expect(runCli([file, "--out", out]).code).toBe(0);
    expectSameOutputs(out, ref);
  }, 120_000);
});

describe("--trace", () => {
  it("keeps each run's event trace; npm run trace prints it, and it hashes to the run's fingerprint", () => {
    const out = mkdtempSync(join(tmpdir(), "leaklab-trace-"));
    const file = sweepFile({ ...SWEEP, replications: 1 });
    expect(runCli([file, "--out", out, "--trace"]).code).toBe(0);
    const t = spawnSync(process.execPath, ["--import", "tsx", "experiments/trace-cli.ts", out, "--run", "1"], { cwd: root, encoding: "utf8" });
    expect(t.status, t.stderr).toBe(0);
    const records = t.stdout.trim().split("\n").map((l) => JSON.parse(l) as [number, string, ...unknown[]]);
    expect(records.length).toBeGreaterThan(100);
    expect(records[0]).toEqual([0, "nodes", 0]);
    // The fingerprint is the FNV chain over the records (sim/trace.ts): recompute it from the printout.
    let h = 0x811c9dc5;
    for (const [time, kind, ...fields] of records) h = hash32(`${h}|${time}|${kind}|${fields.join("|")}`);
    const row = readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n")[2].split(",");
    expect(h.toString(16).padStart(8, "0")).toBe(row[row.length - 1]);
    const untraced = mkdtempSync(join(tmpdir(), "leaklab-untraced-"));
    expect(runCli([file, "--out", untraced]).code).toBe(0);
    const missing = spawnSync(process.execPath, ["--import", "tsx", "experiments/trace-cli.ts", untraced, "--run", "0"], { cwd: root, encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("stored without its trace; run the sweep again with --trace");
  }, 60_000);
});
