/** The control plane's scenario fields as the resolver hands them on. */
import { describe, expect, it } from "vitest";
import { scenarioSchema } from "../../../models/scenario/index.ts";
import { resolveScenario } from "../../../models/scenario/resolve.ts";

describe("operator leader failures", () => {
  it("a bare time is a crash (the lease must expire), {at, kind: graceful} a handover within the retry period", () => {
    const sc = scenarioSchema.parse({
      cilium: { enableCiliumEndpointSlice: true },
      controlPlane: { operator: { leaderFailures: [30, { at: 60, kind: "graceful" }, { at: 90 }], retryPeriod: 3 } },
    }, "");
    expect(resolveScenario(sc).controlPlane.operator?.leaderless).toEqual([{ start: 30, end: 45 }, { start: 60, end: 63 }, { start: 90, end: 105 }]);
  });

  it("refuses an unknown kind, naming the field", () => {
    expect(() => scenarioSchema.parse({ controlPlane: { operator: { leaderFailures: [{ at: 1, kind: "evicted" }] } } }, ""))
      .toThrow(/^controlPlane\.operator\.leaderFailures\[0\]\.kind: must be one of "crash", "graceful"/);
  });
});
