import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  espOuterBytes,
  espPadding,
  fragmentOnLink,
  tunnelOverheadBytes,
  wireguardFixedBytes,
  wireguardOuterBytes,
  wireguardPadding,
} from "../../../models/cost/overhead.ts";

describe("WireGuard data message bytes", () => {
  it("costs 60 B over IPv4 and 80 B over IPv6 before padding", () => {
    expect(wireguardFixedBytes("ipv4")).toBe(60);
    expect(wireguardFixedBytes("ipv6")).toBe(80);
  });

  it("reproduces the kernel default device MTU of 1420 (1500 − 32 − 8 − max(40, 20))", () => {
    // wg_setup reserves the IPv6 header whatever the family.
    expect(1500 - wireguardFixedBytes("ipv6")).toBe(1420);
  });

  it("pads to a multiple of 16 but never past the skb MTU", () => {
    expect(wireguardPadding(0, 1500)).toBe(0); // keepalive: 32 B message
    expect(wireguardPadding(1409, 1500)).toBe(15);
    expect(wireguardPadding(1408, 1500)).toBe(0);
    expect(wireguardPadding(1420, 1500)).toBe(4);
    expect(wireguardPadding(1420, 1420)).toBe(0); // capped at the skb MTU
    expect(wireguardPadding(1415, 1420)).toBe(5);
  });

  it("padding is always 0–15 B and the padded length never exceeds max(len, MTU)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 576, max: 9216 }), (len, mtu) => {
        const pad = wireguardPadding(len, mtu);
        expect(pad).toBeGreaterThanOrEqual(0);
        expect(pad).toBeLessThanOrEqual(15);
        expect(len + pad).toBeLessThanOrEqual(Math.max(len, mtu));
        if (len + 16 <= mtu) expect((len + pad) % 16).toBe(0);
      }),
    );
  });

  // Cilium issue #23917 (IPv6-only cluster, host MTU 1500, 80 B budget):
  // `ping -s 1360` passes, `ping -s 1361` fragments. The inner packet is
  // ICMPv6 payload + 8 B ICMPv6 header + 40 B IPv6 header.
  it("IPv6 outer: a 1408 B inner packet fits 1500, a 1409 B one needs 1504 B", () => {
    const inner = (pingSize: number) => pingSize + 8 + 40;
    expect(inner(1360)).toBe(1408);
    expect(wireguardOuterBytes(inner(1360), "ipv6", 1500)).toBe(1488);
    expect(wireguardOuterBytes(inner(1361), "ipv6", 1500)).toBe(1504);
    expect(fragmentOnLink(wireguardOuterBytes(1408, "ipv6", 1500), 1500, "ipv6").fragments).toBe(1);
    expect(fragmentOnLink(wireguardOuterBytes(1409, "ipv6", 1500), 1500, "ipv6").fragments).toBe(2);
  });

  it("IPv6 outer: every inner size from 1409 to 1420 (the cilium_wg0 MTU) overflows 1500", () => {
    for (let inner = 1409; inner <= 1420; inner++) {
      expect(wireguardOuterBytes(inner, "ipv6", 1500)).toBe(1504);
    }
  });

  it("PR #45940 worked example: 1420 → 1424 padded → 1504 on the wire", () => {
    expect(1420 + wireguardPadding(1420, 1500)).toBe(1424);
    expect(wireguardOuterBytes(1420, "ipv6", 1500)).toBe(1504);
  });

  it("Calico's 60 B IPv4 reduction fits exactly when padding is capped at the WireGuard MTU", () => {
    expect(wireguardOuterBytes(1440, "ipv4", 1440)).toBe(1500);
  });
});

describe("VXLAN and ESP bytes", () => {
  it("VXLAN/Geneve costs 50 B over IPv4 and 70 B over IPv6", () => {
    expect(tunnelOverheadBytes("ipv4")).toBe(50);
    expect(tunnelOverheadBytes("ipv6")).toBe(70);
  });

  it("ESP AES-GCM tunnel mode costs 54–57 B over IPv4 (20 + 8 + 8 + 2 + 16 + 0–3 pad)", () => {
    for (let inner = 100; inner < 104; inner++) {
      const cost = espOuterBytes(inner, "ipv4") - inner;
      expect(cost).toBe(54 + espPadding(inner));
      expect(espPadding(inner)).toBeLessThanOrEqual(3);
      expect((inner + espPadding(inner) + 2) % 4).toBe(0);
    }
    expect(espOuterBytes(1422, "ipv4")).toBe(1476); // 1422 + 2 is already 4-aligned
  });

  it("Cilium's 77 B IPsec budget covers the real ESP cost for both families", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9000 }), fc.constantFrom("ipv4" as const, "ipv6" as const), (n, fam) => {
        expect(espOuterBytes(n, fam) - n).toBeLessThanOrEqual(77);
      }),
    );
  });
});

describe("IP fragmentation of outer packets", () => {
  it("a packet that fits is one frame with 38 B of Ethernet L1 overhead", () => {
    expect(fragmentOnLink(1500, 1500, "ipv4")).toEqual({ fragments: 1, l1Bytes: 1538 });
  });

  it("IPv4 fragments carry 8-byte-aligned payloads and repeat the header", () => {
    // 1532 B: 1512 B payload; first fragment carries 1480, second 32.
    expect(fragmentOnLink(1532, 1500, "ipv4")).toEqual({ fragments: 2, l1Bytes: 1512 + 2 * (20 + 38) });
  });

  it("IPv6 fragments add an 8 B fragment header each", () => {
    expect(fragmentOnLink(1504, 1500, "ipv6")).toEqual({ fragments: 2, l1Bytes: 1464 + 2 * (48 + 38) });
  });
});
