import { describe, expect, it } from "vitest";
import { firstTimeOutside, inside, mergeIntervals } from "../../sim/intervals.ts";

describe("intervals", () => {
  it("merge unsorted, overlapping and touching intervals", () => {
    expect(mergeIntervals([{ start: 30, end: 50 }, { start: 10, end: 35 }, { start: 50, end: 60 }, { start: 70, end: 80 }]))
      .toEqual([{ start: 10, end: 60 }, { start: 70, end: 80 }]);
  });

  it("move a time past the interval it falls in, and only that", () => {
    const m = mergeIntervals([{ start: 30, end: 50 }, { start: 10, end: 35 }]);
    expect(firstTimeOutside(20, m)).toBe(50);
    expect(firstTimeOutside(5, m)).toBe(5);
    expect(firstTimeOutside(50, m)).toBe(50);
    expect(inside(49.9, m)).toBe(true);
    expect(inside(50, m)).toBe(false);
  });
});
