import { describe, expect, it } from "vitest";
import { Simulator } from "../../sim/simulator.ts";
import { RandomStream } from "../../sim/random.ts";
import { parseDistribution } from "../../sim/distributions.ts";
import { CesController, MAX_ENDPOINTS_PER_SLICE } from "../../models/controlplane/operator.ts";
import { TokenBucket } from "../../models/controlplane/tokenBucket.ts";

function controller(outages: { start: number; end: number }[] = []) {
  const sim = new Simulator();
  const written: { time: number; endpoints: number[] }[] = [];
  const ctl = new CesController(sim, {
    syncDelay: parseDistribution(0.5, "syncDelay"),
    writeLatency: parseDistribution(0, "writeLatency"),
    rateLimit: { limit: 10, burst: 20 },
    outages,
  }, new RandomStream("op"), (endpoints) => written.push({ time: sim.now, endpoints: [...endpoints] }));
  return { sim, ctl, written };
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
    const { sim, ctl, written } = controller();
    for (let e = 0; e < 1000; e++) sim.at(0, () => ctl.cepObserved(e, 300));
    sim.run();
    expect(written.length).toBe(1000 / MAX_ENDPOINTS_PER_SLICE);
    expect(written.flatMap((w) => w.endpoints).sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    // All within the burst: everything lands at the 500 ms sync delay.
    expect(Math.max(...written.map((w) => w.time))).toBeCloseTo(0.5, 9);
  });

  it("needs about 100 s for 1,000 endpoints of 1,000 identities at 10 writes/s", () => {
    const { sim, ctl, written } = controller();
    for (let e = 0; e < 1000; e++) sim.at(0, () => ctl.cepObserved(e, 1000 + e));
    sim.run();
    expect(written.length).toBe(1000);
    // 20 from the burst at 0.5 s, then 980 more at 10/s.
    expect(written[999].time).toBeCloseTo(0.5 + 980 / 10, 6);
  });

  it("batches changes to one slice within the sync delay into one write", () => {
    const { sim, ctl, written } = controller();
    for (let e = 0; e < 5; e++) sim.at(e * 0.1, () => ctl.cepObserved(e, 300));
    sim.run();
    expect(written.map((w) => w.endpoints)).toEqual([[0, 1, 2, 3, 4]]);
    expect(ctl.writes).toBe(1);
  });

  it("delays endpoints seen during an outage by the rest of the outage", () => {
    const { sim, ctl, written } = controller([{ start: 10, end: 70 }]);
    sim.at(5, () => ctl.cepObserved(0, 300)); // written at 5.5, before the outage
    sim.at(9.8, () => ctl.cepObserved(1, 301)); // its sync timer fires during the outage
    sim.at(20, () => ctl.cepObserved(2, 302));
    sim.at(80, () => ctl.cepObserved(3, 303));
    sim.run();
    const when = new Map(written.flatMap((w) => w.endpoints.map((e) => [e, w.time])));
    expect(when.get(0)).toBeCloseTo(5.5, 9);
    // Replayed on return: enqueued at once, written with a fresh bucket.
    expect(when.get(1)).toBeCloseTo(70, 9);
    expect(when.get(2)).toBeCloseTo(70, 9);
    expect(when.get(3)).toBeCloseTo(80.5, 9);
  });
});
