// Held-out check: the InfraBuilder 2024 CNI benchmark (github.com/InfraBuilder/
// benchmark-k8s-cni-2024-01, results/<cni>/<run>/all.results and dts-client.stdout), kept
// apart from every calibration. Three bare-metal servers, 40 GbE switch, MTU 9000, SMT off
// (setup/22-system-tuning.sh), Ubuntu 22.04 / Linux 5.15, Cilium 1.15.2 with Helm defaults
// (VXLAN tunnel), iperf3 60 s; figures are the mean of the three runs. CPU-s/GB is statexec's
// system CPU-seconds per second ÷ GB/s (system mode only, so IPsec's softirq work is missing
// and its CPU is not scored). Tailscale's throughput posts are held out too but their figures
// could not be read here, so they are not scored.
//
// The CPU model is not in the repository: the testbed is assumed to be like the calibration
// testbed (16 cores at 3.5 GHz, bare metal) with the published 40 GbE NIC, SMT off and MTU 9000.
// The first model version scored 7 of these 16 within 25 %; docs/cost-model.md keeps both.

import { describe, expect, it } from "vitest";
import { type CostInput, type CostResult, encryptionCost, hardwareProfile } from "../../../models/cost/index.ts";

const testbed = { ...hardwareProfile("ryzen-3950x-100g"), nicGbps: 40, threadsPerCore: 1, underlayMtu: 9000 };

interface Figure {
  name: string;
  published: number;
  read: (r: CostResult) => number;
}

const gbps = (r: CostResult) => r.pair.encrypted.gbps;
const mss = (r: CostResult) => r.mtu.encrypted.tcpMss;
const client = (r: CostResult) => r.cpuSecondsPerGB.encrypted.tx;
const server = (r: CostResult) => r.cpuSecondsPerGB.encrypted.rx;

const CASES: { input: Pick<CostInput, "encryption" | "routingMode" | "flowsPerPeer">; figures: Figure[] }[] = [
  { input: { encryption: "none", routingMode: "native", flowsPerPeer: 1 }, figures: [
    { name: "baremetal, 1 stream", published: 31.37, read: gbps }, { name: "baremetal MSS", published: 8948, read: mss }] },
  { input: { encryption: "none", routingMode: "native", flowsPerPeer: 8 }, figures: [{ name: "baremetal, 8 streams", published: 39.54, read: gbps }] },
  { input: { encryption: "none", routingMode: "tunnel", flowsPerPeer: 1 }, figures: [
    { name: "cilium, 1 stream", published: 21.94, read: gbps }, { name: "cilium MSS", published: 8898, read: mss }] },
  { input: { encryption: "none", routingMode: "tunnel", flowsPerPeer: 8 }, figures: [{ name: "cilium, 8 streams", published: 39.29, read: gbps }] },
  { input: { encryption: "wireguard", routingMode: "tunnel", flowsPerPeer: 1 }, figures: [
    { name: "cilium-wg, 1 stream", published: 9.0, read: gbps }, { name: "cilium-wg MSS", published: 8818, read: mss },
    { name: "cilium-wg CPU-s/GB client, 1 stream", published: 2.757, read: client },
    { name: "cilium-wg CPU-s/GB server, 1 stream", published: 2.305, read: server }] },
  { input: { encryption: "wireguard", routingMode: "tunnel", flowsPerPeer: 8 }, figures: [
    { name: "cilium-wg, 8 streams", published: 8.4, read: gbps },
    { name: "cilium-wg CPU-s/GB client, 8 streams", published: 3.573, read: client },
    { name: "cilium-wg CPU-s/GB server, 8 streams", published: 3.115, read: server }] },
  { input: { encryption: "ipsec", routingMode: "tunnel", flowsPerPeer: 1 }, figures: [
    { name: "cilium-ipsec, 1 stream", published: 4.77, read: gbps }, { name: "cilium-ipsec MSS", published: 8821, read: mss }] },
  { input: { encryption: "ipsec", routingMode: "tunnel", flowsPerPeer: 8 }, figures: [{ name: "cilium-ipsec, 8 streams", published: 5.32, read: gbps }] },
];

function score() {
  return CASES.flatMap((c) => {
    const r = encryptionCost({ ...c.input, ciliumVersion: "1.15", ipFamily: "ipv4", underlayMtu: 9000, hardware: testbed, packetBytes: 131072, peers: 1 });
    return c.figures.map((f) => ({ name: f.name, published: f.published, model: f.read(r), error: f.read(r) / f.published - 1 }));
  });
}

describe("held-out: InfraBuilder 2024, 40 GbE, MTU 9000, Cilium 1.15.2", () => {
  const rows = score();
  const within = (pred: (name: string) => boolean) => rows.filter((x) => pred(x.name) && Math.abs(x.error) <= 0.25).length;

  it("MSS: 4 of 4 exact", () => {
    for (const x of rows.filter((r) => r.name.endsWith("MSS"))) expect(x.model, x.name).toBe(x.published);
  });

  it("throughput: 2 of 8 within 25 % (before: 2 of 8)", () => {
    // Within: 8-stream baremetal and cilium, both line-bound. Missed: the single unencrypted
    // VXLAN stream (+78 %: the per-packet tunnel cost fitted at MTU 1500 is small at 9000,
    // where this benchmark loses 30 % to VXLAN) and every encrypted figure (about 2× high:
    // the testbed's CPU is unknown and assumed to be the calibration testbed's).
    expect(within((n) => n.includes("stream") && !n.includes("CPU"))).toBe(2);
  });

  it("WireGuard CPU per GB: 2 of 4 within 25 % (before: 1 of 4)", () => {
    expect(within((n) => n.includes("CPU-s/GB"))).toBe(2);
  });

  it("all figures: 8 of 16 within 25 % (before: 7 of 16)", () => {
    expect(within(() => true)).toBe(8);
  });
});
