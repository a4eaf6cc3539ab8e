// Calibration against the Cilium CNI Performance Benchmark (2 × Ryzen 9
// 3950X, 100 GbE back-to-back, Linux 5.10; chart reads from the Cilium docs
// benchmark page and the 2021 cilium.io blog). Tolerances are the research
// notes' validation cases: ±20 % single-stream throughput and MTU ratios
// (cases 3, 4), ±30 % CPU per byte (case 5), ±25 % TCP_RR (case 6).

import { describe, expect, it } from "vitest";
import { type CostInput, encryptionCost, hardwareProfile } from "../../../models/cost/index.ts";

const testbed = hardwareProfile("ryzen-3950x-100g");

function run(encryption: CostInput["encryption"], underlayMtu: number) {
  // Cilium 1.10 introduced WireGuard and produced the encrypted runs: 80 B budget.
  return encryptionCost({
    encryption,
    routingMode: "native",
    ciliumVersion: "1.10",
    ipFamily: "ipv4",
    underlayMtu,
    hardware: testbed,
    packetBytes: 131072, // netperf TCP_STREAM: a continuous stream
    peers: 1,
  });
}

function within(model: number, published: number, tolerance: number): void {
  const error = model / published - 1;
  expect(Math.abs(error), `model ${model.toFixed(3)} vs published ${published} (${(100 * error).toFixed(1)} %)`).toBeLessThanOrEqual(tolerance);
}

/** The Cilium charts give CPU as % of 32 hardware threads per `gbps` of throughput. */
const percentOf32 = (cpusPerGbps: number, gbps: number) => (100 * cpusPerGbps * gbps) / 32;

describe("single-stream throughput (case 3, ±20 %)", () => {
  it("no encryption, MTU 1500: 42.3 Gbit/s (Cilium eBPF)", () => within(run("none", 1500).pair.encrypted.gbps, 42.3, 0.2));
  for (const published of [4.25, 4.7]) {
    it(`WireGuard, MTU 1500: ${published} Gbit/s`, () => within(run("wireguard", 1500).pair.encrypted.gbps, published, 0.2));
  }
  for (const published of [16.1, 17.6]) {
    it(`WireGuard, MTU 9000: ${published} Gbit/s`, () => within(run("wireguard", 9000).pair.encrypted.gbps, published, 0.2));
  }
  it("IPsec, MTU 1500: 3.4 Gbit/s", () => within(run("ipsec", 1500).pair.encrypted.gbps, 3.4, 0.2));
  it("IPsec, MTU 9000: 10.4 Gbit/s", () => within(run("ipsec", 9000).pair.encrypted.gbps, 10.4, 0.2));
  it("WireGuard's ratio to unencrypted at MTU 1500 is 0.10–0.11", () => {
    const r = run("wireguard", 1500);
    const ratio = r.pair.encrypted.gbps / r.pair.unencrypted.gbps;
    expect(ratio).toBeGreaterThan(0.1 * 0.8);
    expect(ratio).toBeLessThan(0.11 * 1.2);
  });
  it("the per-peer serial stage binds for both encryptions, not the wire or the crypto pool", () => {
    expect(run("wireguard", 1500).pair.encrypted.bottleneck).toBe("peer-serial");
    expect(run("ipsec", 9000).pair.encrypted.bottleneck).toBe("peer-serial");
  });
});

describe("MTU 1500 → 9000 (case 4, ±20 % on ratios)", () => {
  it("WireGuard throughput rises ×3.4–3.8", () => {
    const ratio = run("wireguard", 9000).pair.encrypted.gbps / run("wireguard", 1500).pair.encrypted.gbps;
    expect(ratio).toBeGreaterThan(3.4 * 0.8);
    expect(ratio).toBeLessThan(3.8 * 1.2);
  });
  it("IPsec throughput rises ×3.1", () => {
    within(run("ipsec", 9000).pair.encrypted.gbps / run("ipsec", 1500).pair.encrypted.gbps, 10.4 / 3.4, 0.2);
  });
  it("WireGuard CPU per 10 Gbit/s, client + server, drops ×3.8 (56.1 % → 14.8 %)", () => {
    const total = (mtu: number) => {
      const c = run("wireguard", mtu).cpusPerGbps.encrypted;
      return c.tx + c.rx;
    };
    within(total(1500) / total(9000), (23.7 + 32.4) / (8.0 + 6.8), 0.2);
  });
  it("per side, the drop is larger on the receiver (published ×3.0 client, ×4.8 server)", () => {
    const side = (mtu: number) => run("wireguard", mtu).cpusPerGbps.encrypted;
    const tx = side(1500).tx / side(9000).tx;
    const rx = side(1500).rx / side(9000).rx;
    within(tx, 23.7 / 8.0, 0.2);
    expect(rx).toBeGreaterThan(tx); // model ×4.0
  });
});

