import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { formatIpv4 } from "../../models/addressing/ipv4.ts";
import { nodeName } from "../../models/cluster/nodes.ts";
import { VERDICTS } from "../../models/datapath/verdict.ts";
import { MAX_ROW_BYTES, WINDOW_COLUMNS, WINDOW_HEADER, windowRow, writeWindowRow, type LeakWindow } from "../../models/windows.ts";

const CAUSES = ["propagation", "operator_outage", "new_node", "stale_after_reuse", "node_ip_reuse"] as const;
const time = fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(0, 1e-7, 0.1 + 0.2, 1e21, Infinity));
const count = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.double({ min: 0, max: 1e18, noNaN: true }), fc.constantFrom(1e15, 1e15 - 1, 2 ** 53, 1e21, -0));
const window = fc.record({
  endpoint: fc.integer({ min: 0, max: 10_000_000 }),
  endpointIp: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  endpointNode: fc.integer({ min: 0, max: 99_999 }),
  observerNode: fc.integer({ min: 0, max: 99_999 }),
  opened: time,
  closed: time,
  leaked: time,
  packets: count,
  bytes: count,
  outcome: fc.constantFrom(...VERDICTS),
  cause: fc.constantFrom(...CAUSES),
  censored: fc.boolean(),
}) as fc.Arbitrary<LeakWindow>;

/** The rendering windows.csv had when it was built with csv-stringify from these cells. */
function reference(point: number, replication: number, w: LeakWindow): string {
  const num = (x: number) => (Number.isFinite(x) ? String(x) : "");
  return stringify([[point, replication, w.endpoint, formatIpv4(w.endpointIp), nodeName(w.endpointNode), nodeName(w.observerNode),
    num(w.opened), num(w.closed), num(w.closed - w.opened), num(w.leaked), num(w.packets), num(w.bytes),
    w.outcome === "strict_dropped" ? "dropped" : w.outcome, w.cause, String(w.censored)].map(String)]);
}

describe("windows.csv rows", () => {
  it("equal csv-stringify's rendering of the same cells, as a string and as bytes", () => {
    const buf = Buffer.alloc(MAX_ROW_BYTES * 4);
    fc.assert(fc.property(fc.nat(100_000), fc.nat(10_000), fc.array(window, { minLength: 1, maxLength: 4 }), (point, replication, ws) => {
      let at = 0;
      for (const w of ws) {
        const expected = reference(point, replication, w);
        expect(windowRow(point, replication, w)).toBe(expected);
        const end = writeWindowRow(buf, at, point, replication, w);
        expect(end - at).toBeLessThanOrEqual(MAX_ROW_BYTES);
        expect(buf.toString("latin1", at, end)).toBe(expected);
        at = end;
      }
    }), { numRuns: 2000 });
  });

  it("has the header of today's windows.csv", () => {
    expect(WINDOW_HEADER).toBe(stringify([[...WINDOW_COLUMNS]]));
    expect(WINDOW_HEADER).toBe("point,replication,endpoint,endpoint_ip,endpoint_node,observer_node,opened_s,closed_s,duration_s,leaked_s,packets,bytes,outcome,cause,censored\n");
  });
});
