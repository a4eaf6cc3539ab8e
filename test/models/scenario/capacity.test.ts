/**
 * What a scenario asks of its addresses and counters, judged before it runs
 * (models/scenario/capacity.ts), and the node-IP checks done on a subnet as a range.
 */
import { describe, expect, it } from "vitest";
import { formatIpv4, networkOf, parseCidr, size } from "../../../models/addressing/ipv4.ts";
import { CILIUM_VERSIONS, type DatapathConfig } from "../../../models/datapath/config.ts";
import { validateDatapath, type NodeIps } from "../../../models/datapath/startup.ts";
import { DATAPATH_PATHS } from "../../../models/scenario/datapath.ts";

const check = (cfg: DatapathConfig, ips: NodeIps) => validateDatapath(cfg, ips, DATAPATH_PATHS);
import { simulateRun } from "../../../models/run.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { SpecError } from "../../../sim/errors.ts";

function refusal(raw: unknown): SpecError {
  try {
    scenarioSchema.parse(raw, "base");
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected the scenario to be refused");
}

describe("node capacity names the field that asks too much", () => {
  it.each([
    [{ cluster: { lifecycle: { events: [{ at: 1, action: "add", count: 10_000 }] } } }, "base.cluster.lifecycle.events[0].count", /cluster\.nodeSubnet 192\.168\.0\.0\/19 has room for 8187 nodes; the run may need 10010/],
    [{ cluster: { lifecycle: { replacementRate: 100 } } }, "base.cluster.lifecycle.replacementRate", /has room for 8187 nodes; the run may need 61235 \(10 at the start, 61225 replacements at 100\/s/],
    [{ cluster: { nodes: 9000 } }, "base.cluster.nodeSubnet", /192\.168\.0\.0\/19 has room for 8187 nodes; the run may need 9000 \(9000 at the start\)/],
  ])("%j", (raw, path, problem) => {
    const e = refusal(raw);
    expect(e.path).toBe(path);
    expect(e.problem).toMatch(problem);
  });
});

describe("overlapping addressing: a scale-out that cannot fit is refused", () => {
  const eni = (over: Record<string, unknown>) => ({
    duration: 600, cilium: { ipam: { mode: "eni" } },
    cluster: { nodes: 10, cloud: "aws", nodeSubnet: "192.168.0.0/24", ...over },
  });

  it("when the pods and pools of the nodes fill the subnet before nodes join", () => {
    const e = refusal(eni({ lifecycle: { events: [{ at: 400, action: "add", count: 1 }] } }));
    expect(e.path).toBe("base.cluster.lifecycle.events[0]");
    expect(e.problem).toMatch(/nodes added at 400 s cannot fit: .*192\.168\.0\.0\/24 \(251 usable addresses\) must hold about 532 .*~400 pods/);
  });

  it("when the nodes alone need more addresses than the subnet has", () => {
    const e = refusal(eni({ nodes: 70 }));
    expect(e.path).toBe("base.cluster.nodeSubnet");
    expect(e.problem).toMatch(/70 nodes need 280 addresses .*each node takes 4/);
  });

  it("but not replacements, which free the old node's addresses first, nor pods that stay pending", () => {
    for (const lifecycle of [{ replacementRate: 0.05 }, { events: [{ at: 400, action: "replace", count: 3 }] }, {}]) {
      const sc = scenarioSchema.parse(eni({ lifecycle }), "base");
      const m = simulateRun({ scenario: sc, seed: 1, replication: 0, windows: "none" }).metrics;
      expect(m.pods_without_address).toBeGreaterThan(0);
    }
  });

  it("a scale-out the estimate lets through and that runs out fails that run, saying which node and when", () => {
    const sc = scenarioSchema.parse({
      duration: 400, cilium: { ipam: { mode: "eni" } }, workload: { churn: { rate: 1.2, lifetime: { dist: "exponential", mean: 100 } } },
      cluster: { nodes: 10, cloud: "aws", nodeSubnet: "192.168.0.0/24", lifecycle: { events: [{ at: 300, action: "add", count: 1 }] } },
    }, "base");
    expect(() => simulateRun({ scenario: sc, seed: 1, replication: 0, windows: "none" })).toThrow(/node 10 could not join at 300\.0 s: IPAM: subnet 192\.168\.0\.0\/24 is exhausted/);
  });
});

describe("byte counts stay exact", () => {
  it("refuses a run that could count 2^53 bytes or more, naming the flow", () => {
    const e = refusal({ duration: 1e6, workload: { churn: { rate: 0 } }, cluster: { nodes: 100 }, traffic: { podToNode: { rate: 1e5, packetBytes: 2 ** 20 } } });
    expect(e.path).toBe("base.traffic.podToNode.rate");
    expect(e.problem).toMatch(/could count up to 1\.0e21 bytes .*beyond 2\^53/);
    const probes = refusal({ duration: 1e6, workload: { churn: { rate: 0 } }, cluster: { nodes: 1000 }, traffic: { healthProbes: { interval: 1e-6, packetBytes: 1000 } } });
    expect(probes.path).toBe("base.traffic.healthProbes.interval");
  });
});

describe("node IPs checked as a subnet range", () => {
  // The range form must agree with the list of every address it stands for.
  const subnets = ["192.168.56.0/24", "10.0.0.0/28", "10.0.0.16/28"];
  const cidrs = ["192.168.56.0/24", "192.168.56.128/25", "192.168.0.0/16", "10.0.0.0/27", "10.0.0.8/29", "0.0.0.0/0", "172.16.0.0/12"];
  const cfg = (cidr: string, allow: boolean, version: (typeof CILIUM_VERSIONS)[number] = "1.15"): DatapathConfig => ({
    version, routingMode: "native", encryption: "wireguard", nodeEncryption: false,
    strictMode: { enabled: true, cidr: parseCidr(cidr, "cidr"), allowRemoteNodeIdentities: allow, ingress: false },
  });
  const outcome = (f: () => string[]) => {
    try {
      return f();
    } catch (e) {
      return (e as Error).message;
    }
  };
  for (const subnet of subnets) {
    for (const cidr of cidrs) {
      for (const allow of [false, true]) {
        it(`${subnet} against ${cidr}, allowRemoteNodeIdentities ${allow}`, () => {
          const s = parseCidr(subnet, "s");
          const list = Array.from({ length: size(s) }, (_, i) => (networkOf(s) + i) >>> 0);
          const range = { first: networkOf(s), count: size(s) };
          expect(outcome(() => check(cfg(cidr, allow), range))).toEqual(outcome(() => check(cfg(cidr, allow), list)));
        });
      }
    }
  }

  it("costs nothing for a /2 subnet", () => {
    const sc = scenarioSchema.parse({ duration: 10, cluster: { nodes: 2, cloud: "azure", nodeSubnet: "64.0.0.0/2" } }, "base");
    expect(formatIpv4(networkOf(parseCidr(sc.cluster.nodeSubnet!, "s")))).toBe("64.0.0.0");
  });
});
