/**
 * An input error that names the offending field by its path (for example
 * `base.cilium.encryption.strictMode.cidr`) and says what would be valid.
 */
export class SpecError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === "" ? problem : `${path}: ${problem}`);
    this.name = "SpecError";
  }
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
  const guess = nearest(key, valid);
  const hint = guess === undefined ? "" : ` did you mean \`${guess}\`?`;
  return `unknown key \`${key}\`;${hint} valid keys: ${valid.join(", ")}`;
}
