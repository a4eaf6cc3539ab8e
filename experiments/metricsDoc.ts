/**
 * The README's runs.csv column table, generated from the metric catalogue (models/metrics.ts)
 * between two markers, so the documentation of a column cannot drift from the column. npm run
 * schema rewrites it; a test fails when the committed README is out of date.
 */
import { METRICS } from "../models/metrics.ts";

export const README_FILE = new URL("../README.md", import.meta.url);
const BEGIN = "<!-- metrics table: generated from models/metrics.ts by npm run schema -->";
const END = "<!-- end of metrics table -->";

export function metricsTable(): string {
  const rows = METRICS.map((m) => `| \`${m.name}\` | ${m.unit} | ${m.statistic} | ${m.worse ? `${m.worse}${m.tracked ? ", tracked" : ""}` : ""} | ${m.meaning} |`);
  return ["| column | unit | within a run | worse | meaning |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** The README with its metrics table regenerated; throws if the markers are missing. */
export function readmeWithMetrics(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the metrics table markers (${BEGIN} ... ${END})`);
  return `${readme.slice(0, a + BEGIN.length)}\n${metricsTable()}\n${readme.slice(b)}`;
}
