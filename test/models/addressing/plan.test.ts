import { describe, expect, it } from "vitest";
import { resolveAddressing, type AddressingInput } from "../../../models/addressing/cloud.ts";
import { contains, formatIpv4, parseIpv4 } from "../../../models/addressing/ipv4.ts";
import { ClusterAddressing } from "../../../models/addressing/plan.ts";
import { Streams } from "../../../sim/random.ts";

const cluster = (input: AddressingInput, seed = 7) => new ClusterAddressing(resolveAddressing(input), new Streams(seed, 0));

/** Allocates pods on `node` at `now` until one gets `target`; returns how many it took, or -1. */
function allocateUntil(c: ClusterAddressing, node: number, now: number, target: number, limit: number): number {
  for (let n = 1; n <= limit; n++) {
    if (c.allocatePod(node, now) === target) return n;
  }
  return -1;
}

describe("node addresses", () => {
  it.each<[string, AddressingInput]>([
    ["AWS ENI", { cloud: "aws" }],
    ["legacy Azure IPAM", { cloud: "azure", addressing: "overlapping" }],
  ])("%s: node IPs lie inside the pod range; router and health come from the node subnet", (_, input) => {
    const c = cluster(input);
    for (let i = 0; i < 5; i++) {
      const n = c.addNode(i);
      expect(contains(c.config.podRange, n.nodeIp)).toBe(true);
      expect(n.podCidr).toBeUndefined();
      for (const ip of [n.routerIp, n.healthIp!]) expect(contains(c.config.nodeSubnet, ip)).toBe(true);
      expect(new Set([n.nodeIp, n.routerIp, n.healthIp]).size).toBe(3);
      expect([c.holder(n.nodeIp)?.kind, c.holder(n.routerIp)?.kind, c.holder(n.healthIp!)?.kind]).toEqual(["node", "router", "health"]);
    }
  });

  it.each<[string, AddressingInput]>([
    ["cluster-pool on AWS", { cloud: "aws", ipamMode: "cluster-pool" }],
    ["GKE VPC-native", { cloud: "gcp" }],
  ])("%s: node IPs lie outside the pod range; router and health come from the node's block", (_, input) => {
    const c = cluster(input);
    for (let i = 0; i < 5; i++) {
      const n = c.addNode(i);
      expect(contains(c.config.podRange, n.nodeIp)).toBe(false);
      expect(contains(c.config.nodeSubnet, n.nodeIp)).toBe(true);
      expect(n.podCidr!.bits).toBe(24);
      expect(contains(n.podCidr!, n.routerIp) && contains(n.podCidr!, n.healthIp!)).toBe(true);
      expect(n.routerIp).not.toBe(n.healthIp);
    }
    expect(c.nodes.map((n) => n.podCidr!.text)).toEqual([0, 1, 2, 3, 4].map((i) => c.config.podRange.text.replace(/\.0\.0\/\d+$/, `.${i}.0/24`)));
  });

  it("AKS overlay: a fixed link-local router address on every node and no health address", () => {
    const c = cluster({ cloud: "azure" });
    const nodes = [c.addNode(0), c.addNode(0)];
    for (const n of nodes) {
      expect(formatIpv4(n.routerIp)).toBe("169.254.23.0");
      expect(n.healthIp).toBeUndefined();
      expect(contains(c.config.podRange, n.nodeIp)).toBe(false);
    }
    expect(c.holder(nodes[0].routerIp)).toBeUndefined();
    // Every address of the block is left for pods: 254 usable addresses of a /24.
    for (let i = 0; i < 254; i++) c.allocatePod(0, 1);
    expect(() => c.allocatePod(0, 1)).toThrow(/exhausted/);
  });

  it("Azure hands out the lowest free subnet address", () => {
    const c = cluster({ cloud: "azure", addressing: "overlapping" });
    // Node IP first, then the pool of 10 (8 pre-allocated, 2 topped up after router and health).
    expect(formatIpv4(c.addNode(0).nodeIp)).toBe("10.224.0.4");
    expect(formatIpv4(c.addNode(0).nodeIp)).toBe("10.224.0.15");
  });
});

describe("host-scope reuse (cluster-pool, kubernetes)", () => {
  it("hands a released pod address out again at once", () => {
    // A /29 block: 6 usable = router + health + 4 pods.
    const c = cluster({ cloud: "gcp", podCidrMaskSize: 29 });
    c.addNode(0);
    const pods = [1, 2, 3, 4].map(() => c.allocatePod(0, 1));
    expect(() => c.allocatePod(0, 1)).toThrow(/exhausted/);
    c.releasePod(0, pods[2], 5);
    expect(c.allocatePod(0, 5)).toBe(pods[2]);
    expect(c.history(pods[2])).toEqual({ kind: "pod", node: 0, since: 1, releasedAt: 5 });
    expect(c.holder(pods[2])).toEqual({ kind: "pod", node: 0, since: 5 });
  });

  it("gives a removed node's block to a later node only after the round-robin wraps", () => {
    const c = cluster({ cloud: "aws", ipamMode: "cluster-pool", podCidr: "10.0.0.0/22" });
    const first = c.addNode(0);
    c.addNode(0);
    c.removeNode(first.index, 10);
    expect([c.addNode(11), c.addNode(12), c.addNode(13)].map((n) => n.podCidr!.text)).toEqual(["10.0.2.0/24", "10.0.3.0/24", "10.0.0.0/24"]);
    expect(() => c.addNode(14)).toThrow(/no \/24 block left/);
  });
});

