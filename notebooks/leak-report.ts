/**
 * npm run report -- results/<name> [--out FILE]
 *
 * A research report from a sweep's results: per grid point, the mean and 95% confidence
 * interval over replications of the leak and drop metrics, the encryption cost columns, and the
 * spread of the windows that carried traffic. Reads only results/; writes report.md next to them (or --out). The report is
 * a pure function of the result files, so re-running it gives the same text.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { text, value, type CommandSpec, type Flag } from "../experiments/args.ts";
import { InputError, isMain, runCommand } from "../experiments/command.ts";
import { Samples, summarize } from "../sim/stats.ts";

export const reportSpec = {
  usage: "npm run report -- results/NAME [--out FILE]",
  summary: "Write a Markdown report of a finished sweep's result files (runs.csv, manifest.json, windows.csv) and print it.",
  positionals: { names: "the sweep's output folder (results/NAME)", min: 1, max: 1 },
  flags: {
    out: value("FILE", "write the report here (default: results/NAME/report.md)", text),
  },
} satisfies CommandSpec<Record<string, Flag>>;

type Row = Record<string, string>;

const METRICS = [
  ["endpoints", "pods created"],
  ["leak_windows", "(pod, node) pairs with a window"],
  ["leak_window_p99_s", "window p99 (s)"],
  ["leak_window_max_s", "window max (s)"],
  ["leaked_packets", "leaked packets"],
  ["strict_dropped_packets", "strict drops"],
  ["false_dropped_packets", "false drops"],
  ["encrypted_packets", "encrypted packets"],
] as const;

// The cost model's columns (docs/cost-model.md). They are analytic, the same in every
// replication, so the report shows one value per point; results from before a column
// existed simply lack its row.
const COST_METRICS = [
  ["throughput_overhead_pct", "throughput lost to encryption (%)"],
  ["node_gbps_unencrypted", "node throughput, unencrypted (Gbit/s)"],
  ["node_gbps_encrypted", "node throughput, encrypted (Gbit/s)"],
  ["cpu_overhead_cores_per_gbps", "extra CPUs per Gbit/s"],
  ["cpu_overhead_sender_cores_per_gbps", "  of which sender"],
  ["cpu_overhead_receiver_cores_per_gbps", "  of which receiver"],
  ["node_encryption_cores", "extra CPUs per node, node encryption"],
  ["latency_added_us", "latency added per message (µs)"],
  ["pod_route_mtu", "pod route MTU (B)"],
  ["tcp_mss", "TCP MSS (B)"],
] as const;

function readCsv(file: string): Row[] {
  try {
    return parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Row[];
  } catch (e) {
    throw new InputError(`${file}: cannot read it as CSV (${(e as Error).message})`);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`${file}: cannot read it as JSON (${(e as Error).message})`);
  }
}

/** The result files a report needs; a folder without them is the user's mistake, told in one line. */
function checkResultFolder(dir: string): void {
  if (!existsSync(dir)) throw new InputError(`${dir} does not exist; expected a sweep's output folder (results/NAME)`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is not a folder; expected a sweep's output folder (results/NAME)`);
  const absent = ["manifest.json", "runs.csv"].filter((f) => !existsSync(join(dir, f)));
  if (absent.length > 0) {
    throw new InputError(`${dir} has no ${absent.join(" or ")}; expected a finished sweep's output folder `
      + "(npm run experiment writes them when every run is stored; a sharded sweep's, after npm run merge)");
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  return Number(x.toPrecision(3)).toString();
}

function estimate(values: number[]): string {
  const s = summarize(values);
  return Number.isFinite(s.halfWidth) ? `${fmt(s.mean)} ± ${fmt(s.halfWidth)}` : fmt(s.mean);
}

interface Manifest {
  sweep: { name: string; description?: string };
  points: Record<string, unknown>[];
  leaklab: string;
  git: { commit: string | null; dirty: boolean | null };
}

export function report(dir: string): string {
  checkResultFolder(dir);
  const manifest = readJson(join(dir, "manifest.json")) as Manifest;
  const runs = readCsv(join(dir, "runs.csv"));
  // A sweep run with "windows": false (or --no-windows) has no windows.csv.
  const windowsFile = join(dir, "windows.csv");
  const windows = existsSync(windowsFile) ? readCsv(windowsFile) : undefined;
  const labels = manifest.points.map(pointLabel);
  const lines: string[] = [`# ${manifest.sweep.name}`, ""];
  if (manifest.sweep.description) lines.push(manifest.sweep.description, "");
  lines.push(`leaklab ${manifest.leaklab}, commit ${manifest.git.commit ?? "unknown"}${manifest.git.dirty ? " (dirty tree)" : ""}. `
    + "Mean ± 95% confidence half-width (Student t) over replications.", "");
  lines.push(`| metric | ${labels.join(" | ")} |`, `|---|${labels.map(() => "---").join("|")}|`);
  for (const [col, label] of METRICS) {
    // An empty cell is a quantile with no values: missing, not zero.
    const cells = labels.map((_, i) => estimate(runs.filter((r) => Number(r.point) === i && r[col] !== "").map((r) => Number(r[col]))));
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  const costRows = COST_METRICS.filter(([col]) => runs.length > 0 && runs[0]![col] !== undefined);
  if (costRows.length > 0) {
    lines.push("", "Encryption cost (analytic: the same in every replication; see docs/cost-model.md):", "");
    lines.push(`| cost | ${labels.join(" | ")} |`, `|---|${labels.map(() => "---").join("|")}|`);
    for (const [col, label] of costRows) {
      const cells = labels.map((_, i) => fmt(Number(runs.find((r) => Number(r.point) === i)?.[col] ?? NaN)));
      lines.push(`| ${label} | ${cells.join(" | ")} |`);
    }
  }
  if (windows === undefined) {
    lines.push("", "No windows.csv: the sweep ran with windows turned off.");
    return lines.join("\n") + "\n";
  }
  lines.push("", "Windows that carried traffic (all replications):", "");
  lines.push("| point | windows | leaked | dropped | censored | duration p50 (s) | p90 (s) | max (s) |", "|---|---|---|---|---|---|---|---|");
  labels.forEach((label, i) => {
    const mine = windows.filter((w) => Number(w.point) === i);
    const d = new Samples();
    for (const w of mine) d.add(Number(w.duration_s));
    const count = (f: (w: Row) => boolean) => mine.filter(f).length;
    lines.push(`| ${label} | ${mine.length} | ${count((w) => w.outcome === "leaked")} | ${count((w) => w.outcome === "dropped")} | `
      + `${count((w) => w.censored === "true")} | ${fmt(d.quantile(0.5))} | ${fmt(d.quantile(0.9))} | ${fmt(d.max())} |`);
  });
  return lines.join("\n") + "\n";
}

function pointLabel(p: Record<string, unknown>, i: number): string {
  const parts = Object.entries(p).map(([k, v]) => `${k.split(".").pop()}=${JSON.stringify(v)}`);
  return parts.length ? parts.join(", ") : `point ${i}`;
}

if (isMain(import.meta.url)) {
  void runCommand(reportSpec, ({ flags, positionals: [dir] }) => {
    const markdown = report(dir);
    const target = flags.out ?? join(dir, "report.md");
    try {
      writeFileSync(target, markdown);
    } catch (e) {
      throw new InputError(`cannot write the report to ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    process.stdout.write(markdown);
    console.error(`wrote ${target}`);
    return 0;
  });
}
