/**
 * cluster-pool's clusterPoolIPv4PodCIDRList is modelled whole: every entry is checked, and
 * blocks come from the first entry with one free, as Cilium's operator takes them.
 */
import { describe, expect, it } from "vitest";
import { resolveAddressing } from "../../../models/addressing/cloud.ts";
import { ClusterAddressing } from "../../../models/addressing/plan.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { SpecError } from "../../../sim/errors.ts";
import { Streams } from "../../../sim/random.ts";

const pool = (list: string[]) => ({ cloud: "aws", ipamMode: "cluster-pool", podCidr: list, podCidrMaskSize: 24 });

describe("a list of cluster-pool ranges", () => {
  it("counts the blocks of every entry and hands them out entry by entry", () => {
    const cfg = resolveAddressing(pool(["10.0.0.0/23", "10.8.0.0/24"]));
    expect(cfg.capacity.podBlocks).toBe(3);
    expect(cfg.podRanges.map((r) => r.text)).toEqual(["10.0.0.0/23", "10.8.0.0/24"]);
    const plan = new ClusterAddressing(cfg, new Streams(3, 0));
    const blocks = [0, 1, 2].map((t) => plan.addNode(t).podCidr!.text);
    expect(blocks).toEqual(["10.0.0.0/24", "10.0.1.0/24", "10.8.0.0/24"]);
    // A block freed in the first entry is taken again before the exhausted second is asked.
    plan.removeNode(0, 5);
    expect(plan.addNode(6).podCidr!.text).toBe("10.0.0.0/24");
  });

  it("lets a scenario use every entry", () => {
    const sc = scenarioSchema.parse({
      duration: 10, cluster: { nodes: 3 },
      cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/23", "10.8.0.0/24"], clusterPoolIPv4MaskSize: 24 } } },
    }, "base");
    expect(sc.cluster.nodes).toBe(3);
  });

  it.each([
    [["10.0.0.0/8", "garbage"], "cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]", /must be an IPv4 CIDR/],
    [["10.0.0.0/8", "10.1.0.0/16"], "cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]", /10\.1\.0\.0\/16 overlaps cilium\.ipam\.operator\.clusterPoolIPv4PodCIDRList\[0\] 10\.0\.0\.0\/8/],
    [["10.0.0.0/8", "192.168.0.0/16"], "cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]", /overlaps cluster\.nodeSubnet 192\.168\.0\.0\/19/],
    [["10.0.0.0/8", "10.1.0.1/16"], "cilium.ipam.operator.clusterPoolIPv4PodCIDRList[1]", /host bits set/],
  ])("refuses %j naming the entry", (list, path, problem) => {
    let err: unknown;
    try {
      scenarioSchema.parse({ cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: list } } } }, "");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).path).toBe(path);
    expect((err as SpecError).message).toMatch(problem);
  });
});
