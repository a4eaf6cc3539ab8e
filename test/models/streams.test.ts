import { describe, expect, it } from "vitest";

describe("random streams", () => {
  it("are declared in models/streams.ts: no model names a stream of its own", async () => {
    const { readdirSync, readFileSync: read } = await import("node:fs");
    const { join } = await import("node:path");
    const root = new URL("../../models/", import.meta.url).pathname;
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
    const offenders = files(root).filter((f) => !f.endsWith("/streams.ts") && /\.stream\(/.test(read(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
