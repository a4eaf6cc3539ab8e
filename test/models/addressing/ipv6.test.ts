import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLUSTER_POOL_IPV6_CIDR,
  CLUSTER_POOL_IPV6_MASK_SIZE,
  contains6,
  formatIpv6,
  hostBitsSet6,
  overlaps6,
  parseCidr6,
  parseIpv6,
  size6,
  subnet6,
} from "../../../models/addressing/ipv6.ts";

describe("IPv6 text", () => {
  it.each([
    ["::", "::"],
    ["::1", "::1"],
    ["FD00:0:0:0:0:0:0:1", "fd00::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first of two equal zero runs
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group is not compressed
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"],
    ["::ffff:192.0.2.1", "::ffff:c000:201"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"], // the longer run wins
  ])("parses %s and prints %s", (text, canonical) => {
    expect(formatIpv6(parseIpv6(text))).toBe(canonical);
  });

  it("reads groups as big-endian 16-bit numbers", () => {
    expect(parseIpv6("::1")).toBe(1n);
    expect(parseIpv6("1::")).toBe(1n << 112n);
    expect(parseIpv6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toBe((1n << 128n) - 1n);
  });

  it.each(["", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "::1.2.3", "1.2.3.4::", "1::2:3:4:5:6:7:8"])(
    "rejects %j naming the field",
    (bad) => {
      expect(() => parseIpv6(bad, "cluster.podCidrV6")).toThrow(/^cluster\.podCidrV6: must be an IPv6 address/);
    },
  );

  it("round-trips every address through its canonical text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (ip) => {
        const text = formatIpv6(ip);
        expect(parseIpv6(text)).toBe(ip);
        expect(formatIpv6(parseIpv6(text.toUpperCase()))).toBe(text);
      }),
    );
  });

  it("round-trips addresses with long zero runs", () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const ip = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
        expect(parseIpv6(formatIpv6(ip))).toBe(ip);
        expect(parseIpv6(groups.map((g) => g.toString(16)).join(":"))).toBe(ip);
      }),
    );
  });
});

describe("IPv6 prefixes", () => {
  it("gives cluster-pool's fd00::/104 65536 per-node /120 blocks of 256 addresses", () => {
    const pool = parseCidr6(CLUSTER_POOL_IPV6_CIDR, "x");
    expect(size6(pool) / size6(subnet6(pool, CLUSTER_POOL_IPV6_MASK_SIZE, 0))).toBe(65536n);
    expect(subnet6(pool, CLUSTER_POOL_IPV6_MASK_SIZE, 0).text).toBe("fd00::/120");
    expect(subnet6(pool, CLUSTER_POOL_IPV6_MASK_SIZE, 257).text).toBe("fd00::1:100/120");
    expect(subnet6(pool, CLUSTER_POOL_IPV6_MASK_SIZE, 65535).text).toBe("fd00::ff:ff00/120");
    expect(() => subnet6(pool, 120, 65536, "cilium.ipam.operator.clusterPoolIPv6PodCIDRList")).toThrow(
      "cilium.ipam.operator.clusterPoolIPv6PodCIDRList: fd00::/104 has only 65536 /120 subnets",
    );
  });

  it("tests containment and overlap at the prefix boundary", () => {
    const pool = parseCidr6("fd00::/104", "x");
    expect(contains6(pool, parseIpv6("fd00::ff:ffff"))).toBe(true);
    expect(contains6(pool, parseIpv6("fd00::100:0"))).toBe(false);
    expect(contains6(parseCidr6("::/0", "x"), parseIpv6("2001:db8::1"))).toBe(true);
    expect(overlaps6(pool, parseCidr6("fd00::42:0/112", "x"))).toBe(true);
    expect(overlaps6(pool, parseCidr6("fd01::/16", "x"))).toBe(false);
    expect(hostBitsSet6(parseCidr6("fd00::1/104", "x"))).toBe(true);
    expect(hostBitsSet6(pool)).toBe(false);
  });

  it("puts every block of a split inside its parent and apart from its neighbours", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65534 }), (i) => {
        const pool = parseCidr6(CLUSTER_POOL_IPV6_CIDR, "x");
        const a = subnet6(pool, 120, i);
        const b = subnet6(pool, 120, i + 1);
        expect(contains6(pool, a.base) && contains6(pool, b.base)).toBe(true);
        expect(overlaps6(a, b)).toBe(false);
        expect(b.base - a.base).toBe(256n);
      }),
    );
  });

  it.each(["fd00::", "fd00::/129", "fd00::/01", "fd00::/104/1", "10.0.0.0/8", "fd00:::/104"])("rejects %j naming the field", (bad) => {
    expect(() => parseCidr6(bad, "cilium.ipam.operator.clusterPoolIPv6PodCIDRList")).toThrow(
      /^cilium\.ipam\.operator\.clusterPoolIPv6PodCIDRList: must be an IPv6/,
    );
  });
});
