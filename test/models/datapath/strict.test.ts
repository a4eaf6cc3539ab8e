import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Cidr } from "../../../models/addressing/ipv4.ts";
import { VERDICTS } from "../../../models/datapath/verdict.ts";
import { decide } from "../../../models/datapath/decide.ts";
import type { DatapathConfig } from "../../../models/datapath/config.ts";
import type { IPCacheEntry } from "../../../models/datapath/entries.ts";
import {
  strictAllowV4, strictFilterFor, strictOutcome, type StrictFilter,
} from "../../../models/datapath/strict.ts";
import { cidr, config, ip, OVERLAP, SEPARATE } from "./fixtures.ts";

// ---------------------------------------------------------------------------------------------
// An independent, literal reading of strict_allow as merged in cilium/cilium#21856 (the seed's C
// code), written with arithmetic rather than the bit operations the model uses.

interface RefDefines {
  STRICT_IPV4_NET: number;
  STRICT_IPV4_NET_SIZE: number; // 1..32: C leaves the /0 shift undefined
  IPV4_GATEWAY: number;
  IPV4_ENCRYPT_IFACE: number;
  TUNNEL_MODE: boolean;
  STRICT_IPV4_OVERLAPPING_CIDR: boolean;
}

/** (addr & ~((1 << (32 - size)) - 1)) == subnet */
function ipv4IsInSubnet(addr: number, subnet: number, size: number): boolean {
  const hostSpan = 2 ** (32 - size);
  return Math.floor(addr / hostSpan) * hostSpan === subnet;
}

/** HOST_ID, REMOTE_NODE_ID, KUBE_APISERVER_NODE_ID, or the 0x02 node scope. */
function refIdentityIsNode(id: number): boolean {
  return id === 1 || id === 6 || id === 7 || Math.floor(id / 2 ** 24) === 2;
}

function refStrictAllow(saddr: number, daddr: number, d: RefDefines, lookup: (a: number) => IPCacheEntry | undefined): boolean {
  if (saddr === d.IPV4_GATEWAY || saddr === d.IPV4_ENCRYPT_IFACE) return true;
  let inStrictCidr = ipv4IsInSubnet(daddr, d.STRICT_IPV4_NET, d.STRICT_IPV4_NET_SIZE);
  inStrictCidr = inStrictCidr && ipv4IsInSubnet(saddr, d.STRICT_IPV4_NET, d.STRICT_IPV4_NET_SIZE);
  if (d.TUNNEL_MODE || d.STRICT_IPV4_OVERLAPPING_CIDR) {
    const destInfo = lookup(daddr);
    if (destInfo && destInfo.identity && refIdentityIsNode(destInfo.identity)) return true;
  }
  return !inStrictCidr;
}

// ---------------------------------------------------------------------------------------------
// Generators: addresses drawn to collide with the CIDR, the exempt addresses and the ipcache.

const IDENTITIES = [0, 1, 2, 3, 4, 6, 7, 8, 256, 300, 0x01000005, 0x02000010, 0x02ffffff, 0x03000001];
const u32 = fc.nat(0xffffffff);

const world = fc.record({
  net: u32,
  size: fc.integer({ min: 1, max: 32 }),
  keepHostBits: fc.boolean(),
  tunnel: fc.boolean(),
  overlapping: fc.boolean(),
  hostParts: fc.array(u32, { minLength: 6, maxLength: 6 }),
  outsiders: fc.array(u32, { minLength: 2, maxLength: 2 }),
  ipcacheIds: fc.array(fc.constantFrom(...IDENTITIES), { minLength: 8, maxLength: 8 }),
  ipcacheHits: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  pick: fc.array(fc.nat(7), { minLength: 4, maxLength: 4 }),
}).map((w) => {
  const span = 2 ** (32 - w.size);
  const network = Math.floor(w.net / span) * span;
  // Half the time the CIDR is written with host bits set, as Cilium accepts it.
  const base = w.keepHostBits ? w.net : network;
  const pool = [...w.hostParts.map((h) => network + (h % span)), ...w.outsiders];
  const entries = new Map<number, IPCacheEntry>();
  pool.forEach((a, i) => { if (w.ipcacheHits[i]) entries.set(a, { identity: w.ipcacheIds[i], hostIp: 1, key: 0 }); });
  const [s, d, g, e] = w.pick.map((i) => pool[i]);
  return {
    src: s, dst: d, entries,
    defines: { STRICT_IPV4_NET: base, STRICT_IPV4_NET_SIZE: w.size, IPV4_GATEWAY: g, IPV4_ENCRYPT_IFACE: e, TUNNEL_MODE: w.tunnel, STRICT_IPV4_OVERLAPPING_CIDR: w.overlapping },
  };
});

const cidrOf = (d: RefDefines): Cidr => ({ base: d.STRICT_IPV4_NET, bits: d.STRICT_IPV4_NET_SIZE, text: "generated" });
const filterOf = (d: RefDefines, test: StrictFilter["nodeIdentityTest"] = "identity_is_node"): StrictFilter => ({
  cidr: cidrOf(d), gatewayIp: d.IPV4_GATEWAY, encryptIfaceIp: d.IPV4_ENCRYPT_IFACE,
  nodeLookup: d.TUNNEL_MODE || d.STRICT_IPV4_OVERLAPPING_CIDR, nodeIdentityTest: test,
});

