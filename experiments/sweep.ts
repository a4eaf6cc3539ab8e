/**
 * Sweep files: a base scenario, a grid of dotted scenario paths -> lists of values, a seed and a
 * number of replications. The runs are the cartesian product of the grid (first key outermost)
 * times the replications. Replication r uses the same seed at every point (common random
 * numbers), so differences between points are not noise from different draws.
 *
 * Everything is validated before anything runs: a bad sweep produces one error naming the field
 * and no output.
 */
import { showValue, SpecError } from "../sim/errors.ts";
import { checkJsonInput, forbiddenKeyProblem, isForbiddenKey } from "../sim/input.ts";
import { replicationSeed } from "../sim/random.ts";
import * as s from "../sim/schema.ts";
import { scenarioSchema, scenarioWarnings, type Scenario } from "../models/scenario/index.ts";
import { checkRunCount, checkSizes, DEFAULT_LIMITS, MAX_RUNS, RUNS_WHY, type SizeLimits } from "./limits.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const headerSchema = s.object({
  $schema: s.optional(s.string({ description: "path of the JSON Schema, for editors" })),
  name: s.string({ description: "results go to results/<name>/", check: (v) => (NAME.test(v) ? undefined : `must be a file-name-safe word (letters, digits, . _ -), got ${showValue(v)}`) }),
  description: s.optional(s.string()),
  seed: s.number({ integer: true, min: 0, max: 2 ** 32 - 1, default: 1 }),
  replications: s.number({ integer: true, min: 1, max: MAX_RUNS, why: RUNS_WHY, default: 1 }),
  windows: s.boolean({ default: true, description: "write windows.csv (one row per leak window with traffic); large sweeps may turn it off" }),
  base: s.custom(partialScenario, () => scenarioSchema.jsonSchema(), { description: "the scenario every run starts from", default: {} }),
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

/**
 * Validates a parsed sweep file and expands it into points and runs. `limits` bounds the size
 * of the sweep (grid points, runs, pods and pairs; the CLI's --max-* flags raise them): the
 * point and run counts are checked before any point is built, so a sweep of 10 million runs
 * is refused at once.
 */
export function expandSweep(json: unknown, limits: SizeLimits = DEFAULT_LIMITS): Sweep {
  // Nesting and prototype keys first: everything below walks the input recursively.
  checkJsonInput(json);
  const header = headerSchema.parse(json, "");
  const variants = parseVariants(header.variants);
  const grid = parseGrid(header.grid);
  const axes = grid.map(({ path, values }) => ({ path, values }));
  if (Object.keys(variants).length > 0) axes.unshift({ path: VARIANT_AXIS, values: Object.keys(variants) });
  checkRunCount(axes, header.replications, limits);
  for (const { path, values, leaf } of grid) values.forEach((v, i) => leaf.parse(v, `grid["${path}"][${i}]`));
  const base = header.base as Record<string, unknown>;
  const points = cartesian(axes.map((a) => a.values)).map((values, index) => {
    const raw = structuredClone(base);
    const variant = axes[0]?.path === VARIANT_AXIS ? (values[0] as string) : undefined;
    axes.forEach((a, i) => {
      if (a.path === VARIANT_AXIS) deepMerge(raw, variants[values[i] as string], `variants.${values[i] as string}`);
      else setPath(raw, a.path, values[i], (prefix) => originOf(prefix, base, variant === undefined ? undefined : { name: variant, patch: variants[variant] }));
    });
    const scenario = parsePoint(raw, axes, values, index);
    return { index, values, raw, scenario, warnings: scenarioWarnings(scenario) };
  });
  const sweep: Sweep = {
    name: header.name, windows: header.windows, description: header.description, seed: header.seed, replications: header.replications,
    axes, points, runCount: points.length * header.replications, source: json,
  };
  checkSizes(sweep, limits, (p) => pointLabel(sweep, p));
  return sweep;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** `base` (and every variant) is a partial scenario: an object, checked in full once merged. */
function partialScenario(v: unknown, path: string): unknown {
  if (!isPlainObject(v)) throw new SpecError(path, `must be an object (a partial scenario; {} for all defaults), got ${showValue(v)}`);
  return v;
}

function parseVariants(variants: unknown): Record<string, Record<string, unknown>> {
  if (!isPlainObject(variants)) {
    throw new SpecError("variants", `must be an object of variant name -> partial scenario, got ${showValue(variants)}`);
  }
  for (const [name, v] of Object.entries(variants)) {
    if (!isPlainObject(v)) throw new SpecError(`variants.${name}`, `must be a partial scenario object, got ${showValue(v)}`);
  }
  if (Object.hasOwn(variants, VARIANT_AXIS)) throw new SpecError("variants", `"${VARIANT_AXIS}" is reserved`);
  return variants as Record<string, Record<string, unknown>>;
}

/** Sets an own data property: never a setter, never a prototype (the keys were checked too). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

const ownValue = (obj: Record<string, unknown>, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/**
 * Merges `patch` (a variant, named `where` in errors) into `target`: objects merge key by key,
 * anything else replaces. A patch object below a value that is no object is an error where the
 * scenario wants an object there (`"cluster": 5` in base would otherwise vanish unread); where
 * it wants a value (a constant delay replaced by a distribution) the patch replaces it.
 */
function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>, where: string, prefix = ""): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    const t = ownValue(target, k);
    const path = prefix === "" ? k : `${prefix}.${k}`;
    if (isPlainObject(t) && isPlainObject(v)) {
      deepMerge(t, v, where, path);
      continue;
    }
    if (isPlainObject(v) && t !== undefined && wantsObject(path)) {
      throw new SpecError(`base.${path}`, `must be an object (with keys ${objectKeys(path)}), got ${showValue(t)}; ${where} sets fields below it (${where}.${path})`);
    }
    setOwn(target, k, structuredClone(v));
  }
}

