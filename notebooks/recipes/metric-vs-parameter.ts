/**
 * Recipe: each swept parameter against the leak-window p99 and the leaked packets, with 95%
 * intervals over replications, one line per value of the other parameters.
 *
 * To chart another runs.csv column against the parameters, copy this file, change METRICS,
 * and list the copy in index.ts.
 */
import { slug } from "../lib/format.ts";
import { isSwept, lineSpec } from "../lib/lines.ts";
import type { Chart, Recipe } from "../lib/recipe.ts";
import { hasColumn } from "../lib/results.ts";

const METRICS = [
  { column: "leak_window_p99_s", id: "window-p99", label: "window p99 (s)" },
  { column: "leaked_packets", id: "leaked-packets", label: "leaked packets per run" },
];

export default function metricVsParameter(): Recipe {
  return {
    charts: (r) => r.axes.filter((axis) => isSwept(r, axis)).flatMap((axis) => METRICS.flatMap(({ column, id, label }): Chart[] => {
      const spec = hasColumn(r, column) ? lineSpec(r, axis, column, label) : undefined;
      if (!spec) return [];
      const others = r.axes.filter((a) => a !== axis);
      return [{
        id: `${id}-vs-${slug(axis)}`,
        title: `${label} against ${axis}`,
        caption: `\`${column}\` per point: the mean over replications, the bar its 95% interval (Student t)`
          + `${others.length ? `; one line per value of ${others.map((a) => `\`${a}\``).join(" and ")}` : ""}.`
          + (column === "leak_window_p99_s" ? " Each run's p99 is over all (pod, sending node) pairs, zero where the sender encrypted from the start." : ""),
        spec,
      }];
    })),
  };
}
