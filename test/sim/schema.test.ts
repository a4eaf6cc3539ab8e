import { describe, expect, it } from "vitest";
import * as s from "../../sim/schema.ts";

const scenario = s.object({
  cluster: s.object({
    nodes: s.number({ integer: true, min: 1, default: 3 }),
    name: s.optional(s.string()),
  }),
  strictMode: s.object({ enabled: s.boolean({ default: false }), cidr: s.string({ default: "10.0.0.0/8" }) }),
  mode: s.oneOf(["tunnel", "native"] as const, { default: "tunnel" }),
  outages: s.array(s.object({ start: s.number({ min: 0 }), end: s.number({ min: 0 }) }), { default: [] }),
});

describe("schema", () => {
  it("fills defaults, including whole objects whose fields all have defaults", () => {
    expect(scenario.parse({}, "")).toEqual({
      cluster: { nodes: 3, name: undefined },
      strictMode: { enabled: false, cidr: "10.0.0.0/8" },
      mode: "tunnel",
      outages: [],
    });
  });

  it("names the offending field and what is valid", () => {
    expect(() => scenario.parse({ cluster: { nodes: 2.5 } }, "base")).toThrow("base.cluster.nodes: must be an integer >= 1, got 2.5");
    expect(() => scenario.parse({ mode: "vxlan" }, "base")).toThrow('base.mode: must be one of "tunnel", "native", got "vxlan"');
    expect(() => scenario.parse({ outages: [{ start: 1 }] }, "base")).toThrow("base.outages[0].end: is required");
    expect(() => scenario.parse({ strictMode: { enable: true } }, "base")).toThrow("base.strictMode: unknown key `enable`; did you mean `enabled`?");
  });

  it("walks dotted paths and suggests the nearest key", () => {
    expect(s.schemaAt(scenario, "strictMode.enabled", "grid").parse(true, "x")).toBe(true);
    expect(() => s.schemaAt(scenario, "strictmode.enabled", "grid")).toThrow("did you mean `strictMode`?");
    expect(() => s.schemaAt(scenario, "mode.x", "grid")).toThrow("`mode` has no fields");
  });

  it("exports JSON Schema with required keys, defaults and no extra properties", () => {
    const json = scenario.jsonSchema() as any;
    expect(json.additionalProperties).toBe(false);
    expect(json.properties.cluster.properties.nodes).toMatchObject({ type: "integer", minimum: 1, default: 3 });
    expect(json.properties.outages.items.required).toEqual(["start", "end"]);
    expect(json.properties.mode.enum).toEqual(["tunnel", "native"]);
  });
});
