// VXLAN and Geneve cost CPU per packet, not only bytes (calibration: Cilium issue #22898).

import { describe, expect, it } from "vitest";
import { type CostInput, encryptionCost, hardwareProfile } from "../../../models/cost/index.ts";

// A fast NIC, so that the CPU binds as it did in the measurement.
const generic = { ...hardwareProfile("generic-x86-25g"), nicGbps: 100 };

function run(partial: Partial<CostInput>) {
  return encryptionCost({
    encryption: "none", routingMode: "native", ciliumVersion: "1.15", ipFamily: "ipv4",
    underlayMtu: 1500, hardware: generic, packetBytes: 131072, peers: 1, ...partial,
  });
}

describe("tunnel cost on the flow stage (#22898: vCenter VMs, MTU 1500, one stream)", () => {
  // Native with the pod MTU at 1450 (8.24 Gbit/s) against VXLAN (5.8) and Geneve (5.2):
  // same MSS, so the ratio is the tunnel's per-packet cost. Fitted from this pair.
  const native = run({ routeMtuOverride: 1450 }).pair.encrypted;
  it("reproduces the VXLAN and Geneve ratios it was fitted on", () => {
    expect(native.bottleneck).toBe("tcp-flow");
    const vxlan = run({ routingMode: "tunnel" }).pair.encrypted;
    const geneve = run({ routingMode: "tunnel", tunnelProtocol: "geneve" }).pair.encrypted;
    expect(vxlan.gbps / native.gbps).toBeCloseTo(5.8 / 8.24, 2);
    expect(geneve.gbps / native.gbps).toBeCloseTo(5.2 / 8.24, 2);
  });

  it("costs less per byte at MTU 9000: the cost is per packet", () => {
    const ratio = (mtu: number) => run({ routingMode: "tunnel", underlayMtu: mtu }).pair.encrypted.gbps / run({ underlayMtu: mtu }).pair.encrypted.gbps;
    expect(ratio(9000)).toBeGreaterThan(ratio(1500));
    expect(ratio(9000)).toBeLessThan(1);
  });

  it("adds CPU on both sides without encryption", () => {
    const plain = run({}).cpuSecondsPerGB.encrypted;
    const tunnel = run({ routingMode: "tunnel" }).cpuSecondsPerGB.encrypted;
    expect(tunnel.tx).toBeGreaterThan(plain.tx);
    expect(tunnel.rx).toBeGreaterThan(plain.rx);
  });
});

describe("tunnel cost on the encrypted path", () => {
  const serial = (partial: Partial<CostInput>) => run({ encryption: "wireguard", ...partial }).pair.encrypted.stages["peer-serial"];

  it("from 1.15 every overlay packet crosses WireGuard: the serial stage pays the tunnel", () => {
    const ryzen = hardwareProfile("ryzen-3950x-100g");
    const native = serial({ hardware: ryzen, underlayMtu: 9000 });
    const stacked = serial({ hardware: ryzen, underlayMtu: 9000, routingMode: "tunnel" });
    expect(stacked).toBeLessThan(native);
    // 1.14 without --wireguard-encapsulate: WireGuard alone encapsulates, no tunnel cost.
    const v114 = serial({ hardware: ryzen, underlayMtu: 9000, routingMode: "tunnel", ciliumVersion: "1.14" });
    expect(v114).toBeGreaterThan(stacked);
  });

  it("IPsec in tunnel mode removes VXLAN in the SA's softirq: its serial stage pays it too", () => {
    const native = run({ encryption: "ipsec" }).pair.encrypted.stages["peer-serial"];
    const tunnel = run({ encryption: "ipsec", routingMode: "tunnel" }).pair.encrypted.stages["peer-serial"];
    expect(tunnel).toBeLessThan(native);
  });
});
