/**
 * The report's text and tables: provenance, what to read with care (warnings, failed runs,
 * censored windows), and per point (points as rows, swept parameters as columns under their
 * full names) the headline metrics as mean ± 95% half-width over replications.
 */
import type { Block, Table } from "./document.ts";
import { estimate, fmt, valueText } from "./format.ts";
import type { ReportInput } from "./recipe.ts";
import { hasColumn, perPoint, sweepHash, type Results } from "./results.ts";

const LEAK = ["endpoints", "leak_windows", "censored_leak_windows", "leak_window_p50_s", "leak_window_p99_s", "leak_window_max_s"];
const EXPOSURE = ["exposure_windows", "censored_exposure_windows", "exposure_window_p50_s", "exposure_window_p99_s", "exposure_window_max_s"];
/** The censored-pairs column: runs.csv files written before exposure and leak were told apart have the older name. */
const CENSORED = ["censored_exposure_windows", "censored_windows"];
const PACKETS = ["leaked_packets", "strict_dropped_packets", "false_dropped_packets", "wg_dropped_packets", "misdelivered_packets", "host_plaintext_packets", "encrypted_packets"];
const COST = ["throughput_overhead_pct", "cpu_overhead_cores_per_gbps", "cpu_overhead_sender_cores_per_gbps", "cpu_overhead_receiver_cores_per_gbps", "latency_added_us", "pod_route_mtu"];

/** Points as rows: the point's number, its value of every swept parameter, then `cells(point)`. */
function pointTable(r: Results, headers: string[], cells: (p: number) => string[]): Table {
  return {
    header: ["point", ...r.axes, ...headers],
    rows: r.values.map((v, p) => [String(p), ...v.map(valueText), ...cells(p)]),
    numericFrom: 1 + r.axes.length,
  };
}

function metricTable(r: Results, columns: string[]): Table {
  const present = columns.filter((c) => hasColumn(r, c));
  const summaries = present.map((c) => perPoint(r, c));
  return pointTable(r, present, (p) => summaries.map((s) => estimate(s[p])));
}

export function provenance(r: Results, regenerate: string, rerun: string): Block[] {
  const m = r.manifest;
  let hash: string;
  try {
    hash = `\`${sweepHash(m)}\``;
  } catch (e) {
    hash = `n/a (the sweep does not validate with this code: ${(e as Error).message})`;
  }
  const sessions = m.sessions ?? [];
  const ok = new Set(r.runs.map((row) => `${row.point}/${row.replication}`)).size;
  return [
    { kind: "heading", text: "Provenance" },
    {
      kind: "list", items: [
        `Sweep \`${m.sweep.name}\`, ${r.values.length} point(s) x ${m.sweep.replications ?? 1} replication(s): ${ok} run(s) in runs.csv, ${r.failures.length} failed.`,
        `Sweep hash ${hash} (SHA-256 of the name, seed, replications, grid and every point's scenario as written; what \`npm run compare\` checks).`,
        `leaklab ${m.leaklab}, git commit \`${m.git.commit ?? "unknown"}\` (${m.git.dirty === null ? "dirty state unknown" : m.git.dirty ? "with uncommitted changes" : "clean"})`
          + `${m.code ? `, code hash \`${m.code.slice(0, 16)}\`` : ""}; Node ${m.node ?? "unknown"}.`,
        `Ran ${m.started ?? "?"} to ${m.finished ?? "?"} in ${sessions.length || "?"} session(s)${m.workers ? ` on ${m.workers} worker(s)` : ""}.`,
        `Regenerate this report: \`${regenerate}\``,
        `Re-run the sweep: \`${rerun}\``,
      ],
    },
    { kind: "json", summary: "The sweep file as run (sweep.json beside this report)", text: JSON.stringify(m.sweep, null, 2) },
  ];
}