describe("ENI excess release", () => {
  // A /27 leaves 27 usable addresses: two nodes take 11 each (node IP, router, health, 8 free).
  const input: AddressingInput = { cloud: "aws", nodeSubnet: "10.1.0.0/27", releaseExcessIps: true };

  function setUp() {
    const c = cluster(input);
    c.addNode(0);
    c.addNode(0);
    // Five pods on node 0 take the subnet's last five addresses (the pool keeps 8 free)...
    const pods = [1, 2, 3, 4, 5].map(() => c.allocatePod(0, 10));
    // ...and at t=20 they go, leaving 13 free on node 0: 5 excess from t=20.
    for (const ip of pods) c.releasePod(0, ip, 20);
    return { c, pods: new Set(pods) };
  }

  it("does not hand an address released at t to another node before t+180", () => {
    const { c, pods } = setUp();
    // Node 1 uses its 8 free addresses; the subnet has nothing else before t=200.
    for (let i = 0; i < 8; i++) expect(pods.has(c.allocatePod(1, 100))).toBe(false);
    expect(() => c.allocatePod(1, 199.999)).toThrow(/exhausted/);
    const ip = c.allocatePod(1, 200);
    expect(pods.has(ip)).toBe(true);
    expect(c.history(ip)).toMatchObject({ kind: "pod", node: 0, releasedAt: 20 });
    expect(c.holder(ip)).toEqual({ kind: "pod", node: 1, since: 200 });
  });

  it("keeps excess addresses on the node for good when release is off (Cilium's default)", () => {
    const c = cluster({ ...input, releaseExcessIps: false });
    c.addNode(0);
    c.addNode(0);
    for (const ip of [1, 2, 3, 4, 5].map(() => c.allocatePod(0, 10))) c.releasePod(0, ip, 20);
    for (let i = 0; i < 8; i++) c.allocatePod(1, 100);
    expect(() => c.allocatePod(1, 1e6)).toThrow(/exhausted/);
  });

  it("lets the node itself reuse an excess address before the delay", () => {
    const { c, pods } = setUp();
    const again = Array.from({ length: 13 }, () => c.allocatePod(0, 50));
    expect(again.filter((ip) => pods.has(ip))).toHaveLength(5);
  });
});

describe("a pod inherits a removed node's IP", () => {
  it.each<[string, AddressingInput, number]>([
    ["AWS ENI", { cloud: "aws", nodeSubnet: "10.1.0.0/24" }, 251],
    ["legacy Azure IPAM", { cloud: "azure", addressing: "overlapping", nodeSubnet: "10.1.0.0/24" }, 251],
  ])("%s", (_, input, limit) => {
    const c = cluster(input);
    const nodes = [c.addNode(0), c.addNode(0), c.addNode(0)];
    const gone = nodes[1];
    c.removeNode(gone.index, 100);
    expect(c.holder(gone.nodeIp)).toBeUndefined();
    expect(c.history(gone.nodeIp)).toEqual({ kind: "node", node: 1, since: 0, releasedAt: 100 });
    const tries = allocateUntil(c, 0, 101, gone.nodeIp, limit);
    expect(tries).toBeGreaterThan(0);
    expect(c.holder(gone.nodeIp)).toEqual({ kind: "pod", node: 0, since: 101 });
    expect(c.history(gone.nodeIp)).toEqual({ kind: "node", node: 1, since: 0, releasedAt: 100 });
  });

  it("never happens in a separate style: pods stay in their own range", () => {
    // A /27 node subnet: GCP keeps 4 addresses, leaving 28.
    const c = cluster({ cloud: "gcp", nodeSubnet: "10.128.0.0/27" });
    const [a, b] = [c.addNode(0), c.addNode(0)];
    c.removeNode(b.index, 10);
    const pods = Array.from({ length: 252 }, () => c.allocatePod(a.index, 11));
    expect(pods).not.toContain(b.nodeIp);
    expect(() => c.allocatePod(a.index, 11)).toThrow(/exhausted/);
    // The removed node's IP can only go to a later node.
    let added = 0;
    while (c.holder(b.nodeIp) === undefined && added < 27) c.addNode(20 + added++);
    expect(c.holder(b.nodeIp)).toMatchObject({ kind: "node", since: 20 + added - 1 });
    expect(c.history(b.nodeIp)).toEqual({ kind: "node", node: 1, since: 0, releasedAt: 10 });
  });

  it("releases the removed node's router, health and pods with it", () => {
    const c = cluster({ cloud: "aws" });
    const n = c.addNode(0);
    const pod = c.allocatePod(n.index, 5);
    c.removeNode(n.index, 9);
    expect([c.history(n.routerIp)?.kind, c.history(n.healthIp!)?.kind, c.history(pod)?.kind]).toEqual(["router", "health", "pod"]);
    expect(c.history(pod)?.releasedAt).toBe(9);
    expect(() => c.allocatePod(n.index, 10)).toThrow(/was removed/);
  });
});

describe("bookkeeping", () => {
  it("is deterministic given the streams and the times", () => {
    const run = (seed: number) => {
      const c = cluster({ cloud: "aws", nodeSubnet: "10.1.0.0/24", releaseExcessIps: true }, seed);
      const out: number[] = [];
      for (let i = 0; i < 4; i++) out.push(c.addNode(i).nodeIp);
      for (let t = 10; t < 30; t++) out.push(c.allocatePod(t % 4, t));
      c.removeNode(2, 40);
      for (let t = 400; t < 420; t++) out.push(c.allocatePod(t % 2, t));
      return out;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("rejects time going backwards and releasing what a node does not hold", () => {
    const c = cluster({ cloud: "gcp" });
    const n = c.addNode(10);
    expect(() => c.addNode(9)).toThrow(/time went backwards/);
    expect(() => c.releasePod(n.index, n.routerIp, 11)).toThrow(/not a pod address of node 0/);
    expect(() => c.releasePod(n.index, parseIpv4("10.4.0.77"), 11)).toThrow(/not a pod address/);
  });
});
