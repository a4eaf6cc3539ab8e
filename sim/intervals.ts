/**
 * Time intervals [start, end): merging, and moving a time past the ones it falls in. Outages,
 * restarts and leaderless periods all use these, so overlapping or unsorted input behaves.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, disjoint intervals covering the same times as `list`. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  return [...list].sort((a, b) => a.start - b.start).reduce<Interval[]>((merged, o) => {
    const last = merged[merged.length - 1];
    if (last && o.start <= last.end) last.end = Math.max(last.end, o.end);
    else merged.push({ start: o.start, end: o.end });
    return merged;
  }, []);
}

/** The first time >= t outside every interval of a merged list. */
export function firstTimeOutside(t: number, merged: readonly Interval[]): number {
  for (const o of merged) {
    if (t < o.start) return t;
    if (t < o.end) return o.end;
  }
  return t;
}

/** True when t lies in one of the intervals. */
export function inside(t: number, list: readonly Interval[]): boolean {
  return list.some((o) => t >= o.start && t < o.end);
}
