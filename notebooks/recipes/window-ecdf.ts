/**
 * Recipe: the empirical CDF of leak-window durations per point, on a log axis, from
 * windows.csv (every window that carried traffic, all replications pooled).
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
      const rows = r.windows.flatMap((w, p) => w.durations.steps().map((s) => ({ point: names[p], duration_s: s.x, fraction: s.fraction })));
      if (rows.length === 0) return [];
      const zeros = r.windows.reduce((t, w) => t + w.durations.zeros, 0);
      const censored = r.windows.reduce((t, w) => t + w.censored, 0);
      const empty = names.filter((_, p) => r.windows![p].count === 0);
      return [{
        id: "window-ecdf",
        title: "Leak-window durations (empirical CDF)",
        caption: "Fraction of the windows that carried traffic (`windows.csv`, all replications) lasting at most x seconds; "
          + "durations binned at 50 per decade, so x is within 2.4%. Points with the same windows draw the same line "
          + "(replications share seeds across points)."
          + (censored > 0 ? ` ${censored} window(s) were still open when their run ended and enter at that time, a lower bound.` : "")
          + (zeros > 0 ? ` ${zeros} zero-length window(s) lift the first step (a log axis cannot show 0).` : "")
          + (empty.length > 0 ? ` No windows at ${empty.join(", ")}.` : ""),
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          config: CHART_CONFIG,
          width: 520,
          height: 280,
          data: { values: rows },
          mark: { type: "line", interpolate: "step-after" },
          encoding: {
            x: { field: "duration_s", type: "quantitative", scale: { type: "log" }, title: "window duration (s, log scale)" },
            y: { field: "fraction", type: "quantitative", title: "fraction of windows", scale: { domain: [0, 1] } },
            // Colour and dash on the same field and title share one legend; dashes keep series apart where colours are alike.
            color: { field: "point", type: "nominal", sort: names, title: axesTitle(r.axes), legend: { orient: "bottom", columns: 1 } },
            strokeDash: { field: "point", type: "nominal", sort: names, title: axesTitle(r.axes), legend: { orient: "bottom", columns: 1 } },
          },
        },
      }];
    },
  };
}
