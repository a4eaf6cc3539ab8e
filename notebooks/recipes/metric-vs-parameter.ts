/**
 * Recipe: each swept parameter against the leak- and exposure-window p99s, the leaked packets and the false
 * drops, with 95% intervals over replications, one line per value of the other parameters. A
 * metric that is 0 at every point is not drawn (a flat line at zero); a note says so.
 *
 * To chart another runs.csv column against the parameters, copy this file, change METRICS,
 * and list the copy in index.ts.
 */
import { slug } from "../lib/format.ts";
import { isSwept, lineSpec } from "../lib/lines.ts";
import type { Chart, Recipe, ReportInput } from "../lib/recipe.ts";
import { hasColumn } from "../lib/results.ts";

const METRICS = [
  { column: "leak_window_p99_s", id: "leak-p99", label: "leak window p99 (s)" },
  { column: "exposure_window_p99_s", id: "exposure-p99", label: "exposure window p99 (s)" },
  { column: "leaked_packets", id: "leaked-packets", label: "leaked packets per run" },
  { column: "false_dropped_packets", id: "false-drops", label: "false drops per run" },
];

/** True when every run has 0 (or no value) in the column. */
function allZero(r: ReportInput, column: string): boolean {
  return r.runs.every((row) => row[column] === "" || Number(row[column]) === 0);
}

export default function metricVsParameter(): Recipe {
  return {
    charts: (r) => r.axes.filter((axis) => isSwept(r, axis)).flatMap((axis) => METRICS.flatMap(({ column, id, label }): Chart[] => {
      const spec = hasColumn(r, column) && !allZero(r, column) ? lineSpec(r, axis, column, label) : undefined;
      if (!spec) return [];
      const others = r.axes.filter((a) => a !== axis);
      return [{
        id: `${id}-vs-${slug(axis)}`,
        title: `${label} against ${axis}`,
        caption: `\`${column}\` per point: the mean over replications, the bar its 95% interval (Student t)`
          + `${others.length ? `; one line per value of ${others.map((a) => `\`${a}\``).join(" and ")}` : ""}.`
          + (column === "leak_window_p99_s" ? " Each run's p99 is over all (pod, sending node) pairs of the seconds plaintext left for the pod, zero where none did." : "")
          + (column === "exposure_window_p99_s" ? " Each run's p99 is over all (pod, sending node) pairs of the time the sender could not encrypt to the pod, leaked or dropped." : ""),
        spec,
      }];
    })),
    notes: (r) => {
      const zero = METRICS.filter(({ column }) => hasColumn(r, column) && allZero(r, column)).map(({ column }) => `\`${column}\``);
      return zero.length > 0 && r.axes.some((a) => isSwept(r, a)) ? [`Not drawn against the parameters, being 0 at every point: ${zero.join(", ")}.`] : [];
    },
  };
}
