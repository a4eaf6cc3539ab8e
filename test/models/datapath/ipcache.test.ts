import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IDENTITY } from "../../../models/identity.ts";
import { IPSEC_KEY, WIREGUARD_KEY, type IPCacheEntry } from "../../../models/datapath/entries.ts";
import { wireguardPeers } from "../../../models/datapath/wireguard.ts";
import { IPCache, installRemoteNode, newNodeTables, removeRemoteNode } from "./lpm.ts";
import { config, ip, SEPARATE } from "./fixtures.ts";

const entry = (identity: number, hostIp = 0, key = 0): IPCacheEntry => ({ identity, hostIp, key });

describe("LPM ipcache", () => {
  it("returns the longest matching prefix", () => {
    const c = new IPCache();
    c.upsertPrefix(ip("10.0.0.0"), 8, entry(2));
    c.upsertPrefix(ip("10.0.2.0"), 24, entry(3));
    c.upsert(ip("10.0.2.7"), entry(300));
    expect(c.lookup(ip("10.0.2.7"))?.identity).toBe(300);
    expect(c.lookup(ip("10.0.2.8"))?.identity).toBe(3);
    expect(c.lookup(ip("10.9.9.9"))?.identity).toBe(2);
    expect(c.lookup(ip("11.0.0.1"))).toBeUndefined();
    expect(c.size).toBe(3);
  });

  it("keys prefixes by their network address and falls back when the longer one goes", () => {
    const c = new IPCache();
    c.upsertPrefix(ip("10.0.2.99"), 24, entry(3));
    expect(c.lookupExact(ip("10.0.2.0"), 24)?.identity).toBe(3);
    c.upsert(ip("10.0.2.7"), entry(300));
    expect(c.delete(ip("10.0.2.7"))).toBe(true);
    expect(c.delete(ip("10.0.2.7"))).toBe(false);
    expect(c.lookup(ip("10.0.2.7"))?.identity).toBe(3);
    expect(c.deletePrefix(ip("10.0.2.0"), 24)).toBe(true);
    expect(c.lookup(ip("10.0.2.7"))).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("matches everything with a /0 and rejects impossible prefix lengths", () => {
    const c = new IPCache();
    c.upsertPrefix(0, 0, entry(2));
    expect(c.lookup(ip("203.0.113.1"))?.identity).toBe(2);
    expect(() => c.upsertPrefix(0, 33, entry(2))).toThrow(RangeError);
  });

  it("agrees with a linear scan for the longest match (property)", () => {
    const prefix = fc.record({ net: fc.nat(0xffffffff), bits: fc.integer({ min: 0, max: 32 }), id: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(fc.property(fc.array(prefix, { maxLength: 40 }), fc.array(fc.nat(0xffffffff), { maxLength: 20 }), (prefixes, probes) => {
      const c = new IPCache();
      for (const p of prefixes) c.upsertPrefix(p.net, p.bits, entry(p.id));
      // A probe inside some stored prefix, as well as the random ones.
      const all = [...probes, ...prefixes.map((p) => p.net)];
      for (const probe of all) expect(c.lookup(probe)?.identity).toBe(linearLongest(prefixes, probe));
    }));
  });
});

/** Later upserts of the same prefix win, as in the table; the longest covering prefix wins. */
function linearLongest(prefixes: { net: number; bits: number; id: number }[], addr: number): number | undefined {
  let best: { bits: number; id: number } | undefined;
  for (const p of prefixes) {
    const span = 2 ** (32 - p.bits);
    const covers = Math.floor(addr / span) === Math.floor(p.net / span);
    if (covers && (best === undefined || p.bits >= best.bits)) best = p;
  }
  return best?.id;
}

describe("remote-node entries by version", () => {
  const B = SEPARATE.B;

  it("before 1.18 puts the pod CIDR in the tunnel map (tunnel mode only), not in the ipcache", () => {
    const tunnel = newNodeTables();
    installRemoteNode(tunnel, B, config(SEPARATE, { version: "1.15", routingMode: "tunnel" }));
    expect(tunnel.ipcache.lookup(B.pod2)).toBeUndefined();
    expect(tunnel.tunnelMap.lookup(B.pod2)?.hostIp).toBe(B.ip);
    const native = newNodeTables();
    installRemoteNode(native, B, config(SEPARATE, { version: "1.15" }));
    expect(native.tunnelMap.size).toBe(0);
  });

  it("from 1.18 puts the pod CIDR in the ipcache with identity world, tunnel endpoint and key", () => {
    const t = newNodeTables();
    installRemoteNode(t, B, config(SEPARATE, { version: "1.18" }));
    expect(t.ipcache.lookup(B.pod2)).toEqual({ identity: IDENTITY.world, hostIp: B.ip, key: WIREGUARD_KEY });
    expect(t.tunnelMap.size).toBe(0);
  });

  it("keys node addresses only with node encryption, health always, and IPsec with its own key", () => {
    const plain = newNodeTables();
    installRemoteNode(plain, B, config(SEPARATE));
    expect(plain.ipcache.lookup(B.ip)).toEqual({ identity: IDENTITY.remoteNode, hostIp: B.ip, key: 0 });
    expect(plain.ipcache.lookup(B.routerIp)?.key).toBe(0);
    expect(plain.ipcache.lookup(B.healthIp)).toEqual({ identity: IDENTITY.health, hostIp: B.ip, key: WIREGUARD_KEY });
    const nodeEnc = newNodeTables();
    installRemoteNode(nodeEnc, B, config(SEPARATE, { nodeEncryption: true, encryption: "ipsec" }));
    expect(nodeEnc.ipcache.lookup(B.ip)?.key).toBe(IPSEC_KEY);
    expect(nodeEnc.ipcache.lookup(B.routerIp)?.key).toBe(IPSEC_KEY);
  });

  it("removes everything on node delete", () => {
    const t = newNodeTables();
    const cfg = config(SEPARATE, { version: "1.18" });
    installRemoteNode(t, B, cfg);
    removeRemoteNode(t, B);
    expect(t.ipcache.size + t.tunnelMap.size).toBe(0);
  });
});

describe("WireGuard AllowedIPs", () => {
  const B = SEPARATE.B;
  const tables = newNodeTables();
  tables.ipcache.upsert(B.pod1, entry(300, B.ip, WIREGUARD_KEY));
  const hasB = (n: number) => n === B.ip;

  it("follow the ipcache in native routing", () => {
    const wg = wireguardPeers(config(SEPARATE), tables.ipcache, hasB);
    expect(wg.peerFor(B.pod1)).toBe(B.ip);
    expect(wg.peerFor(B.ip)).toBe(B.ip);
    expect(wg.peerFor(B.pod2)).toBeUndefined();
    expect(wireguardPeers(config(SEPARATE), tables.ipcache, () => false).peerFor(B.pod1)).toBeUndefined();
  });

  it("hold node IPs only in tunnel mode from 1.15, but track the ipcache before #29000", () => {
    const v115 = wireguardPeers(config(SEPARATE, { routingMode: "tunnel" }), tables.ipcache, hasB);
    expect(v115.peerFor(B.ip)).toBe(B.ip);
    expect(v115.peerFor(B.pod1)).toBeUndefined();
    const pr = wireguardPeers(config(SEPARATE, { routingMode: "tunnel", version: "pr21856" }), tables.ipcache, hasB);
    expect(pr.peerFor(B.pod1)).toBe(B.ip);
  });
});
