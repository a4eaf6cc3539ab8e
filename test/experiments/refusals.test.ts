/**
 * Every bad input is refused before any work starts, through the real command: a spawned
 * process that exits 2 within seconds (a spawn timeout, not a timed assertion), with a short
 * message naming the field and no stack frame, and no output folder afterwards.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
/** Refusals take about a second (tsx starting); a hang would take forever. */
const SPAWN_TIMEOUT_MS = 30_000;

function experiment(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "experiments/cli.ts", ...args], { cwd: root, encoding: "utf8", timeout: SPAWN_TIMEOUT_MS });
  // A timeout shows as r.error (ETIMEDOUT) and a signal; a refusal as exit code 2.
  return { error: r.error, signal: r.signal, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sweepFile(sweep: unknown): { dir: string; file: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "leaklab-refuse-"));
  const file = join(dir, "sweep.json");
  writeFileSync(file, typeof sweep === "string" ? sweep : JSON.stringify(sweep));
  return { dir, file, out: join(dir, "out") };
}

/** Runs the command on `sweep` and checks it was refused the way every refusal must be; returns stderr. */
function refused(sweep: unknown, names: string | RegExp, flags: string[] = [], given?: { file: string; out: string }): string {
  const { file, out } = given ?? sweepFile(sweep);
  const r = experiment([file, "--out", out, ...flags]);
  expect(r.error).toBeUndefined();
  expect(r.signal).toBeNull();
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(typeof names === "string" ? new RegExp(`^error: ${names.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) : names);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stderr.length).toBeLessThan(2000);
  expect(existsSync(out)).toBe(false);
  return r.stderr;
}

const base = (over: Record<string, unknown>) => ({ name: "bad", base: { duration: 10, cluster: { nodes: 2 }, ...over } });
const nest = (levels: number, inner: string) => `${'{"a":'.repeat(levels)}${inner}${"}".repeat(levels)}`;

describe("limits: every count, rate, size and duration has a bound", () => {
  it.each([
    ["1e7 replications", { name: "bad", replications: 1e7 }, "replications: 1 point x 1.0e7 replications = 1.0e7 runs, above the limit of 1.0e6 runs", []],
    ["1e7 replications under --dry-run", { name: "bad", replications: 1e7 }, "replications: 1 point x 1.0e7", ["--dry-run"]],
    ["40,000 grid points", { name: "bad", grid: { "cluster.nodes": Array.from({ length: 200 }, (_, i) => i + 2), duration: Array.from({ length: 200 }, (_, i) => i + 1) } }, "grid: 200 x 200 = 40000 grid points, above the limit of 10000", []],
    ["a duration of 1e15 s", base({ duration: 1e15 }), "base.duration: must be at most 1e9, got 1e15: times are float64 seconds", []],
    ["churn of 1e12 pods/s", base({ workload: { churn: { rate: 1e12 } } }), "base.workload.churn.rate: must be at most 1e6, got 1e12", []],
    ["1e9 replicas", base({ workload: { deployments: [{ name: "a", replicas: 1e9 }] } }), "base.workload.deployments[0].replicas: must be at most 1e6, got 1e9", []],
    ["a traffic rate of 1e300", base({ traffic: { podToPod: { rate: 1e300 } } }), "base.traffic.podToPod.rate: must be at most 1e6, got 1e300", []],
    ["3e6 pods in a run", base({ duration: 600, workload: { churn: { rate: 5000 } } }), "base.workload.churn.rate: a run would create about 3.0e6 pods", []],
    ["a byte count beyond 2^53", base({ duration: 1e6, cluster: { nodes: 100 }, workload: { churn: { rate: 0 } }, traffic: { podToNode: { rate: 1e5, packetBytes: 2 ** 20 } } }), "base.traffic.podToNode.rate: the run could count up to 1.0e21 bytes", []],
  ])("refuses %s", (_, sweep, message, flags) => {
    const stderr = refused(sweep, message as string, flags as string[]);
    if (String(message).includes("limit of")) expect(stderr).toMatch(/--max-(points|runs|pods)/);
  });

  it("lets a user who means it raise a size limit", () => {
    const { file, out } = sweepFile({ name: "many", replications: 1e7, base: { duration: 10, cluster: { nodes: 2 } } });
    const r = experiment([file, "--out", out, "--dry-run", "--max-runs", "1e7"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("= 10000000 runs");
    expect(existsSync(out)).toBe(false);
  });
});

describe("null and deeply nested input", () => {
  it.each([
    ["base null", { name: "bad", base: null, grid: { "cluster.nodes": [3] } }, "base: must be an object (a partial scenario"],
    ["10,000 levels in base", `{"name":"bad","base":{"duration":${nest(10_000, "1")}}}`, "base.duration.a.a."],
    ["10,000 levels in a variant", `{"name":"bad","variants":{"x":{"cluster":${nest(10_000, "1")}}}}`, "variants.x.cluster.a.a."],
    ["10,000 levels in a grid value", `{"name":"bad","grid":{"cluster.nodes":[${"[".repeat(10_000)}${"]".repeat(10_000)}]}}`, 'grid["cluster.nodes"][0][0]'],
    ["10,000 levels in the description", `{"name":"bad","description":${"[".repeat(10_000)}${"]".repeat(10_000)}}`, "description[0][0]"],
  ])("refuses %s with a clear error", (_, sweep, message) => {
    const stderr = refused(sweep, message);
    if (typeof sweep === "string") expect(stderr).toMatch(/nested more than 64 levels deep/);
  });
});

describe("prototype keys", () => {
  it.each([
    ['{"name":"bad","variants":{"x":{"__proto__":{"median":1}}}}', "variants.x.__proto__: the key `__proto__` is not allowed"],
    ['{"name":"bad","base":{"cluster":{"constructor":{}}}}', "base.cluster.constructor: the key `constructor` is not allowed"],
    ['{"name":"bad","grid":{"cilium.prototype":[1]}}', 'grid["cilium.prototype"]: the key `prototype` is not allowed'],
  ])("refuses %s", (sweep, message) => {
    refused(sweep, message);
  });
});

describe("input that would be ignored", () => {
  it.each([
    ["a base value that is no object below a grid path", { name: "bad", base: { cluster: 5 }, grid: { "cluster.nodes": [3] } }, 'base.cluster: must be an object (with keys nodes,'],
    ["a garbage pod range after the first", base({ cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/8", "garbage"] } } } }), "base.cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]: must be an IPv4 CIDR"],
    ["overlapping pod ranges", base({ cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/8", "10.1.0.0/16"] } } } }), "base.cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]: 10.1.0.0/16 overlaps"],
  ])("refuses %s", (_, sweep, message) => {
    refused(sweep, message);
  });
});

describe("errors blame the field that is wrong and stay short", () => {
  it.each([
    ["1e400", '{"name":"bad","base":{"duration":1e400}}', "base.duration: must be a number > 0 and <= 1e9, got a number too large to represent"],
    ["a replacement rate of 1e9", base({ cluster: { lifecycle: { replacementRate: 1e9 } } }), "base.cluster.lifecycle.replacementRate: must be at most 1e6"],
    ["an event count of 1e9", base({ cluster: { lifecycle: { events: [{ at: 1, action: "add", count: 1e9 }] } } }), "base.cluster.lifecycle.events[0].count: must be at most 1e6"],
    ["replacements the subnet cannot hold", base({ duration: 600, cluster: { nodes: 2, lifecycle: { replacementRate: 100 } } }), "base.cluster.lifecycle.replacementRate: cluster.nodeSubnet 192.168.0.0/19 has room for 8187 nodes"],
  ])("%s", (_, sweep, message) => {
    expect(refused(sweep, message)).not.toContain("got null");
  });

  it("a 7-million-item list where a number belongs", () => {
    const stderr = refused(`{"name":"bad","base":{"duration":[${"0,".repeat(7_000_000)}0]}}`, "base.duration: must be a number > 0 and <= 1e9, got a list of 7000001 items");
    expect(stderr.length).toBeLessThan(200);
  });
});

describe("nothing hangs", () => {
  it("reads only regular files: a FIFO is refused at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklab-fifo-"));
    const fifo = join(dir, "sweep.json");
    execFileSync("mkfifo", [fifo]);
    refused(undefined, `${fifo}: is not a regular file`, [], { file: fifo, out: join(dir, "out") });
  });

  it.each([["run"], ["--dry-run"]])("refuses --out under /proc, also through a symlink (%s)", (mode) => {
    const { dir, file } = sweepFile(base({}));
    const flags = mode === "run" ? [] : [mode];
    refused(undefined, "--out: /proc/leaklab-test/out is on a pseudo file system", flags, { file, out: "/proc/leaklab-test/out" });
    const link = join(dir, "proc");
    symlinkSync("/proc", link);
    refused(undefined, /^error: --out: .*is on a pseudo file system \(.* is \/proc, a kernel file system\)/, flags, { file, out: join(link, "x", "out") });
  });
});

describe("address exhaustion", () => {
  const overlapping = (cloud: string, mode: string, subnet: string) => ({
    name: "bad",
    base: { duration: 600, cluster: { nodes: 10, cloud, nodeSubnet: subnet, lifecycle: { events: [{ at: 400, action: "add", count: 1 }] } }, cilium: { ipam: { mode } } },
  });

  it.each([["aws", "eni", "192.168.0.0/24"], ["azure", "azure", "10.224.0.0/24"]])("is refused up front where a scale-out cannot fit (%s %s)", (cloud, mode, subnet) => {
    refused(overlapping(cloud, mode, subnet), /^error: base\.cluster\.lifecycle\.events\[0\]: the nodes added at 400 s cannot fit: .*must hold about 532/);
  });

  it("fails the run alone, with the reason, where the estimate cannot tell", () => {
    const { file, out } = sweepFile({
      name: "edge", replications: 1,
      base: {
        duration: 400, cilium: { ipam: { mode: "eni" } }, workload: { churn: { rate: 1, lifetime: { dist: "exponential", mean: 100 } } },
        cluster: { nodes: 10, cloud: "aws", nodeSubnet: "192.168.0.0/24", lifecycle: { events: [{ at: 300, action: "add", count: 1 }] } },
      },
      grid: { "workload.churn.rate": [0.2, 1.2] },
    });
    const r = experiment([file, "--out", out, "--workers", "1"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/point 1 \(workload\.churn\.rate=1\.2\), replication 0, .*node 10 could not join at 300\.0 s: IPAM: subnet 192\.168\.0\.0\/24 is exhausted/);
    expect(readFileSync(join(out, "failures.csv"), "utf8")).toContain("could not join");
    expect(readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("signals through npm", () => {
  const groupAlive = (group: number) => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = async (ok: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end && !ok();) await new Promise((r) => setTimeout(r, 100));
    return ok();
  };
  const runStored = (out: string) => () => {
    const runs = join(out, "store", "runs");
    return existsSync(runs) && readdirSync(runs).some((b) => readdirSync(join(runs, b)).some((f) => f.endsWith(".json")));
  };
  const sessions = (out: string) => readdirSync(join(out, "store", "sessions")).map((f) => JSON.parse(readFileSync(join(out, "store", "sessions", f), "utf8")));
  const long = () => sweepFile({ name: "long", replications: 200, base: { duration: 300, cluster: { nodes: 10 } } });

  /** Starts `command` in its own process group, waits for a stored run, `stop`s it, and waits for the group to end. */
  async function stopWhileRunning(command: string, args: string[], out: string, stop: (pid: number) => void, env = process.env) {
    // Its own process group, so that whatever is left can be cleaned up without touching others.
    const child = spawn(command, args, { cwd: root, detached: true, stdio: "ignore", env });
    const group = child.pid!;
    try {
      expect(await until(runStored(out), 40_000)).toBe(true);
      stop(group);
      // The sweep finishes its run in flight and exits; nothing of the group is left.
      expect(await until(() => !groupAlive(group), 40_000)).toBe(true);
    } finally {
      if (groupAlive(group)) process.kill(-group, "SIGKILL");
    }
  }

  it("SIGTERM sent to the npm process alone stops the sweep, resumably", async () => {
    const { file, out } = long();
    await stopWhileRunning("npm", ["run", "--silent", "experiment", "--", file, "--out", out, "--workers", "1"], out, (pid) => process.kill(pid, "SIGTERM"));
    const s = sessions(out);
    expect(s.map((x) => x.interrupted)).toEqual(["SIGTERM"]);
    expect(s[0].ran).toBeLessThan(200);
  }, 120_000);

  it("a launcher that dies without passing anything on (SIGKILL) stops the sweep too", async () => {
    // Whether npm forwards SIGTERM depends on its version; a launcher killed outright never
    // does, so the sweep must notice it is gone (experiments/launcher.ts).
    const { dir, file, out } = long();
    const launcher = join(dir, "npm");
    writeFileSync(launcher, `#!/bin/sh\n"${process.execPath}" --import tsx experiments/cli.ts "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, npm_lifecycle_event: "experiment" };
    await stopWhileRunning(launcher, [file, "--out", out, "--workers", "1"], out, (pid) => process.kill(pid, "SIGKILL"), env);
    const s = sessions(out);
    expect(s.map((x) => x.interrupted)).toEqual(["SIGTERM"]);
    expect(s[0].ran).toBeLessThan(200);
  }, 120_000);
});
