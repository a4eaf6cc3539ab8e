import { describe, expect, it } from "vitest";
import { Simulator } from "../../../sim/simulator.ts";
import { RandomStream } from "../../../sim/random.ts";
import { parseDistribution } from "../../../sim/distributions.ts";
import { ApiServer } from "../../../models/controlplane/apiserver.ts";
import { AgentClient } from "../../../models/controlplane/agent.ts";
import { IdentityAllocator } from "../../../models/controlplane/identity.ts";

const api = (outages: { start: number; end: number }[] = []) =>
  new ApiServer({ writeLatency: parseDistribution(0.02, "w"), outages, watchDelayPerWritePerSecond: 0 }, new RandomStream("api"));

describe("agent CiliumEndpoint client", () => {
  it("writes a burst of 20, then 10 per second (k8sClientRateLimit)", () => {
    const sim = new Simulator();
    const client = new AgentClient(sim, api(), { qps: 10, burst: 20, restarts: [] });
    const done: number[] = [];
    for (let i = 0; i < 100; i++) client.write((t) => done.push(t));
    sim.run();
    expect(done).toHaveLength(100);
    expect(done[19]).toBeCloseTo(0.02, 9);
    expect(done[99]).toBeCloseTo(8.02, 6);
  });

  it("retries with the controller's linear backoff (1 s, 2 s, 3 s ...) while the API server is down, and waits out a restart", () => {
    const sim = new Simulator();
    const client = new AgentClient(sim, api([{ start: 0, end: 15 }]), { qps: 10, burst: 20, restarts: [{ start: 0, end: 3 }] });
    const done: number[] = [];
    client.write((t) => done.push(t));
    sim.run();
    // Restart ends at 3; attempts at 3, 4, 6, 9, 13 fail (API down until 15); 18 succeeds.
    expect(client.retries).toBe(5);
    expect(done[0]).toBeCloseTo(18.02, 6);
  });
});

describe("identity allocation", () => {
  it("allocates each label set once, and everyone waiting shares it", () => {
    const sim = new Simulator();
    const ids = new IdentityAllocator(sim, parseDistribution(0.1, "d"), new RandomStream("i"));
    const agent = new AgentClient(sim, api(), { qps: 10, burst: 20, restarts: [] });
    const got: [string, number, number][] = [];
    for (const labels of ["a", "a", "b"]) ids.resolve(labels, agent, (id) => got.push([labels, id, sim.now]));
    sim.at(5, () => ids.resolve("a", agent, (id) => got.push(["a-later", id, sim.now])));
    sim.run();
    expect(ids.allocations).toBe(2);
    expect(got.map(([l, id]) => [l, id])).toEqual([["a", 256], ["a", 256], ["b", 257], ["a-later", 256]]);
    expect(got[0][2]).toBeCloseTo(0.12, 9);
    expect(got[3][2]).toBe(5);
    expect(agent.requests).toBe(2);
  });

  it("creates through the agent's limiter, so a burst of new label sets waits for tokens", () => {
    const sim = new Simulator();
    const ids = new IdentityAllocator(sim, parseDistribution(0, "d"), new RandomStream("i"));
    const agent = new AgentClient(sim, api(), { qps: 10, burst: 20, restarts: [] });
    const got: number[] = [];
    for (let i = 0; i < 40; i++) ids.resolve(`l${i}`, agent, () => got.push(sim.now));
    sim.run();
    expect(got[19]).toBeCloseTo(0.02, 9);
    expect(got[39]).toBeCloseTo(2.02, 6);
  });
});
