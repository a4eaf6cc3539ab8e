/**
 * The report as one self-contained HTML file: styles inline, every chart an inline SVG, no
 * script and no external resource, so it opens offline, in a mail attachment, anywhere.
 * Links point only to the spec files beside it (charts/*.vl.json).
 */
import type { Block, ReportDocument } from "./document.ts";
import { escapeHtml, inlineHtml } from "./format.ts";

const STYLE = `
body { font: 15px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 0 auto; padding: 24px 32px 64px; max-width: 1180px; }
h1 { font-size: 26px; margin: 0 0 8px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 6px; }
code { font: 13px "DejaVu Sans Mono", monospace; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
pre { font: 12px/1.35 "DejaVu Sans Mono", monospace; background: #f6f6f6; padding: 10px; overflow-x: auto; }
.scroll { overflow-x: auto; } table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13.5px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f3f3f3; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.warning { background: #fff4e0; border-left: 4px solid #e69500; padding: 6px 12px; margin: 8px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
figure { margin: 14px 0 22px; width: fit-content; max-width: 100%; } figure svg { max-width: 100%; height: auto; display: block; }
/* Title and caption as wide as their chart: they take no width of their own, so they wrap. */
figure h3, figcaption { width: 0; min-width: 100%; } figcaption { color: #444; font-size: 13.5px; }
`;

function block(b: Block): string {
  switch (b.kind) {
    case "heading":
      return `<h2>${inlineHtml(b.text)}</h2>`;
    case "text":
      return `<p>${inlineHtml(b.text)}</p>`;
    case "list":
      return `<ul>\n${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join("\n")}\n</ul>`;
    case "warning":
      return `<div class="warning">${inlineHtml(b.text)}</div>`;
    case "table": {
      const { header, rows, numericFrom } = b.table;
      const cls = (i: number) => (i >= numericFrom ? ` class="num"` : "");
      // Column names are runs.csv's snake_case: let them wrap after an underscore.
      const th = (h: string) => `<th>${escapeHtml(h).replace(/_/g, "_<wbr>")}</th>`;
      return `<div class="scroll"><table>\n<thead><tr>${header.map(th).join("")}</tr></thead>\n<tbody>\n`
        + rows.map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n")
        + "\n</tbody></table></div>";
    }
    case "json":
      return `<details><summary>${inlineHtml(b.summary)}</summary><pre>${escapeHtml(b.text)}</pre></details>`;
    case "chart": {
      const c = b.chart;
      return `<figure class="chart" id="chart-${escapeHtml(c.id)}">\n<h3>${inlineHtml(c.title)}</h3>\n${c.svg}\n`
        + `<figcaption>${inlineHtml(c.caption)} Spec: <a href="charts/${escapeHtml(c.id)}.vl.json">charts/${escapeHtml(c.id)}.vl.json</a>.</figcaption>\n</figure>`;
    }
  }
}

/** Blocks as HTML; consecutive charts share a wrapping row, so two fit side by side on a wide screen. */
function body(blocks: Block[]): string {
  const out: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].kind !== "chart") {
      out.push(block(blocks[i]));
      continue;
    }
    const run: string[] = [];
    for (; i < blocks.length && blocks[i].kind === "chart"; i++) run.push(block(blocks[i]));
    i--;
    out.push(`<div class="charts">\n${run.join("\n")}\n</div>`);
  }
  return out.join("\n");
}

export function toHtml(doc: ReportDocument): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)} · leaklab report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
${body(doc.blocks)}
</body>
</html>
`;
}
