/**
 * Sweep files: a base scenario, a grid of dotted scenario paths -> lists of values, a seed and a
 * number of replications. The runs are the cartesian product of the grid (first key outermost)
 * times the replications. Replication r uses the same seed at every point (common random
 * numbers), so differences between points are not noise from different draws.
 *
 * Everything is validated before anything runs: a bad sweep produces one error naming the field
 * and no output.
 */
import { SpecError } from "../sim/errors.ts";
import { replicationSeed } from "../sim/random.ts";
import * as s from "../sim/schema.ts";
import { scenarioSchema, scenarioWarnings, type Scenario } from "../models/scenario/index.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const headerSchema = s.object({
  $schema: s.optional(s.string({ description: "path of the JSON Schema, for editors" })),
  name: s.string({ description: "results go to results/<name>/", check: (v) => (NAME.test(v) ? undefined : `must be a file-name-safe word (letters, digits, . _ -), got ${JSON.stringify(v)}`) }),
  description: s.optional(s.string()),
  seed: s.number({ integer: true, min: 0, max: 2 ** 32 - 1, default: 1 }),
  replications: s.number({ integer: true, min: 1, default: 1 }),
  windows: s.boolean({ default: true, description: "write windows.csv (one row per leak window with traffic); large sweeps may turn it off" }),
  base: s.custom((v) => v, () => scenarioSchema.jsonSchema(), { description: "the scenario every run starts from", default: {} }),
  variants: s.custom((v) => v, () => ({ type: "object", additionalProperties: { type: "object" } }), {
    description: "named partial scenarios merged into base, crossed with the grid (outermost), for settings that must change together",
    default: {},
  }),
  grid: s.custom((v) => v, gridJsonSchema, { description: "dotted scenario path -> list of values; runs are the cartesian product", default: {} }),
});

export interface GridAxis {
  /** A dotted scenario path, or "variant" for the sweep's named variants. */
  path: string;
  values: unknown[];
}

/** The pseudo-axis of named variants; its values are variant names. */
export const VARIANT_AXIS = "variant";

export interface Point {
  index: number;
  /** The grid value of every axis at this point, in axis order. */
  values: unknown[];
  /** The raw scenario JSON (base with the point's values applied), as workers receive it. */
  raw: unknown;
  scenario: Scenario;
  /** What Cilium would accept but ignore at this point (e.g. a strict CIDR with host bits set). */
  warnings: string[];
}

/** One run: a point and a replication. Run i is replication i % R of point floor(i / R). */
export interface Run {
  index: number;
  point: number;
  replication: number;
  seed: number;
}

export interface Sweep {
  name: string;
  /** Whether windows.csv is written (the one place this flag lives once the CLI has applied --no-windows). */
  windows: boolean;
  description?: string;
  seed: number;
  replications: number;
  axes: GridAxis[];
  points: Point[];
  /** points x replications; runs are derived by index (runAt), never listed, so a sweep of millions costs nothing to hold. */
  runCount: number;
  /** The sweep file as given. */
  source: unknown;
}

/** Run `index` of the sweep, in run order: points outermost, replications inside. */
export function runAt(sweep: Sweep, index: number): Run {
  const point = Math.floor(index / sweep.replications);
  const replication = index - point * sweep.replications;
  return { index, point, replication, seed: replicationSeed(sweep.seed, replication) };
}

/** Every run of the sweep in order (for small sweeps and tests). */
export function allRuns(sweep: Sweep): Run[] {
  return Array.from({ length: sweep.runCount }, (_, i) => runAt(sweep, i));
}

/** "path=value, ..." for a point, as messages and summaries name it. */
export function pointLabel(sweep: Sweep, point: number): string {
  return sweep.axes.map((a, i) => `${a.path}=${JSON.stringify(sweep.points[point].values[i])}`).join(", ") || "(base)";
}

