import { describe, expect, it } from "vitest";
import { parseCidr, parseIpv4 } from "../../models/addressing/ipv4.ts";
import { strictAllow, type StrictModeConfig } from "../../models/datapath/strict.ts";
import { egressVerdict, type NodeDatapath, type Packet } from "../../models/datapath/verdict.ts";
import { IDENTITY } from "../../models/identity.ts";
import { WIREGUARD_KEY, type IPCacheEntry } from "../../models/datapath/ipcache.ts";

const ip = parseIpv4;
const GATEWAY = ip("10.0.1.1");
const cfg = (over: Partial<StrictModeConfig> = {}): StrictModeConfig => ({
  enabled: true, cidr: parseCidr("10.0.0.0/8", "cidr"), tunnel: false, overlappingCidr: false, ...over,
});
const nodeEntry: IPCacheEntry = { identity: IDENTITY.remoteNode, hostIp: ip("10.0.2.10"), key: 0 };
const lookupNode = (addr: number) => (addr === ip("10.0.2.10") ? nodeEntry : undefined);

describe("strict_allow (PR 21856)", () => {
  it("drops pod-to-pod inside the CIDR and allows traffic leaving it", () => {
    expect(strictAllow({ src: ip("10.0.1.5"), dst: ip("10.0.2.7") }, cfg(), GATEWAY, () => undefined)).toBe(false);
    expect(strictAllow({ src: ip("10.0.1.5"), dst: ip("8.8.8.8") }, cfg(), GATEWAY, () => undefined)).toBe(true);
    expect(strictAllow({ src: ip("192.168.0.5"), dst: ip("10.0.2.7") }, cfg(), GATEWAY, () => undefined)).toBe(true);
  });

  it("allows the node's own gateway address", () => {
    expect(strictAllow({ src: GATEWAY, dst: ip("10.0.2.7") }, cfg(), GATEWAY, () => undefined)).toBe(true);
  });

  it("exempts node destinations only in tunnel mode or with the overlapping-CIDR exemption", () => {
    const pkt = { src: ip("10.0.1.5"), dst: ip("10.0.2.10") };
    expect(strictAllow(pkt, cfg(), GATEWAY, lookupNode)).toBe(false);
    expect(strictAllow(pkt, cfg({ tunnel: true }), GATEWAY, lookupNode)).toBe(true);
    expect(strictAllow(pkt, cfg({ overlappingCidr: true }), GATEWAY, lookupNode)).toBe(true);
    // A node not yet in the IPCache is not exempt.
    expect(strictAllow(pkt, cfg({ tunnel: true }), GATEWAY, () => undefined)).toBe(false);
  });

  it("never matches a CIDR written with host bits set", () => {
    const bad = cfg({ cidr: parseCidr("10.0.0.1/8", "cidr") });
    expect(strictAllow({ src: ip("10.0.1.5"), dst: ip("10.0.2.7") }, bad, GATEWAY, () => undefined)).toBe(true);
  });
});

describe("egress verdicts", () => {
  const node = (over: Partial<NodeDatapath> & { entry?: IPCacheEntry }): NodeDatapath => ({
    encryption: true, strict: cfg({ enabled: false }), gatewayIp: GATEWAY, lookup: () => over.entry, ...over,
  });
  const podToPod: Packet = { src: ip("10.0.1.5"), dst: ip("10.0.2.7"), srcKind: "pod", dstKind: "pod" };
  const keyed: IPCacheEntry = { identity: 300, hostIp: ip("192.168.0.2"), key: WIREGUARD_KEY };

  it("encrypts towards a keyed entry and leaks towards an unknown pod", () => {
    expect(egressVerdict(podToPod, node({ entry: keyed }))).toBe("encrypted");
    expect(egressVerdict(podToPod, node({}))).toBe("leaked");
  });

  it("turns the leak into a strict drop, and a drop of non-pod traffic into a false drop", () => {
    expect(egressVerdict(podToPod, node({ strict: cfg() }))).toBe("strict_dropped");
    const toNode: Packet = { ...podToPod, dst: ip("10.0.2.10"), dstKind: "node" };
    expect(egressVerdict(toNode, node({ strict: cfg() }))).toBe("false_dropped");
    expect(egressVerdict(toNode, node({ strict: cfg({ tunnel: true }), lookup: lookupNode }))).toBe("plaintext_allowed");
  });

  it("allows everything in plaintext when encryption is off", () => {
    expect(egressVerdict(podToPod, node({ encryption: false, strict: cfg() }))).toBe("plaintext_allowed");
  });
});