/** Everything that qualifies the numbers, before the numbers. */
export function caveats(r: ReportInput): Block[] {
  const out: Block[] = [];
  for (const w of r.manifest.warnings ?? []) {
    for (const text of w.warnings) out.push({ kind: "warning", text: `Point ${w.point}: ${text} (Cilium accepts this setting but ignores it.)` });
  }
  if (r.failures.length > 0) {
    out.push({ kind: "warning", text: `${r.failures.length} run(s) failed; the statistics cover the runs that succeeded. Running the sweep's command again retries them.` });
    out.push({ kind: "table", table: { header: ["point", "replication", "seed", "error"], rows: r.failures.map((f) => [String(f.point), String(f.replication), String(f.seed), f.error]), numericFrom: 4 } });
  }
  const column = CENSORED.find((c) => hasColumn(r, c));
  const censored = column ? perPoint(r, column).map((s) => s.mean * s.n) : [];
  const where = censored.flatMap((c, p) => (c > 0 ? [`#${p} (${fmt(c)})`] : []));
  if (where.length > 0) {
    out.push({
      kind: "warning", text: `Censored windows: at ${where.join(", ")} some (pod, sending node) pairs' windows were still open when their run ended `
        + `(\`${column}\`, summed over replications). Their durations are lower bounds, and so are the window quantiles there.`,
    });
  }
  if ((r.manifest.sweep.replications ?? 1) === 1) out.push({ kind: "warning", text: "One replication per point: no intervals can be given." });
  return out.length > 0 ? [{ kind: "heading", text: "Read with care" }, ...out] : [];
}

export function headline(r: ReportInput): Block[] {
  const blocks: Block[] = [
    { kind: "heading", text: "Results per point" },
    { kind: "text", text: "Mean ± half-width of the 95% confidence interval (Student t) over replications; a value alone where one replication gives no spread. Column names are runs.csv's." },
    { kind: "text", text: "Leak windows, over all (pod, sending node) pairs: the seconds in which pod-to-pod plaintext actually left for the pod (zero where none did):" },
    { kind: "table", table: metricTable(r, LEAK) },
    { kind: "text", text: "Exposure windows, over the same pairs: pod ready (or sender listed) until the sender first encrypts to it, whether its packets leaked or strict mode dropped them:" },
    { kind: "table", table: metricTable(r, EXPOSURE) },
    { kind: "text", text: "Packets per run, by verdict:" },
    { kind: "table", table: metricTable(r, PACKETS) },
  ];
  const costs = COST.filter((c) => hasColumn(r, c));
  const same = costs.every((c) => new Set(r.runs.map((row) => row[c])).size === 1);
  if (costs.length > 0 && same) {
    blocks.push({ kind: "text", text: `Cost, the same at every point: ${costs.map((c) => `\`${c}\` ${fmt(Number(r.runs[0][c]))}`).join(", ")}.` });
  } else if (costs.length > 0) {
    blocks.push({ kind: "text", text: "Cost (docs/cost-model.md):" }, { kind: "table", table: metricTable(r, COST) });
  }
  if (!r.windows) {
    blocks.push({ kind: "text", text: "No windows.csv: the sweep ran with windows turned off, so there is no window-level table or CDF." });
    return blocks;
  }
  const outcomes = [...new Set(r.windows.flatMap((w) => [...w.outcomes.keys()]))].sort();
  const q = (p: number, x: number) => fmt(r.windows![p].durations.quantile(x));
  const max = (x: number) => (x >= 0 ? fmt(x) : "");
  blocks.push(
    {
      kind: "text", text: "Exposure windows that carried traffic (`windows.csv`, all replications): their durations (`duration_s`), and how many leaked "
        + "plaintext for how long (`leaked_s` > 0); quantiles from 50 bins per decade (within 2.4%), max exact:",
    },
    {
      kind: "table", table: pointTable(r, ["windows", ...outcomes.map((o) => `outcome ${o}`), "censored", "p50 (s)", "p90 (s)", "p99 (s)", "max (s)", "leaking", "leaked p99 (s)", "leaked max (s)"], (p) => {
        const w = r.windows![p];
        const leaked = w.leaking > 0 ? [fmt(w.leaks.quantile(0.99)), max(w.leaks.max)] : ["", ""];
        return [fmt(w.count), ...outcomes.map((o) => fmt(w.outcomes.get(o) ?? 0)), fmt(w.censored), q(p, 0.5), q(p, 0.9), q(p, 0.99), fmt(w.durations.max), fmt(w.leaking), ...leaked];
      }),
    },
  );
  return blocks;
}
