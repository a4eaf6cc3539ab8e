import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { expandSweep } from "../../experiments/sweep.ts";

const dir = new URL("../../experiments/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "sweep.schema.json");

describe("committed sweep files", () => {
  it("include the seed experiment", () => {
    expect(files).toContain("operator-outage.json");
  });

  it.each(files)("%s validates, points at the schema and expands", (file) => {
    const json = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
    expect(json.$schema).toBe("./sweep.schema.json");
    const sweep = expandSweep(json);
    expect(sweep.runCount).toBeGreaterThan(0);
    expect(sweep.name).toBe(file.replace(/\.json$/, ""));
  });
});
