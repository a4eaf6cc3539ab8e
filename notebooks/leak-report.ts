/**
 * npm run report -- results/<name> [--out DIR]
 *
 * A report you can send, from a finished sweep's result files: report.html (one self-contained
 * file, charts as inline SVG) and report.md (for code review, charts as charts/*.svg), with
 * provenance, per-point tables with 95% intervals, the charts of every recipe in
 * notebooks/recipes/ (each spec also in charts/<id>.vl.json with its data inline), and the
 * warnings, failed runs and censored windows that qualify the numbers.
 *
 * The report is a pure function of the result files and the folder names given: no clock, no
 * host, no locale reaches it, so the same results give the same bytes. windows.csv is read
 * once, streaming, into bounded per-point summaries (notebooks/lib/windows.ts).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { text, value, type CommandSpec, type Flag } from "../experiments/args.ts";
import { InputError, isMain, runCommand } from "../experiments/command.ts";
import { toMarkdown, type Block, type ReportDocument } from "./lib/document.ts";
import { toHtml } from "./lib/html.ts";
import type { Chart, RecipeFactory, ReportInput } from "./lib/recipe.ts";
import { loadResults } from "./lib/results.ts";
import { caveats, headline, provenance } from "./lib/sections.ts";
import { renderSvg, startReport } from "./lib/vega.ts";
import { streamWindows, windowCollector } from "./lib/windows.ts";
import { RECIPES } from "./recipes/index.ts";

export const reportSpec = {
  usage: "npm run report -- results/NAME [--out DIR]",
  summary: "Write report.html and report.md (and charts/*.vl.json, charts/*.svg, sweep.json) from a finished sweep's result files,\n"
    + "and print the Markdown.",
  positionals: { names: "the sweep's output folder (results/NAME)", min: 1, max: 1 },
  flags: {
    out: value("DIR", "write the report into this folder (default: the results folder itself)", text),
  },
} satisfies CommandSpec<Record<string, Flag>>;

export interface Report {
  markdown: string;
  html: string;
  /** sweep.json: the sweep file as run, so the re-run command works from the report alone. */
  sweep: string;
  charts: { id: string; spec: string; svg: string }[];
}

export async function buildReport(dir: string, out = dir, recipeList: RecipeFactory[] = RECIPES): Promise<Report> {
  const results = loadResults(dir);
  const recipes = recipeList.map((make) => make());
  const input: ReportInput = { ...results };
  if (results.windowsFile) {
    const collect = windowCollector(results.values.length, results.windowsFile);
    const hooks = recipes.flatMap((r) => (r.window ? [r.window] : []));
    await streamWindows(results.windowsFile, (w) => {
      collect.add(w);
      for (const h of hooks) h(w);
    });
    input.windows = collect.stats;
  }
  const charts = recipes.flatMap((r) => r.charts(input));
  const notes = recipes.flatMap((r) => r.notes?.(input) ?? []);
  const ids = charts.map((c) => c.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new Error(`two charts have the id ${twice}; chart ids name files and must be unique`);
  startReport();
  const rendered: { chart: Chart; svg: string }[] = [];
  for (const chart of charts) rendered.push({ chart, svg: await renderSvg(chart.id, chart.spec) });

  const m = results.manifest;
  const noWindows = !results.windowsFile && m.sweep.windows !== false ? " --no-windows" : "";
  const doc: ReportDocument = {
    title: m.sweep.name,
    blocks: [
      ...(m.sweep.description ? [{ kind: "text", text: m.sweep.description } as Block] : []),
      ...provenance(results, `npm run report -- ${dir}${out === dir ? "" : ` --out ${out}`}`,
        `npm run experiment -- ${join(out, "sweep.json")} --out ${dir}-rerun${noWindows}`),
      ...caveats(input),
      ...headline(input),
      ...(rendered.length + notes.length > 0 ? [{ kind: "heading", text: "Charts" } as Block] : []),
      ...rendered.map(({ chart, svg }): Block => ({ kind: "chart", chart: { id: chart.id, title: chart.title, caption: chart.caption, svg } })),
      ...(notes.length > 0 ? [{ kind: "list", items: notes } as Block] : []),
    ],
  };
  return {
    markdown: toMarkdown(doc),
    html: toHtml(doc),
    sweep: `${JSON.stringify(m.sweep, null, 2)}\n`,
    charts: rendered.map(({ chart, svg }) => ({ id: chart.id, spec: `${JSON.stringify(chart.spec, null, 2)}\n`, svg: `${svg}\n` })),
  };
}

/** Writes the report's files into `out`; chart files an earlier report left and this one does not make are removed. */
export function writeReport(report: Report, out: string): void {
  const charts = join(out, "charts");
  try {
    mkdirSync(charts, { recursive: true });
    const keep = new Set(report.charts.flatMap((c) => [`${c.id}.vl.json`, `${c.id}.svg`]));
    for (const f of readdirSync(charts)) if (/\.(vl\.json|svg)$/.test(f) && !keep.has(f)) rmSync(join(charts, f));
    for (const c of report.charts) {
      writeFileSync(join(charts, `${c.id}.vl.json`), c.spec);
      writeFileSync(join(charts, `${c.id}.svg`), c.svg);
    }
    writeFileSync(join(out, "sweep.json"), report.sweep);
    writeFileSync(join(out, "report.md"), report.markdown);
    writeFileSync(join(out, "report.html"), report.html);
  } catch (e) {
    throw new InputError(`cannot write the report into ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

if (isMain(import.meta.url)) {
  void runCommand(reportSpec, async ({ flags, positionals: [dir] }) => {
    const out = flags.out ?? dir;
    const report = await buildReport(dir, out);
    writeReport(report, out);
    process.stdout.write(report.markdown);
    console.error(`wrote ${join(out, "report.html")}, ${join(out, "report.md")} and ${report.charts.length} chart(s) in ${join(out, "charts")}/`);
    return 0;
  });
}
