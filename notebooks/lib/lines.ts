/**
 * The chart behind "metric against a swept parameter": the parameter on x, the mean over
 * replications on y with its 95% interval as a bar, one line per combination of the other
 * parameters' values. Used by the metric and the cost recipes.
 */
import type { TopLevelSpec } from "vega-lite";
import { valueText } from "./format.ts";
import { axesTitle, perPoint, pointValues, type Results } from "./results.ts";
import { CHART_CONFIG } from "./vega.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Distinct values in first-seen order (points run in grid order, so this is the grid's order). */
function ordered<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** True when the axis has more than one value, so there is something to draw a line through. */
export function isSwept(r: Results, axis: string): boolean {
  const i = r.axes.indexOf(axis);
  return ordered(r.values.map((v) => valueText(v[i]))).length > 1;
}

/** True when changing only `axis` changes the column's mean at some setting of the other axes. */
export function variesAlong(r: Results, axis: string, column: string): boolean {
  const others = r.axes.filter((a) => a !== axis);
  const means = perPoint(r, column).map((s) => s.mean);
  const seen = new Map<string, number>();
  return r.values.some((_, p) => {
    if (Number.isNaN(means[p])) return false;
    const key = pointValues(r, p, others);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, means[p]);
    return first !== undefined && first !== means[p];
  });
}

/**
 * The line chart of `column` against `axis`; undefined when no point has a value. `zero`: the y
 * axis starts at 0 (counts, durations); without it a small change (a cost) fills the chart.
 */
export function lineSpec(r: Results, axis: string, column: string, yTitle: string, zero = true): TopLevelSpec | undefined {
  const i = r.axes.indexOf(axis);
  const others = r.axes.filter((a) => a !== axis);
  const raw = r.values.map((v) => v[i]);
  // Numbers get a numeric axis (log when they span a factor of 20 or more); anything else is ordered as in the grid.
  const numeric = raw.every((v) => typeof v === "number");
  const positive = numeric && raw.every((v) => (v as number) > 0);
  const spread = positive ? Math.max(...(raw as number[])) / Math.min(...(raw as number[])) : 0;
  const summaries = perPoint(r, column);
  const rows = r.values.flatMap((_, p) => {
    const s = summaries[p];
    if (s.n === 0) return [];
    const half = Number.isFinite(s.halfWidth) ? s.halfWidth : 0;
    return [{
      [axis]: numeric ? raw[p] : valueText(raw[p]), series: others.length ? pointValues(r, p, others) : "all points",
      mean: s.mean, low: s.mean - half, high: s.mean + half, replications: s.n,
    }];
  });
  if (rows.length === 0) return undefined;
  const series = ordered(rows.map((row) => row.series as string));
  // Field names with dots would read as nested paths in Vega-Lite; the `field` escapes them.
  const field = axis.replace(/\./g, "\\.");
  const x = numeric
    ? { field, type: "quantitative" as const, title: axis, scale: spread >= 20 ? { type: "log" as const } : { zero: false } }
    : {
      field, type: "ordinal" as const, title: axis, sort: ordered(raw.map(valueText)), scale: { type: "point" as const, padding: 0.5 },
      // Long values (JSON lists) would overlap side by side: slant them.
      axis: Math.max(...raw.map((v) => valueText(v).length)) > 14 ? { labelAngle: -20, labelAlign: "right" as const } : { labelAngle: 0 },
    };
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    width: 440,
    height: 260,
    data: { values: rows },
    encoding: {
      x,
      color: {
        field: "series", type: "nominal", sort: series, title: axesTitle(others),
        scale: { scheme: series.length > 10 ? "tableau20" : "tableau10" },
        legend: others.length ? { orient: "bottom", columns: 1 } : null,
      },
    },
    layer: [
      { mark: { type: "line", point: true }, encoding: { y: { field: "mean", type: "quantitative", title: yTitle, scale: { zero } } } },
      { mark: { type: "errorbar", ticks: { size: 10 } }, encoding: { y: { field: "low", type: "quantitative", title: yTitle, scale: { zero } }, y2: { field: "high" } } },
    ],
  };
}
