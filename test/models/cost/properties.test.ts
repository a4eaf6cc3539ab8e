// Properties the model must have whatever the hardware and configuration.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type CostInput, encryptionCost, hardwareProfile, type HardwareProfile } from "../../../models/cost/index.ts";

const hardware: fc.Arbitrary<HardwareProfile> = fc
  .record({
    cores: fc.integer({ min: 1, max: 128 }),
    threadsPerCore: fc.integer({ min: 1, max: 2 }),
    clockGhz: fc.double({ min: 1, max: 5, noNaN: true }),
    nicGbps: fc.constantFrom(1, 10, 25, 100, 400),
    rttUs: fc.double({ min: 5, max: 10_000, noNaN: true }),
    chacha: fc.double({ min: 0.5, max: 5, noNaN: true }),
    aes: fc.double({ min: 0.3, max: 3, noNaN: true }),
    flowCap: fc.option(fc.constantFrom(5, 10), { nil: null }),
  })
  .map((h) => ({
    ...hardwareProfile("generic-x86-25g"),
    cores: h.cores,
    threadsPerCore: h.threadsPerCore,
    clockGhz: h.clockGhz,
    nicGbps: h.nicGbps,
    rttUs: h.rttUs,
    cryptoCyclesPerByte: { chacha20poly1305: h.chacha, aesgcm: h.aes },
    flowCapGbps: h.flowCap,
  }));

const mix = fc.oneof(
  fc.integer({ min: 1, max: 1 << 20 }),
  fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 200_000 }), weight: fc.double({ min: 0.01, max: 1, noNaN: true }) }), {
    minLength: 1,
    maxLength: 4,
  }),
);

const input: fc.Arbitrary<CostInput> = fc.record({
  encryption: fc.constantFrom("none" as const, "wireguard" as const, "ipsec" as const),
  routingMode: fc.constantFrom("native" as const, "tunnel" as const),
  ciliumVersion: fc.constantFrom("1.14", "1.15", "1.18", "1.19", "1.19.5"),
  ipFamily: fc.constantFrom("ipv4" as const, "ipv6" as const),
  tunnelProtocol: fc.constantFrom("vxlan" as const, "geneve" as const),
  underlayMtu: fc.integer({ min: 1280, max: 9216 }),
  hardware,
  packetBytes: mix,
  peers: fc.integer({ min: 1, max: 64 }),
  flowsPerPeer: fc.integer({ min: 1, max: 16 }),
});

const runs = { numRuns: 300 };

describe("model properties", () => {
  it("encryption none has zero overhead", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = encryptionCost({ ...i, encryption: "none" });
        expect(r.throughput_overhead_pct).toBe(0);
        expect(r.cpu_overhead_cores_per_gbps).toBe(0);
        expect(r.latency_added_us).toBe(0);
      }),
      runs,
    );
  });

  it("encryption never speeds anything up", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = encryptionCost(i);
        expect(r.throughput_overhead_pct).toBeGreaterThanOrEqual(-1e-9);
        expect(r.cpu_overhead_cores_per_gbps).toBeGreaterThanOrEqual(0);
        expect(r.latency_added_us).toBeGreaterThanOrEqual(-1e-9);
        expect(r.latency.tcpRr1BytePerSecond.encrypted).toBeLessThanOrEqual(r.latency.tcpRr1BytePerSecond.unencrypted);
      }),
      runs,
    );
  });

  it("more cores never lower throughput", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 64 }), (i, extra) => {
        const more = { ...i, hardware: { ...i.hardware, cores: i.hardware.cores + extra } };
        const a = encryptionCost(i);
        const b = encryptionCost(more);
        expect(b.pair.encrypted.gbps).toBeGreaterThanOrEqual(a.pair.encrypted.gbps * (1 - 1e-12));
        expect(b.node.encrypted.gbps).toBeGreaterThanOrEqual(a.node.encrypted.gbps * (1 - 1e-12));
      }),
      runs,
    );
  });

  it("a faster clock or a faster cipher never lowers throughput", () => {
    fc.assert(
      fc.property(input, fc.double({ min: 1.01, max: 3, noNaN: true }), (i, factor) => {
        const h = i.hardware;
        const faster = {
          ...h,
          clockGhz: h.clockGhz * factor,
          cryptoCyclesPerByte: { chacha20poly1305: h.cryptoCyclesPerByte.chacha20poly1305 / factor, aesgcm: h.cryptoCyclesPerByte.aesgcm / factor },
        };
        expect(encryptionCost({ ...i, hardware: faster }).node.encrypted.gbps).toBeGreaterThanOrEqual(
          encryptionCost(i).node.encrypted.gbps * (1 - 1e-12),
        );
      }),
      runs,
    );
  });

  it("node throughput grows with peers, up to the NIC and the CPUs", () => {
    fc.assert(
      fc.property(input, (i) => {
        const one = encryptionCost({ ...i, peers: 1 }).node.encrypted;
        const many = encryptionCost({ ...i, peers: i.peers + 1 });
        expect(many.node.encrypted.gbps).toBeGreaterThanOrEqual(one.gbps * (1 - 1e-12));
        expect(many.node.encrypted.gbps).toBeLessThanOrEqual((i.peers + 1) * many.pair.encrypted.gbps * (1 + 1e-12));
        expect(many.node.encrypted.gbps).toBeLessThanOrEqual(i.hardware.nicGbps);
      }),
      runs,
    );
  });

  it("no pair is faster than its slowest stage or the line", () => {
    fc.assert(
      fc.property(input, (i) => {
        const pair = encryptionCost(i).pair.encrypted;
        for (const capacity of Object.values(pair.stages)) expect(pair.gbps).toBeLessThanOrEqual(capacity * (1 + 1e-12));
        expect(pair.gbps).toBeLessThan(i.hardware.nicGbps);
      }),
      runs,
    );
  });

  it("outer packets above the underlay MTU cost at least 5× in throughput (case 8)", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = encryptionCost({ ...i, packetBytes: 1 << 20 });
        if (r.mtu.encrypted.fullSizeFragments > 1) {
          const slowestStage = Math.min(...Object.values(r.pair.encrypted.stages));
          expect(r.pair.encrypted.bottleneck).toBe("fragmentation");
          expect(slowestStage / r.pair.encrypted.gbps).toBeGreaterThanOrEqual(5);
        } else {
          expect(r.pair.encrypted.fragmentedShare).toBe(0);
        }
      }),
      runs,
    );
  });
});
