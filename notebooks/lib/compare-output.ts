/**
 * What `npm run compare` prints: a table for people (metric, point, baseline, current, change
 * with its 95% interval, verdict), JSON for programs, and GitHub Actions workflow commands
 * (an annotation per changed metric, the table in a log group and in the job summary).
 */
import { appendFileSync } from "node:fs";
import type { Change } from "../compare.ts";
import { mdCell } from "./format.ts";

export interface Outcome {
  current: string;
  baseline: string;
  sweep: string;
  tolerance: number;
  /** What changed in the sweep, when --allow-changed-sweep let it through. */
  sweepChange?: string;
  changes: Change[];
  /** Also list the comparisons that found no change. */
  all: boolean;
}

const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : "n/a");
const signed = (x: number): string => (x > 0 ? `+${num(x)}` : num(x));

function changeText(c: Change): string {
  const diff = c.current - c.baseline;
  const interval = Number.isFinite(c.halfWidth) ? ` ± ${num(c.halfWidth)}` : "";
  const relative = c.baseline !== 0 ? ` (${signed((diff / Math.abs(c.baseline)) * 100)}%)` : "";
  return `${signed(diff)}${interval}${relative}`;
}

export function counts(changes: Change[]): Record<Change["verdict"], number> {
  const n = { worse: 0, better: 0, same: 0, inconclusive: 0 };
  for (const c of changes) n[c.verdict]++;
  return n;
}

function header(o: Outcome): string {
  return `${o.current} against ${o.baseline}, sweep ${o.sweep} (tolerance ${o.tolerance * 100}%, 95% intervals, paired by replication where possible)`;
}

function summary(o: Outcome): string {
  const n = counts(o.changes);
  return `${o.changes.length} comparisons: ${n.worse} worse, ${n.better} better, ${n.inconclusive} inconclusive, ${n.same} unchanged`;
}

function rows(o: Outcome): string[][] {
  return o.changes.filter((c) => o.all || c.verdict !== "same")
    .map((c) => [c.metric, c.point, num(c.baseline), num(c.current), changeText(c), c.verdict.toUpperCase()]);
}

const HEADER = ["metric", "point", "baseline", "current", "change (95% interval)", "verdict"];

export function textTable(o: Outcome): string {
  const body = rows(o);
  const lines = [header(o)];
  if (o.sweepChange) lines.push(`warning: the sweep changed since the baseline (${o.sweepChange}); comparing anyway, as --allow-changed-sweep says`);
  if (body.length === 0) lines.push(o.changes.length > 0 ? "no metric changed beyond its interval and the tolerance" : "nothing could be compared");
  else {
    const width = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(width[i])).join("  ").trimEnd();
    lines.push(line(HEADER), ...body.map(line));
  }
  lines.push(summary(o));
  return `${lines.join("\n")}\n`;
}

export function json(o: Outcome, exitCode: number): string {
  const n = counts(o.changes);
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return `${JSON.stringify({
    current: o.current, baseline: o.baseline, sweep: o.sweep, tolerance: o.tolerance, sweep_changed: o.sweepChange ?? null,
    summary: { comparisons: o.changes.length, ...n }, exit_code: exitCode,
    comparisons: o.changes.map((c) => ({
      metric: c.metric, point: c.point, baseline: finite(c.baseline), current: finite(c.current), change: finite(c.current - c.baseline),
      half_width: finite(c.halfWidth), verdict: c.verdict,
    })),
  }, null, 2)}\n`;
}

/** Workflow-command escaping (GitHub's toolkit): the message loses %, CR and LF; properties also : and ,. */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function github(o: Outcome): string {
  const level = { worse: "error", inconclusive: "warning", better: "notice" } as const;
  const what = { worse: "regression", inconclusive: "inconclusive", better: "improvement" } as const;
  const out: string[] = [];
  if (o.sweepChange) out.push(`::warning title=${escapeProperty(`leaklab ${o.sweep}: sweep changed`)}::${escapeData(o.sweepChange)}`);
  for (const c of o.changes) {
    if (c.verdict === "same") continue;
    const title = escapeProperty(`leaklab ${what[c.verdict]} in ${o.sweep}: ${c.metric}`);
    out.push(`::${level[c.verdict]} title=${title}::${escapeData(`${c.point}: ${num(c.baseline)} -> ${num(c.current)}, ${changeText(c)}`)}`);
  }
  out.push(`::group::leaklab compare ${o.sweep}`, textTable(o).trimEnd(), "::endgroup::", summary(o));
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, stepSummary(o));
  return `${out.join("\n")}\n`;
}

/** The table as Markdown, for the job's summary page. */
function stepSummary(o: Outcome): string {
  const body = rows(o);
  const table = body.length === 0 ? [] : [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.map(mdCell).join(" | ")} |`)];
  return [`### leaklab: ${o.sweep}`, "", summary(o), "", ...table, ""].join("\n");
}
