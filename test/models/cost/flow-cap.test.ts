// Cloud per-flow caps (AWS EC2 user guide: 5 Gbit/s per 5-tuple, 10 in a cluster placement
// group). WireGuard and IPsec carry a node pair on one outer tuple, so the cap is per pair.

import { describe, expect, it } from "vitest";
import { type CostInput, encryptionCost, hardwareProfile } from "../../../models/cost/index.ts";

const aws = hardwareProfile("aws-c6i-8xlarge");

function pair(partial: Partial<CostInput>) {
  return encryptionCost({
    encryption: "wireguard", routingMode: "native", ciliumVersion: "1.15", ipFamily: "ipv4",
    underlayMtu: 9001, hardware: aws, packetBytes: 131072, peers: 1, ...partial,
  }).pair.encrypted;
}

describe("per-flow cap", () => {
  it("the AWS profile carries AWS's documented 5 Gbit/s", () => {
    expect(aws.flowCapGbps).toBe(5);
    expect(aws.platform).toBe("virtualised");
    expect(aws.clockBasis).toBe("sustained");
  });

  it("caps an encrypted node pair however many flows it carries", () => {
    for (const flows of [1, 8]) {
      const p = pair({ flowsPerPeer: flows });
      expect(p.stages["flow-cap"]).toBeLessThan(5);
      expect(p.stages["flow-cap"]).toBeGreaterThan(5 * 0.97); // payload ÷ IP bytes at MTU 9001
      expect(p.gbps).toBeLessThanOrEqual(p.stages["flow-cap"]);
    }
    for (const enc of ["wireguard", "ipsec"] as const) {
      expect(pair({ encryption: enc, flowsPerPeer: 8 }).stages["flow-cap"]).toBeLessThan(5);
    }
  });

  it("without encryption each TCP flow is its own tuple", () => {
    const one = pair({ encryption: "none" });
    const eight = pair({ encryption: "none", flowsPerPeer: 8 });
    expect(eight.stages["flow-cap"]).toBeCloseTo(8 * one.stages["flow-cap"], 6);
    expect(eight.gbps).toBeGreaterThan(5);
  });

  it("a cluster placement group doubles it; no cap means no stage", () => {
    const inGroup = pair({ hardware: { ...aws, flowCapGbps: 10 } });
    expect(inGroup.stages["flow-cap"]).toBeCloseTo(2 * pair({}).stages["flow-cap"], 6);
    expect(pair({ hardware: { ...aws, flowCapGbps: null } }).stages["flow-cap"]).toBe(Infinity);
  });

  it("node throughput still grows with peers: each pair is its own outer flow", () => {
    const node = (peers: number) => encryptionCost({
      encryption: "wireguard", routingMode: "native", ciliumVersion: "1.15", ipFamily: "ipv4",
      underlayMtu: 9001, hardware: aws, packetBytes: 131072, peers,
    }).node.encrypted.gbps;
    expect(node(2)).toBeGreaterThan(node(1));
  });
});
