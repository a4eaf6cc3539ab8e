/**
 * How the modelled Cilium versions differ for the same packet, and the verdicts beyond the
 * strict-mode truth table: WireGuard drops, misdelivery, host traffic, IPsec, ingress strict.
 */
import { describe, expect, it } from "vitest";
import { CILIUM_VERSIONS, type CiliumVersion, type DatapathConfig } from "../../../models/datapath/config.ts";
import { wireguardPeers } from "../../../models/datapath/wireguard.ts";
import { installRemoteEndpoint } from "./lpm.ts";
import { VERDICTS } from "../../../models/datapath/verdict.ts";
import { config, fromA, OVERLAP, POD_IDENTITY, SEPARATE, tablesOfA, type PacketSpec } from "./fixtures.ts";

const S = SEPARATE;
const at = (version: CiliumVersion, over: Parameters<typeof config>[1] = {}) => config(S, { version, ...over });
const verdictOf = (cfg: DatapathConfig, spec: PacketSpec, extra?: Parameters<typeof fromA>[3]) => fromA(S, cfg, spec, extra).verdict;

describe("a new pod on a known node (B2: not in A's ipcache yet)", () => {
  it("tunnel mode: 1.14 leaks, pr21856 drops in bpf_overlay, 1.15+ encapsulates and encrypts", () => {
    const expected: Record<CiliumVersion, [string, string]> = {
      "1.14": ["leaked", "leaked"],
      pr21856: ["strict_dropped", "leaked"],
      "1.15": ["encrypted", "encrypted"],
      "1.16": ["encrypted", "encrypted"],
      "1.17": ["encrypted", "encrypted"],
      "1.18": ["encrypted", "encrypted"],
      "1.19": ["encrypted", "encrypted"],
    };
    for (const version of CILIUM_VERSIONS) {
      const on = verdictOf(at(version, { routingMode: "tunnel" }), { dst: S.B.pod2 });
      const off = verdictOf(at(version, { routingMode: "tunnel", strict: { enabled: false } }), { dst: S.B.pod2 });
      expect([version, on, off]).toEqual([version, ...expected[version]]);
    }
  });

  it("native routing: dropped (strict) or leaked until 1.18, whose pod-CIDR entry encrypts it", () => {
    const expected: Record<CiliumVersion, string> = {
      "1.14": "leaked", pr21856: "strict_dropped", "1.15": "strict_dropped", "1.16": "strict_dropped", "1.17": "strict_dropped", "1.18": "encrypted", "1.19": "encrypted",
    };
    for (const version of CILIUM_VERSIONS) expect([version, verdictOf(at(version), { dst: S.B.pod2 })]).toEqual([version, expected[version]]);
    expect(verdictOf(at("1.15", { strict: { enabled: false } }), { dst: S.B.pod2 })).toBe("leaked");
  });

  it("1.18 tunnel mode needs no tunnel map: the ipcache prefix gives the endpoint", () => {
    const cfg = at("1.18", { routingMode: "tunnel" });
    const tables = tablesOfA(S, cfg);
    expect(tables.tunnelMap.size).toBe(0);
    expect(fromA(S, cfg, { dst: S.B.pod2 }, { tables })).toEqual({ verdict: "encrypted", reason: "wg-overlay" });
  });
});

