/**
 * One test per row of the research truth table for IPv4 strict_allow (egress, cil_to_netdev).
 * Each checks the filter's own answer where the row gives one, and the end-to-end verdict of
 * decide() for the version the row describes (v1.15 unless the row says otherwise).
 */
import { describe, expect, it } from "vitest";
import { SpecError } from "../../../sim/errors.ts";
import { IDENTITY } from "../../../models/identity.ts";
import type { DatapathConfig } from "../../../models/datapath/config.ts";
import { installRemoteNode, type NodeTables } from "./lpm.ts";
import { strictFilterFor, strictOutcome } from "../../../models/datapath/strict.ts";
import { cidr, config, fromA, ip, OVERLAP, packet, SEPARATE, tablesOfA, validate, type Layout, type PacketSpec } from "./fixtures.ts";

/** strict_allow's answer on node A for this packet. */
function strictAt(layout: Layout, cfg: DatapathConfig, spec: PacketSpec, tables = tablesOfA(layout, cfg)): string {
  const filter = strictFilterFor(cfg, { ip: layout.A.ip, gatewayIp: layout.A.routerIp });
  if (filter === null) throw new Error("strict_allow is not compiled in");
  return strictOutcome(packet(spec, layout), filter, tables.ipcache);
}

const S = SEPARATE;
const O = OVERLAP;
const native = config(S);
const overlap = config(O, { strict: { allowRemoteNodeIdentities: true } });
const tunnel = config(S, { routingMode: "tunnel" });
const tunnelOverlap = config(O, { routingMode: "tunnel", strict: { allowRemoteNodeIdentities: true } });

