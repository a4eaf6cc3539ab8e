// Out-of-sample checks: published measurements on hardware other than the
// calibration testbed. None of them was used to set a constant (the one
// exception, the fragmentation slowdown, is marked below). Each test states
// how close the model comes and asserts only what it honestly predicts.
//
// The research notes also hold back further measurements on purpose; they are
// not available here and can be checked later by writing a hardware profile
// for their testbed.

import { describe, expect, it } from "vitest";
import { type CostInput, encryptionCost, hardwareProfile } from "../../../models/cost/index.ts";

function bulk(partial: Partial<CostInput> & Pick<CostInput, "encryption" | "hardware">): ReturnType<typeof encryptionCost> {
  return encryptionCost({
    routingMode: "native",
    ciliumVersion: "1.10",
    ipFamily: "ipv4",
    underlayMtu: 1500,
    packetBytes: 131072,
    peers: 1,
    ...partial,
  });
}

describe("wireguard.com benchmark: i7 laptops, 1 GbE, Linux 4.6 (validation case 7)", () => {
  const laptop = hardwareProfile("laptop-i7-5200u-1g");
  // The quoted 1011 Mbit/s exceeds the 0.94 Gbit/s of TCP payload a 1 GbE link
  // carries at MTU 1500, so it is read as "link saturated". The model gives
  // 0.90 Gbit/s, wire-limited with 2–3× headroom in every CPU stage.
  it("WireGuard saturates the link: wire-limited, within 5 % of line rate of 0.94 Gbit/s", () => {
    const r = bulk({ encryption: "wireguard", hardware: laptop });
    expect(r.pair.encrypted.bottleneck).toBe("line");
    expect(Math.abs(r.pair.encrypted.gbps - 0.94)).toBeLessThanOrEqual(0.05 * laptop.nicGbps);
  });
  // IPsec AES-GCM measured 881 Mbit/s; the model gives 0.90 (wire-limited),
  // 2 % of line rate high. It does not reproduce WireGuard beating IPsec
  // there: on the wire both lose about the same bytes.
  it("IPsec AES-GCM: 881 Mbit/s, within 5 % of line rate", () => {
    const r = bulk({ encryption: "ipsec", hardware: laptop });
    expect(Math.abs(r.pair.encrypted.gbps - 0.881)).toBeLessThanOrEqual(0.05 * laptop.nicGbps);
  });
  // Missed, not asserted: ping 0.403 ms with WireGuard against 0.501 ms with
  // IPsec. The model, calibrated on a 2021 kernel where WireGuard had the
  // higher request/response latency, adds ≈ 51 µs per ping for WireGuard and
  // ≈ 20 µs for IPsec, the opposite order. No unencrypted ping is published.
});

describe("MoonWire: 2018 kernel WireGuard gateway, Xeon E5-2620 v3, one peer, 1514 B frames", () => {
  // Peak forwarding 0.56 Mpps. The model's per-peer serial stage, calibrated
  // on a TCP receiver (socket delivery, GRO), gives ≈ 0.27 Mpps: about half.
  // Asserted within a factor of 2.5 either way.
  it("per-peer packet rate within a factor of 2.5 of 0.56 Mpps", () => {
    const xeon = hardwareProfile("xeon-e5-2620v3-40g");
    // A 1580 B underlay lets a 1500 B inner packet through unfragmented.
    const r = bulk({ encryption: "wireguard", hardware: xeon, underlayMtu: 1580 });
    expect(r.mtu.encrypted.podRouteMtu).toBe(1500);
    const mpps = (r.pair.encrypted.stages["peer-serial"] * 1e9) / 8 / r.mtu.encrypted.tcpMss / 1e6;
    expect(mpps / 0.56).toBeGreaterThan(1 / 2.5);
    expect(mpps / 0.56).toBeLessThan(2.5);
  });
  // Missed, not asserted: ≈ 2 550 cycles per packet system-wide at the best
  // operating point; the model's end-host figure is ≈ 30 000 to 37 000 per side (12–15×),
  // because a forwarding gateway under load batches and skips the TCP and
  // socket work whose wake-ups dominate the calibration runs. The collapse to
  // 0 Mpps above ≈ 1.03 Mpps offered (receive livelock) is not modelled.
});

describe("Cilium PR #30329: VXLAN+WireGuard with a route MTU that ignores VXLAN (validation case 8)", () => {
  // Measured 102 Mbit/s before the fix against 656 Mbit/s after. The slowdown
  // factor itself was taken from this pair of numbers, so only the MTU
  // mechanism is independent here: which configuration fragments.
  const generic = hardwareProfile("generic-x86-25g");
  const tunnel = { encryption: "wireguard" as const, hardware: generic, routingMode: "tunnel" as const, ciliumVersion: "1.15" };
  it("the pre-fix route MTU (device − 80 = 1420) makes 1532 B outer packets that fragment", () => {
    const broken = bulk({ ...tunnel, routeMtuOverride: 1420 });
    expect(broken.mtu.encrypted.fullSizeOuterBytes).toBe(1532);
    expect(broken.mtu.encrypted.fullSizeFragments).toBe(2);
  });
  it("the fixed route MTU (device − 80 − 50 = 1370) does not, and is ≥ 5× faster", () => {
    const fixed = bulk(tunnel);
    const broken = bulk({ ...tunnel, routeMtuOverride: 1420 });
    expect(fixed.mtu.encrypted.podRouteMtu).toBe(1370);
    expect(fixed.mtu.encrypted.fullSizeFragments).toBe(1);
    expect(fixed.pair.encrypted.gbps / broken.pair.encrypted.gbps).toBeGreaterThanOrEqual(5);
  });
  // Not asserted: unencrypted ≈ 2 Gbit/s against 656 Mbit/s encrypted (×3)
  // on unpublished hardware; the generic 25 GbE profile gives ×7.5.
});

describe("Cilium issue #28413: WireGuard on AWS EKS, MTU 9001, after fixing the pod MTU", () => {
  // "throughput consistently increased to ~4.5 Gb/s" (one stream, instance type not given).
  // AWS caps one flow at 5 Gbit/s and WireGuard puts the node pair on one outer flow, so on
  // the AWS profile the cap binds whatever the CPU. Not used for any constant.
  it("the per-flow cap binds, within 25 % of the measured 4.5 Gbit/s", () => {
    const r = bulk({ encryption: "wireguard", hardware: hardwareProfile("aws-c6i-8xlarge"), underlayMtu: 9001 });
    expect(r.pair.encrypted.bottleneck).toBe("flow-cap");
    expect(Math.abs(r.pair.encrypted.gbps / 4.5 - 1)).toBeLessThanOrEqual(0.25);
  });
});
