/**
 * A small schema language: one definition validates JSON input (every error names the field by
 * its dotted path and says what would be valid), fills in defaults, gives the TypeScript type of
 * the parsed value, and exports JSON Schema so editors can complete and check input files.
 */
import { showValue, SpecError, unknownKeyMessage } from "./errors.ts";
import { formatBound } from "./limits.ts";

export interface Schema<T> {
  parse(value: unknown, path: string): T;
  jsonSchema(): Record<string, unknown>;
  /** The raw JSON used when the field is absent; undefined means the field is required. */
  readonly rawDefault: unknown;
  /** True when an absent field is allowed and parses to undefined. */
  readonly optional?: boolean;
  /** Child schemas of an object, for walking dotted paths. */
  readonly fields?: Record<string, Schema<unknown>>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

interface Common<T> {
  description?: string;
  default?: T;
}

function base<T>(
  parse: (v: unknown, path: string) => T,
  json: Record<string, unknown>,
  opts: Common<unknown> & { raw?: unknown },
): Schema<T> {
  const rawDefault = opts.raw ?? opts.default;
  return {
    parse,
    rawDefault,
    jsonSchema: () => ({
      ...json,
      ...(opts.description ? { description: opts.description } : {}),
      ...(rawDefault !== undefined ? { default: rawDefault } : {}),
    }),
  };
}

const show = showValue;

/**
 * A number. `max` is the largest value the model represents exactly or can run in reasonable
 * time; `why` says which, and is part of the message for a value above it and of the field's
 * JSON Schema description.
 */
export function number(opts: Common<number> & { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; why?: string } = {}): Schema<number> {
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false, why } = opts;
  const kind = integer ? "an integer" : "a number";
  const lower = min > -Infinity ? (exclusiveMin ? `> ${min}` : `>= ${min}`) : "";
  const upper = max < Infinity ? `<= ${formatBound(max)}` : "";
  const range = [lower, upper].filter(Boolean).join(" and ");
  const json: Record<string, unknown> = { type: integer ? "integer" : "number" };
  if (min > -Infinity) json[exclusiveMin ? "exclusiveMinimum" : "minimum"] = min;
  if (max < Infinity) json.maximum = max;
  const description = max < Infinity && why !== undefined
    ? `${opts.description ? `${opts.description}; ` : ""}at most ${formatBound(max)}: ${why}`
    : opts.description;
  return base((v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new SpecError(path, `must be ${kind}${range === "" ? "" : ` ${range}`}, got ${show(v)}`);
    }
    if (exclusiveMin ? !(v > min) : !(v >= min)) throw new SpecError(path, `must be ${kind} ${lower}, got ${show(v)}`);
    if (v > max) throw new SpecError(path, `must be at most ${formatBound(max)}, got ${show(v)}${why === undefined ? "" : `: ${why}`}`);
    return v;
  }, json, { ...opts, description });
}

export function boolean(opts: Common<boolean> = {}): Schema<boolean> {
  return base((v, path) => {
    if (typeof v !== "boolean") throw new SpecError(path, `must be true or false, got ${show(v)}`);
    return v;
  }, { type: "boolean" }, opts);
}

/** A string, optionally checked by `check`, which returns a problem description or undefined. */
export function string(opts: Common<string> & { check?: (s: string) => string | undefined; format?: string } = {}): Schema<string> {
  return base((v, path) => {
    if (typeof v !== "string") throw new SpecError(path, `must be a string, got ${show(v)}`);
    const problem = opts.check?.(v);
    if (problem !== undefined) throw new SpecError(path, problem);
    return v;
  }, { type: "string", ...(opts.format ? { format: opts.format } : {}) }, opts);
}