describe("a pod on a node A does not know yet (C)", () => {
  it("is dropped with strict mode (BPF or no masquerading) and leaks without it, in every version from 1.15", () => {
    for (const version of ["1.15", "1.16", "1.17", "1.18", "1.19"] as const) {
      for (const routingMode of ["native", "tunnel"] as const) {
        expect(verdictOf(at(version, { routingMode }), { dst: S.C.pod1 })).toBe("strict_dropped");
        expect(verdictOf(at(version, { routingMode, strict: { enabled: false } }), { dst: S.C.pod1 })).toBe("leaked");
      }
    }
  });

  it("leaks through strict mode in tunnel mode with iptables masquerading (Helm's default): SNATed to the node IP before strict_allow", () => {
    for (const version of ["1.15", "1.16", "1.17", "1.18", "1.19"] as const) {
      expect(fromA(S, at(version, { routingMode: "tunnel", iptablesMasquerade: true }), { dst: S.C.pod1 }))
        .toEqual({ verdict: "leaked", reason: "iptables-masquerade+pass:source-exempt" });
      // Native routing never masquerades pod destinations (the native-routing CIDR covers them).
      expect(verdictOf(at(version, { routingMode: "native", iptablesMasquerade: true }), { dst: S.C.pod1 })).toBe("strict_dropped");
    }
    // Pod -> a node A does not know, node IPs inside the CIDR: no false drop either, the filter sees the node's own IP.
    const overlap = (iptablesMasquerade: boolean) => config(OVERLAP, { version: "1.15", routingMode: "tunnel", iptablesMasquerade, strict: { allowRemoteNodeIdentities: true } });
    expect(fromA(OVERLAP, overlap(false), { dst: OVERLAP.C.ip, dstKind: "node" }).verdict).toBe("false_dropped");
    expect(fromA(OVERLAP, overlap(true), { dst: OVERLAP.C.ip, dstKind: "node" }).verdict).toBe("plaintext_allowed");
    // A known pod goes through the tunnel and is encrypted either way; before #29000 bpf_lxc
    // redirects it to cilium_wg0 itself, so it never meets iptables either.
    for (const version of ["1.14", "pr21856", "1.15"] as const) {
      expect(verdictOf(at(version, { routingMode: "tunnel", iptablesMasquerade: true }), { dst: S.B.pod1 })).toBe("encrypted");
    }
  });

  it("leaks under pr21856 tunnel mode: without a tunnel route it leaves by the stack, where bpf_host does not check", () => {
    expect(fromA(S, at("pr21856", { routingMode: "tunnel" }), { dst: S.C.pod1 })).toEqual({ verdict: "leaked", reason: "unchecked:pr21856-tunnel-stack-route" });
  });
});

describe("known pods in tunnel mode", () => {
  it("before #29000 WireGuard skips the tunnel for keyed destinations; from 1.15 it encrypts the overlay packet", () => {
    expect(fromA(S, at("1.14", { routingMode: "tunnel" }), { dst: S.B.pod1 })).toEqual({ verdict: "encrypted", reason: "wg" });
    expect(fromA(S, at("1.15", { routingMode: "tunnel" }), { dst: S.B.pod1 })).toEqual({ verdict: "encrypted", reason: "wg-overlay" });
  });
});

describe("host traffic and node encryption", () => {
  const hostTo = (dst: number, dstKind: "pod" | "node" = "pod"): PacketSpec => ({ src: S.A.ip, srcKind: "host", dst, dstKind });

  it("native: host -> pod and host -> node leave in plaintext unless node encryption is on", () => {
    expect(verdictOf(at("1.15"), hostTo(S.B.pod1))).toBe("host_plaintext");
    expect(verdictOf(at("1.15"), hostTo(S.B.ip, "node"))).toBe("host_plaintext");
    expect(verdictOf(at("1.15", { nodeEncryption: true }), hostTo(S.B.pod1))).toBe("encrypted");
    expect(verdictOf(at("1.15", { nodeEncryption: true }), hostTo(S.B.ip, "node"))).toBe("encrypted");
  });

  it("pod -> remote node is encrypted only with node encryption", () => {
    expect(verdictOf(at("1.15"), { dst: S.B.ip, dstKind: "node" })).toBe("plaintext_allowed");
    expect(verdictOf(at("1.15", { nodeEncryption: true }), { dst: S.B.ip, dstKind: "node" })).toBe("encrypted");
  });

  it("tunnel: host (cilium_host) -> remote pod is encapsulated, so from 1.15 it is encrypted (b67291f)", () => {
    const spec: PacketSpec = { src: S.A.routerIp, srcKind: "host", dst: S.B.pod1 };
    expect(verdictOf(at("pr21856", { routingMode: "tunnel" }), spec)).toBe("host_plaintext");
    expect(verdictOf(at("1.15", { routingMode: "tunnel" }), spec)).toBe("encrypted");
  });
});