describe("CPU (case 5 ±30 % at MTU 9000; same tolerance used at MTU 1500)", () => {
  // Fitted from these two figures; the test guards the per-segment/per-byte split.
  it("no encryption: 8.7 % / 13.9 % of 32 threads per 100 Gbit/s (0.22 / 0.36 CPU-s/GB)", () => {
    const c = run("none", 1500).cpusPerGbps.encrypted;
    within(percentOf32(c.tx, 100), 8.7, 0.3);
    within(percentOf32(c.rx, 100), 13.9, 0.3);
  });
  it("WireGuard, MTU 9000: 8.0 % / 6.8 % per 10 Gbit/s", () => {
    const c = run("wireguard", 9000).cpusPerGbps.encrypted;
    within(percentOf32(c.tx, 10), 8.0, 0.3);
    within(percentOf32(c.rx, 10), 6.8, 0.3);
  });
  it("WireGuard, MTU 1500: 23.7 % / 32.4 % per 10 Gbit/s", () => {
    const c = run("wireguard", 1500).cpusPerGbps.encrypted;
    within(percentOf32(c.tx, 10), 23.7, 0.3);
    within(percentOf32(c.rx, 10), 32.4, 0.3);
  });
  it("IPsec, MTU 1500: 12.5 % / 11.4 % per 10 Gbit/s", () => {
    const c = run("ipsec", 1500).cpusPerGbps.encrypted;
    within(percentOf32(c.tx, 10), 12.5, 0.3);
    within(percentOf32(c.rx, 10), 11.4, 0.3);
  });
  it("IPsec, MTU 9000: 4.0 % / 2.9 % per 10 Gbit/s", () => {
    // The receiver's per-byte extra is held at 0 in the fit, so 2.9 % is met at +18 %.
    const c = run("ipsec", 9000).cpusPerGbps.encrypted;
    within(percentOf32(c.tx, 10), 4.0, 0.3);
    within(percentOf32(c.rx, 10), 2.9, 0.3);
  });
  it("the sender costs more than the receiver at MTU 9000 (WireGuard 8.0 / 6.8 ≈ 1.2×), less at 1500", () => {
    const c9 = run("wireguard", 9000).cpusPerGbps.encrypted;
    const c15 = run("wireguard", 1500).cpusPerGbps.encrypted;
    expect(c9.tx).toBeGreaterThan(c9.rx);
    expect(c15.tx).toBeLessThan(c15.rx);
    const i9 = run("ipsec", 9000).cpusPerGbps.encrypted;
    expect(i9.tx).toBeGreaterThan(i9.rx);
  });
  it("WireGuard needs 1.5–2.9× IPsec's CPU per Gbit/s (client + server)", () => {
    const total = (enc: CostInput["encryption"], mtu: number) => {
      const c = run(enc, mtu).cpusPerGbps.encrypted;
      return c.tx + c.rx;
    };
    for (const mtu of [1500, 9000]) {
      const ratio = total("wireguard", mtu) / total("ipsec", mtu);
      expect(ratio).toBeGreaterThan(1.5);
      expect(ratio).toBeLessThan(2.9);
    }
  });
});

// The unencrypted 45 300 transactions/s is the profile's rttUs input (22.1 µs),
// so only the encrypted rates are predictions.
describe("1-byte TCP_RR (case 6, ±25 %)", () => {
  it("IPsec: 26 100 (MTU 1500) and 25 400 (MTU 9000)", () => {
    within(run("ipsec", 1500).latency.tcpRr1BytePerSecond.encrypted, 26100, 0.25);
    within(run("ipsec", 9000).latency.tcpRr1BytePerSecond.encrypted, 25400, 0.25);
  });
  it("WireGuard: 16 400 (MTU 1500) and 16 500 (MTU 9000)", () => {
    within(run("wireguard", 1500).latency.tcpRr1BytePerSecond.encrypted, 16400, 0.25);
    within(run("wireguard", 9000).latency.tcpRr1BytePerSecond.encrypted, 16500, 0.25);
  });
  it("WireGuard is slower than IPsec on request/response on this hardware", () => {
    expect(run("wireguard", 1500).latency.tcpRr1BytePerSecond.encrypted).toBeLessThan(
      run("ipsec", 1500).latency.tcpRr1BytePerSecond.encrypted,
    );
  });
  it("added latency per one-way packet: ≈ 19.5 µs WireGuard, ≈ 8 µs IPsec (±25 %; model 15.8 / 6.1)", () => {
    within(run("wireguard", 1500).latency.packetAddedUs.smallest, 19.5, 0.25);
    within(run("ipsec", 1500).latency.packetAddedUs.smallest, 8, 0.25);
  });
});
