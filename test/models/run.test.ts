import { describe, expect, it } from "vitest";
import { scenarioSchema } from "../../models/scenario/index.ts";
import { simulateRun } from "../../models/run.ts";

const CILIUM = { version: "pr21856", routingMode: "native", enableCiliumEndpointSlice: true, ipam: { mode: "cluster-pool" } };

const scenario = (over: Record<string, unknown> = {}) => scenarioSchema.parse({
  duration: 200,
  cluster: { nodes: 6 },
  cilium: { ...CILIUM, encryption: { strictMode: { cidr: "10.0.0.0/8" } } },
  ...over,
}, "base");

const withStrict = (enabled: boolean, outages: unknown[] = []) => scenario({
  cilium: { ...CILIUM, encryption: { strictMode: { enabled, cidr: "10.0.0.0/8" } } },
  controlPlane: { operator: { outages } },
});

describe("a simulation run", () => {
  it("is a pure function of scenario, seed and replication", () => {
    const a = simulateRun({ scenario: scenario(), seed: 9, replication: 2 });
    const b = simulateRun({ scenario: scenario(), seed: 9, replication: 2 });
    expect(b).toEqual(a);
    const c = simulateRun({ scenario: scenario(), seed: 9, replication: 3 });
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it("leaks with the operator down and strict mode off; drops the same packets with it on", () => {
    const outage = [{ start: 50, end: 120 }];
    const off = simulateRun({ scenario: withStrict(false, outage), seed: 1, replication: 0 }).metrics;
    const on = simulateRun({ scenario: withStrict(true, outage), seed: 1, replication: 0 }).metrics;
    expect(off.leaked_packets).toBeGreaterThan(0);
    expect(off.strict_dropped_packets).toBe(0);
    expect(on.leaked_packets).toBe(0);
    // Common random numbers: the same windows and packets, only the verdict differs.
    expect(on.strict_dropped_packets).toBe(off.leaked_packets);
    // The same exposure; without strict mode all of it leaked, with it none did.
    expect(on.exposure_window_max_s).toBe(off.exposure_window_max_s);
    expect(on.exposure_windows).toBe(off.exposure_windows);
    expect(off.leak_window_max_s).toBe(off.exposure_window_max_s);
    expect(off.leak_windows).toBe(off.exposure_windows);
    expect(on.leak_windows).toBe(0);
    expect(on.leak_window_max_s).toBe(0);
    // After the operator returns, traffic is encrypted in both.
    expect(on.encrypted_packets).toBe(off.encrypted_packets);
    expect(on.encrypted_packets).toBeGreaterThan(0);
    // Windows span most of the outage for pods created early in it.
    expect(off.leak_window_max_s).toBeGreaterThan(60);
    expect(off.leak_window_max_s).toBeLessThan(75);
  });

  it("keeps leak windows short without an outage, and much shorter than with one", () => {
    const calm = simulateRun({ scenario: withStrict(false), seed: 1, replication: 0 }).metrics;
    const outage = simulateRun({ scenario: withStrict(false, [{ start: 50, end: 120 }]), seed: 1, replication: 0 }).metrics;
    expect(calm.leak_window_max_s).toBeLessThan(5);
    expect(outage.leaked_packets).toBeGreaterThan(20 * calm.leaked_packets);
  });

  it("censors windows still open at the end", () => {
    const r = simulateRun({ scenario: withStrict(false, [{ start: 150, end: 400 }]), seed: 1, replication: 0 });
    expect(r.metrics.censored_exposure_windows).toBeGreaterThan(0);
    expect(r.metrics.censored_leak_windows).toBe(r.metrics.censored_exposure_windows);
    expect(r.windows.some((w) => w.censored && w.closed === 200)).toBe(true);
    expect(r.metrics.leak_window_max_s).toBeLessThanOrEqual(50);
  });

  it("has no leak windows when encryption is off, and all traffic is plaintext by design", () => {
    const m = simulateRun({ scenario: scenario({ cilium: { ...CILIUM, encryption: { enabled: false } } }), seed: 1, replication: 0 }).metrics;
    expect(m.leak_windows).toBe(0);
    expect(m.leaked_packets + m.encrypted_packets + m.strict_dropped_packets + m.host_plaintext_packets).toBe(0);
    expect(m.plaintext_allowed_packets).toBeGreaterThan(0);
  });

  it("conserves packets across verdicts for the same seed", () => {
    const total = (m: Record<string, number>) => Object.entries(m).filter(([k]) => k.endsWith("_packets")).reduce((s, [, v]) => s + v, 0);
    const off = simulateRun({ scenario: withStrict(false, [{ start: 20, end: 90 }]), seed: 4, replication: 1 }).metrics;
    const on = simulateRun({ scenario: withStrict(true, [{ start: 20, end: 90 }]), seed: 4, replication: 1 }).metrics;
    expect(total(on)).toBe(total(off));
  });
});

describe("scenario validation", () => {
  it.each([
    [{ cilium: { encryption: { strictMode: { enabled: true } } } }, /^base\.cilium\.encryption\.strictMode\.cidr: strict mode needs an IPv4 CIDR/],
    [{ cilium: { encryption: { strictMode: { enabled: true, cidr: "10.0.0/8" } } } }, /^base\.cilium\.encryption\.strictMode\.cidr: must be an IPv4 CIDR/],
    [{ cilium: { encryption: { strictMode: { enabled: true, cidr: "192.168.0.0/16" } } } }, /^base\.cilium\.encryption\.strictMode\.allowRemoteNodeIdentities: /],
    [{ cluster: { nodes: 300 }, cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/16"], clusterPoolIPv4MaskSize: 24 } } } }, /^base\.cilium\.ipam\.operator\.clusterPoolIPv4PodCIDRList: 10\.0\.0\.0\/16 holds 256 per-node blocks; the run may need 300/],
    [{ cilium: { ipam: { operator: { clusterPoolIPv4MaskSize: 24 } } } }, /^base\.cilium\.ipam\.operator: cluster-pool settings apply only with cilium\.ipam\.mode "cluster-pool"/],
    [{ cluster: { cloud: "gcp" }, cilium: { ipam: { mode: "eni" } } }, /^base\.cilium\.ipam\.mode: /],
    [{ controlPlane: { operator: { outages: [{ start: 10, end: 5 }] } } }, /^base\.controlPlane\.operator\.outages\[0\]\.end: must be greater than start/],
    [{ controlPlane: { apiServer: { watchDelay: { dist: "lognormal", median: 1 } } } }, /^base\.controlPlane\.apiServer\.watchDelay\.p99: missing/],
    [{ cilium: { encryption: { strictmode: {} } } }, /did you mean `strictMode`/],
  ])("rejects %j with the field named", (bad, message) => {
    expect(() => scenarioSchema.parse(bad, "base")).toThrow(message);
  });

  it("accepts a node IP inside the strict CIDR with the node exemption", () => {
    const sc = scenarioSchema.parse({ cilium: { encryption: { strictMode: { enabled: true, cidr: "192.168.0.0/16", allowRemoteNodeIdentities: true } } } }, "base");
    expect(sc.cilium.encryption.strictMode.allowRemoteNodeIdentities).toBe(true);
  });
});

describe("inputs that are not what they seem", () => {
  it("rejects keys that name built-in object properties", () => {
    expect(() => scenarioSchema.parse({ cluster: { toString: 5 } }, "base")).toThrow("base.cluster: unknown key `toString`");
    expect(() => scenarioSchema.parse({ controlPlane: { apiServer: { watchDelay: { dist: "constructor" } } } }, "base")).toThrow(/watchDelay\.dist: expected one of/);
  });

  it("rejects a rollout before its deployment starts and a restart of a node that never exists", () => {
    expect(() => scenarioSchema.parse({ workload: { deployments: [{ name: "a", replicas: 1, startAt: 50, rollouts: [10] }] } }, "base"))
      .toThrow("base.workload.deployments[0].rollouts[0]: must not be before the deployment's startAt (50), got 10");
    expect(() => scenarioSchema.parse({ cluster: { nodes: 3 }, controlPlane: { agent: { restarts: [{ node: 7, start: 1, end: 2 }] } } }, "base"))
      .toThrow("base.controlPlane.agent.restarts[0].node: must name a node that can exist (0 to 2");
  });

  it("leaves pods without an address pending instead of failing the run", () => {
    const m = simulateRun({ scenario: scenarioSchema.parse({
      duration: 120, cluster: { nodes: 2 }, cilium: { ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4MaskSize: 29 } } },
    }, "base"), seed: 1, replication: 0 }).metrics;
    // A /29 has 6 usable addresses; router, health and the client pod take 3 per node.
    expect(m.endpoints).toBe(6);
    expect(m.pods_without_address).toBeGreaterThan(50);
  });
});

describe("the two-state shortcut for common pairs", () => {
  it.each([
    ["pr21856 native, operator outage, strict", { cilium: { ...CILIUM, encryption: { strictMode: { enabled: true, cidr: "10.0.0.0/8" } } }, controlPlane: { operator: { outages: [{ start: 30, end: 90 }] } } }],
    ["1.18 native, direct CEP watch", { cilium: { version: "1.18", routingMode: "native", ipam: { mode: "cluster-pool" } } }],
    ["1.15 tunnel, AWS ENI, node replacements", { cilium: { version: "1.15" }, cluster: { nodes: 6, lifecycle: { events: [{ at: 40, action: "replace", count: 2 }] } } }],
  ])("gives what judging every segment gives: %s", (_, over) => {
    const sc = scenarioSchema.parse({ duration: 150, cluster: { nodes: 6 }, ...over }, "base");
    const fast = simulateRun({ scenario: sc, seed: 3, replication: 1 });
    const exact = simulateRun({ scenario: sc, seed: 3, replication: 1, exactPairs: true });
    // Everything that is not a packet count is the same number: the windows, their rows (a
    // window's packets are drawn per pair in both), the propagation, the control plane.
    const isCount = (k: string) => /_(packets|bytes)$/.test(k);
    const other = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !isCount(k)));
    expect(other(fast.metrics)).toEqual(other(exact.metrics));
    expect(fast.windows).toEqual(exact.windows);
    // Packet counts: the shortcut draws summed pieces at once, so the totals are other draws
    // of the same Poisson laws: their difference stays within 5 standard deviations.
    for (const k of Object.keys(fast.metrics).filter((k) => k.endsWith("_packets"))) {
      const a = fast.metrics[k];
      const b = exact.metrics[k];
      expect(Math.abs(a - b), k).toBeLessThanOrEqual(5 * Math.sqrt(a + b) + 1e-9);
    }
  });

  it("sums pieces without bias: mean packet totals over replications agree with segment-by-segment judging", () => {
    const sc = scenarioSchema.parse({ duration: 100, cluster: { nodes: 5 }, cilium: { ...CILIUM, encryption: { strictMode: { enabled: true, cidr: "10.0.0.0/8" } } },
      traffic: { service: { rate: 2 }, replies: { rate: 3, packetBytes: 200 } }, workload: { deployments: [{ name: "web", replicas: 4 }] } }, "base");
    const total = (exactPairs: boolean, k: string) => Array.from({ length: 20 }, (_, r) => simulateRun({ scenario: sc, seed: 7, replication: r, exactPairs }).metrics[k]);
    for (const k of ["encrypted_packets", "strict_dropped_packets", "encrypted_bytes"]) {
      const fast = total(false, k);
      const exact = total(true, k);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      expect(Math.abs(mean(fast) - mean(exact)) / mean(exact), k).toBeLessThan(0.01);
    }
  });
});

