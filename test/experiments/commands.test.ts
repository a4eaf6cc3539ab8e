/**
 * Every leaklab command parses its arguments the same way (experiments/args.ts): real processes,
 * started the way npm runs them. For each command: --help prints usage and exits 0; an unknown
 * flag or a bad value exits 2 with one line naming the flag and no stack trace; a value flag
 * works as --flag=value and as --flag value.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

// A few processes at a time: each is a node with tsx (about 0.4 s of CPU), and the machine
// may have two cores.
const slots = Math.min(8, availableParallelism() + 1);
let running = 0;
const waiting: (() => void)[] = [];

async function command(file: string, args: readonly string[]): Promise<Result> {
  if (running >= slots) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await new Promise<Result>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: root });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const scratch = mkdtempSync(join(tmpdir(), "leaklab-commands-"));
const empty = mkdtempSync(join(tmpdir(), "leaklab-empty-"));
const baseline = "results/baselines/operator-outage";
const noStore = join(scratch, "no-store");

interface Command {
  file: string;
  /** A value flag, given with the positionals it needs; `check` says the command went past parsing. */
  value?: { flag: string; value: string; rest: string[]; check: (r: Result) => void };
  /** Bad values, each with the flag its message must name. */
  bad: { args: string[]; flag: string }[];
}

const commands: Record<string, Command> = {
  experiment: {
    file: "experiments/cli.ts",
    value: {
      flag: "--workers", value: "2", rest: ["does-not-exist.json"],
      check: (r) => expect(r.stderr).toContain("does-not-exist.json: cannot read the sweep file"),
    },
    bad: [{ args: ["x.json", "--workers", "0"], flag: "--workers" }, { args: ["x.json", "--workers", "abc"], flag: "--workers" }],
  },
  cost: {
    file: "experiments/cost-cli.ts",
    value: { flag: "--mtu", value: "9000", rest: [], check: (r) => expect(r.stdout).toMatch(/underlay MTU +9000 B/) },
    bad: [{ args: ["--mtu", "abc"], flag: "--mtu" }],
  },
  report: {
    file: "notebooks/leak-report.ts",
    value: {
      flag: "--out", value: join(scratch, "report"), rest: [baseline],
      check: (r) => {
        expect(r.stdout).toMatch(/^# operator-outage\n/);
        for (const f of ["report.md", "report.html", "sweep.json"]) expect(existsSync(join(scratch, "report", f))).toBe(true);
      },
    },
    bad: [{ args: [baseline, "--out="], flag: "--out" }],
  },
  compare: {
    file: "notebooks/compare.ts",
    value: { flag: "--tolerance", value: "0.2", rest: [baseline, baseline], check: (r) => expect(r.stdout).toContain("(tolerance 20%") },
    bad: [
      { args: [baseline, "--tolerance", "x"], flag: "--tolerance" }, { args: [baseline, "--tolerance", "-1"], flag: "--tolerance" },
      { args: [baseline, "--format", "xml"], flag: "--format" },
    ],
  },
  screenshot: {
    file: "notebooks/screenshot.ts",
    value: { flag: "--width", value: "800", rest: [join(scratch, "no-report.html")], check: (r) => expect(r.stderr).toContain("no-report.html does not exist") },
    bad: [{ args: ["x.html", "--width", "abc"], flag: "--width" }],
  },
  merge: {
    file: "experiments/merge.ts",
    value: { flag: "--wait", value: "0", rest: [join(scratch, "merged"), noStore], check: (r) => expect(r.stderr).toContain("no run store here") },
    bad: [{ args: [join(scratch, "merged"), noStore, "--wait", "abc"], flag: "--wait" }],
  },
  trace: {
    file: "experiments/trace-cli.ts",
    value: { flag: "--run", value: "0", rest: [noStore], check: (r) => expect(r.stderr).toContain("no run store here") },
    bad: [{ args: [noStore, "--run", "abc"], flag: "--run" }],
  },
};
// Built separately; checked here once it exists.
if (existsSync(join(root, "experiments/k8s.ts"))) commands.k8s = { file: "experiments/k8s.ts", bad: [] };

/** A user's mistake: exit 2, one line on stderr, nothing on stdout, no stack frame. */
function expectMistake(r: Result, names: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(names);
  expect(r.stdout).toBe("");
}

const results = new Map<string, Result>();
const key = (name: string, args: readonly string[]) => `${name} ${JSON.stringify(args)}`;
const result = (name: string, args: readonly string[]) => results.get(key(name, args))!;

function argsOf(name: string): string[][] {
  const c = commands[name];
  const all = [["--help"], ["--bogus-flag"], ...c.bad.map((b) => b.args)];
  if (c.value) all.push([...c.value.rest, `${c.value.flag}=${c.value.value}`], [...c.value.rest, c.value.flag, c.value.value]);
  if (name === "report" || name === "compare") all.push(name === "report" ? [empty] : [empty, baseline]);
  return all;
}

// About 35 processes, run before the checks so that they overlap.
beforeAll(async () => {
  await Promise.all(Object.keys(commands).flatMap((name) => argsOf(name).map(async (args) => {
    results.set(key(name, args), await command(commands[name].file, args));
  })));
}, 60_000);

describe.each(Object.keys(commands))("npm run %s", (name) => {
  const c = commands[name];

  it("--help prints usage and exits 0", () => {
    const r = result(name, ["--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: /);
    expect(r.stdout).toContain("--help");
    expect(r.stderr).toBe("");
  });

  it("rejects an unknown flag by name", () => {
    const r = result(name, ["--bogus-flag"]);
    expectMistake(r, "unknown option --bogus-flag");
    expect(r.stderr).toContain("--help");
  });

  it.runIf(c.value !== undefined)("takes a value as --flag=value and as --flag value", () => {
    const { flag, value, rest, check } = c.value!;
    const joined = result(name, [...rest, `${flag}=${value}`]);
    const apart = result(name, [...rest, flag, value]);
    for (const r of [joined, apart]) {
      expect(r.stderr).not.toContain("(see --help)");
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      check(r);
    }
    expect(apart).toEqual(joined);
  });

  it.runIf(c.bad.length > 0)("rejects bad values, naming the flag", () => {
    for (const { args, flag } of c.bad) expectMistake(result(name, args), flag);
  });
});

describe("result folders without result files", () => {
  it("report names the folder and the files it expects", () => {
    const r = result("report", [empty]);
    expectMistake(r, empty);
    expect(r.stderr).toMatch(/manifest\.json or runs\.csv/);
  });

  it("compare names the runs.csv it expects", () => {
    expectMistake(result("compare", [empty, baseline]), join(empty, "runs.csv"));
  });
});