export function oneOf<const V extends readonly (string | number)[]>(values: V, opts: Common<V[number]> = {}): Schema<V[number]> {
  return base((v, path) => {
    if (!values.includes(v as V[number])) {
      throw new SpecError(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${show(v)}`);
    }
    return v as V[number];
  }, { enum: [...values] }, opts);
}

export function array<T>(item: Schema<T>, opts: Common<unknown[]> & { minItems?: number } = {}): Schema<T[]> {
  const minItems = opts.minItems ?? 0;
  return base((v, path) => {
    if (!Array.isArray(v)) throw new SpecError(path, `must be a list, got ${show(v)}`);
    if (v.length < minItems) throw new SpecError(path, `must have at least ${minItems} item(s), got ${v.length}`);
    return v.map((x, i) => item.parse(x, `${path}[${i}]`));
  }, { type: "array", items: item.jsonSchema(), ...(minItems ? { minItems } : {}) }, opts);
}

/** A field that may be absent (then undefined). */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return { ...inner, optional: true, parse: (v, path) => (v === undefined ? undefined : inner.parse(v, path)) };
}

/** Any value, parsed by a custom function (for distributions, CIDRs, ...). */
export function custom<T>(parse: (v: unknown, path: string) => T, json: () => Record<string, unknown>, opts: Common<unknown> = {}): Schema<T> {
  const rawDefault = opts.default;
  return {
    parse,
    rawDefault,
    jsonSchema: () => ({
      ...json(),
      ...(opts.description ? { description: opts.description } : {}),
      ...(rawDefault !== undefined ? { default: rawDefault } : {}),
    }),
  };
}

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

/**
 * An object with known keys. Unknown keys are errors with a "did you mean" suggestion. Absent
 * keys take their schema's default; an object whose fields all have defaults defaults to {}.
 */
export function object<S extends Shape>(
  shape: S,
  opts: { description?: string; check?: (value: ObjectOf<S>, path: string) => void } = {},
): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const allDefault = keys.every((k) => shape[k].rawDefault !== undefined || shape[k].optional);
  const parse = (v: unknown, path: string): ObjectOf<S> => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      throw new SpecError(path, `must be an object with keys ${keys.join(", ")}, got ${show(v)}`);
    }
    const input = v as Record<string, unknown>;
    for (const k of Object.keys(input)) {
      if (!Object.hasOwn(shape, k)) throw new SpecError(path, unknownKeyMessage(k, keys));
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const child = shape[k];
      const childPath = path === "" ? k : `${path}.${k}`;
      const raw = Object.hasOwn(input, k) ? input[k] : child.rawDefault;
      if (raw === undefined && !child.optional) throw new SpecError(childPath, "is required");
      out[k] = child.parse(raw, childPath);
    }
    const result = out as ObjectOf<S>;
    opts.check?.(result, path);
    return result;
  };
  return {
    parse,
    fields: shape,
    rawDefault: allDefault ? {} : undefined,
    jsonSchema: () => ({
      type: "object",
      ...(opts.description ? { description: opts.description } : {}),
      properties: Object.fromEntries(keys.map((k) => [k, shape[k].jsonSchema()])),
      required: keys.filter((k) => shape[k].rawDefault === undefined && !shape[k].optional),
      additionalProperties: false,
    }),
  };
}

/** An object whose keys are free (a map), every value of one schema. */
export function record<T>(value: Schema<T>, opts: Common<Record<string, unknown>> = {}): Schema<Record<string, T>> {
  return base((v, path) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SpecError(path, `must be an object, got ${show(v)}`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value.parse(x, `${path}.${k}`)]));
  }, { type: "object", additionalProperties: value.jsonSchema() }, opts);
}

/** Adds a cross-field check that runs after `inner` has parsed (and filled defaults). */
export function refine<T>(inner: Schema<T>, check: (value: T, path: string) => void): Schema<T> {
  return {
    ...inner,
    parse: (v, path) => {
      const value = inner.parse(v, path);
      check(value, path);
      return value;
    },
  };
}

/**
 * The schema at a dotted path below an object schema, or a SpecError naming the first segment
 * that does not exist (with a suggestion).
 */
export function schemaAt(root: Schema<unknown>, dotted: string, errorPath: string): Schema<unknown> {
  let node = root;
  let walked = "";
  for (const seg of dotted.split(".")) {
    const fields = node.fields;
    if (fields === undefined) {
      throw new SpecError(errorPath, `\`${walked}\` has no fields, so \`${dotted}\` cannot be set`);
    }
    if (!Object.hasOwn(fields, seg)) {
      const where = walked === "" ? "at the top level" : `under \`${walked}\``;
      throw new SpecError(errorPath, `${unknownKeyMessage(seg, Object.keys(fields))} (${where})`);
    }
    node = fields[seg];
    walked = walked === "" ? seg : `${walked}.${seg}`;
  }
  return node;
}
