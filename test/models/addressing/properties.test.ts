/**
 * Random add/remove/allocate/release/wait sequences against an independent model of who holds
 * which address. Small ranges, so that exhaustion, excess release and reuse all happen.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveAddressing, type AddressingInput } from "../../../models/addressing/cloud.ts";
import type { AddressKind } from "../../../models/addressing/history.ts";
import { contains, networkOf, overlaps, size, type Cidr } from "../../../models/addressing/ipv4.ts";
import { ClusterAddressing, type NodeAddresses } from "../../../models/addressing/plan.ts";
import { Streams } from "../../../sim/random.ts";

type Op = { op: "add" } | { op: "remove" | "alloc" | "release"; pick: number } | { op: "wait"; dt: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant<Op>({ op: "add" }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("remove" as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("alloc" as const), pick: fc.nat() }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant("release" as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("wait" as const), dt: fc.integer({ min: 1, max: 200 }) }), weight: 2 },
);

const CONFIGS: [string, AddressingInput][] = [
  ["AWS ENI, excess release on", { cloud: "aws", nodeSubnet: "10.1.0.0/27", releaseExcessIps: true }],
  ["AWS ENI, excess release off", { cloud: "aws", nodeSubnet: "10.1.0.0/26" }],
  ["legacy Azure IPAM", { cloud: "azure", addressing: "overlapping", nodeSubnet: "10.224.0.0/27" }],
  ["cluster-pool", { cloud: "aws", ipamMode: "cluster-pool", nodeSubnet: "192.168.0.0/28", podCidr: "10.0.0.0/23", podCidrMaskSize: 27 }],
  ["GKE VPC-native", { cloud: "gcp", nodeSubnet: "10.128.0.0/28", podCidr: "10.4.0.0/22", podCidrMaskSize: 26 }],
  ["AKS overlay", { cloud: "azure", nodeSubnet: "10.224.0.0/28", podCidr: "10.244.0.0/24", podCidrMaskSize: 27 }],
];

// The only failures a valid sequence may meet.
const EXHAUSTED = /exhausted|no \/\d+ block left/;

interface Owner {
  kind: AddressKind;
  node: number;
}

/** Runs `ops`, checking every step against an independent model; returns every address handed out. */
function check(input: AddressingInput, ops: Op[], seed: number): number[] {
  const c = new ClusterAddressing(resolveAddressing(input), new Streams(seed, 0));
  const cfg = c.config;
  const owner = new Map<number, Owner>();
  const last = new Map<number, Owner & { releasedAt: number }>();
  const pods = new Map<number, number[]>();
  const handedOut: number[] = [];
  let now = 0;

  const give = (ip: number, kind: AddressKind, node: number) => {
    expect(owner.get(ip), `address held twice`).toBeUndefined();
    checkMove(ip, node);
    owner.set(ip, { kind, node });
    handedOut.push(ip);
  };
  // ENI/Azure: an address a live node gave up reaches another node only through excess release,
  // so only with release on and only once the delay has passed.
  const checkMove = (ip: number, to: number) => {
    const before = last.get(ip);
    const pool = cfg.interfacePool;
    if (pool === undefined || before === undefined || before.node === to || !pods.has(before.node)) return;
    expect(pool.releaseExcess).toBe(true);
    expect(now - before.releasedAt).toBeGreaterThanOrEqual(pool.releaseDelay);
  };
  const takeBack = (ip: number) => {
    last.set(ip, { ...owner.get(ip)!, releasedAt: now });
    owner.delete(ip);
  };
  const usableNodeAddress = (ip: number) =>
    ip >= networkOf(cfg.nodeSubnet) + cfg.reservedHead && ip < networkOf(cfg.nodeSubnet) + size(cfg.nodeSubnet) - cfg.reservedTail;

  const checkNewNode = (n: NodeAddresses) => {
    expect(usableNodeAddress(n.nodeIp)).toBe(true);
    expect(contains(cfg.podRange, n.nodeIp)).toBe(cfg.nodeIpsInPodRange);
    give(n.nodeIp, "node", n.index);
    if (cfg.router !== "link-local") give(n.routerIp, "router", n.index);
    if (n.healthIp !== undefined) give(n.healthIp, "health", n.index);
    const home: Cidr = n.podCidr ?? cfg.nodeSubnet;
    for (const ip of cfg.router === "link-local" ? [] : [n.routerIp, n.healthIp!]) expect(contains(home, ip)).toBe(true);
    if (n.podCidr !== undefined) {
      expect(contains(cfg.podRange, n.podCidr.base)).toBe(true);
      for (const other of c.nodes) if (other.index !== n.index) expect(overlaps(other.podCidr!, n.podCidr)).toBe(false);
    }
    pods.set(n.index, []);
  };

  const step = (o: Op) => {
    const live = c.nodes;
    if (o.op === "wait") {
      now += o.dt;
      c.advance(now);
    } else if (o.op === "add") {
      checkNewNode(c.addNode(now));
    } else if (live.length === 0) {
      return;
    } else if (o.op === "remove") {
      const n = live[o.pick % live.length];
      c.removeNode(n.index, now);
      for (const [ip, who] of owner) if (who.node === n.index) takeBack(ip);
      pods.delete(n.index);
    } else if (o.op === "alloc") {
      const n = live[o.pick % live.length];
      const ip = c.allocatePod(n.index, now);
      give(ip, "pod", n.index);
      pods.get(n.index)!.push(ip);
      expect(contains(n.podCidr ?? cfg.nodeSubnet, ip)).toBe(true);
      expect(usableNodeAddress(ip) || n.podCidr !== undefined).toBe(true);
      const before = last.get(ip);
      expect(c.history(ip)).toEqual(before === undefined ? undefined : { ...before, since: expect.any(Number) });
    } else {
      const n = live[o.pick % live.length];
      const mine = pods.get(n.index)!;
      if (mine.length === 0) return;
      const ip = mine.splice(o.pick % mine.length, 1)[0];
      c.releasePod(n.index, ip, now);
      takeBack(ip);
    }
  };

  for (const o of ops) {
    try {
      step(o);
    } catch (e) {
      if (!(e instanceof Error) || !EXHAUSTED.test(e.message)) throw e;
    }
    // The cluster's book agrees with the model after every step, failed or not.
    for (const [ip, who] of owner) expect(c.holder(ip)).toMatchObject(who);
    expect(c.nodes.map((n) => n.index).sort()).toEqual([...pods.keys()].sort());
  }
  return handedOut;
}

describe("addressing properties", () => {
  it.each(CONFIGS)("%s: no address is held twice, ranges hold, history matches", (_, input) => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 300 }), fc.nat(1000), (ops, seed) => {
        check(input, ops, seed);
      }),
      { numRuns: 40 },
    );
  });

  it.each(CONFIGS)("%s: the same streams and times give the same addresses", (_, input) => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 150 }), fc.nat(1000), (ops, seed) => {
        expect(check(input, ops, seed)).toEqual(check(input, ops, seed));
      }),
      { numRuns: 20 },
    );
  });
});
