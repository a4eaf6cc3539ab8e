import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type EncapsulationConfig, mtuPlan, outerPacketBytes } from "../../../models/cost/mtu.ts";
import { ciliumWireguardOverhead, parseCiliumVersion, tunnelStacksUnderWireguard } from "../../../models/cost/version.ts";

const base: EncapsulationConfig = {
  encryption: "wireguard",
  routingMode: "native",
  ciliumVersion: "1.19",
  ipFamily: "ipv4",
  underlayMtu: 1500,
};

// Research notes §1.5 (TCP MSS there assumes an IPv4 inner packet with TCP
// timestamps; goodput ÷ L1 line rate uses 38 B of Ethernet framing).
const table: { label: string; cfg: Partial<EncapsulationConfig>; route: number; mss: number; outer: number; eff: number | null }[] = [
  { label: "no encryption, native", cfg: { encryption: "none" }, route: 1500, mss: 1448, outer: 1500, eff: 94.1 },
  { label: "VXLAN IPv4, no encryption", cfg: { encryption: "none", routingMode: "tunnel" }, route: 1450, mss: 1398, outer: 1500, eff: 90.9 },
  { label: "WG native IPv4, WGO 80", cfg: {}, route: 1420, mss: 1368, outer: 1484, eff: 89.9 },
  { label: "WG native IPv6 outer, WGO 80", cfg: { ipFamily: "ipv6", innerIpFamily: "ipv4" }, route: 1420, mss: 1368, outer: 1504, eff: null },
  { label: "WG native IPv6 outer, WGO 95", cfg: { ipFamily: "ipv6", innerIpFamily: "ipv4", ciliumVersion: "1.19.5" }, route: 1405, mss: 1353, outer: 1488, eff: 88.7 },
  { label: "VXLAN+WG IPv4, WGO 80", cfg: { routingMode: "tunnel", ciliumVersion: "1.15" }, route: 1370, mss: 1318, outer: 1484, eff: 86.6 },
  { label: "VXLAN+WG IPv4, WGO 95", cfg: { routingMode: "tunnel", ciliumVersion: "1.19.5" }, route: 1355, mss: 1303, outer: 1468, eff: 86.5 },
  { label: "no encryption, MTU 9000", cfg: { encryption: "none", underlayMtu: 9000 }, route: 9000, mss: 8948, outer: 9000, eff: 99.0 },
  { label: "WG native IPv4, MTU 9000", cfg: { underlayMtu: 9000 }, route: 8920, mss: 8868, outer: 8988, eff: 98.2 },
];

describe("MTU plan reproduces the research table", () => {
  for (const row of table) {
    it(row.label, () => {
      const plan = mtuPlan({ ...base, ...row.cfg });
      expect(plan.podRouteMtu).toBe(row.route);
      expect(plan.tcpMss).toBe(row.mss);
      expect(plan.fullSizeOuterBytes).toBe(row.outer);
      if (row.eff === null) expect(plan.fullSizeFragments).toBe(2);
      else expect(100 * plan.wireEfficiency).toBeCloseTo(row.eff, 1);
    });
  }
});

