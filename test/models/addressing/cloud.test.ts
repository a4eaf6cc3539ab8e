import { describe, expect, it } from "vitest";
import { CLOUD_NAMES, IPAM_MODES, resolveAddressing, type AddressingInput } from "../../../models/addressing/cloud.ts";
import { contains, formatIpv4, overlaps } from "../../../models/addressing/ipv4.ts";
import { SpecError } from "../../../sim/errors.ts";
import { ClusterAddressing } from "../../../models/addressing/plan.ts";
import { Streams } from "../../../sim/random.ts";

/** The SpecError `input` raises (fails the test when none is raised). */
function rejection(input: AddressingInput): SpecError {
  try {
    resolveAddressing(input);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe("defaults per cloud", () => {
  it.each([
    // cloud, input extras, mode, style, node subnet, pod range, block
    ["aws", {}, "eni", "overlapping", "192.168.0.0/19", "192.168.0.0/19", undefined],
    ["aws", { addressing: "separate" }, "cluster-pool", "separate", "192.168.0.0/19", "10.0.0.0/8", 24],
    ["azure", {}, "delegated-plugin", "separate", "10.224.0.0/16", "10.244.0.0/16", 24],
    ["azure", { addressing: "overlapping" }, "azure", "overlapping", "10.224.0.0/16", "10.224.0.0/16", undefined],
    ["gcp", {}, "kubernetes", "separate", "10.128.0.0/20", "10.4.0.0/14", 24],
  ] as const)("%s %j → %s, %s", (cloud, extra, mode, style, nodeSubnet, podRange, mask) => {
    const cfg = resolveAddressing({ cloud, ...extra });
    expect([cfg.ipamMode, cfg.style, cfg.nodeSubnet.text, cfg.podRange.text, cfg.podCidrMaskSize]).toEqual([mode, style, nodeSubnet, podRange, mask]);
    expect(cfg.nodeIpsInPodRange).toBe(style === "overlapping");
    expect(cfg.terminationReleaseDelay).toBe(0);
  });

  it("gives ENI pre-allocate 8 and a 180 s excess delay, with release off as in Cilium", () => {
    const eni = resolveAddressing({ cloud: "aws" }).interfacePool;
    expect(eni).toEqual({ preAllocate: 8, minAllocate: 0, maxAboveWatermark: 0, releaseExcess: false, releaseDelay: 180 });
    expect(resolveAddressing({ cloud: "aws", releaseExcessIps: true }).interfacePool?.releaseExcess).toBe(true);
    expect(resolveAddressing({ cloud: "azure", addressing: "overlapping" }).interfacePool?.releaseExcess).toBe(false);
    expect(resolveAddressing({ cloud: "gcp" }).interfacePool).toBeUndefined();
  });

  it("places router and health where each IPAM mode does", () => {
    const placement = (input: AddressingInput) => {
      const c = resolveAddressing(input);
      return [c.router, c.health, c.routerIp === undefined ? undefined : formatIpv4(c.routerIp)];
    };
    expect(placement({ cloud: "aws" })).toEqual(["interface-pool", "interface-pool", undefined]);
    expect(placement({ cloud: "azure", ipamMode: "azure" })).toEqual(["interface-pool", "interface-pool", undefined]);
    expect(placement({ cloud: "aws", ipamMode: "cluster-pool" })).toEqual(["pod-block", "pod-block", undefined]);
    expect(placement({ cloud: "gcp" })).toEqual(["pod-block", "pod-block", undefined]);
    expect(placement({ cloud: "azure" })).toEqual(["link-local", "none", "169.254.23.0"]);
  });

  it("keeps the cloud's reserved addresses out of the node capacity", () => {
    expect(resolveAddressing({ cloud: "aws", nodeSubnet: "10.1.0.0/24" }).capacity).toEqual({ nodeAddresses: 251 });
    expect(resolveAddressing({ cloud: "azure", nodeSubnet: "10.1.0.0/24" }).capacity).toEqual({ nodeAddresses: 251, podBlocks: 256 });
    expect(resolveAddressing({ cloud: "gcp", nodeSubnet: "10.200.0.0/24" }).capacity).toEqual({ nodeAddresses: 252, podBlocks: 1024 });
  });
});

describe("overlapping and separate ranges", () => {
  it("accepts an overlapping pod range that contains the node subnet (e.g. the VPC)", () => {
    const cfg = resolveAddressing({ cloud: "aws", nodeSubnet: "192.168.32.0/19", podCidr: "192.168.0.0/16" });
    expect(cfg.podRange.text).toBe("192.168.0.0/16");
    expect(contains(cfg.podRange, cfg.nodeSubnet.base)).toBe(true);
  });

  it("accepts overridden separate ranges that stay apart", () => {
    const cfg = resolveAddressing({ cloud: "gcp", nodeSubnet: "10.164.0.0/20", podCidr: "10.68.0.0/14", podCidrMaskSize: 26 });
    expect([cfg.podRange.text, cfg.podCidrMaskSize, cfg.capacity.podBlocks]).toEqual(["10.68.0.0/14", 26, 4096]);
    expect(overlaps(cfg.podRange, cfg.nodeSubnet)).toBe(false);
  });

  it("accepts cluster-pool on every cloud once the pod range is apart from the node subnet", () => {
    for (const cloud of CLOUD_NAMES) {
      const cfg = resolveAddressing({ cloud, ipamMode: "cluster-pool", podCidr: "172.16.0.0/12" });
      expect([cfg.style, cfg.podRange.text, cfg.podCidrMaskSize]).toEqual(["separate", "172.16.0.0/12", 24]);
    }
  });
});

describe("every IPAM mode on every cloud", () => {
  const offered: Record<string, readonly string[]> = {
    aws: ["eni", "cluster-pool"],
    azure: ["delegated-plugin", "azure", "cluster-pool"],
    gcp: ["kubernetes", "cluster-pool"],
  };
  const cases = CLOUD_NAMES.flatMap((cloud) => IPAM_MODES.map((mode) => [cloud, mode] as const));

  it.each(cases)("%s with %s is accepted exactly when the cloud offers it", (cloud, mode) => {
    // A pod range apart from every default node subnet, so only the mode decides.
    const podCidr = mode === "eni" || mode === "azure" ? undefined : "172.16.0.0/12";
    const input = { cloud, ipamMode: mode, ...(podCidr === undefined ? {} : { podCidr }) };
    if (offered[cloud].includes(mode)) {
      expect(resolveAddressing(input).ipamMode).toBe(mode);
    } else {
      const e = rejection(input);
      expect(e.path).toBe("cilium.ipam.mode");
      expect(e.message).toContain(`with cluster.cloud "${cloud}" use one of ${offered[cloud].map((m) => `"${m}"`).join(", ")}`);
    }
  });

  it("words the error as the scenario needs it", () => {
    expect(rejection({ cloud: "gcp", ipamMode: "eni" }).message).toBe(
      'cilium.ipam.mode: eni is an AWS IPAM; with cluster.cloud "gcp" use one of "kubernetes", "cluster-pool"',
    );
  });
});

describe("invalid input names the field", () => {
  it.each<[string, AddressingInput, string, RegExp]>([
    ["unknown cloud", { cloud: "gce" }, "cluster.cloud", /must be one of "aws", "azure", "gcp", got "gce" \(did you mean "gcp"\?\)/],
    ["cloud not a string", { cloud: 3 as unknown as string }, "cluster.cloud", /must be one of/],
    ["unknown IPAM mode", { cloud: "aws", ipamMode: "ENI" }, "cilium.ipam.mode", /got "ENI" \(did you mean "eni"\?\)/],
    ["unknown style", { cloud: "aws", addressing: "shared" }, "cluster.addressing", /must be one of "overlapping", "separate"/],
    ["GCP has no overlapping style", { cloud: "gcp", addressing: "overlapping" }, "cluster.addressing", /GCP offers no "overlapping"/],
    ["separate with ENI", { cloud: "aws", addressing: "separate", ipamMode: "eni" }, "cluster.addressing", /does not fit cilium\.ipam\.mode "eni"/],
    ["separate with Azure IPAM", { cloud: "azure", addressing: "separate", ipamMode: "azure" }, "cluster.addressing", /"overlapping"/],
    ["overlapping with cluster-pool", { cloud: "aws", addressing: "overlapping", ipamMode: "cluster-pool" }, "cluster.addressing", /"separate"/],
    ["overlapping with delegated IPAM", { cloud: "azure", addressing: "overlapping", ipamMode: "delegated-plugin" }, "cluster.addressing", /"separate"/],
    ["overlapping with kubernetes", { cloud: "gcp", addressing: "overlapping", ipamMode: "kubernetes" }, "cluster.addressing", /"separate"/],
    ["malformed node subnet", { cloud: "aws", nodeSubnet: "192.168.0/19" }, "cluster.nodeSubnet", /must be an IPv4/],
    ["node subnet with host bits", { cloud: "aws", nodeSubnet: "192.168.0.1/19" }, "cluster.nodeSubnet", /host bits set; write the network address, 192\.168\.0\.0\/19/],
    ["AWS subnet too large", { cloud: "aws", nodeSubnet: "10.0.0.0/12" }, "cluster.nodeSubnet", /must be a \/16 to \/28 subnet on AWS, got 10\.0\.0\.0\/12/],
    ["AWS subnet too small", { cloud: "aws", nodeSubnet: "10.0.0.0/29" }, "cluster.nodeSubnet", /must be a \/16 to \/28 subnet on AWS, got 10\.0\.0\.0\/29/],
    ["Azure subnet too small", { cloud: "azure", nodeSubnet: "10.0.0.0/30" }, "cluster.nodeSubnet", /must be a \/2 to \/29 subnet on Azure/],
    ["GCP subnet too small", { cloud: "gcp", nodeSubnet: "10.0.0.0/30" }, "cluster.nodeSubnet", /must be a \/8 to \/29 subnet on GCP/],
    ["overlapping pod range not containing the nodes", { cloud: "aws", podCidr: "10.0.0.0/8" }, "cluster.podCidr", /does not contain cluster\.nodeSubnet 192\.168\.0\.0\/19/],
    ["overlapping pod range inside the node subnet", { cloud: "aws", podCidr: "192.168.0.0/20" }, "cluster.podCidr", /does not contain/],
    ["overlapping with a block size", { cloud: "aws", podCidrMaskSize: 24 }, "cluster.podCidrMaskSize", /not per-node blocks; leave it out/],
    ["separate pod range over the nodes", { cloud: "gcp", podCidr: "10.128.0.0/16" }, "cluster.podCidr", /10\.128\.0\.0\/16 overlaps cluster\.nodeSubnet 10\.128\.0\.0\/20/],
    ["default cluster-pool range over GCP nodes", { cloud: "gcp", ipamMode: "cluster-pool" }, "cluster.podCidr", /the cluster-pool default 10\.0\.0\.0\/8 overlaps/],
    ["default cluster-pool range over AKS nodes", { cloud: "azure", ipamMode: "cluster-pool" }, "cluster.podCidr", /overlaps cluster\.nodeSubnet 10\.224\.0\.0\/16/],
    ["separate pod range with host bits", { cloud: "gcp", podCidr: "10.4.0.1/14" }, "cluster.podCidr", /host bits set/],
    ["block larger than the pod range", { cloud: "gcp", podCidr: "10.4.0.0/24", podCidrMaskSize: 22 }, "cluster.podCidrMaskSize", /a \/22 block does not fit in cluster\.podCidr 10\.4\.0\.0\/24/],
    ["block too wide to model", { cloud: "gcp", podCidrMaskSize: 15 }, "cluster.podCidrMaskSize", /wider than \/16/],
    ["block too small for router, health and a pod", { cloud: "gcp", podCidrMaskSize: 30 }, "cluster.podCidrMaskSize", /use \/29 or shorter/],
    ["fractional block size", { cloud: "gcp", podCidrMaskSize: 24.5 }, "cluster.podCidrMaskSize", /whole prefix length/],
    ["excess release with Azure IPAM", { cloud: "azure", ipamMode: "azure", releaseExcessIps: true }, "cilium.eni.awsReleaseExcessIPs", /only ENI IPAM/],
    ["excess release with cluster-pool", { cloud: "aws", ipamMode: "cluster-pool", releaseExcessIps: true }, "cilium.eni.awsReleaseExcessIPs", /"cluster-pool", which never does/],
    ["excess release not a boolean", { cloud: "aws", releaseExcessIps: "yes" as unknown as boolean }, "cilium.eni.awsReleaseExcessIPs", /true or false/],
  ])("%s", (_, input, path, problem) => {
    const e = rejection(input);
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toMatch(problem);
  });

  it("uses the caller's paths", () => {
    const paths = {
      cloud: "base.cluster.cloud",
      addressing: "base.cluster.addressing",
      ipamMode: "base.cilium.ipam.mode",
      nodeSubnet: "base.cluster.nodeSubnet",
      podCidr: "base.cluster.podCidr",
      podCidrMaskSize: "base.cluster.podCidrMaskSize",
      releaseExcessIps: "base.cilium.eni.awsReleaseExcessIPs",
    };
    expect(() => resolveAddressing({ cloud: "azure", ipamMode: "eni" }, paths)).toThrow(
      'base.cilium.ipam.mode: eni is an AWS IPAM; with base.cluster.cloud "azure" use one of "delegated-plugin", "azure", "cluster-pool"',
    );
    expect(() => resolveAddressing({ cloud: "aws", podCidr: "10.0.0.0/8" }, paths)).toThrow(/^base\.cluster\.podCidr: .*base\.cluster\.nodeSubnet/);
  });
});

describe("a cluster-pool range inside the node subnet (Cilium's overlapping e2e layout)", () => {
  const layout = { cloud: "aws", ipamMode: "cluster-pool", nodeSubnet: "192.168.56.0/24", podCidr: ["192.168.56.128/25"], podCidrMaskSize: 26 };

  it("is allowed, and nodes take the rest of the subnet", () => {
    const cfg = resolveAddressing(layout);
    expect(cfg.style).toBe("separate");
    // 251 usable addresses, less the pool's 127 (its last address is AWS's reserved broadcast).
    expect(cfg.capacity).toEqual({ nodeAddresses: 124, podBlocks: 2 });
    const plan = new ClusterAddressing(cfg, new Streams(2, 0));
    for (let i = 0; i < 2; i++) {
      const n = plan.addNode(0, true);
      expect(contains(cfg.podRange, n.nodeIp)).toBe(false);
      expect(contains(cfg.podRange, n.routerIp)).toBe(true);
    }
  });

  it("is refused where the range would take node addresses or IPAM is not cluster-pool", () => {
    expect(() => resolveAddressing({ ...layout, podCidr: ["192.168.0.0/16"], podCidrMaskSize: 24 })).toThrow(/overlaps cluster\.nodeSubnet 192\.168\.56\.0\/24/);
    expect(() => resolveAddressing({ cloud: "gcp", nodeSubnet: "10.128.0.0/16", podCidr: "10.128.128.0/17", podCidrMaskSize: 24 })).toThrow(/overlaps cluster\.nodeSubnet/);
  });
});