describe("IPsec", () => {
  it("encrypts keyed destinations; strict mode applies to it only from 1.19 (#42115)", () => {
    expect(fromA(S, at("1.15", { encryption: "ipsec" }), { dst: S.B.pod1 })).toEqual({ verdict: "encrypted", reason: "ipsec" });
    expect(verdictOf(at("1.15", { encryption: "ipsec" }), { dst: S.C.pod1 })).toBe("leaked");
    expect(verdictOf(at("1.19", { encryption: "ipsec" }), { dst: S.C.pod1 })).toBe("strict_dropped");
  });

  it("ignores 1.18's pod-CIDR entries in native routing, so a new pod on a known node leaks until #41519 (1.19)", () => {
    expect(fromA(S, at("1.18", { encryption: "ipsec" }), { dst: S.B.pod2 })).toEqual({ verdict: "leaked", reason: "ipsec-ignores-pod-cidr-entry" });
    expect(fromA(S, at("1.19", { encryption: "ipsec" }), { dst: S.B.pod2 })).toEqual({ verdict: "encrypted", reason: "ipsec" });
    expect(verdictOf(at("1.18"), { dst: S.B.pod2 })).toBe("encrypted");
    // Its own /32, once there, is used as before.
    expect(verdictOf(at("1.18", { encryption: "ipsec" }), { dst: S.B.pod1 })).toBe("encrypted");
  });

  it("in tunnel mode before 1.18 sends a new pod's traffic through the tunnel in plaintext", () => {
    expect(fromA(S, at("1.15", { encryption: "ipsec", routingMode: "tunnel" }), { dst: S.B.pod2 })).toEqual({ verdict: "leaked", reason: "overlay-plaintext" });
  });
});

describe("WireGuard peers and AllowedIPs", () => {
  const noPeerForB = (cfg: DatapathConfig) => {
    const tables = tablesOfA(S, cfg);
    return { tables, wireguard: wireguardPeers(cfg, tables.ipcache, () => false) };
  };

  it("a keyed destination whose peer is missing is dropped by WireGuard (-ENOKEY)", () => {
    const native = at("1.15");
    expect(fromA(S, native, { dst: S.B.pod1 }, noPeerForB(native))).toEqual({ verdict: "wg_dropped", reason: "wg-no-peer" });
    const tunnel = at("1.15", { routingMode: "tunnel" });
    expect(verdictOf(tunnel, { dst: S.B.pod2 }, noPeerForB(tunnel))).toBe("wg_dropped");
  });

  it("a missing AllowedIP drops only that destination", () => {
    const wireguard = { peerFor: (addr: number) => (addr === S.B.pod1 ? undefined : S.B.ip) };
    expect(verdictOf(at("1.15"), { dst: S.B.pod1 }, { wireguard })).toBe("wg_dropped");
    expect(verdictOf(at("1.15"), { dst: S.B.healthIp, dstKind: "health" }, { wireguard })).toBe("encrypted");
  });
});

describe("misdelivery after IP reuse", () => {
  // B1's IP now belongs to a pod on C, but A's ipcache still points at B (ENI/Azure-style reuse).
  const moved: PacketSpec = { dst: S.B.pod1, dstNode: S.C.ip };

  it("a stale keyed entry encrypts towards the old node in every mode", () => {
    expect(fromA(S, at("1.15"), moved)).toEqual({ verdict: "misdelivered", reason: "stale-tunnel-endpoint" });
    expect(verdictOf(at("1.15", { routingMode: "tunnel" }), moved)).toBe("misdelivered");
    expect(verdictOf(at("1.14", { routingMode: "tunnel" }), moved)).toBe("misdelivered");
  });

  it("is encrypted once the entry points at the new node", () => {
    const cfg = at("1.15");
    const tables = tablesOfA(S, cfg);
    installRemoteEndpoint(tables, { ip: S.B.pod1, identity: POD_IDENTITY, nodeIp: S.C.ip }, cfg);
    expect(verdictOf(cfg, moved, { tables })).toBe("encrypted");
  });

  it("plaintext pod-to-pod sent to the wrong node counts as leaked", () => {
    const cfg = at("1.14", { routingMode: "tunnel", strict: { enabled: false } });
    const tables = tablesOfA(S, cfg);
    tables.ipcache.upsert(S.B.pod1, { identity: POD_IDENTITY, hostIp: S.B.ip, key: 0 });
    expect(verdictOf(cfg, moved, { tables })).toBe("leaked");
    expect(verdictOf(cfg, { ...moved, srcKind: "host", src: S.A.routerIp }, { tables })).toBe("misdelivered");
  });
});

