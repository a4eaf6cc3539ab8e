/**
 * Each version's Helm names (helmNames.ts) and defaults (versionDefaults.ts), as a scenario
 * that names a version gets them.
 */
import { describe, expect, it } from "vitest";
import { scenarioSchema, scenarioWarnings, type Scenario } from "../../../models/scenario/index.ts";
import { resolveScenario } from "../../../models/scenario/resolve.ts";
import { datapathConfig } from "../../../models/scenario/datapath.ts";
import { SpecError } from "../../../sim/errors.ts";

const parse = (cilium: Record<string, unknown>, rest: Record<string, unknown> = {}): Scenario => scenarioSchema.parse({ cilium, ...rest }, "base");

function refusal(cilium: Record<string, unknown>): SpecError {
  try {
    parse(cilium);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected the scenario to be refused");
}

describe("a Helm value the version does not have is refused, naming the versions that have it", () => {
  it.each([
    [{ version: "1.15", ciliumEndpointSlice: { enabled: true } }, "base.cilium.ciliumEndpointSlice.enabled", /Cilium 1\.15.*1\.16, 1\.17, 1\.18, 1\.19.*enableCiliumEndpointSlice/],
    [{ version: "1.15", ciliumEndpointSlice: { rateLimits: [{ nodes: 0, limit: 5, burst: 5 }] } }, "base.cilium.ciliumEndpointSlice.rateLimits", /ces-write-qps-limit/],
    [{ version: "1.19", enableCiliumEndpointSlice: true }, "base.cilium.enableCiliumEndpointSlice", /exists in 1\.14, pr21856, 1\.15, 1\.16, 1\.17, 1\.18 .*#40070/],
    [{ version: "1.14", encryption: { strictMode: { enabled: true, cidr: "10.0.0.0/8" } } }, "base.cilium.encryption.strictMode.enabled", /exists in pr21856, 1\.15/],
    [{ version: "1.18", encryption: { strictMode: { egress: { enabled: true } } } }, "base.cilium.encryption.strictMode.egress.enabled", /exists in 1\.19.*write cilium\.encryption\.strictMode\.enabled/],
    [{ version: "1.18", encryption: { strictMode: { ingress: { enabled: true } } } }, "base.cilium.encryption.strictMode.ingress.enabled", /exists in 1\.19/],
    [{ version: "pr21856", k8sClientRateLimit: { qps: 20 } }, "base.cilium.k8sClientRateLimit.qps", /e2f475dfd0/],
    [{ version: "1.16", k8sClientRateLimit: { operator: { qps: 20 } } }, "base.cilium.k8sClientRateLimit.operator.qps", /exists in 1\.17, 1\.18, 1\.19/],
  ])("%j", (cilium, path, message) => {
    const e = refusal(cilium);
    expect(e.path).toBe(path);
    expect(e.problem).toMatch(message);
  });

  it("an old and a new name of one 1.19 setting must agree", () => {
    const e = refusal({ version: "1.19", encryption: { strictMode: { cidr: "10.0.0.0/8", egress: { cidr: "10.1.0.0/16" } } } });
    expect(e.path).toBe("base.cilium.encryption.strictMode.egress.cidr");
  });
});

describe("each version's names are accepted", () => {
  it("enableCiliumEndpointSlice up to 1.18 (deprecated from 1.16), ciliumEndpointSlice.enabled from 1.16", () => {
    for (const version of ["1.14", "pr21856", "1.15"]) expect(resolveScenario(parse({ version, enableCiliumEndpointSlice: true })).controlPlane.operator).toBeDefined();
    expect(scenarioWarnings(parse({ version: "1.15", enableCiliumEndpointSlice: true }))).toEqual([]);
    const old = parse({ version: "1.17", enableCiliumEndpointSlice: true });
    expect(resolveScenario(old).controlPlane.operator).toBeDefined();
    expect(scenarioWarnings(old).join("\n")).toMatch(/enableCiliumEndpointSlice: deprecated in Cilium 1\.17; use cilium\.ciliumEndpointSlice\.enabled/);
    for (const version of ["1.16", "1.17", "1.18", "1.19"]) expect(resolveScenario(parse({ version, ciliumEndpointSlice: { enabled: true } })).controlPlane.operator).toBeDefined();
    expect(resolveScenario(parse({ version: "1.17" })).controlPlane.operator).toBeUndefined();
  });

  it("1.19's strictMode.egress.* stands for the older names, which it still takes with a deprecation warning", () => {
    const pool = { mode: "cluster-pool" };
    const renamed = parse({ version: "1.19", routingMode: "native", ipam: pool, encryption: { strictMode: { egress: { enabled: true, cidr: "10.0.0.0/8" } } } });
    const older = parse({ version: "1.19", routingMode: "native", ipam: pool, encryption: { strictMode: { enabled: true, cidr: "10.0.0.0/8" } } });
    expect(datapathConfig(renamed).strictMode).toEqual(datapathConfig(older).strictMode);
    expect(datapathConfig(renamed).strictMode.enabled).toBe(true);
    expect(scenarioWarnings(renamed)).toEqual([]);
    expect(scenarioWarnings(older).join("\n")).toMatch(/strictMode\.enabled: deprecated in Cilium 1\.19; use cilium\.encryption\.strictMode\.egress\.\*/);
  });

  it("errors about strict mode name the field as the scenario wrote it", () => {
    expect(() => parse({ version: "1.19", routingMode: "native", encryption: { strictMode: { egress: { enabled: true } } } }))
      .toThrow(/^base\.cilium\.encryption\.strictMode\.egress\.cidr: strict mode needs an IPv4 CIDR/);
  });
});

describe("masquerading", () => {
  it("is iptables by Helm's defaults, BPF with bpf.masquerade, none without enableIPv4Masquerade", () => {
    expect(datapathConfig(parse({})).iptablesMasquerade).toBe(true);
    expect(datapathConfig(parse({ bpf: { masquerade: true } })).iptablesMasquerade).toBe(false);
    expect(datapathConfig(parse({ enableIPv4Masquerade: false })).iptablesMasquerade).toBe(false);
  });
});

describe("a scenario that names a version gets that version's defaults", () => {
  const cp = (cilium: Record<string, unknown>, nodes = 10) => resolveScenario(parse(cilium, { cluster: { nodes, nodeSubnet: "192.168.0.0/16" } })).controlPlane;

  it("the agent's client limiter: 5/10 before 1.15, 10/20 from 1.15 (Kubernetes 1.27 or later)", () => {
    expect([cp({ version: "1.14" }).agent.qps, cp({ version: "1.14" }).agent.burst]).toEqual([5, 10]);
    expect([cp({ version: "pr21856" }).agent.qps, cp({ version: "pr21856" }).agent.burst]).toEqual([5, 10]);
    for (const version of ["1.15", "1.16", "1.17", "1.18", "1.19"]) expect([cp({ version }).agent.qps, cp({ version }).agent.burst]).toEqual([10, 20]);
    expect(cp({ version: "1.15", k8sClientRateLimit: { qps: 100 } }).agent.qps).toBe(100);
  });
});
