/**
 * Recipe: what encryption costs (throughput overhead, CPU per Gbit/s) against each swept
 * parameter along which it changes; none where the cost is the same at every point.
 */
import { slug } from "../lib/format.ts";
import { isSwept, lineSpec, variesAlong } from "../lib/lines.ts";
import type { Chart, Recipe } from "../lib/recipe.ts";
import { hasColumn } from "../lib/results.ts";

const COSTS = [
  { column: "throughput_overhead_pct", id: "throughput-overhead", label: "throughput overhead (%)" },
  { column: "cpu_overhead_cores_per_gbps", id: "cpu-per-gbps", label: "extra CPU (cores per Gbit/s)" },
];

export default function costVsParameter(): Recipe {
  return {
    charts: (r) => r.axes.filter((axis) => isSwept(r, axis)).flatMap((axis) => COSTS.flatMap(({ column, id, label }): Chart[] => {
      if (!hasColumn(r, column) || !variesAlong(r, axis, column)) return [];
      // Costs differ by fractions of a percent between versions: the axis does not start at 0, so the difference shows.
      const spec = lineSpec(r, axis, column, label, false);
      if (!spec) return [];
      return [{
        id: `${id}-vs-${slug(axis)}`,
        title: `${label} against ${axis}`,
        caption: `\`${column}\` from the cost model (docs/cost-model.md) for each point's traffic, MTU and hardware; `
          + "the mean over replications with its 95% interval (the model is analytic, so replications agree). The y axis does not start at 0.",
        spec,
      }];
    })),
  };
}
