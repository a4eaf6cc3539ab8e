/**
 * The report's chart recipes, in the order the report shows them. To add a chart, copy the
 * recipe closest to it, change what it draws, and list it here.
 */
import type { RecipeFactory } from "../lib/recipe.ts";
import costVsParameter from "./cost-vs-parameter.ts";
import metricVsParameter from "./metric-vs-parameter.ts";
import verdictMix from "./verdict-mix.ts";
import windowEcdf from "./window-ecdf.ts";

export const RECIPES: RecipeFactory[] = [windowEcdf, metricVsParameter, verdictMix, costVsParameter];
