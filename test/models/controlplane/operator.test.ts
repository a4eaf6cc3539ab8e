import { describe, expect, it } from "vitest";
import { Simulator } from "../../../sim/simulator.ts";
import { RandomStream } from "../../../sim/random.ts";
import { parseDistribution } from "../../../sim/distributions.ts";
import { CesController, MAX_ENDPOINTS_PER_SLICE, type SliceMode } from "../../../models/controlplane/operator.ts";
import { leaderlessIntervals, type LeaderFailure } from "../../../models/controlplane/leadership.ts";
import { ApiServer } from "../../../models/controlplane/apiserver.ts";
import { TokenBucket } from "../../../models/controlplane/tokenBucket.ts";

interface Options {
  outages?: { start: number; end: number }[];
  apiOutages?: { start: number; end: number }[];
  leaderFailures?: LeaderFailure[];
  sliceMode?: SliceMode;
  queueing?: "merge" | "shift";
}

function controller(o: Options = {}) {
  const sim = new Simulator();
  const api = new ApiServer({ writeLatency: parseDistribution(0, "w"), outages: o.apiOutages ?? [], watchDelayPerWritePerSecond: 0 }, new RandomStream("api"));
  const written: { time: number; upserts: number[]; deletes: number[] }[] = [];
  const ctl = new CesController(sim, api, {
    sliceMode: o.sliceMode ?? "identity",
    syncDelay: parseDistribution(0.5, "syncDelay"),
    writeLimit: { table: [{ nodes: 0, limit: 10, burst: 20 }], followsNodes: false, client: { qps: 1e6, burst: 1e6 } },
    initialNodes: 10,
    queueing: o.queueing ?? "shift",
    leaderless: leaderlessIntervals({ outages: o.outages ?? [], leaderFailures: o.leaderFailures ?? [], leaseDuration: 15, retryPeriod: 2 }),
  }, new RandomStream("op"), (c) => written.push({ time: sim.now, ...c }));
  const seen = (id: number, identity: number, namespace = 0, kind: "upsert" | "delete" = "upsert") =>
    ctl.cepChanged({ id, identity, namespace }, kind);
  const when = () => new Map(written.flatMap((w) => w.upserts.map((e) => [e, w.time])));
  return { sim, ctl, written, seen, when };
}

describe("token bucket", () => {
  it("allows a burst, then paces at the rate", () => {
    const b = new TokenBucket(10, 20);
    let t = 0;
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      t = b.nextAvailable(t);
      b.take(t);
      times.push(t);
    }
    expect(times[19]).toBe(0);
    expect(times[20]).toBeCloseTo(0.1, 9);
    expect(times[39]).toBeCloseTo(2.0, 9);
  });
});

describe("CiliumEndpointSlice controller", () => {
  it("writes 1,000 endpoints of one identity in about 10 slice writes", () => {
    const { sim, written, seen } = controller();
    for (let e = 0; e < 1000; e++) sim.at(0, () => seen(e, 300));
    sim.run();
    expect(written.length).toBe(1000 / MAX_ENDPOINTS_PER_SLICE);
    expect(written.flatMap((w) => w.upserts).sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    expect(Math.max(...written.map((w) => w.time))).toBeCloseTo(0.5, 9);
  });

  it("needs about 100 s for 1,000 endpoints of 1,000 identities at 10 writes/s", () => {
    const { sim, written, seen } = controller();
    for (let e = 0; e < 1000; e++) sim.at(0, () => seen(e, 1000 + e));
    sim.run();
    expect(written.length).toBe(1000);
    // 20 from the burst at 0.5 s, then 980 more at 10/s.
    expect(written[999].time).toBeCloseTo(0.5 + 980 / 10, 6);
  });

  it("packs FCFS slices by namespace regardless of identity", () => {
    const { sim, written, seen } = controller({ sliceMode: "fcfs" });
    for (let e = 0; e < 250; e++) sim.at(0, () => seen(e, 1000 + e, e % 2));
    sim.run();
    // 125 per namespace: two slices each (100 + 25).
    expect(written.length).toBe(4);
    expect(written.map((w) => w.upserts.length).sort((a, b) => a - b)).toEqual([25, 25, 100, 100]);
  });

  it("batches changes to one slice within the sync delay into one write, deletes included", () => {
    const { sim, ctl, written, seen } = controller();
    for (let e = 0; e < 5; e++) sim.at(e * 0.1, () => seen(e, 300));
    sim.at(2, () => seen(1, 300, 0, "delete"));
    sim.run();
    expect(written.map((w) => [w.upserts, w.deletes])).toEqual([[[0, 1, 2, 3, 4], []], [[], [1]]]);
    expect(ctl.writes).toBe(2);
  });

  it("delays endpoints seen during an outage by the rest of the outage", () => {
    const { sim, seen, when } = controller({ outages: [{ start: 10, end: 70 }] });
    sim.at(5, () => seen(0, 300));
    sim.at(9.8, () => seen(1, 301)); // its sync timer fires during the outage
    sim.at(20, () => seen(2, 302));
    sim.at(80, () => seen(3, 303));
    sim.run();
    const w = when();
    expect(w.get(0)).toBeCloseTo(5.5, 9);
    expect(w.get(1)).toBeCloseTo(70, 9);
    expect(w.get(2)).toBeCloseTo(70, 9);
    expect(w.get(3)).toBeCloseTo(80.5, 9);
  });

  it("hands over to the standby one lease after a leader crash, one retry period after a graceful handover", () => {
    const crash = (at: number): LeaderFailure => ({ at, kind: "crash" });
    expect(leaderlessIntervals({ outages: [{ start: 100, end: 110 }], leaderFailures: [crash(30), crash(105)], leaseDuration: 15, retryPeriod: 2 }))
      .toEqual([{ start: 30, end: 45 }, { start: 100, end: 120 }]);
    expect(leaderlessIntervals({ outages: [], leaderFailures: [{ at: 30, kind: "graceful" }], leaseDuration: 15, retryPeriod: 2 }))
      .toEqual([{ start: 30, end: 32 }]);
    const { sim, seen, when } = controller({ leaderFailures: [crash(30)] });
    sim.at(31, () => seen(0, 300));
    sim.run();
    expect(when().get(0)).toBeCloseTo(45, 9);
    const graceful = controller({ leaderFailures: [{ at: 30, kind: "graceful" }] });
    graceful.sim.at(31, () => graceful.seen(0, 300));
    graceful.sim.run();
    expect(graceful.when().get(0)).toBeCloseTo(32, 9);
  });

  it("retries failed writes with backoff 1, 2, 4 … s while the API server is down", () => {
    const { sim, ctl, seen, when } = controller({ apiOutages: [{ start: 0, end: 6 }] });
    sim.at(0, () => seen(0, 300));
    sim.run();
    // Attempts at 0.5, 1.5, 3.5 fail; 7.5 succeeds.
    expect(ctl.failedWrites).toBe(3);
    expect(when().get(0)).toBeCloseTo(7.5, 9);
  });

  it("gives up on a slice after 15 retries", () => {
    const { sim, ctl, seen, written } = controller({ apiOutages: [{ start: 0, end: 5000 }] });
    sim.at(0, () => seen(0, 300));
    sim.run();
    expect(ctl.failedWrites).toBe(16);
    expect(ctl.droppedSlices).toBe(1);
    expect(written).toEqual([]);
  });
});