describe("source identity", () => {
  it("a pod whose own entry is gone is not encrypted before 1.18 (test v4_3), but is from the mark in 1.18", () => {
    expect(verdictOf(at("1.15"), { dst: S.B.pod1, srcIdentityLost: true })).toBe("strict_dropped");
    expect(verdictOf(at("1.15", { strict: { enabled: false } }), { dst: S.B.pod1, srcIdentityLost: true })).toBe("leaked");
    expect(verdictOf(at("1.18"), { dst: S.B.pod1, srcIdentityLost: true })).toBe("encrypted");
  });
});

describe("1.19 ingress strict mode at the receiver", () => {
  const receiver = { cfg: at("1.19", { routingMode: "tunnel", strict: { enabled: false, ingress: true } }) };

  it("drops plaintext overlay packets from an older sender; pod-to-pod still counts as leaked", () => {
    const sender = at("pr21856", { routingMode: "tunnel", strict: { enabled: false } });
    expect(fromA(S, sender, { dst: S.B.pod2 }, { receiver })).toEqual({ verdict: "leaked", reason: "overlay-plaintext+strict@from-overlay" });
    const hostSpec: PacketSpec = { src: S.A.routerIp, srcKind: "host", dst: S.B.pod1 };
    expect(fromA(S, at("1.14", { routingMode: "tunnel" }), hostSpec, { receiver })).toEqual({ verdict: "false_dropped", reason: "strict@from-overlay" });
    expect(verdictOf(at("1.14", { routingMode: "tunnel" }), hostSpec)).toBe("host_plaintext");
  });

  it("drops a sender's plaintext while it has encryption off, and lets decrypted traffic through", () => {
    expect(verdictOf(at("1.19", { routingMode: "tunnel", encryption: "disabled" }), { dst: S.B.pod2 }, { receiver })).toBe("strict_dropped");
    expect(verdictOf(at("1.19", { routingMode: "tunnel" }), { dst: S.B.pod2 }, { receiver })).toBe("encrypted");
  });

  it("has no effect where 1.19 does not support it (native routing)", () => {
    const nativeReceiver = { cfg: at("1.19", { strict: { ingress: true } }) };
    expect(verdictOf(at("1.19", { routingMode: "tunnel", encryption: "disabled" }), { dst: S.B.pod2 }, { receiver: nativeReceiver })).toBe("plaintext_allowed");
  });
});

describe("verdicts", () => {
  it("encryption off: everything is plaintext by design, strict mode or not", () => {
    expect(fromA(S, at("1.15", { encryption: "disabled" }), { dst: S.B.pod2 })).toEqual({ verdict: "plaintext_allowed", reason: "encryption-disabled" });
    expect(verdictOf(at("1.15", { encryption: "disabled" }), { src: S.A.ip, srcKind: "host", dst: S.B.pod1 })).toBe("plaintext_allowed");
  });

  it("every verdict is reachable and the legacy list carries them all", () => {
    const seen = new Set([
      verdictOf(at("1.15"), { dst: S.B.pod1 }),
      verdictOf(at("1.15"), { dst: S.B.ip, dstKind: "node" }),
      verdictOf(at("1.15", { strict: { enabled: false } }), { dst: S.B.pod2 }),
      verdictOf(at("1.15"), { dst: S.B.pod2 }),
      verdictOf(at("1.15"), { dst: S.B.routerIp, dstKind: "node" }),
      verdictOf(at("1.15"), { dst: S.B.pod1 }, { wireguard: { peerFor: () => undefined } }),
      verdictOf(at("1.15"), { dst: S.B.pod1, dstNode: S.C.ip }),
      verdictOf(at("1.15"), { src: S.A.ip, srcKind: "host", dst: S.B.pod1 }),
    ]);
    expect([...seen].sort()).toEqual([...VERDICTS].sort());
  });

});
