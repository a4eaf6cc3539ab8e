import { describe, expect, it } from "vitest";
import { contains, formatIpv4, hostBitsSet, overlaps, parseCidr, parseIpv4, subnet } from "../../../models/addressing/ipv4.ts";
import { HostScopeAllocator } from "../../../models/addressing/ipam.ts";
import { RandomStream } from "../../../sim/random.ts";

describe("IPv4 addressing", () => {
  it("round-trips addresses and tests containment", () => {
    expect(formatIpv4(parseIpv4("10.1.2.3"))).toBe("10.1.2.3");
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
    const c = parseCidr("10.0.0.0/8", "x");
    expect(contains(c, parseIpv4("10.255.0.1"))).toBe(true);
    expect(contains(c, parseIpv4("11.0.0.1"))).toBe(false);
    expect(contains(parseCidr("0.0.0.0/0", "x"), parseIpv4("1.2.3.4"))).toBe(true);
  });

  it("carves per-node blocks", () => {
    const pool = parseCidr("10.0.0.0/8", "x");
    expect(subnet(pool, 24, 0).text).toBe("10.0.0.0/24");
    expect(subnet(pool, 24, 257).text).toBe("10.1.1.0/24");
    expect(() => subnet(pool, 24, 65536, "pool")).toThrow("pool: 10.0.0.0/8 has only 65536 /24 subnets");
  });

  it("keeps host bits as written and says so", () => {
    const c = parseCidr("10.0.0.1/8", "x");
    expect(hostBitsSet(c)).toBe(true);
    expect(hostBitsSet(parseCidr("10.0.0.0/8", "x"))).toBe(false);
    expect(overlaps(parseCidr("192.168.0.0/16", "x"), parseCidr("192.168.4.0/22", "x"))).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/8", "x"), parseCidr("192.168.0.0/16", "x"))).toBe(false);
  });

  it.each(["10.0.0/8", "10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0.01/8", "10.0.0.0/8/1", ""])("rejects %j naming the field", (bad) => {
    expect(() => parseCidr(bad, "cilium.encryption.strictMode.cidr")).toThrow(/^cilium\.encryption\.strictMode\.cidr: must be an IPv4/);
  });
});

describe("host-scope IPAM", () => {
  it("never hands out the network or broadcast address and exhausts after 254", () => {
    const a = new HostScopeAllocator(parseCidr("10.0.3.0/24", "x"), new RandomStream("ipam"));
    const seen = new Set<number>();
    for (let i = 0; i < 254; i++) seen.add(a.allocateNext());
    expect(seen.size).toBe(254);
    expect(seen.has(parseIpv4("10.0.3.0"))).toBe(false);
    expect(seen.has(parseIpv4("10.0.3.255"))).toBe(false);
    expect(() => a.allocateNext()).toThrow(/exhausted/);
  });

  it("scans linearly from a random start and reuses a freed address at once", () => {
    const a = new HostScopeAllocator(parseCidr("10.0.3.0/24", "x"), new RandomStream("ipam2"));
    const first = a.allocateNext();
    for (let i = 0; i < 252; i++) a.allocateNext();
    a.release(first);
    // One address left besides `first`; the scan finds one of the two free ones.
    const next = a.allocateNext();
    expect(a.available).toBe(1);
    const last = a.allocateNext();
    expect([next, last]).toContain(first);
    expect(() => a.release(parseIpv4("10.0.4.1"))).toThrow(/not allocated/);
  });
});
