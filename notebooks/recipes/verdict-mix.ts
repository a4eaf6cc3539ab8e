/**
 * Recipe: the verdict mix per point as stacked bars (mean packets per run over replications).
 * Encrypted packets usually dwarf the rest, so two panels share the points: every verdict's
 * share of all packets, and the packets that went wrong (neither encrypted nor plaintext by
 * design), by verdict, as counts.
 * Verdicts no point has are left out.
 */
import { VERDICTS } from "../../models/datapath/verdict.ts";
import { CHART_CONFIG } from "../lib/vega.ts";
import type { Recipe } from "../lib/recipe.ts";
import { axesTitle, hasColumn, perPoint, pointName } from "../lib/results.ts";

/** Fixed colours, so a verdict looks the same in every report: green is good, red leaked, warm colours drops. */
const COLOURS: Record<string, string> = {
  encrypted: "#2ca02c", plaintext_allowed: "#aec7e8", leaked: "#d62728", strict_dropped: "#ff7f0e",
  false_dropped: "#9467bd", wg_dropped: "#8c564b", misdelivered: "#e377c2", host_plaintext: "#bcbd22",
};

export default function verdictMix(): Recipe {
  return {
    charts: (r) => {
      const verdicts = VERDICTS.filter((v) => hasColumn(r, `${v}_packets`));
      const means = new Map(verdicts.map((v) => [v, perPoint(r, `${v}_packets`).map((s) => s.mean)]));
      const present = verdicts.filter((v) => means.get(v)!.some((m) => m > 0));
      const rows = r.values.flatMap((_, p) => present.map((verdict, order) => ({ point: pointName(r, p), verdict, order, packets: means.get(verdict)![p] })))
        .filter((row) => Number.isFinite(row.packets));
      if (rows.length === 0) return [];
      const points = r.values.map((_, p) => pointName(r, p));
      // The points' labels list the parameters' values; their names go in the title above, too long for an axis title.
      const y = (labels: boolean) => ({
        field: "point", type: "ordinal" as const, sort: points, title: null,
        axis: labels ? { labelLimit: 800 } : { labels: false, ticks: false },
      });
      const color = {
        field: "verdict", type: "nominal" as const, title: "verdict", sort: present,
        scale: { domain: present, range: present.map((v) => COLOURS[v]) }, legend: { orient: "bottom" as const, columns: 4 },
      };
      const order = { field: "order", type: "quantitative" as const };
      return [{
        id: "verdict-mix",
        title: "Verdict mix per point",
        caption: "Left: each verdict's share of the packets a run judged (`<verdict>_packets`, mean over replications). "
          + "Right: the packets that were neither encrypted nor plaintext by design (`plaintext_allowed`), by verdict, per run. "
          + "The tables above give the counts with intervals.",
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          config: CHART_CONFIG,
          data: { values: rows },
          title: { text: `points: ${axesTitle(r.axes)}`, fontSize: 12 },
          hconcat: [
            {
              width: 300, height: { step: 22 }, mark: "bar",
              encoding: { y: y(true), x: { field: "packets", type: "quantitative", stack: "normalize", title: "share of all packets", axis: { format: "%" } }, color, order },
            },
            {
              width: 300, height: { step: 22 }, mark: "bar",
              transform: [{ filter: "datum.verdict !== 'encrypted' && datum.verdict !== 'plaintext_allowed'" }],
              encoding: { y: y(false), x: { field: "packets", type: "quantitative", stack: "zero", title: "packets leaked, dropped, misdelivered or host plaintext, per run" }, color, order },
            },
          ],
        },
      }];
    },
  };
}
