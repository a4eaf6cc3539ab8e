/**
 * JSON input as it arrives, before any schema sees it. JSON.parse itself copes with anything,
 * but what comes after it walks values recursively (defaults, merges, clones, messages), so one
 * iterative pass right after parsing refuses:
 * - nesting deeper than MAX_INPUT_DEPTH, which would overflow the stack of every recursive
 *   walker ("Maximum call stack size exceeded");
 * - the keys `__proto__`, `constructor` and `prototype` anywhere: JSON.parse makes them plain
 *   own properties, but any later `target[key] = ...` or merge would reach an object's
 *   prototype (a `__proto__` key merged into a scenario polluted Object.prototype).
 * No input needs either: sweep files nest about 8 levels, and no field has those names.
 */
import { SpecError } from "./errors.ts";

/** Levels of objects and lists below the top value; sweep files use about 8. */
export const MAX_INPUT_DEPTH = 64;

/** Keys that name or reach an object's prototype. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.includes(key);
}

/** The problem with a forbidden key, for messages. */
export function forbiddenKeyProblem(key: string): string {
  return `the key \`${key}\` is not allowed in input (${FORBIDDEN_KEYS.join(", ")} could reach object prototypes)`;
}

/**
 * Checks a parsed JSON value without recursion; throws a SpecError naming the path (below
 * `root`, e.g. "" for a whole file) of the first value nested too deep or the first forbidden key.
 */
export function checkJsonInput(value: unknown, root = ""): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new SpecError(path, `nested more than ${MAX_INPUT_DEPTH} levels deep; sweep files need about 8, and deeper input would overflow the stack of the parser`);
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const x: unknown = v[i];
        if (typeof x === "object" && x !== null) stack.push({ v: x, path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    // Own keys only: what JSON.parse made. A prototype other than Object's is not JSON.
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new SpecError(path, "must be plain JSON data");
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      const childPath = keyPath(path, k);
      if (isForbiddenKey(k)) throw new SpecError(childPath, forbiddenKeyProblem(k));
      const x: unknown = (v as Record<string, unknown>)[k];
      if (typeof x === "object" && x !== null) stack.push({ v: x, path: childPath, depth: depth + 1 });
    }
  }
}

/** `path.key`, or `path["key"]` for a key that is no plain name (a grid's dotted path). */
function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key)}]`;
}

/** JSON.parse, then checkJsonInput; `where` names the input (a file) in the error. */
export function parseJsonInput(text: string, where: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpecError(where, `not valid JSON: ${(e as Error).message}`);
  }
  checkJsonInput(json);
  return json;
}