describe("truth table: native routing, node IPs outside the strict CIDR (OVL=0)", () => {
  it("row 1: pod -> known pod: the filter would drop, but WireGuard encrypts first", () => {
    expect(strictAt(S, native, { dst: S.B.pod1 })).toBe("drop");
    expect(fromA(S, native, { dst: S.B.pod1 })).toEqual({ verdict: "encrypted", reason: "wg" });
  });

  it("row 2: pod -> unknown pod is dropped", () => {
    expect(fromA(S, native, { dst: S.B.pod2 })).toEqual({ verdict: "strict_dropped", reason: "strict@to-netdev" });
  });

  it("row 3 (1.18): an unknown /32 inside a known remote pod CIDR is encrypted through the prefix entry", () => {
    const v118 = config(S, { version: "1.18" });
    expect(strictAt(S, v118, { dst: S.B.pod2 })).toBe("drop");
    expect(fromA(S, v118, { dst: S.B.pod2 })).toEqual({ verdict: "encrypted", reason: "wg" });
  });

  it("row 4: pod -> remote node IP outside the CIDR passes in plaintext", () => {
    expect(strictAt(S, native, { dst: S.B.ip, dstKind: "node" })).toBe("pass:outside-cidr");
    expect(fromA(S, native, { dst: S.B.ip, dstKind: "node" }).verdict).toBe("plaintext_allowed");
  });

  it("row 5: pod -> remote node IP inside the CIDR is dropped when the local node IP is outside it", () => {
    // allowRemoteNodeIdentities is set (node D's own agent needs it), but A's IP is outside S: no lookup on A.
    const cfg = config(S, { strict: { allowRemoteNodeIdentities: true } });
    const D = { ip: ip("10.255.0.4"), podCidr: cidr("10.0.4.0/24"), routerIp: ip("10.0.4.1"), healthIp: ip("10.0.4.2") };
    const tables: NodeTables = tablesOfA(S, cfg);
    installRemoteNode(tables, D, cfg);
    expect(strictAt(S, cfg, { dst: D.ip, dstKind: "node" }, tables)).toBe("drop");
    expect(fromA(S, cfg, { dst: D.ip, dstKind: "node" }, { tables }).verdict).toBe("false_dropped");
  });

  it("row 6: pod -> remote cilium_host IP (in the CIDR, remote-node, no key) is dropped", () => {
    expect(strictAt(S, native, { dst: S.B.routerIp, dstKind: "node" })).toBe("drop");
    expect(fromA(S, native, { dst: S.B.routerIp, dstKind: "node" }).verdict).toBe("false_dropped");
  });

  it("row 7: pod -> external passes in plaintext", () => {
    expect(fromA(S, native, { dst: ip("8.8.8.8"), dstKind: "external" })).toEqual({ verdict: "plaintext_allowed", reason: "pass:outside-cidr" });
  });

  it("row 8: node IP -> unknown pod passes (source exemption) and leaves unencrypted", () => {
    const spec = { src: S.A.ip, srcKind: "host", dst: S.B.pod2 } as const;
    expect(strictAt(S, native, spec)).toBe("pass:source-exempt");
    expect(fromA(S, native, spec).verdict).toBe("host_plaintext");
  });

  it("row 9: node IP -> known pod: plaintext, encrypted only with node encryption", () => {
    const spec = { src: S.A.ip, srcKind: "host", dst: S.B.pod1 } as const;
    expect(fromA(S, native, spec).verdict).toBe("host_plaintext");
    expect(fromA(S, config(S, { nodeEncryption: true }), spec).verdict).toBe("encrypted");
  });

  it("row 10: cilium_host IP -> pod passes (IPV4_GATEWAY exemption)", () => {
    const spec = { src: S.A.routerIp, srcKind: "host", dst: S.B.pod2 } as const;
    expect(strictAt(S, native, spec)).toBe("pass:source-exempt");
    expect(fromA(S, native, spec).verdict).toBe("host_plaintext");
  });

  it("row 11: a secondary host IP inside the CIDR is not exempt: dropped", () => {
    const spec = { src: ip("10.0.1.250"), srcKind: "host", dst: S.B.pod1 } as const;
    expect(strictAt(S, native, spec)).toBe("drop");
    expect(fromA(S, native, spec).verdict).toBe("false_dropped");
  });

  it("row 12: forwarded traffic from outside the CIDR passes", () => {
    const spec = { src: ip("203.0.113.9"), srcKind: "external", dst: S.B.pod1 } as const;
    expect(strictAt(S, native, spec)).toBe("pass:outside-cidr");
    expect(fromA(S, native, spec).verdict).toBe("plaintext_allowed");
  });
});

describe("truth table: native routing, overlapping node and pod CIDRs (OVL=1)", () => {
  it("row 13: pod -> known pod: the lookup finds a pod, not a node; WireGuard encrypts", () => {
    expect(strictAt(O, overlap, { dst: O.B.pod1 })).toBe("drop");
    expect(fromA(O, overlap, { dst: O.B.pod1 }).verdict).toBe("encrypted");
  });

  it("row 14: pod -> unknown pod is dropped", () => {
    expect(fromA(O, overlap, { dst: O.B.pod2 }).verdict).toBe("strict_dropped");
  });

  it("row 15: pod -> known node IP inside the CIDR passes through the remote-node lookup", () => {
    expect(strictAt(O, overlap, { dst: O.B.ip, dstKind: "node" })).toBe("pass:node-destination");
    expect(fromA(O, overlap, { dst: O.B.ip, dstKind: "node" }).verdict).toBe("plaintext_allowed");
  });

  it("row 16: pod -> a new node's IP not yet in the ipcache is dropped", () => {
    expect(fromA(O, overlap, { dst: O.C.ip, dstKind: "node" })).toEqual({ verdict: "false_dropped", reason: "strict@to-netdev" });
  });

  it("row 17: a removed node's IP reused by a pod elsewhere leaks while the stale remote-node entry lasts", () => {
    const tables = tablesOfA(O, overlap);
    const reused = ip("192.168.56.210");
    tables.ipcache.upsert(reused, { identity: IDENTITY.remoteNode, hostIp: reused, key: 0 });
    const spec = { dst: reused, dstNode: O.B.ip };
    expect(strictAt(O, overlap, spec, tables)).toBe("pass:node-destination");
    expect(fromA(O, overlap, spec, { tables }).verdict).toBe("leaked");
  });

  it("row 18: pod -> external passes", () => {
    expect(fromA(O, overlap, { dst: ip("8.8.8.8"), dstKind: "external" }).verdict).toBe("plaintext_allowed");
  });

  it("row 19: node IP (in the CIDR) -> unknown pod passes by the source exemption", () => {
    const spec = { src: O.A.ip, srcKind: "host", dst: O.B.pod2 } as const;
    expect(strictAt(O, overlap, spec)).toBe("pass:source-exempt");
    expect(fromA(O, overlap, spec).verdict).toBe("host_plaintext");
  });

  it("row 20: a pod's reply to a host-originated flow (pod -> remote node IP) passes", () => {
    expect(fromA(O, overlap, { dst: O.B.ip, dstKind: "node" })).toEqual({ verdict: "plaintext_allowed", reason: "pass:node-destination" });
  });
});