describe("Cilium version rules", () => {
  it("reserves 80 B for WireGuard up to 1.19.4 and 95 B from 1.19.5", () => {
    const wgo = (v: string) => ciliumWireguardOverhead(parseCiliumVersion(v));
    expect([wgo("1.10"), wgo("1.14.3"), wgo("1.18"), wgo("1.19"), wgo("v1.19.4")]).toEqual([80, 80, 80, 80, 80]);
    expect([wgo("1.19.5"), wgo("1.20"), wgo("2.0")]).toEqual([95, 95, 95]);
  });

  it("stacks VXLAN under WireGuard from 1.15, in 1.14 only with --wireguard-encapsulate", () => {
    const stacks = (v: string, flag: boolean) => tunnelStacksUnderWireguard(parseCiliumVersion(v), flag);
    expect([stacks("1.13", true), stacks("1.14", false), stacks("1.14", true), stacks("1.15", false)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it("1.14 tunnel mode: pod traffic is WireGuard-only, route MTU = device − 80", () => {
    const plan = mtuPlan({ ...base, routingMode: "tunnel", ciliumVersion: "1.14" });
    expect(plan.podRouteMtu).toBe(1420);
    expect(plan.tunnelOnPath).toBe(false);
    expect(mtuPlan({ ...base, routingMode: "tunnel", ciliumVersion: "1.14", wireguardEncapsulate: true }).podRouteMtu).toBe(1370);
  });

  it("sets cilium_wg0 to DeviceMTU − WireguardOverhead (PR #16020: --mtu 1400 → 1320)", () => {
    const plan = mtuPlan({ ...base, underlayMtu: 1400 });
    expect(plan.wireguardDeviceMtu).toBe(1320);
    expect(plan.podRouteMtu).toBe(1320);
    expect(mtuPlan({ ...base, encryption: "none" }).wireguardDeviceMtu).toBeNull();
  });

  it("rejects malformed versions and versions without WireGuard", () => {
    expect(() => mtuPlan({ ...base, ciliumVersion: "latest" })).toThrow(/ciliumVersion/);
    expect(() => mtuPlan({ ...base, ciliumVersion: "1.9" })).toThrow(/1\.10 or later/);
    expect(() => mtuPlan({ ...base, encryption: "ipsec", ciliumVersion: "1.9" })).not.toThrow();
  });
});

describe("IPsec and IPv6 MTU rules", () => {
  it("IPsec budget is 77 B native and 50 + 77 B in tunnel mode", () => {
    expect(mtuPlan({ ...base, encryption: "ipsec" }).podRouteMtu).toBe(1423);
    expect(mtuPlan({ ...base, encryption: "ipsec", routingMode: "tunnel" }).podRouteMtu).toBe(1373);
    expect(mtuPlan({ ...base, encryption: "ipsec", ipsecIcvBytes: 32 }).podRouteMtu).toBe(1407);
  });

  it("an IPv6 underlay uses the 70 B tunnel overhead and an IPv6 inner MSS (−72)", () => {
    const plan = mtuPlan({ ...base, encryption: "none", routingMode: "tunnel", ipFamily: "ipv6" });
    expect(plan.podRouteMtu).toBe(1430);
    expect(plan.tcpMss).toBe(1358);
  });

  it("clamps IPv6 route MTUs at 1280", () => {
    const plan = mtuPlan({ ...base, ipFamily: "ipv6", routingMode: "tunnel", ciliumVersion: "1.19.5", underlayMtu: 1400 });
    expect(plan.podRouteMtu).toBe(1280);
    expect(plan.fullSizeFragments).toBe(2);
  });

  it("rejects MTUs that cannot work", () => {
    expect(() => mtuPlan({ ...base, underlayMtu: 100 })).toThrow(/underlayMtu/);
    expect(() => mtuPlan({ ...base, ipFamily: "ipv6", underlayMtu: 1000 })).toThrow(/1280/);
    expect(() => mtuPlan({ ...base, underlayMtu: 1500.5 })).toThrow(/integer/);
  });
});

describe("MTU invariants", () => {
  const configs = fc.record({
    encryption: fc.constantFrom("none" as const, "wireguard" as const, "ipsec" as const),
    routingMode: fc.constantFrom("native" as const, "tunnel" as const),
    ciliumVersion: fc.constantFrom("1.14", "1.15", "1.18", "1.19", "1.19.5"),
    ipFamily: fc.constantFrom("ipv4" as const, "ipv6" as const),
    underlayMtu: fc.integer({ min: 1400, max: 9216 }),
  });

  it("with Cilium's own route MTU, a full-size packet fits except WireGuard IPv6 with the 80 B budget", () => {
    fc.assert(
      fc.property(configs, (cfg) => {
        const plan = mtuPlan(cfg);
        const knownBug = cfg.encryption === "wireguard" && cfg.ipFamily === "ipv6" && cfg.ciliumVersion !== "1.19.5";
        // The IPv6 clamp raises the route MTU to 1280 even when that cannot fit.
        const clamped = cfg.ipFamily === "ipv6" && cfg.underlayMtu - plan.budgetBytes < 1280;
        if (!knownBug && !clamped) expect(plan.fullSizeOuterBytes).toBeLessThanOrEqual(cfg.underlayMtu);
        if (clamped) expect(plan.podRouteMtu).toBe(1280);
      }),
    );
  });

  it("no inner packet up to the route MTU fragments once the 95 B budget applies", () => {
    fc.assert(
      fc.property(configs, fc.integer({ min: 40, max: 9216 }), (cfg, size) => {
        const c = { ...cfg, ciliumVersion: "1.19.5" };
        const plan = mtuPlan(c);
        const clamped = c.ipFamily === "ipv6" && c.underlayMtu - plan.budgetBytes < 1280;
        if (size <= plan.podRouteMtu && !clamped) expect(outerPacketBytes(c, size)).toBeLessThanOrEqual(c.underlayMtu);
      }),
    );
  });
});
