/** Entries deleted by hand from the BPF ipcache (cilium-cli's strict-mode tests), and the answers pods send back. */
import { describe, expect, it } from "vitest";
import { IpcacheDeletions } from "../../models/ipcache/deletions.ts";
import { newEndpoint } from "../../models/cluster/endpoint.ts";
import { simulateRun } from "../../models/run.ts";
import { scenarioSchema } from "../../models/scenario/index.ts";

describe("IpcacheDeletions", () => {
  const pod = (id: number, ip: number, labels: string, created: number) => newEndpoint({ id, node: 1, ip, namespace: 0, labels, service: -1, created, ready: created + 1 });

  it("takes the /32s of the deployment's pods alive at its start, for its interval", () => {
    const d = new IpcacheDeletions([{ deployment: 0, start: 10, end: 20, podCidrEntries: false }], [pod(0, 100, "deploy:0", 0), pod(1, 101, "deploy:0", 15), pod(2, 102, "deploy:1", 0)]);
    expect([d.addressDeleted(100, 9.9), d.addressDeleted(100, 10), d.addressDeleted(100, 19.9), d.addressDeleted(100, 20)]).toEqual([false, true, true, false]);
    expect(d.addressDeleted(101, 16)).toBe(false);
    expect(d.addressDeleted(102, 16)).toBe(false);
    expect(d.podCidrsDeleted(15)).toBe(false);
    const out: number[] = [];
    d.changePoints(100, 0, 30, out);
    expect(out).toEqual([10, 20]);
  });
});

describe("a run with an echo deployment's entries deleted", () => {
  const run = (version: string, deleted: unknown[], flows: { requests: number; responses: number }) => simulateRun({
    scenario: scenarioSchema.parse({
      duration: 40, cluster: { nodes: 3 },
      cilium: { version, routingMode: "native", ipam: { mode: "cluster-pool" }, encryption: { strictMode: { enabled: true, cidr: "10.0.0.0/8" } } },
      workload: { churn: { rate: 0 }, deployments: [{ name: "echo", replicas: 2, service: false, ipcacheDeleted: deleted }] },
      traffic: {
        podToPod: { rate: flows.requests, packetBytes: 100 }, responses: { rate: flows.responses, packetBytes: 100 },
        podToNode: { rate: 0 }, healthProbes: { interval: 0 }, apiServerToPods: { rate: 0 }, podsToApiServer: { rate: 0 }, podToOutside: { rate: 0 },
      },
    }, ""),
    seed: 4, replication: 0,
  }).metrics;
  const window = [{ start: 10, end: 30 }];

  it("drops requests to the echo pods while their entries are gone, and only then", () => {
    expect(run("1.15", [], { requests: 5, responses: 0 }).strict_dropped_packets).toBeLessThan(30);
    expect(run("1.15", window, { requests: 5, responses: 0 }).strict_dropped_packets).toBeGreaterThan(300);
  });

  it("encrypts the echo pods' answers to known clients, unless their own entry is gone before 1.18", () => {
    const calm = run("1.15", [], { requests: 0, responses: 5 });
    expect(calm.strict_dropped_packets).toBe(0);
    expect(calm.encrypted_packets).toBeGreaterThan(500);
    expect(run("1.15", window, { requests: 0, responses: 5 }).strict_dropped_packets).toBeGreaterThan(300);
    expect(run("1.18", window, { requests: 0, responses: 5 }).strict_dropped_packets).toBe(0);
  });

  it("refuses an interval that ends before it starts", () => {
    expect(() => scenarioSchema.parse({ workload: { deployments: [{ name: "e", replicas: 1, ipcacheDeleted: [{ start: 5, end: 5 }] }] } }, ""))
      .toThrow(/^workload\.deployments\[0\]\.ipcacheDeleted\[0\]\.end: must be greater than start/);
  });
});
