import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { DEFAULT_LIMITS } from "../../experiments/limits.ts";
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
  it("are refused, not crashes", () => {
    expect(() => expandSweep({ name: "x", grid: { "cluster.constructor": [1] } })).toThrow('grid["cluster.constructor"]: the key `constructor` is not allowed');
    expect(() => expandSweep({ name: "x", grid: { "cluster.toString": [1] } })).toThrow("unknown key `toString`");
  });
});

describe("input that could reach a prototype", () => {
  const own = () => Object.getOwnPropertyNames(Object.prototype).sort();

  it.each([
    ['{"name":"p","variants":{"x":{"__proto__":{"median":1}}}}', "variants.x.__proto__"],
    ['{"name":"p","base":{"cluster":{"constructor":{"prototype":{"median":1}}}}}', "base.cluster.constructor"],
    ['{"name":"p","grid":{"cluster.nodes":[{"__proto__":{"median":1}}]}}', 'grid["cluster.nodes"][0].__proto__'],
    ['{"name":"p","description":"x","__proto__":{"median":1}}', "__proto__"],
  ])("%s is refused and Object.prototype is untouched", (text, path) => {
    const before = own();
    expect(() => expandSweep(JSON.parse(text))).toThrow(`${path}: the key \``);
    expect(own()).toEqual(before);
    expect("median" in {}).toBe(false);
  });
});

describe("input that would be ignored", () => {
  it("refuses a base value that is no object where a grid path or variant sets a field below it", () => {
    expect(() => expandSweep({ name: "x", base: { cluster: 5 }, grid: { "cluster.nodes": [3] } }))
      .toThrow(/^base\.cluster: must be an object \(with keys nodes, .*\), got 5; grid\["cluster\.nodes"\] sets a field below it/);
    expect(() => expandSweep({ name: "x", base: { cluster: 5 }, variants: { v: { cluster: { nodes: 3 } } } }))
      .toThrow(/^base\.cluster: must be an object .*got 5; variants\.v sets fields below it/);
    expect(() => expandSweep({ name: "x", variants: { v: { cluster: [] } }, grid: { "cluster.nodes": [3] } }))
      .toThrow(/^variants\.v\.cluster: must be an object .*got \[\]/);
  });

  it("still lets a variant replace a constant delay by a distribution", () => {
    const s = expandSweep({ name: "x", base: { cluster: { lifecycle: { joinDelay: 5 } } }, variants: { v: { cluster: { lifecycle: { joinDelay: { dist: "exponential", mean: 2 } } } } } });
    expect(s.points[0].scenario.cluster.lifecycle.joinDelay.mean).toBe(2);
  });
});

describe("size limits", () => {
  it("refuse before any point is built, and can be raised", () => {
    const huge = { name: "x", replications: 1e7, base: { duration: 10 } };
    expect(() => expandSweep(huge)).toThrow(/^replications: 1 point x 1\.0e7 replications = 1\.0e7 runs, above the limit of 1\.0e6 runs: .*--max-runs/);
    const values = Array.from({ length: 2000 }, (_, i) => i + 2);
    const grid = { name: "x", grid: { "cluster.nodes": values, duration: values } };
    expect(() => expandSweep(grid)).toThrow(/^grid: 2000 x 2000 = 4\.0e6 grid points, above the limit of 10000: every point is built and checked in memory before anything runs \(~55\.9 GiB, .*--max-points/);
    expect(() => expandSweep({ ...huge, replications: 20_000, grid: { "cluster.nodes": values.slice(0, 100) } })).toThrow(/^replications: 100 points x 20000 replications = 2\.0e6 runs/);
    expect(expandSweep(huge, { ...DEFAULT_LIMITS, runs: 1e7 }).runCount).toBe(1e7);
  });

  it("name the field behind too many pods or pairs", () => {
    expect(() => expandSweep({ name: "x", base: { workload: { churn: { rate: 5000 } } } }))
      .toThrow(/^base\.workload\.churn\.rate: a run would create about 3\.0e6 pods \(churn at 5000\/s for 600 s\), above the limit of 1\.0e6 per run: .*--max-pods/);
    expect(() => expandSweep({ name: "x", base: { workload: { deployments: [{ name: "a", replicas: 400_000, rollouts: [10, 20] }] } } }))
      .toThrow(/^base\.workload\.deployments\[0\]\.replicas: a run would create about 1\.2e6 pods/);
    const wide = { nodeSubnet: "192.168.0.0/16" };
    const pool = { ipam: { mode: "cluster-pool" } };
    expect(() => expandSweep({ name: "x", base: { cluster: { nodes: 20_000, ...wide }, cilium: pool, workload: { churn: { rate: 1000 } }, traffic: { podToPod: { rate: 0.1 } } } }))
      .toThrow(/^base\.workload\.churn\.rate: a run would judge about 1\.2e10 \(pod, node\) pairs \(~600000 pods x ~20000 nodes, plus node pairs\), above the limit of 1\.0e10 per run: .*~83 minutes per run; .*--max-pairs/);
    expect(() => expandSweep({ name: "x", replications: 1000, base: { cluster: { nodes: 2000, ...wide }, cilium: pool, workload: { churn: { rate: 1000 } } } }))
      .toThrow(/^replications: the sweep's 1000 runs would judge about 1\.2e12 pairs in all, above the limit of 1\.0e12: .*--max-total-pairs/);
  });

  it("allow a 5,000-node run of 150,000 pods by default", () => {
    const s = expandSweep({
      name: "big", base: {
        duration: 300, cluster: { nodes: 5000, nodeSubnet: "192.168.0.0/16" },
        cilium: { ipam: { mode: "cluster-pool" }, enableCiliumEndpointSlice: true }, workload: { churn: { rate: 500 } },
      },
    });
    expect(s.points[0].scenario.cluster.nodes).toBe(5000);
  });
});
