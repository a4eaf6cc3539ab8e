import { describe, expect, it } from "vitest";
import { parseDistribution } from "../../../sim/distributions.ts";
import { Substreams } from "../../../sim/substreams.ts";
import { Broadcasts, type Interval } from "../../../models/controlplane/broadcast.ts";
import { IpcacheTimeline, type Holder } from "../../../models/ipcache/timeline.ts";
import { Announcements } from "../../../models/controlplane/announcements.ts";

function bus(opts: { api?: Interval[]; restarts?: Interval[]; listed?: number[] } = {}) {
  const listed = opts.listed ?? [0, 0, 0];
  return new Broadcasts({
    watchDelay: parseDistribution(0.1, "w"), processingDelay: parseDistribution(0.01, "p"),
    apiServerOutages: opts.api ?? [], agentRestarts: (n) => (n === 1 ? opts.restarts ?? [] : []), anyRestarts: (opts.restarts ?? []).length > 0,
    resyncDelay: parseDistribution(2, "r"),
  }, { get count() { return listed.length; }, listedAt: (n) => listed[n] ?? Infinity }, new Substreams("delivery"));
}

describe("broadcasts", () => {
  it("reach every node after its watch and processing delay", () => {
    const b = bus();
    const id = b.emit(5);
    expect(b.arrival(id, 0)).toBeCloseTo(5.11, 6);
    expect(b.arrival(-1, 0)).toBe(Infinity);
  });

  it("wait out an API-server outage and an agent restart, then the resync", () => {
    const b = bus({ api: [{ start: 5.05, end: 20 }], restarts: [{ start: 0, end: 30 }] });
    const id = b.emit(5);
    expect(b.arrival(id, 0)).toBeCloseTo(22, 6);
    expect(b.arrival(id, 1)).toBeCloseTo(32, 6);
  });

  it("reach nodes that join later through their initial list", () => {
    const listed = [0, 0];
    const b = bus({ listed });
    const id = b.emit(5);
    listed.push(40);
    expect(b.arrival(id, 2)).toBe(40);
  });

  it("mark pre-existing state as known everywhere at once", () => {
    const b = bus();
    expect(b.arrival(b.emit(0, true), 2)).toBe(0);
  });
});

describe("address book (DeleteOnMetadataMatch)", () => {
  const b = bus();
  const first = b.emit(1); // old pod published, arrives ~1.11
  const reuse = b.emit(10); // new pod published, arrives ~10.11
  const late = b.emit(20); // old pod's deletion, arrives ~20.11
  const early = b.emit(5); // ... or arrives ~5.11
  // Each holder is its own object in an announcement record over the same channel.
  let next = 0;
  const holder = (upsert: number, removal: number, name: string): Holder => {
    const known = new Announcements(b);
    const id = next++;
    known.announce(id, upsert);
    if (removal >= 0) known.retract(id, removal);
    return { kind: "pod", ip: 7, owner: { name } as never, hostNode: 0, known, id };
  };

  it("keeps the new holder's entry when the old one's delete arrives late", () => {
    const book = new IpcacheTimeline();
    const old = holder(first, late, "old");
    const fresh = holder(reuse, -1, "new");
    book.add(old);
    book.add(fresh);
    expect(book.entryAt(7, 0, 2)).toBe(old);
    expect(book.entryAt(7, 0, 11)).toBe(fresh);
    expect(book.entryAt(7, 0, 30)).toBe(fresh);
  });

  it("leaves a gap when the delete arrives before the new upsert", () => {
    const book = new IpcacheTimeline();
    book.add(holder(first, early, "old"));
    const fresh = holder(reuse, -1, "new");
    book.add(fresh);
    expect(book.entryAt(7, 0, 6)).toBeUndefined();
    expect(book.entryAt(7, 0, 11)).toBe(fresh);
    const cuts: number[] = [];
    book.changePoints(7, 0, 0, 100, cuts);
    expect(cuts.sort((a, c) => a - c).map((t) => Math.round(t * 100) / 100)).toEqual([1.11, 5.11, 10.11]);
  });
});
