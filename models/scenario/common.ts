/** Schema pieces every part of the scenario uses. */
import { parseDistribution, distributionJsonSchema, type Distribution } from "../../sim/distributions.ts";
import { SpecError } from "../../sim/errors.ts";
import * as s from "../../sim/schema.ts";
import { parseCidr, type Cidr } from "../addressing/ipv4.ts";

export const dist = (description: string, def: unknown): s.Schema<Distribution> =>
  s.custom((v, p) => parseDistribution(v, p), () => distributionJsonSchema(), { description, default: def });

export const cidr = (description: string, def?: string): s.Schema<Cidr> =>
  s.custom((v, p) => parseCidr(v, p), () => ({ type: "string", pattern: "^\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$" }), { description, default: def });

const time = (what: string) => s.number({ min: 0, description: `${what}, seconds from the start of the run` });

export const interval = s.object({ start: time("start"), end: time("end") }, {
  check: (v, path) => {
    if (!(v.end > v.start)) throw new SpecError(`${path}.end`, `must be greater than start (${v.start}), got ${v.end}`);
  },
});

export const intervals = (description: string) => s.array(interval, { default: [], description });

export const flow = (rate: number, bytes: number, what: string) => s.object({
  rate: s.number({ min: 0, default: rate, description: `messages per second ${what}` }),
  packetBytes: s.number({
    integer: true, min: 1, max: 2 ** 30, default: bytes,
    description: "application message size in bytes; the cost model treats 64 KiB or more as a bulk stream",
  }),
});
