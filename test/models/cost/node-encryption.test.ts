// encryption.nodeEncryption: host traffic between workers goes through WireGuard; the
// control-plane node opts out (Cilium's default node-encryption-opt-out-labels).

import { describe, expect, it } from "vitest";
import { costOf, type CostQuestion } from "../../../models/cost/question.ts";
import { defaultQuestion } from "../../../models/scenario/cost.ts";

const q = (over: Partial<CostQuestion>): CostQuestion => ({ ...defaultQuestion(), nodeEncryption: true, ...over });

describe("node encryption cost", () => {
  it("is zero when off, and with IPsec (Cilium supports it with WireGuard only)", () => {
    expect(costOf(q({ nodeEncryption: false })).columns.node_encryption_cores).toBe(0);
    expect(costOf(q({ encryption: "ipsec" })).columns.node_encryption_cores).toBe(0);
  });

  it("grows with the workers a node exchanges host traffic with", () => {
    const cores = (nodes: number) => costOf(q({ nodes, peers: nodes - 1 })).host.cores;
    expect(cores(10)).toBeGreaterThan(0);
    expect(cores(20) / cores(10)).toBeCloseTo(18 / 8, 6); // workers − 1: 18 against 8
  });

  it("opted-out control-plane nodes take their traffic out of the tunnel", () => {
    expect(costOf(q({ nodes: 2, peers: 1 })).host.cores).toBe(0); // one worker left
    const allIn = costOf(q({ controlPlaneNodes: 0 })).host;
    const oneOut = costOf(q({})).host;
    expect(allIn.encryptingNodes).toBe(10);
    expect(oneOut.encryptingNodes).toBe(9);
    expect(allIn.cores).toBeGreaterThan(oneOut.cores);
  });

  it("is the extra CPU of the probe and pod-to-node messages, and takes serial capacity from pods", () => {
    const on = costOf(q({}));
    const off = costOf(q({ nodeEncryption: false }));
    // Per worker: (10 − 1 − 1) peers × (1 pod-to-node message + 4 probes every 60 s) per second.
    expect(on.host.messagesPerSecond).toBeCloseTo(8 * (1 + 4 / 60), 6);
    expect(on.columns.node_gbps_encrypted).toBeLessThanOrEqual(off.columns.node_gbps_encrypted!);
    expect(on.columns.throughput_overhead_pct).toBeGreaterThanOrEqual(off.columns.throughput_overhead_pct!);
    const noTraffic = costOf(q({ hostTraffic: { podToNode: { rate: 0, packetBytes: 200 }, healthProbes: { interval: 0, packetBytes: 100 } } }));
    expect(noTraffic.host.cores).toBe(0);
  });
});
