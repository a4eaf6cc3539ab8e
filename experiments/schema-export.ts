/**
 * npm run schema: writes experiments/sweep.schema.json, the JSON Schema of sweep files, from the
 * same definitions that validate them, and the README's runs.csv column table from the metric
 * catalogue. Sweep files point at the schema with "$schema" so editors complete and check them.
 * Tests fail when either committed file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { README_FILE, readmeWithMetrics } from "./metricsDoc.ts";
import { sweepJsonSchema } from "./sweep.ts";

export const SCHEMA_FILE = new URL("./sweep.schema.json", import.meta.url);

export function schemaText(): string {
  return JSON.stringify(sweepJsonSchema(), null, 2) + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaText());
  writeFileSync(README_FILE, readmeWithMetrics(readFileSync(README_FILE, "utf8")));
  console.log(`wrote ${SCHEMA_FILE.pathname} and the metrics table of ${README_FILE.pathname}`);
}