/** True when the scenario's schema at `dotted` is an object with fields. */
function wantsObject(dotted: string): boolean {
  try {
    return s.schemaAt(scenarioSchema, dotted, "").fields !== undefined;
  } catch {
    return false;
  }
}

const objectKeys = (dotted: string): string => Object.keys(s.schemaAt(scenarioSchema, dotted, "").fields ?? {}).join(", ");

interface ParsedAxis {
  path: string;
  values: unknown[];
  leaf: s.Schema<unknown>;
}

/** Grid keys and the shape of their value lists; the values are parsed once the run count is known to be sane. */
function parseGrid(grid: unknown): ParsedAxis[] {
  if (!isPlainObject(grid)) {
    throw new SpecError("grid", `must be an object of dotted scenario paths -> lists of values, got ${showValue(grid)}`);
  }
  return Object.entries(grid).map(([path, values]) => {
    const where = `grid["${path}"]`;
    const forbidden = path.split(".").find(isForbiddenKey);
    if (forbidden !== undefined) throw new SpecError(where, forbiddenKeyProblem(forbidden));
    const leaf = s.schemaAt(scenarioSchema, path, where);
    if (!Array.isArray(values) || values.length === 0) throw new SpecError(where, `must be a non-empty list of values, got ${showValue(values)}`);
    return { path, values, leaf };
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

/**
 * Sets a grid value at its dotted path, creating the objects above it. A value above it that is
 * no object is an error naming where it came from (`originOf`): a grid path below it would
 * otherwise replace it unread.
 */
function setPath(obj: Record<string, unknown>, dotted: string, value: unknown, origin: (prefix: string) => string): void {
  const keys = dotted.split(".");
  let node = obj;
  keys.slice(0, -1).forEach((k, i) => {
    const next = ownValue(node, k);
    if (next === undefined) setOwn(node, k, {});
    else if (!isPlainObject(next)) {
      const prefix = keys.slice(0, i + 1).join(".");
      throw new SpecError(origin(prefix), `must be an object (with keys ${objectKeys(prefix)}), got ${showValue(next)}; grid["${dotted}"] sets a field below it`);
    }
    node = ownValue(node, k) as Record<string, unknown>;
  });
  setOwn(node, keys[keys.length - 1], structuredClone(value));
}

/** Where the value at `prefix` that blocks a grid path came from: base, the point's variant, or another grid axis. */
function originOf(prefix: string, base: Record<string, unknown>, variant: { name: string; patch: Record<string, unknown> } | undefined): string {
  const at = (obj: unknown): unknown => prefix.split(".").reduce<unknown>((o, k) => (isPlainObject(o) ? ownValue(o, k) : undefined), obj);
  if (variant !== undefined && at(variant.patch) !== undefined) return `variants.${variant.name}.${prefix}`;
  if (at(base) !== undefined) return `base.${prefix}`;
  return `grid["${prefix}"]`;
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
