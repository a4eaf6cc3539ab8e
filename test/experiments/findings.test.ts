/**
 * The seeds' findings, reproduced by running the committed sweep files and asserting each result.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { expandSweep, runAt, type Sweep } from "../../experiments/sweep.ts";
import { runInProcess } from "../../experiments/runner.ts";
import type { RunOutcome } from "../../experiments/execute.ts";

function load(name: string, patch: (json: any) => void = () => undefined): Sweep {
  const json = JSON.parse(readFileSync(new URL(`../../experiments/${name}.json`, import.meta.url), "utf8"));
  patch(json);
  return expandSweep(json);
}

async function results(name: string): Promise<{ sweep: Sweep; byPoint: (label: string) => RunOutcome[] }> {
  const sweep = load(name, (j) => (j.windows = true));
  const outcomes = runInProcess(sweep);
  const label = (i: number) => sweep.points[runAt(sweep, i).point].values.map((v) => JSON.stringify(v)).join(" ");
  return { sweep, byPoint: (l) => outcomes.filter((_, i) => label(i) === l) };
}

const sum = (runs: RunOutcome[], metric: string) => runs.reduce((s, r) => s + r.metrics[metric], 0);

describe("finding 1: operator down (Cilium's two-phase e2e test)", async () => {
  const { byPoint } = await results("operator-outage");
  const off = byPoint("false");
  const on = byPoint("true");
  it("leaks without strict mode and drops the same packets with it", () => {
    expect(sum(off, "leaked_packets")).toBeGreaterThan(0);
    expect(sum(on, "leaked_packets")).toBe(0);
    expect(sum(on, "strict_dropped_packets")).toBe(sum(off, "leaked_packets"));
  });
  it("encrypts once the operator is back (outage 120-240 s): outage windows close, later ones are short", () => {
    for (const r of [...off, ...on]) {
      expect(r.metrics.encrypted_packets).toBeGreaterThan(0);
      const during = r.windows.filter((w) => w.opened > 125 && w.opened < 235);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((w) => w.cause === "operator_outage" && w.closed > 240 && w.closed < 260)).toBe(true);
      expect(r.windows.filter((w) => w.opened > 260).every((w) => w.closed - w.opened < 5)).toBe(true);
    }
  });
});

describe("finding 2: overlapping node and pod addresses", async () => {
  const { byPoint } = await results("overlapping-addressing");
  const scaleOut = JSON.stringify([{ at: 60, action: "add", count: 3 }]);
  it("has no false drops with the node exemption while the nodes are known", () => {
    for (const v of ["aws-eni-overlapping", "azure-ipam-overlapping", "gcp-separate"]) {
      expect(sum(byPoint(`"${v}" []`), "false_dropped_packets")).toBe(0);
    }
  });
  it("drops pods' traffic to nodes not yet known where addresses overlap, never on GCP", () => {
    expect(sum(byPoint(`"aws-eni-overlapping" ${scaleOut}`), "false_dropped_packets")).toBeGreaterThan(0);
    expect(sum(byPoint(`"azure-ipam-overlapping" ${scaleOut}`), "false_dropped_packets")).toBeGreaterThan(0);
    expect(sum(byPoint(`"gcp-separate" ${scaleOut}`), "false_dropped_packets")).toBe(0);
    // All of them while the target node was unknown, and all to node IPs (health probes come from the host).
    const aws = byPoint(`"aws-eni-overlapping" ${scaleOut}`);
    expect(sum(aws, "false_dropped_new_node_packets")).toBe(sum(aws, "false_dropped_packets"));
    expect(sum(aws, "false_dropped_node_packets")).toBe(sum(aws, "false_dropped_packets"));
  });
  it("is refused by Cilium without allowRemoteNodeIdentities where node IPs are in the strict CIDR", () => {
    expect(() => load("overlapping-addressing", (j) => (j.variants["aws-eni-overlapping"].cilium.encryption.strictMode.allowRemoteNodeIdentities = false)))
      .toThrow(/cilium\.encryption\.strictMode\.allowRemoteNodeIdentities: .*node IP/);
  });
});

describe("finding 3: a pod that inherits a removed node's IP", async () => {
  const { byPoint } = await results("node-ip-reuse");
  const reuse = (runs: RunOutcome[]) => runs.flatMap((r) => r.windows.filter((w) => w.cause === "node_ip_reuse"));
  it("is not made long by an operator outage: Azure pools wait with the operator, so reuse starts after it is back", () => {
    const on = byPoint(`"operator-outage" true`);
    expect(on.every((r) => r.metrics.pods_waited_for_ipam > 0)).toBe(true);
    const windows = reuse(on);
    expect(windows.length).toBeGreaterThan(0);
    expect(Math.min(...windows.map((w) => w.opened))).toBeGreaterThanOrEqual(120);
    // As long as the burst of pods that waited takes to reach the slices (their agents' limiters).
    expect(Math.max(...windows.map((w) => w.closed - w.opened))).toBeLessThan(25);
  });
  it("leaks for long under strict mode behind a slice backlog, and only those pods leak", () => {
    const on = byPoint(`"slice-backlog" true`);
    const leakedWindows = on.flatMap((r) => r.windows.filter((w) => w.outcome === "leaked"));
    expect(leakedWindows.length).toBeGreaterThan(0);
    expect(new Set(leakedWindows.map((w) => w.cause))).toEqual(new Set(["node_ip_reuse"]));
    expect(Math.max(...leakedWindows.map((w) => w.closed - w.opened))).toBeGreaterThan(30);
    expect(sum(on, "strict_dropped_packets")).toBeGreaterThan(sum(on, "leaked_packets"));
    expect(on.every((r) => r.metrics.pods_waited_for_ipam === 0)).toBe(true);
  });
});

describe("finding 4: host-originated traffic", async () => {
  const { byPoint } = await results("host-traffic");
  const cp = (nodeEncryption: boolean) => byPoint(`"control-plane-node" ${nodeEncryption}`);
  const managed = (nodeEncryption: boolean) => byPoint(`"managed" ${nodeEncryption}`);
  it("stays plaintext in pod-to-pod mode", () => {
    expect(sum(cp(false), "host_plaintext_packets")).toBeGreaterThan(1000);
    expect(sum(cp(false), "apiserver_plaintext_packets")).toBeGreaterThan(1000);
  });
  it("with node encryption, leaves the opted-out control-plane node's traffic in plaintext", () => {
    // Its health probes and what is sent to its address: a few dozen packets, not thousands.
    expect(sum(cp(true), "host_plaintext_packets")).toBeGreaterThan(0);
    expect(sum(cp(true), "host_plaintext_packets")).toBeLessThan(sum(cp(false), "host_plaintext_packets") / 100);
    // The API server's requests go through the pods' keys; what pods send back does not.
    const before = sum(cp(false), "apiserver_plaintext_packets");
    const after = sum(cp(true), "apiserver_plaintext_packets");
    expect(after).toBeGreaterThan(before / 3);
    expect(after).toBeLessThan((2 * before) / 3);
  });
  it("encrypts nothing between a managed API server and the pods, node encryption or not", () => {
    expect(sum(managed(true), "apiserver_plaintext_packets")).toBe(sum(managed(false), "apiserver_plaintext_packets"));
    expect(sum(managed(true), "apiserver_plaintext_packets")).toBeGreaterThan(1000);
    expect(sum(managed(true), "host_plaintext_packets")).toBe(0);
  });
});

describe("finding 5: the same churn under each version and routing mode", async () => {
  const { byPoint } = await results("versions");
  const point = (v: string, mode: string) => byPoint(`"${v}" "${mode}"`);
  it("leaks in 1.14, pr21856 and 1.15 native routing", () => {
    for (const [v, mode] of [["1.14", "tunnel"], ["1.14", "native"], ["pr21856", "tunnel"], ["pr21856", "native"], ["1.15", "native"]]) {
      expect(sum(point(v, mode), "leaked_packets"), `${v} ${mode}`).toBeGreaterThan(0);
    }
  });
  it("closes the windows from 1.15 in tunnel mode and from 1.18 in both, but for pods on nodes not yet known", () => {
    const before = sum(point("1.15", "native"), "leaked_packets");
    for (const [v, mode] of [["1.15", "tunnel"], ["1.18", "tunnel"], ["1.18", "native"], ["1.19", "tunnel"], ["1.19", "native"]]) {
      const runs = point(v, mode);
      expect(sum(runs, "leaked_packets"), `${v} ${mode}`).toBeLessThan(before / 1000);
      // What remains is a pod on a node whose CiliumNode the sender has not processed yet. Once
      // its slice arrives first, the route points at a node with no WireGuard peer (ENOKEY);
      // before that the packet has no tunnel endpoint or pod-CIDR entry and leaves in
      // plaintext (in tunnel mode through iptables masquerading: masquerade.ts).
      const left = runs.flatMap((r) => r.windows);
      expect(left.every((w) => w.cause === "new_node" && (w.outcome === "wg_dropped" || w.outcome === "leaked")), `${v} ${mode}`).toBe(true);
    }
  });
});

describe("finding 6: the agent's client limiter (Cilium's scale tests raise it to 100 QPS)", async () => {
  const { byPoint } = await results("agent-client-qps");
  const mean = (runs: RunOutcome[], metric: string) => sum(runs, metric) / runs.length;
  it("binds once a node's new pods need more requests per second than its QPS", () => {
    // 20 pods/s on 4 nodes: 5 per node, about 4 requests each, against 10 QPS.
    expect(mean(byPoint("10 20"), "leak_window_p99_s")).toBeGreaterThan(10);
    expect(mean(byPoint("100 20"), "leak_window_p99_s")).toBeLessThan(1);
    expect(sum(byPoint("10 20"), "leaked_packets")).toBeGreaterThan(100 * sum(byPoint("100 20"), "leaked_packets"));
    // At the threshold (10 pods/s: about 10 requests per node per second) it adds seconds.
    expect(mean(byPoint("10 10"), "leak_window_p99_s")).toBeGreaterThan(1);
  });
  it("changes nothing below it", () => {
    const low = byPoint("10 5");
    const high = byPoint("100 5");
    expect(low.map((r) => r.fingerprint)).toEqual(high.map((r) => r.fingerprint));
  });
});

describe("finding 7: Cilium's e2e test 'WireGuard encryption strict mode' (cilium/cilium#21856)", async () => {
  const { byPoint } = await results("e2e-strict-wireguard");
  const SETUPS = ["tunnel", "native", "native-overlapping"];
  const back = 120;
  it.each(SETUPS)("%s, operator down: pod to remote pod fails with nothing in plaintext", (setup) => {
    const runs = byPoint(`"${setup}"`);
    expect(sum(runs, "leaked_packets")).toBe(0);
    expect(sum(runs, "strict_dropped_packets")).toBeGreaterThan(0);
    const during = runs.flatMap((r) => r.windows.filter((w) => w.opened < back));
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((w) => w.outcome === "strict_dropped" && w.closed >= back)).toBe(true);
  });
  it.each(SETUPS)("%s, operator down: the ClusterIP's backend is in the LB map but never reached in plaintext", (setup) => {
    const runs = byPoint(`"${setup}"`);
    expect(sum(runs, "lb_before_ipcache_pairs")).toBeGreaterThan(0);
    expect(sum(runs, "leaked_packets")).toBe(0);
  });
  it.each(SETUPS)("%s, operator down: pod to remote node and host to remote pod succeed", (setup) => {
    const runs = byPoint(`"${setup}"`);
    expect(sum(runs, "false_dropped_packets")).toBe(0);
    expect(sum(runs, "plaintext_allowed_packets")).toBeGreaterThan(0);
    expect(sum(runs, "host_plaintext_packets")).toBeGreaterThan(0);
  });
  it.each(SETUPS)("%s, operator back: pod to pod and the ClusterIP succeed, encrypted", (setup) => {
    const runs = byPoint(`"${setup}"`);
    expect(runs.flatMap((r) => r.windows.filter((w) => w.opened < back)).every((w) => w.closed < back + 5)).toBe(true);
    const later = runs.flatMap((r) => r.windows.filter((w) => w.opened >= back));
    expect(later.every((w) => w.closed - w.opened < 5)).toBe(true);
    expect(sum(runs, "encrypted_packets")).toBeGreaterThan(sum(runs, "strict_dropped_packets"));
  });
});

describe("finding 8: cilium-cli's strict-mode-encryption (1.17) and -v2 (1.18 on)", async () => {
  const { byPoint } = await results("cilium-cli-strict-mode");
  const runs = (v: string) => byPoint(`"${v}"`);
  // Entries deleted from 10 s to the end (60 s): mostly dropped where the test expects drops.
  const dropped = (v: string) => sum(runs(v), "strict_dropped_packets") > 4 * sum(runs(v), "encrypted_packets");
  it("never lets unencrypted traffic out, in any setup or direction", () => {
    for (const v of ["v1-1.17", "v1-1.18", "v2-1.18", "v2-1.19"]) {
      for (const d of ["requests", "responses"]) expect(sum(runs(`${v}-${d}`), "leaked_packets"), `${v}-${d}`).toBe(0);
    }
  });
  it("drops both ways on 1.17: requests miss the echo pod's entry, answers miss their own source identity", () => {
    expect(dropped("v1-1.17-requests")).toBe(true);
    expect(dropped("v1-1.17-responses")).toBe(true);
  });
  it("drops the requests with v2 from 1.18, whose answers carry their identity in the mark and are encrypted", () => {
    for (const v of ["v2-1.18", "v2-1.19"]) {
      expect(dropped(`${v}-requests`), v).toBe(true);
      expect(sum(runs(`${v}-responses`), "strict_dropped_packets"), v).toBe(0);
    }
  });
  it("needs v2 on 1.18: with only the /32s deleted, requests are encrypted through the pod-CIDR entry (PR #38566)", () => {
    expect(sum(runs("v1-1.18-requests"), "strict_dropped_packets")).toBe(0);
    expect(sum(runs("v1-1.18-requests"), "encrypted_packets")).toBeGreaterThan(0);
  });
});
