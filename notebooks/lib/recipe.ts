/**
 * What a report recipe is: a function that returns charts (Vega-Lite specs with their data
 * inline) from a sweep's result files. Recipes live in notebooks/recipes/, one file per chart
 * family, and are listed in notebooks/recipes/index.ts; the report renders every chart they
 * return, in order, and writes each spec to charts/<id>.vl.json.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Results } from "./results.ts";
import type { WindowRow, WindowStats } from "./windows.ts";

export interface Chart {
  /** File name under charts/ (without .vl.json); unique within a report. */
  id: string;
  title: string;
  /** What the chart shows and how its numbers were made, in a sentence or two; `code` spans allowed. */
  caption: string;
  /** A complete Vega-Lite spec; its data must be inline (`data.values`), so it opens anywhere. */
  spec: TopLevelSpec;
}

export interface ReportInput extends Results {
  /** Per point, from windows.csv; undefined when the sweep ran without windows. */
  windows?: WindowStats[];
}

export interface Recipe {
  /**
   * Optional: called with every windows.csv row, in file order, before `charts`. The file can
   * be gigabytes: keep bounded state (counts, a sketch), never the rows.
   */
  window?: (w: WindowRow) => void;
  charts: (r: ReportInput) => Chart[];
  /** Optional: sentences the report lists under its charts, e.g. what was not drawn and why. */
  notes?: (r: ReportInput) => string[];
}

/** Recipes are factories, so that state gathered from windows.csv starts fresh for every report. */
export type RecipeFactory = () => Recipe;