/** Validates a parsed sweep file and expands it into points and runs. */
export function expandSweep(json: unknown): Sweep {
  const header = headerSchema.parse(json, "");
  const variants = parseVariants(header.variants);
  const axes = parseGrid(header.grid);
  if (Object.keys(variants).length > 0) axes.unshift({ path: VARIANT_AXIS, values: Object.keys(variants) });
  const points = cartesian(axes.map((a) => a.values)).map((values, index) => {
    const raw = structuredClone(header.base) as Record<string, unknown>;
    axes.forEach((a, i) => {
      if (a.path === VARIANT_AXIS) deepMerge(raw, variants[values[i] as string]);
      else setPath(raw, a.path, values[i]);
    });
    const scenario = parsePoint(raw, axes, values, index);
    return { index, values, raw, scenario, warnings: scenarioWarnings(scenario) };
  });
  return {
    name: header.name, windows: header.windows, description: header.description, seed: header.seed, replications: header.replications,
    axes, points, runCount: points.length * header.replications, source: json,
  };
}

function parseVariants(variants: unknown): Record<string, Record<string, unknown>> {
  if (typeof variants !== "object" || variants === null || Array.isArray(variants)) {
    throw new SpecError("variants", `must be an object of variant name -> partial scenario, got ${JSON.stringify(variants)}`);
  }
  for (const [name, v] of Object.entries(variants)) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SpecError(`variants.${name}`, `must be a partial scenario object, got ${JSON.stringify(v)}`);
  }
  if (Object.keys(variants).includes(VARIANT_AXIS)) throw new SpecError("variants", `"${VARIANT_AXIS}" is reserved`);
  return variants as Record<string, Record<string, unknown>>;
}

/** Merges `patch` into `target`: objects merge key by key, anything else replaces. */
function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    const t = target[k];
    const mergeable = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
    if (mergeable(t) && mergeable(v)) deepMerge(t as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = structuredClone(v);
  }
}

function parseGrid(grid: unknown): GridAxis[] {
  if (typeof grid !== "object" || grid === null || Array.isArray(grid)) {
    throw new SpecError("grid", `must be an object of dotted scenario paths -> lists of values, got ${JSON.stringify(grid)}`);
  }
  return Object.entries(grid).map(([path, values]) => {
    const where = `grid["${path}"]`;
    const leaf = s.schemaAt(scenarioSchema, path, where);
    if (!Array.isArray(values) || values.length === 0) throw new SpecError(where, `must be a non-empty list of values, got ${JSON.stringify(values)}`);
    values.forEach((v, i) => leaf.parse(v, `${where}[${i}]`));
    return { path, values };
  });
}

/** Parses a point's scenario; errors name the point's grid values, since the base alone may be fine. */
function parsePoint(raw: unknown, axes: GridAxis[], values: unknown[], index: number): Scenario {
  try {
    return scenarioSchema.parse(raw, "base");
  } catch (e) {
    if (!(e instanceof SpecError) || axes.length === 0) throw e;
    const at = axes.map((a, i) => `${a.path}=${JSON.stringify(values[i])}`).join(", ");
    throw new SpecError(e.path, `${e.problem} (at grid point ${index}: ${at})`);
  }
}

function cartesian(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = structuredClone(value);
}

/** Every settable dotted path of the scenario (objects and leaves), for grid completion. */
function settablePaths(schema: s.Schema<unknown>, prefix = ""): string[] {
  return Object.entries(schema.fields ?? {}).flatMap(([k, child]) => {
    const path = prefix === "" ? k : `${prefix}.${k}`;
    return [path, ...settablePaths(child, path)];
  });
}

/** Grid keys are every dotted path; each value list refers to that path's schema under `base`. */
function gridJsonSchema(): Record<string, unknown> {
  const pointer = (p: string) => `#/properties/base/properties/${p.split(".").join("/properties/")}`;
  return {
    type: "object",
    properties: Object.fromEntries(settablePaths(scenarioSchema).map((p) => [p, { type: "array", minItems: 1, items: { $ref: pointer(p) } }])),
    additionalProperties: false,
  };
}

/** JSON Schema of sweep files. */
export function sweepJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "leaklab sweep",
    ...headerSchema.jsonSchema(),
  };
}
