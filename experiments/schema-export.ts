/**
 * npm run schema: writes experiments/sweep.schema.json, the JSON Schema of sweep files, from the
 * same definitions that validate them. Sweep files point at it with "$schema" so editors
 * complete and check them. A test fails when the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { sweepJsonSchema } from "./sweep.ts";

export const SCHEMA_FILE = new URL("./sweep.schema.json", import.meta.url);

export function schemaText(): string {
  return JSON.stringify(sweepJsonSchema(), null, 2) + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
