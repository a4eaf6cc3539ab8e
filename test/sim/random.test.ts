import { describe, expect, it } from "vitest";
import { Streams, replicationSeed } from "../../sim/random.ts";

const draw = (s: Streams, name: string, n: number) => Array.from({ length: n }, () => s.stream(name).uniform());

describe("named random streams", () => {
  it("are reproducible from (seed, replication, name)", () => {
    expect(draw(new Streams(7, 0), "operator", 5)).toEqual(draw(new Streams(7, 0), "operator", 5));
  });

  it("differ by name, replication and seed", () => {
    const base = draw(new Streams(7, 0), "operator", 3);
    expect(draw(new Streams(7, 0), "agent", 3)).not.toEqual(base);
    expect(draw(new Streams(7, 1), "operator", 3)).not.toEqual(base);
    expect(draw(new Streams(8, 0), "operator", 3)).not.toEqual(base);
  });

  it("do not shift each other: extra draws on one stream leave another unchanged", () => {
    const a = new Streams(1, 2);
    const b = new Streams(1, 2);
    for (let i = 0; i < 1000; i++) a.stream("traffic").uniform();
    expect(draw(a, "operator", 10)).toEqual(draw(b, "operator", 10));
  });

  it("give uniforms strictly inside (0, 1) with the right mean and spread", () => {
    const s = new Streams(3, 0).stream("u");
    let sum = 0;
    let sumSq = 0;
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = s.uniform();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it("derive replication seeds that differ per replication and not per point", () => {
    const seeds = new Set(Array.from({ length: 100 }, (_, r) => replicationSeed(42, r)));
    expect(seeds.size).toBe(100);
    expect(replicationSeed(42, 3)).toBe(replicationSeed(42, 3));
  });
});