describe("truth table: tunnel mode", () => {
  it("row 21: pod -> unknown pod without a tunnel route is checked at to-netdev and dropped", () => {
    expect(fromA(S, tunnel, { dst: S.C.pod1 })).toEqual({ verdict: "strict_dropped", reason: "strict@to-netdev" });
  });

  it("row 22: pod -> remote node IP inside the CIDR passes by the tunnel lookup", () => {
    expect(strictAt(O, tunnelOverlap, { dst: O.B.ip, dstKind: "node" })).toBe("pass:node-destination");
    expect(fromA(O, tunnelOverlap, { dst: O.B.ip, dstKind: "node" }).verdict).toBe("plaintext_allowed");
  });

  it("row 23: pod -> remote node IP outside the CIDR passes", () => {
    expect(fromA(S, tunnel, { dst: S.B.ip, dstKind: "node" }).verdict).toBe("plaintext_allowed");
  });

  it("row 24: pod -> remote cilium_host IP passes by the lookup (contrast row 6)", () => {
    expect(strictAt(S, tunnel, { dst: S.B.routerIp, dstKind: "node" })).toBe("pass:node-destination");
    expect(fromA(S, tunnel, { dst: S.B.routerIp, dstKind: "node" }).verdict).toBe("plaintext_allowed");
  });

  it("row 25: the outer tunnel packet passes strict_allow; from 1.15 it is redirected to WireGuard", () => {
    expect(strictAt(S, tunnel, { src: S.A.ip, srcKind: "host", dst: S.B.ip, dstKind: "node" })).toBe("pass:source-exempt");
    expect(fromA(S, tunnel, { dst: S.B.pod2 })).toEqual({ verdict: "encrypted", reason: "wg-overlay" });
  });

  it("row 26: pod -> external passes", () => {
    expect(fromA(S, tunnel, { dst: ip("8.8.8.8"), dstKind: "external" }).verdict).toBe("plaintext_allowed");
  });
});

