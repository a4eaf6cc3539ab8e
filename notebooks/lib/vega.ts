/**
 * Vega-Lite specs to SVG, in Node: vega-lite compiles the spec to Vega, Vega's headless view
 * renders it to an SVG string. No browser and no canvas package: without node-canvas Vega
 * estimates text widths from character counts, which is what keeps the SVG the same on every
 * machine (real font metrics would differ with the fonts installed).
 */
import { parse, resetSVGDefIds, View, type LoggerInterface } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The report's look, applied to every spec (and kept in the spec files, so they open the same elsewhere). */
export const CHART_CONFIG = {
  font: "DejaVu Sans, Liberation Sans, Arial, sans-serif",
  // Vega estimates text widths generously without font metrics; the limits leave room for full parameter names.
  axis: { labelLimit: 420, titleFontWeight: "normal" },
  legend: { labelLimit: 600, titleLimit: 800, titleFontWeight: "normal" },
  title: { anchor: "start", fontWeight: "normal" },
} as const;

/**
 * A logger that turns every warning into a failure: Vega-Lite warns when a spec does not mean
 * what it says (a field it cannot find, a scale it must replace), and a report must not ship
 * such a chart silently.
 */
function strictLogger(where: string): LoggerInterface {
  const fail = (...args: unknown[]): never => {
    throw new Error(`${where}: ${args.map(String).join(" ")}`);
  };
  const logger: LoggerInterface = {
    level: () => logger,
    error: fail,
    warn: fail,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Clip-path and gradient ids count up across every SVG Vega renders in a process. The charts
 * share one HTML page, so their ids must differ; starting the count afresh once per report
 * makes them the same in every report of the same results.
 */
export function startReport(): void {
  resetSVGDefIds();
}

export async function renderSvg(id: string, spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec, { logger: strictLogger(`chart ${id}`) }).spec;
  const view = new View(parse(vegaSpec), { renderer: "none", logger: strictLogger(`chart ${id}`) });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
