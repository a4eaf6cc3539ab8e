/** node-encryption-opt-out-labels: the selector, and what opting out does to a run. */
import { describe, expect, it } from "vitest";
import { simulateRun } from "../../../models/run.ts";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { CONTROL_PLANE_LABEL, parseSelector, selects } from "../../../models/scenario/labels.ts";

const cp = { [CONTROL_PLANE_LABEL]: "" };

describe("the opt-out label selector", () => {
  it("selects the control-plane node by Cilium's default, and no node when empty", () => {
    expect(selects(parseSelector(CONTROL_PLANE_LABEL, "x"), cp)).toBe(true);
    expect(selects(parseSelector(CONTROL_PLANE_LABEL, "x"), {})).toBe(false);
    expect(selects(parseSelector("", "x"), cp)).toBe(false);
    expect(selects(parseSelector(`${CONTROL_PLANE_LABEL}=`, "x"), cp)).toBe(true);
    expect(selects(parseSelector(`${CONTROL_PLANE_LABEL},zone=a`, "x"), cp)).toBe(false);
  });

  it("refuses set-based requirements and selectors that would select every worker", () => {
    expect(() => scenarioSchema.parse({ cilium: { extraConfig: { "node-encryption-opt-out-labels": "tier in (a,b)" } } }, ""))
      .toThrow(/^cilium\.extraConfig\.node-encryption-opt-out-labels: `tier in .* is not a requirement/);
    expect(() => scenarioSchema.parse({ cilium: { extraConfig: { "node-encryption-opt-out-labels": "!tier" } } }, ""))
      .toThrow(/selects nodes without labels/);
  });
});

describe("node encryption with the control-plane node opted out", () => {
  const run = (selector: string) => simulateRun({
    scenario: scenarioSchema.parse({
      duration: 120, cluster: { nodes: 4 },
      cilium: { routingMode: "native", ipam: { mode: "cluster-pool" }, encryption: { nodeEncryption: true }, extraConfig: { "node-encryption-opt-out-labels": selector } },
      traffic: { healthProbes: { interval: 10 } },
    }, ""),
    seed: 5, replication: 0,
  }).metrics;

  it("leaves traffic from and to its node address in plaintext, and pods' replies to the API server", () => {
    const optedOut = run(CONTROL_PLANE_LABEL);
    expect(optedOut.host_plaintext_packets).toBeGreaterThan(0);
    expect(optedOut.apiserver_plaintext_packets).toBeGreaterThan(0);
    const none = run("");
    expect(none.host_plaintext_packets).toBe(0);
    expect(none.apiserver_plaintext_packets).toBe(0);
  });
});