describe("strict_allow against the seed's C (properties)", () => {
  it("the versioned filter with identity_is_node equals the reference", () => {
    fc.assert(fc.property(world, ({ src, dst, entries, defines }) => {
      const lookup = (a: number) => entries.get(a);
      expect(strictAllowV4({ src, dst }, filterOf(defines), { lookup })).toBe(refStrictAllow(src, dst, defines, lookup));
    }), { numRuns: 2000 });
  });

  it("1.19's identity_is_remote_node differs from the reference only for HOST_ID destinations", () => {
    fc.assert(fc.property(world, ({ src, dst, entries, defines }) => {
      const lookup = (a: number) => entries.get(a);
      const v119 = strictAllowV4({ src, dst }, filterOf(defines, "identity_is_remote_node"), { lookup });
      const ref = refStrictAllow(src, dst, defines, lookup);
      if (v119 !== ref) {
        expect(entries.get(dst)?.identity).toBe(1);
        expect(v119).toBe(false);
      }
    }), { numRuns: 2000 });
  });

  it("pr21856 native: a pod packet that is not encrypted is dropped exactly when the reference drops it", () => {
    fc.assert(fc.property(world, fc.boolean(), ({ src, dst, entries, defines }, keyed) => {
      if (defines.TUNNEL_MODE) return;
      const lookup = (a: number) => entries.get(a);
      const cfg: DatapathConfig = {
        version: "pr21856", routingMode: "native", encryption: "wireguard", nodeEncryption: false,
        strictMode: { enabled: true, cidr: cidrOf(defines), allowRemoteNodeIdentities: true },
      };
      const ipcache = { lookup: (a: number) => (a === dst && keyed ? { identity: 300, hostIp: 9, key: 0xff } : lookup(a)) };
      const { verdict } = decide({ pkt: { src, dst, srcKind: "pod", dstKind: "pod" }, node: { cfg, ip: 0, gatewayIp: 0, strict: filterOf(defines) }, ipcache });
      expect(VERDICTS).toContain(verdict);
      if (keyed) expect(verdict).toBe("encrypted");
      else expect(verdict === "strict_dropped").toBe(!refStrictAllow(src, dst, defines, ipcache.lookup));
    }), { numRuns: 1000 });
  });
});

describe("strict_allow, branch by branch", () => {
  const f = strictFilterFor(config(SEPARATE), { ip: SEPARATE.A.ip, gatewayIp: SEPARATE.A.routerIp })!;
  const none = { lookup: () => undefined };

  it("names the branch that decided", () => {
    expect(strictOutcome({ src: ip("10.0.1.5"), dst: ip("10.0.2.8"), family: "ipv6" }, f, none)).toBe("pass:not-ipv4");
    expect(strictOutcome({ src: SEPARATE.A.routerIp, dst: ip("10.0.2.8") }, f, none)).toBe("pass:source-exempt");
    expect(strictOutcome({ src: SEPARATE.A.ip, dst: ip("10.0.2.8") }, f, none)).toBe("pass:source-exempt");
    expect(strictOutcome({ src: ip("10.0.1.5"), dst: ip("8.8.8.8") }, f, none)).toBe("pass:outside-cidr");
    expect(strictOutcome({ src: ip("10.0.1.5"), dst: ip("10.0.2.8") }, f, none)).toBe("drop");
  });

  it("compiles the node lookup in tunnel mode, or when the local node IP is in the CIDR and the flag is set", () => {
    const at = (layout: typeof SEPARATE, over: Parameters<typeof config>[1]) =>
      strictFilterFor(config(layout, over), { ip: layout.A.ip, gatewayIp: layout.A.routerIp })?.nodeLookup;
    expect(at(SEPARATE, {})).toBe(false);
    expect(at(SEPARATE, { strict: { allowRemoteNodeIdentities: true } })).toBe(false);
    expect(at(SEPARATE, { routingMode: "tunnel" })).toBe(true);
    expect(at(OVERLAP, { strict: { allowRemoteNodeIdentities: true } })).toBe(true);
  });

  it("is not compiled without strict mode, a CIDR, or a supported encryption", () => {
    const node = { ip: SEPARATE.A.ip, gatewayIp: SEPARATE.A.routerIp };
    expect(strictFilterFor(config(SEPARATE, { strict: { enabled: false } }), node)).toBeNull();
    expect(strictFilterFor(config(SEPARATE, { strict: { cidr: undefined } }), node)).toBeNull();
    expect(strictFilterFor(config(SEPARATE, { version: "1.14" }), node)).toBeNull();
    expect(strictFilterFor(config(SEPARATE, { encryption: "disabled" }), node)).toBeNull();
    expect(strictFilterFor(config(SEPARATE, { encryption: "ipsec", version: "1.18" }), node)).toBeNull();
    expect(strictFilterFor(config(SEPARATE, { encryption: "ipsec", version: "1.19" }), node)?.nodeIdentityTest).toBe("identity_is_remote_node");
  });

  it("keeps the CIDR as written, so host bits make it match nothing", () => {
    const bad = { ...f, cidr: cidr("10.0.1.7/8") };
    expect(strictAllowV4({ src: ip("10.0.1.5"), dst: ip("10.0.2.8") }, bad, none)).toBe(true);
  });
});
