/**
 * Recipe: the empirical CDF of exposure-window durations per point and outcome, on a log axis,
 * from windows.csv (every window that carried traffic, all replications pooled). Split by
 * outcome because strict mode turns the same exposure from a leak into drops: a leak that
 * remains under strict mode (a reused node IP, say) shows as its own line.
 *
 * windows.csv is streamed once by the report; the durations reach this recipe as each point's
 * LogSketch (50 bins per decade), so the steps are drawn at bin middles: within 2.4% of the
 * true duration on x, exact in fraction on y.
 */
import { CHART_CONFIG } from "../lib/vega.ts";
import type { Recipe } from "../lib/recipe.ts";
import { axesTitle, pointName } from "../lib/results.ts";

export default function windowEcdf(): Recipe {
  return {
    charts: (r) => {
      if (!r.windows) return [];
      const names = r.values.map((_, p) => pointName(r, p));
      // One series per (point, outcome), outcomes in a fixed order so the legend is the same every time.
      const series = r.windows.flatMap((w, p) => [...w.byOutcome.keys()].sort().map((outcome) => ({ name: `${names[p]} · ${outcome}`, sketch: w.byOutcome.get(outcome)! })));
      const rows = series.flatMap(({ name, sketch }) => sketch.steps().map((s) => ({ series: name, duration_s: s.x, fraction: s.fraction })));
      if (rows.length === 0) return [];
      const zeros = r.windows.reduce((t, w) => t + w.durations.zeros, 0);
      const censored = r.windows.reduce((t, w) => t + w.censored, 0);
      const empty = names.filter((_, p) => r.windows![p].count === 0);
      const legend = `${axesTitle(r.axes)} · outcome`;
      return [{
        id: "window-ecdf",
        title: "Exposure-window durations by outcome (empirical CDF)",
        caption: "Fraction of the exposure windows that carried traffic (`windows.csv`, all replications) lasting at most x seconds, per point "
          + "and outcome (the verdict most of a window's packets got: `leaked`, `dropped` by strict mode, ...); "
          + "durations binned at 50 per decade, so x is within 2.4%. Lines that coincide are the same windows judged "
          + "differently: replications share their seeds across points, so e.g. strict mode off and on see the same windows."
          + (censored > 0 ? ` ${censored} window(s) were still open when their run ended and enter at that time, a lower bound.` : "")
          + (zeros > 0 ? ` ${zeros} zero-length window(s) lift the first step (a log axis cannot show 0).` : "")
          + (empty.length > 0 ? ` No windows at ${empty.join(", ")}.` : ""),
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          config: CHART_CONFIG,
          width: 460,
          height: 280,
          data: { values: rows },
          mark: { type: "line", interpolate: "step-after" },
          encoding: {
            x: { field: "duration_s", type: "quantitative", scale: { type: "log" }, title: "exposure window (s, log scale)" },
            y: { field: "fraction", type: "quantitative", title: "fraction of windows", scale: { domain: [0, 1] } },
            // Colour and dash on the same field and title share one legend; dashes keep series apart where colours are alike.
            color: { field: "series", type: "nominal", sort: series.map((x) => x.name), title: legend, legend: { orient: "bottom", columns: 1 } },
            strokeDash: { field: "series", type: "nominal", sort: series.map((x) => x.name), title: legend, legend: { orient: "bottom", columns: 1 } },
          },
        },
      }];
    },
  };
}