describe("exposure and leak windows", () => {
  // experiments/node-ip-reuse.json's base: Azure addressing, nodes scaled in during an operator outage.
  const reuse = (strict: boolean) => scenarioSchema.parse({
    duration: 300,
    cluster: { nodes: 8, cloud: "azure", lifecycle: { events: [{ at: 60, action: "remove", count: 2 }, { at: 90, action: "remove", count: 2 }] } },
    controlPlane: { operator: { outages: [{ start: 60, end: 120 }] } },
    cilium: {
      version: "1.15", routingMode: "native", ipam: { mode: "azure" }, enableCiliumEndpointSlice: true,
      encryption: { strictMode: { enabled: strict, cidr: "10.224.0.0/16", allowRemoteNodeIdentities: true } },
    },
    workload: { churn: { rate: 8, lifetime: { dist: "exponential", mean: 400 } } },
  }, "reuse");
  const off = simulateRun({ scenario: reuse(false), seed: 17, replication: 0 });
  const on = simulateRun({ scenario: reuse(true), seed: 17, replication: 0 });

  it("keeps each leak inside its exposure, and a leaked window leaked for some of its time", () => {
    for (const w of [...off.windows, ...on.windows]) {
      expect(w.leaked).toBeGreaterThanOrEqual(0);
      expect(w.leaked).toBeLessThanOrEqual(w.closed - w.opened + 1e-9);
      if (w.outcome === "leaked") expect(w.leaked).toBeGreaterThan(0);
    }
  });

  it("shares the exposure across strict mode; under strict mode only a reused node IP leaks", () => {
    expect(on.metrics.exposure_windows).toBe(off.metrics.exposure_windows);
    expect(on.metrics.exposure_window_max_s).toBe(off.metrics.exposure_window_max_s);
    expect(on.metrics.leak_windows).toBeGreaterThan(0);
    expect(on.metrics.leak_windows).toBeLessThan(off.metrics.leak_windows / 10);
    const leaking = on.windows.filter((w) => w.leaked > 0);
    expect(leaking.length).toBeGreaterThan(0);
    expect(leaking.every((w) => w.cause === "node_ip_reuse")).toBe(true);
    expect(Math.max(...leaking.map((w) => w.leaked))).toBeLessThanOrEqual(on.metrics.leak_window_max_s);
  });

  it("counts a leak window for every pair whose plaintext left, exposure windows for every pair not encrypted from the start", () => {
    // Strict mode off: some exposures carried only other verdicts (a stale entry misdelivers).
    expect(off.metrics.leak_windows).toBeLessThanOrEqual(off.metrics.exposure_windows);
    expect(off.windows.filter((w) => w.leaked > 0).length).toBeLessThanOrEqual(off.metrics.leak_windows);
    expect(off.windows.length).toBeLessThanOrEqual(off.metrics.exposure_windows);
  });
});
