import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { allRuns, expandSweep } from "../../experiments/sweep.ts";
import { schemaText, SCHEMA_FILE } from "../../experiments/schema-export.ts";

const sweep = (over: Record<string, unknown> = {}) => ({
  name: "t",
  seed: 5,
  replications: 3,
  base: { duration: 50, cluster: { nodes: 3 } },
  grid: { "cilium.encryption.strictMode.enabled": [false, true], "cluster.nodes": [3, 4] },
  ...over,
});

describe("sweep expansion", () => {
  it("takes the cartesian product, first axis outermost, times the replications", () => {
    const s = expandSweep({ ...sweep(), base: { duration: 50, cilium: { encryption: { strictMode: { cidr: "10.0.0.0/8" } } } } });
    expect(s.points.map((p) => p.values)).toEqual([[false, 3], [false, 4], [true, 3], [true, 4]]);
    expect(s.runCount).toBe(12);
    expect(s.points[3].scenario.cluster.nodes).toBe(4);
    expect(s.points[3].scenario.cilium.encryption.strictMode.enabled).toBe(true);
  });

  it("gives replication r the same seed at every point and different seeds across replications", () => {
    const s = expandSweep(sweep({ base: { cilium: { encryption: { strictMode: { cidr: "10.0.0.0/8" } } } } }));
    const runs = allRuns(s);
    const seedsOf = (r: number) => new Set(runs.filter((x) => x.replication === r).map((x) => x.seed));
    expect(seedsOf(0).size).toBe(1);
    expect(new Set(runs.map((x) => x.seed)).size).toBe(3);
    expect(runs.map((x) => [x.index, x.point, x.replication])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => [i, Math.floor(i / 3), i % 3]));
  });

  it("crosses named variants (outermost) with the grid, deep-merging each into base", () => {
    const s = expandSweep({
      name: "v", base: { duration: 50, cluster: { nodes: 3 }, cilium: { encryption: { strictMode: { enabled: true } } } },
      variants: {
        gcp: { cluster: { cloud: "gcp" }, cilium: { encryption: { strictMode: { cidr: "10.4.0.0/14" } } } },
        aws: { cluster: { cloud: "aws" }, cilium: { encryption: { strictMode: { cidr: "192.168.0.0/19", allowRemoteNodeIdentities: true } } } },
      },
      grid: { "cluster.nodes": [3, 4] },
    });
    expect(s.axes.map((a) => a.path)).toEqual(["variant", "cluster.nodes"]);
    expect(s.points.map((p) => p.values)).toEqual([["gcp", 3], ["gcp", 4], ["aws", 3], ["aws", 4]]);
    expect(s.points[2].scenario.cluster.cloud).toBe("aws");
    expect(s.points[2].scenario.cilium.encryption.strictMode.enabled).toBe(true);
    expect(() => expandSweep({ name: "v", variants: { x: 3 } })).toThrow("variants.x: must be a partial scenario object");
  });

  it("accepts an empty grid as a single point", () => {
    const s = expandSweep({ name: "one", replications: 2, base: {} });
    expect(s.points).toHaveLength(1);
    expect(s.runCount).toBe(2);
  });

  it.each([
    [{ grid: { "cilium.encryption.strictmode.enabled": [true] } }, 'grid["cilium.encryption.strictmode.enabled"]: unknown key `strictmode`; did you mean `strictMode`?'],
    [{ grid: { "cluster.nodes": [3, 1] } }, 'grid["cluster.nodes"][1]: must be an integer >= 2, got 1'],
    [{ grid: { "cluster.nodes": [] } }, 'grid["cluster.nodes"]: must be a non-empty list'],
    [{ grid: { "cluster.nodes.x": [1] } }, "`cluster.nodes` has no fields"],
    [{ replicatons: 3 }, "unknown key `replicatons`; did you mean `replications`?"],
    [{ name: "a/b" }, "name: must be a file-name-safe word"],
    [{ base: { duration: -1 } }, "base.duration: must be a number > 0, got -1"],
  ])("rejects %j naming the field", (over, message) => {
    expect(() => expandSweep(sweep(over))).toThrow(message);
  });

  it("names the grid point when only a combination is invalid", () => {
    // Strict mode with an empty CIDR is fine while disabled and refused once the grid enables it.
    expect(() => expandSweep(sweep())).toThrow(/base\.cilium\.encryption\.strictMode\.cidr: .*at grid point 2: cilium\.encryption\.strictMode\.enabled=true, cluster\.nodes=3/);
  });
});

describe("sweep JSON Schema", () => {
  it("is committed and up to date with the definitions", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText());
  });

  it("lists every grid path and refers each to its base schema", () => {
    const schema = JSON.parse(schemaText());
    const grid = schema.properties.grid.properties;
    expect(grid["cilium.encryption.strictMode.enabled"].items.$ref).toBe("#/properties/base/properties/cilium/properties/encryption/properties/strictMode/properties/enabled");
    expect(schema.properties.base.properties.cilium.properties.encryption.properties.strictMode.properties.enabled.type).toBe("boolean");
  });
});

describe("grid keys that name built-in object properties", () => {
  it("are unknown keys, not crashes", () => {
    expect(() => expandSweep({ name: "x", grid: { "cluster.constructor": [1] } })).toThrow("unknown key `constructor`");
  });
});