describe("truth table: lookup identities (LOOKUP = tunnel or OVL)", () => {
  const withEntry = (cfg: DatapathConfig, addr: number, identity: number) => {
    const tables = tablesOfA(S, cfg);
    tables.ipcache.upsert(addr, { identity, hostIp: 0, key: 0 });
    return tables;
  };

  it("row 27: a HOST_ID destination in the CIDR passes up to 1.18 and is dropped from 1.19 (#42419)", () => {
    const addr = ip("10.0.9.9");
    for (const version of ["1.15", "1.18"] as const) {
      const cfg = config(S, { routingMode: "tunnel", version });
      expect(fromA(S, cfg, { dst: addr, dstKind: "host" }, { tables: withEntry(cfg, addr, IDENTITY.host) }).verdict).toBe("plaintext_allowed");
    }
    const v119 = config(S, { routingMode: "tunnel", version: "1.19" });
    expect(fromA(S, v119, { dst: addr, dstKind: "host" }, { tables: withEntry(v119, addr, IDENTITY.host) }).verdict).toBe("false_dropped");
  });

  it("row 28: kube-apiserver (7) and 0x02xxxxxx node identities pass in every version", () => {
    for (const version of ["1.15", "1.19"] as const) {
      const cfg = config(S, { routingMode: "tunnel", version });
      for (const identity of [IDENTITY.kubeApiserver, 0x02000010]) {
        const addr = ip("10.0.9.7");
        expect(strictAt(S, cfg, { dst: addr, dstKind: "node" }, withEntry(cfg, addr, identity))).toBe("pass:node-destination");
      }
    }
  });

  it("row 29: a remote health IP is not a node: encrypted when known, dropped when not yet known", () => {
    expect(strictAt(O, overlap, { dst: O.B.healthIp, dstKind: "health" })).toBe("drop");
    expect(fromA(O, overlap, { dst: O.B.healthIp, dstKind: "health" }).verdict).toBe("encrypted");
    expect(fromA(O, overlap, { dst: O.C.healthIp, dstKind: "health" }).verdict).toBe("false_dropped");
  });
});

describe("truth table: fail-open branches and foot-guns", () => {
  it("row 30: IPv6 is never filtered: an unknown pod leaks", () => {
    expect(strictAt(S, native, { dst: S.B.pod2, family: "ipv6" })).toBe("pass:not-ipv4");
    expect(fromA(S, native, { dst: S.B.pod2, family: "ipv6" }).verdict).toBe("leaked");
  });

  it("row 31: non-IP or unparsable frames pass", () => {
    expect(strictAt(S, native, { dst: S.B.pod2, family: "other" })).toBe("pass:not-ipv4");
  });

  it("row 32: a CIDR with host bits set never matches: the unknown pod leaks", () => {
    const cfg = config(S, { strict: { cidr: cidr("10.0.1.7/8") } });
    expect(strictAt(S, cfg, { dst: S.B.pod2 })).toBe("pass:outside-cidr");
    expect(fromA(S, cfg, { dst: S.B.pod2 }).verdict).toBe("leaked");
  });

  it("row 33: an allowed VLAN returns before WireGuard and strict: even a known pod leaks", () => {
    expect(fromA(S, native, { dst: S.B.pod2, allowedVlan: true })).toEqual({ verdict: "leaked", reason: "vlan-bypass" });
    expect(fromA(S, native, { dst: S.B.pod1, allowedVlan: true }).verdict).toBe("leaked");
  });

  it("row 34: native, node IP in the CIDR without allowRemoteNodeIdentities: the agent refuses", () => {
    const cfg = config(O, { strict: { allowRemoteNodeIdentities: false } });
    expect(() => validate(cfg, [O.A.ip, O.B.ip])).toThrow(SpecError);
    expect(() => validate(cfg, [O.A.ip])).toThrow(/cilium\.encryption\.strictMode\.allowRemoteNodeIdentities: node IP 192\.168\.56\.11/);
  });

  it("row 35: upstream (unlike the Edgeless fork) compiles strict_allow in tunnel mode without node encryption", () => {
    expect(strictFilterFor(tunnel, { ip: S.A.ip, gatewayIp: S.A.routerIp })).not.toBeNull();
    expect(fromA(S, tunnel, { dst: S.C.pod1 }).verdict).toBe("strict_dropped");
  });

  it("row 36: pr21856 in tunnel mode drops the inner packet in bpf_overlay", () => {
    const cfg = config(S, { routingMode: "tunnel", version: "pr21856" });
    expect(fromA(S, cfg, { dst: S.B.pod2 })).toEqual({ verdict: "strict_dropped", reason: "strict@to-overlay" });
  });
});
