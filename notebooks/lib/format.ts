/**
 * Numbers and values as the report prints them. Everything here is locale-free (no
 * toLocaleString, whose output depends on the ICU data Node was built with), so a report has
 * the same bytes on every machine.
 */
import type { Summary } from "../../sim/stats.ts";

/** Thousands separated by commas: 1234567 -> "1,234,567". */
function grouped(n: number): string {
  const [int, frac] = String(n).split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac === undefined ? "" : `.${frac}`);
}

/** Three significant digits below 1,000, whole numbers with separators above; "n/a" for NaN. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  if (Math.abs(x) >= 1000) return grouped(Math.round(x));
  if (x === 0) return "0";
  return String(Number(x.toPrecision(3)));
}

/** "mean ± half-width", or the mean alone when the spread is unknown (one replication). */
export function estimate(s: Summary): string {
  if (s.n === 0) return "n/a";
  return Number.isFinite(s.halfWidth) ? `${fmt(s.mean)} ± ${fmt(s.halfWidth)}` : fmt(s.mean);
}

/** A grid value as a cell: strings as they are, anything else as JSON (true, 5, [{"at":60}]). */
export function valueText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v) ?? "";
}

/** A file-name-safe form of a scenario path, for chart ids. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "") || "base";
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Text with `code` spans (the only markup report text uses) as HTML. */
export function inlineHtml(text: string): string {
  return text.split("`").map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part))).join("");
}

/** A Markdown table cell: pipes escaped, no line breaks. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
