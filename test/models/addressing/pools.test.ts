import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeBlockPool } from "../../../models/addressing/blockPool.ts";
import { InterfacePool } from "../../../models/addressing/interfacePool.ts";
import { contains, formatIpv4, overlaps, parseCidr, parseIpv4, type Cidr } from "../../../models/addressing/ipv4.ts";
import { SubnetPool } from "../../../models/addressing/subnetPool.ts";
import { RandomStream } from "../../../sim/random.ts";

const cidr = (text: string): Cidr => parseCidr(text, "x");

describe("cloud subnet pool", () => {
  it("never hands out the cloud's reserved addresses and exhausts after the rest", () => {
    // AWS style: first four and last reserved → a /28 has 11 usable addresses.
    const pool = new SubnetPool(cidr("10.1.0.0/28"), 4, 1, "uniform", new RandomStream("subnet"));
    const seen = new Set<number>();
    for (let i = 0; i < 11; i++) seen.add(pool.take());
    expect([...seen].map(formatIpv4).sort()).toEqual(Array.from({ length: 11 }, (_, i) => `10.1.0.${i + 4}`).sort());
    expect(() => pool.take()).toThrow(/exhausted/);
  });

  it("picks the lowest free address under the lowest rule, so a freed low address comes back first", () => {
    const pool = new SubnetPool(cidr("10.224.0.0/24"), 4, 1, "lowest", new RandomStream("unused"));
    expect([pool.take(), pool.take(), pool.take()].map(formatIpv4)).toEqual(["10.224.0.4", "10.224.0.5", "10.224.0.6"]);
    pool.giveBack(parseIpv4("10.224.0.4"), 10);
    pool.settle(10);
    expect(formatIpv4(pool.take())).toBe("10.224.0.4");
  });

  it("keeps a given-back address taken until its time, then frees it", () => {
    const pool = new SubnetPool(cidr("10.1.0.0/29"), 4, 1, "lowest", new RandomStream("unused"));
    const a = pool.take();
    pool.take();
    pool.take();
    pool.giveBack(a, 180);
    pool.settle(179.999);
    expect(pool.isFree(a)).toBe(false);
    expect(() => pool.take()).toThrow(/exhausted/);
    pool.settle(180);
    expect(pool.isFree(a)).toBe(true);
    expect(pool.take()).toBe(a);
    expect(() => pool.giveBack(parseIpv4("10.1.0.0"), 0)).toThrow(/not held/);
  });

  it("frees given-back addresses by their time, not in the order given back", () => {
    const pool = new SubnetPool(cidr("10.1.0.0/29"), 4, 1, "lowest", new RandomStream("unused"));
    const [a, b] = [pool.take(), pool.take()];
    pool.giveBack(a, 100);
    pool.giveBack(b, 50);
    pool.settle(60);
    expect([pool.isFree(a), pool.isFree(b)]).toEqual([false, true]);
  });

  // In the /28 the random probes nearly always hit; in the /24 they nearly always miss and the
  // count-the-free fallback picks. Both must be uniform.
  it.each([
    ["10.1.0.0/28", 11, 2000],
    ["10.1.0.0/24", 251, 400],
  ])("picks uniformly among the free addresses of a crowded %s", (range, usable, trials) => {
    const [low, high] = [parseIpv4("10.1.0.6"), parseIpv4("10.1.0.13")];
    const counts = new Map<number, number>();
    const rng = new RandomStream(`uniform ${range}`);
    for (let trial = 0; trial < trials; trial++) {
      const pool = new SubnetPool(cidr(range), 4, 1, "uniform", rng);
      for (let i = 0; i < usable; i++) pool.take();
      pool.giveBack(low, 0);
      pool.giveBack(high, 0);
      pool.settle(0);
      const ip = pool.take();
      counts.set(ip, (counts.get(ip) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([low, high].sort());
    // Binomial(trials, 1/2) is within five standard deviations of trials/2.
    const sd = Math.sqrt(trials) / 2;
    for (const n of counts.values()) expect(Math.abs(n - trials / 2)).toBeLessThan(5 * sd);
  });
});

describe("per-node block pool", () => {
  it("hands out blocks round-robin: a released block is reused only after the scan wraps", () => {
    const blocks = new NodeBlockPool(cidr("10.0.0.0/22"), 24);
    const [b0, b1] = [blocks.allocate(), blocks.allocate()];
    expect([b0.text, b1.text]).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    blocks.release(b0);
    expect(blocks.allocate().text).toBe("10.0.2.0/24");
    expect(blocks.allocate().text).toBe("10.0.3.0/24");
    expect(blocks.allocate().text).toBe("10.0.0.0/24");
    expect(() => blocks.allocate()).toThrow(/no \/24 block left in 10\.0\.0\.0\/22/);
    expect(() => blocks.release(cidr("10.0.9.0/24"))).toThrow(/not allocated/);
  });

  it("never hands out overlapping blocks", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(20)), { maxLength: 60 }), (ops) => {
        const range = cidr("10.0.0.0/20");
        const blocks = new NodeBlockPool(range, 24);
        const live: Cidr[] = [];
        for (const op of ops) {
          if (op === -1 && blocks.available > 0) live.push(blocks.allocate());
          else if (op >= 0 && live.length > 0) blocks.release(live.splice(op % live.length, 1)[0]);
        }
        for (const [i, a] of live.entries()) {
          expect(contains(range, a.base)).toBe(true);
          for (const b of live.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
        }
        expect(blocks.available).toBe(16 - live.length);
      }),
    );
  });
});

