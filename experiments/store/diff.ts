/**
 * What changed between two sweep files, in words: the dotted paths whose values differ, the
 * first few of them, so that a refusal to resume says why.
 */
const SHOWN = 4;

export function describeChange(before: unknown, after: unknown): string {
  const changes: string[] = [];
  walk(before, after, "", changes);
  if (changes.length === 0) return "the same file expands to other runs (the scenario defaults changed)";
  const more = changes.length > SHOWN ? ` and ${changes.length - SHOWN} more` : "";
  return changes.slice(0, SHOWN).join("; ") + more;
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path === "" ? k : `${path}.${k}`, out);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const where = path === "" ? "the sweep" : path;
  if (a === undefined) out.push(`${where} was added (${short(b)})`);
  else if (b === undefined) out.push(`${where} was removed (was ${short(a)})`);
  else out.push(`${where} changed from ${short(a)} to ${short(b)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
