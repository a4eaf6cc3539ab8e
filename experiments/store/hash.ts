import { createHash } from "node:crypto";

/** Hex SHA-256: checksums of stored files and records, and the sweep, run and code keys. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