describe("ENI/Azure interface pool", () => {
  const eni = { preAllocate: 8, minAllocate: 0, maxAboveWatermark: 0, releaseExcess: true, releaseDelay: 180 };

  it("asks for enough addresses to keep 8 free", () => {
    const pool = new InterfacePool(eni, new RandomStream("pool"));
    expect(pool.deficit()).toBe(8);
    for (let ip = 1; ip <= 8; ip++) pool.add(ip);
    expect(pool.deficit()).toBe(0);
    pool.take();
    expect(pool.deficit()).toBe(1);
  });

  it("counts free addresses above the watermark as excess and releases them 180 s later", () => {
    const pool = new InterfacePool(eni, new RandomStream("pool"));
    for (let ip = 1; ip <= 10; ip++) pool.add(ip);
    const used = [pool.take(), pool.take()];
    pool.markExcess(0); // 8 free: nothing excess
    for (const ip of used) pool.giveBack(ip);
    pool.markExcess(10); // 10 free: 2 excess since t=10
    expect(pool.releaseDue(189.9)).toEqual([]);
    const due = pool.releaseDue(190);
    expect(due.map((d) => d.at)).toEqual([190, 190]);
    expect(pool.size).toBe(8);
    expect(due.every((d) => !pool.holds(d.ip))).toBe(true);
  });

  it("unmarks an address that stops being excess, and restarts its delay", () => {
    const pool = new InterfacePool(eni, new RandomStream("pool"));
    for (let ip = 1; ip <= 9; ip++) pool.add(ip);
    pool.markExcess(0); // 9 free: 1 excess since 0
    pool.take();
    pool.markExcess(100); // 8 free: none
    expect(pool.releaseDue(500)).toEqual([]);
    pool.add(10);
    pool.markExcess(200); // 9 free again: excess since 200
    expect(pool.releaseDue(379)).toEqual([]);
    expect(pool.releaseDue(380)).toHaveLength(1);
  });

  it("releases nothing when excess release is off (Cilium's default, and Azure IPAM)", () => {
    const pool = new InterfacePool({ ...eni, releaseExcess: false }, new RandomStream("pool"));
    for (let ip = 1; ip <= 30; ip++) pool.add(ip);
    pool.markExcess(0);
    expect(pool.releaseDue(1e9)).toEqual([]);
  });
});
