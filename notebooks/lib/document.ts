/**
 * A report as a list of blocks, built once and written twice: as Markdown (report.md, for code
 * review) and as HTML (report.html, html.ts). Text may hold `code` spans and nothing else, so
 * both renderings say the same.
 */
import { mdCell } from "./format.ts";

export interface Table {
  header: string[];
  rows: string[][];
  /** Columns from this index on are numbers, right-aligned. */
  numericFrom: number;
}

export interface RenderedChart {
  id: string;
  title: string;
  caption: string;
  svg: string;
}

export type Block =
  | { kind: "heading"; text: string }
  | { kind: "text"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "warning"; text: string }
  | { kind: "table"; table: Table }
  | { kind: "json"; summary: string; text: string }
  | { kind: "chart"; chart: RenderedChart };

export interface ReportDocument {
  title: string;
  blocks: Block[];
}

export function toMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${doc.title}`, ""];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case "heading":
        out.push(`## ${b.text}`, "");
        break;
      case "text":
        out.push(b.text, "");
        break;
      case "list":
        out.push(...b.items.map((i) => `- ${i}`), "");
        break;
      case "warning":
        out.push(`> **Note:** ${b.text}`, "");
        break;
      case "table": {
        const { header, rows, numericFrom } = b.table;
        out.push(`| ${header.map(mdCell).join(" | ")} |`, `|${header.map((_, i) => (i >= numericFrom ? "---:" : "---")).join("|")}|`);
        for (const row of rows) out.push(`| ${row.map(mdCell).join(" | ")} |`);
        out.push("");
        break;
      }
      case "json": {
        // A fence longer than any run of backticks inside, so the text cannot close it.
        const fence = "`".repeat(Math.max(3, ...[...b.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
        out.push(`<details><summary>${b.summary}</summary>`, "", `${fence}json`, b.text, fence, "", "</details>", "");
        break;
      }
      case "chart":
        out.push(`### ${b.chart.title}`, "", `![${b.chart.title}](charts/${b.chart.id}.svg)`, "",
          `${b.chart.caption} Spec: [charts/${b.chart.id}.vl.json](charts/${b.chart.id}.vl.json).`, "");
        break;
    }
  }
  return out.join("\n").replace(/\n+$/, "\n");
}
