/**
 * An input error that names the offending field by its path (for example
 * `base.cilium.encryption.strictMode.cidr`) and says what would be valid.
 */
export class SpecError extends Error {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string) {
    // Input can be huge (a key of a million characters, a value quoted in full): a message stays
    // short whatever the input, so it fits on a terminal and in failures.csv.
    const p = clip(path, MAX_PATH_CHARS);
    const q = clip(problem, MAX_PROBLEM_CHARS);
    super(p === "" ? q : `${p}: ${q}`);
    this.path = p;
    this.problem = q;
    this.name = "SpecError";
  }
}

const MAX_PATH_CHARS = 200;
const MAX_PROBLEM_CHARS = 1000;

/** `text` cut to `max` characters, saying how long it was. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`;
}

/** Characters of a value quoted in a message. */
const PREVIEW_CHARS = 60;

/**
 * A value from the input as a message quotes it: short whatever its size (a list of millions of
 * items is "a list of 13000000 items"), never null for a number JSON could not represent
 * (JSON.parse reads 1e400 as Infinity, which JSON.stringify would print as null), and safe for
 * deep nesting (only the first levels are looked at).
 */
export function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return `${v < 0 ? "-" : ""}a number too large to represent (JSON numbers stop at about 1.8e308)`;
    if (Object.is(v, -0)) return "0";
    // 1e15, not 1000000000000000 (nor 1e+300): big numbers as people write them.
    const exp = v.toExponential().replace("e+", "e");
    return Math.abs(v) >= 1e7 && exp.length < String(v).length ? exp : String(v);
  }
  if (typeof v === "string") {
    const quoted = JSON.stringify(v.length > PREVIEW_CHARS ? v.slice(0, PREVIEW_CHARS) : v);
    return v.length > PREVIEW_CHARS ? `${quoted.slice(0, -1)}…" (${v.length} characters)` : quoted;
  }
  if (Array.isArray(v)) {
    const text = preview(v, PREVIEW_CHARS, 3);
    return text !== undefined ? text : `a list of ${v.length} item${v.length === 1 ? "" : "s"}`;
  }
  if (typeof v === "object" && v !== null) {
    const text = preview(v, PREVIEW_CHARS, 3);
    if (text !== undefined) return text;
    const keys = Object.keys(v);
    const shown = keys.slice(0, 5).map((k) => clip(k, 20)).join(", ");
    return `an object with key${keys.length === 1 ? "" : "s"} ${shown}${keys.length > 5 ? `, … (${keys.length} keys)` : ""}`;
  }
  return String(v);
}

/** Compact JSON of `v` if it takes at most `budget` characters and `depth` levels, else undefined. */
function preview(v: unknown, budget: number, depth: number): string | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "string") return v.length + 2 <= budget ? JSON.stringify(v) : undefined;
  if (typeof v === "boolean" || v === null) return String(v);
  if (typeof v !== "object" || depth === 0) return undefined;
  const array = Array.isArray(v);
  const entries = array ? (v as unknown[]).map((x) => [undefined, x] as const) : Object.entries(v as object);
  if (entries.length > budget) return undefined;
  let out = array ? "[" : "{";
  for (const [k, x] of entries) {
    if (out.length > 1) out += ",";
    if (k !== undefined) out += `${JSON.stringify(k)}:`;
    const inner = preview(x, budget - out.length - 1, depth - 1);
    if (inner === undefined) return undefined;
    out += inner;
    if (out.length + 1 > budget) return undefined;
  }
  return out + (array ? "]" : "}");
}

/** Levenshtein distance, for "did you mean" suggestions on misspelt keys. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The valid name closest to `name`, if it is close enough to be a plausible typo. */
export function nearest(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const v of valid) {
    const d = editDistance(name.toLowerCase(), v.toLowerCase());
    if (d < bestDist) {
      best = v;
      bestDist = d;
    }
  }
  return bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** "unknown key `x`; did you mean `y`? Valid keys: a, b, c" */
export function unknownKeyMessage(key: string, valid: readonly string[]): string {
  // A key far longer than any valid one is no typo (and the edit distance would be costly).
  const guess = key.length <= 100 ? nearest(key, valid) : undefined;
  const hint = guess === undefined ? "" : ` did you mean \`${guess}\`?`;
  return `unknown key \`${clip(key, 60)}\`;${hint} valid keys: ${valid.join(", ")}`;
}
