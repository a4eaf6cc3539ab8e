import { describe, expect, it } from "vitest";
import { TinyQueueEvents, TypedHeapQueue } from "../../sim/queue.ts";
import { Simulator } from "../../sim/simulator.ts";
import { RandomStream } from "../../sim/random.ts";

describe("event queues", () => {
  it("pop entries in (time, seq) order, identically in both implementations", () => {
    const rng = new RandomStream("queue-order");
    const a = new TypedHeapQueue(4);
    const b = new TinyQueueEvents();
    let seq = 0;
    const popped: number[][] = [[], []];
    for (let step = 0; step < 20_000; step++) {
      if (rng.uniform() < 0.55 || a.size === 0) {
        // Coarse times make many exact ties, which only seq can order.
        const t = Math.floor(rng.uniform() * 50);
        a.push(t, seq, seq % 97);
        b.push(t, seq, seq % 97);
        seq++;
      } else if (rng.uniform() < 0.2) {
        const t = a.peekTime() + Math.floor(rng.uniform() * 5);
        a.replaceTop(t, seq, 1);
        b.replaceTop(t, seq, 1);
        seq++;
      } else {
        popped[0].push(a.peekTime(), a.peekSeq(), a.pop());
        popped[1].push(b.peekTime(), b.peekSeq(), b.pop());
      }
    }
    expect(popped[0]).toEqual(popped[1]);
    expect(popped[0].length).toBeGreaterThan(10_000);
  });

  it("are sorted by time, then seq", () => {
    const q = new TypedHeapQueue(2);
    const input = [[3, 0], [1, 1], [3, 2], [1, 3], [2, 4]];
    for (const [t, s] of input) q.push(t, s, s);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop());
    expect(out).toEqual([1, 3, 4, 0, 2]);
  });
});

/** Runs a random workload of schedules (from inside handlers too) and cancels; returns the log. */
function randomWorkload(kind: "typed" | "tinyqueue"): string[] {
  const sim = new Simulator({ queue: kind, capacity: 2 });
  const rng = new RandomStream("kernel-workload");
  const log: string[] = [];
  const ids: number[] = [];
  const handler = (arg: number): void => {
    log.push(`${sim.now}:${arg}`);
    if (rng.uniform() < 0.7 && arg < 30_000) ids.push(sim.after(Math.floor(rng.uniform() * 4), handler, arg * 3 + 1));
    if (rng.uniform() < 0.3 && ids.length > 0) sim.cancel(ids[rng.int(ids.length)]);
  };
  for (let i = 0; i < 500; i++) ids.push(sim.at(Math.floor(rng.uniform() * 20), handler, i));
  sim.run();
  return log;
}

describe("simulator", () => {
  it("dispatches the same sequence on both queues under random schedules and cancels", () => {
    const typed = randomWorkload("typed");
    const reference = randomWorkload("tinyqueue");
    expect(typed.length).toBeGreaterThan(500);
    expect(typed).toEqual(reference);
  });

  it("runs events at equal times in the order they were scheduled", () => {
    const sim = new Simulator();
    const order: number[] = [];
    for (let i = 0; i < 10; i++) sim.at(5, (a) => order.push(a), i);
    sim.at(1, () => sim.at(5, (a) => order.push(a), 99));
    sim.run();
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99]);
  });

  it("cancels pending events only, and stale handles do nothing", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    const a = sim.at(1, (x) => ran.push(x), 1);
    const b = sim.at(2, (x) => ran.push(x), 2);
    expect(sim.cancel(a)).toBe(true);
    expect(sim.cancel(a)).toBe(false);
    expect(sim.pending).toBe(1);
    // The freed slot is reused; the old handle must not cancel the new event.
    const c = sim.at(3, (x) => ran.push(x), 3);
    expect(sim.cancel(a)).toBe(false);
    sim.run();
    expect(ran).toEqual([2, 3]);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.cancel(c)).toBe(false);
  });

  it("runs until a time and leaves the clock there", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.at(t, (x) => ran.push(x), t);
    sim.run(2.5);
    expect(ran).toEqual([1, 2]);
    expect(sim.now).toBe(2.5);
    sim.run();
    expect(ran).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(4);
  });

  it("refuses to schedule in the past or with a bad delay", () => {
    const sim = new Simulator();
    sim.at(2, () => undefined);
    sim.run();
    expect(() => sim.at(1, () => undefined)).toThrow(/clock is at 2/);
    expect(() => sim.after(-1, () => undefined)).toThrow(/delay/);
    expect(() => sim.after(NaN, () => undefined)).toThrow(/delay/);
  });

  it("stops after the current handler", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    sim.at(1, () => { ran.push(1); sim.stop(); });
    sim.at(2, () => ran.push(2));
    sim.run();
    expect(ran).toEqual([1]);
    expect(sim.now).toBe(1);
    sim.run();
    expect(ran).toEqual([1, 2]);
  });
});
