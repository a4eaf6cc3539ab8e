/** Schema pieces every part of the scenario uses. */
import { parseDistribution, distributionJsonSchema, type Distribution } from "../../sim/distributions.ts";
import { SpecError } from "../../sim/errors.ts";
import { BYTES_WHY, MAX_BYTES, MAX_RATE, MAX_SECONDS, RATE_WHY, SECONDS_WHY } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { parseCidr, type Cidr } from "../addressing/ipv4.ts";

export const dist = (description: string, def: unknown): s.Schema<Distribution> =>
  // The description goes inside the distribution's schema, beside the rule on its tail.
  s.custom((v, p) => parseDistribution(v, p), () => distributionJsonSchema(description), { default: def });

/** An IPv4 CIDR, parsed once here; the empty string (Helm's "unset") gives undefined. */
export const optionalCidr = (description: string): s.Schema<Cidr | undefined> =>
  s.custom((v, p) => (v === "" ? undefined : parseCidr(v, p)), () => ({ type: "string" }), { description, default: "" });

/** A time in the run, or a length of time, in seconds. */
export const seconds = (o: { description?: string; default?: number; min?: number; exclusiveMin?: boolean } = {}) =>
  s.number({ min: 0, ...o, max: MAX_SECONDS, why: SECONDS_WHY });

/** Events or messages per second. */
export const rate = (o: { description?: string; default?: number; exclusiveMin?: boolean } = {}) =>
  s.number({ min: 0, ...o, max: MAX_RATE, why: RATE_WHY });

const time = (what: string) => seconds({ description: `${what}, seconds from the start of the run` });

export const interval = s.object({ start: time("start"), end: time("end") }, {
  check: (v, path) => {
    if (!(v.end > v.start)) throw new SpecError(`${path}.end`, `must be greater than start (${v.start}), got ${v.end}`);
  },
});

export const intervals = (description: string) => s.array(interval, { default: [], description });

export const flow = (messages: number, bytes: number, what: string) => s.object({
  rate: rate({ default: messages, description: `messages per second ${what}` }),
  packetBytes: s.number({
    integer: true, min: 1, max: MAX_BYTES, why: BYTES_WHY, default: bytes,
    description: "application message size in bytes; the cost model treats 64 KiB or more as a bulk stream",
  }),
});
