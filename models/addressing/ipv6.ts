/**
 * IPv6 addresses and prefixes as 128-bit BigInts, for the profiles that need IPv6 (Cilium's
 * cluster-pool IPv6 pool). Input may be any RFC 4291 text form, including "::" and a dotted-quad
 * tail; output is the RFC 5952 canonical form (lower case, the longest run of two or more zero
 * groups written as "::", the first such run on a tie), so equal addresses print equally.
 */
import { SpecError } from "../../sim/errors.ts";
import { parseIpv4 } from "./ipv4.ts";

const ALL_ONES = (1n << 128n) - 1n;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export interface Cidr6 {
  /** Network address as written (host bits may be set; see `hostBitsSet6`). */
  readonly base: bigint;
  readonly bits: number;
  readonly text: string;
}

/**
 * Cilium's cluster-pool IPv6 defaults: the Helm values `clusterPoolIPv6PodCIDRList` =
 * ["fd00::/104"] and `clusterPoolIPv6MaskSize` = 120, i.e. 65 536 per-node /120 blocks of 256
 * addresses (cilium/cilium Documentation/helm-values.rst). 120 - 104 = 16 is also the widest
 * split Cilium's CIDR set accepts for IPv6 (pkg/ipam/cidrset/cidr_set.go, clusterSubnetMaxDiff).
 */
export const CLUSTER_POOL_IPV6_CIDR = "fd00::/104";
export const CLUSTER_POOL_IPV6_MASK_SIZE = 120;

/** Parses an IPv6 address; `path` names the field in the error. */
export function parseIpv6(text: string, path = "address"): bigint {
  const groups = typeof text === "string" ? ipv6Groups(text) : undefined;
  if (groups === undefined) throw new SpecError(path, `must be an IPv6 address like fd00::1, got ${JSON.stringify(text)}`);
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** The eight 16-bit groups of `text`, or undefined when it is not an IPv6 address. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  // A dotted-quad may only end the whole address, so never the part before "::".
  const head = sideGroups(halves[0], !compressed);
  const tail = compressed ? sideGroups(halves[1], true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (!compressed) return missing === 0 ? head : undefined;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Groups of one side of "::"; a trailing dotted-quad counts as two groups. */
function sideGroups(side: string, v4TailAllowed: boolean): number[] | undefined {
  if (side === "") return [];
  const parts = side.split(":");
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (v4TailAllowed && i === parts.length - 1 && part.includes(".")) {
      const v4 = ipv4OrUndefined(part);
      if (v4 === undefined) return undefined;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (HEX_GROUP.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function ipv4OrUndefined(text: string): number | undefined {
  try {
    return parseIpv4(text);
  } catch {
    return undefined;
  }
}

/** RFC 5952 text: lower case, no leading zeros, the longest zero run (length >= 2) as "::". */
export function formatIpv6(ip: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  const hex = groups.map((g) => g.toString(16));
  const run = longestZeroRun(groups);
  if (run.length < 2) return hex.join(":");
  return `${hex.slice(0, run.start).join(":")}::${hex.slice(run.start + run.length).join(":")}`;
}

function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      // Strictly longer only: on a tie the first run wins (RFC 5952 section 4.2.3).
      if (i - start > best.length) best = { start, length: i - start };
      start = -1;
    }
  }
  return best;
}

/** Parses "addr/n"; host bits are kept as written, as with IPv4 (`parseCidr`). */
export function parseCidr6(text: unknown, path: string): Cidr6 {
  const hint = `must be an IPv6 CIDR like fd00::/104 (prefix length 0-128), got ${JSON.stringify(text)}`;
  if (typeof text !== "string") throw new SpecError(path, hint);
  const [addr, len, extra] = text.split("/");
  const bits = Number(len);
  if (extra !== undefined || len === undefined || !/^(0|[1-9]\d{0,2})$/.test(len) || bits > 128) {
    throw new SpecError(path, hint);
  }
  return { base: parseIpv6(addr, path), bits, text };
}

export function maskOf6(bits: number): bigint {
  return bits === 0 ? 0n : (ALL_ONES << BigInt(128 - bits)) & ALL_ONES;
}

export function networkOf6(c: Cidr6): bigint {
  return c.base & maskOf6(c.bits);
}

export function hostBitsSet6(c: Cidr6): boolean {
  return networkOf6(c) !== c.base;
}

export function contains6(c: Cidr6, ip: bigint): boolean {
  return (ip & maskOf6(c.bits)) === networkOf6(c);
}

export function size6(c: Cidr6): bigint {
  return 1n << BigInt(128 - c.bits);
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  return a.bits <= b.bits ? contains6(a, b.base) : contains6(b, a.base);
}

/** The `index`-th subnet of prefix length `bits` inside `c` (e.g. a node's /120 in fd00::/104). */
export function subnet6(c: Cidr6, bits: number, index: bigint | number, path = "cidr"): Cidr6 {
  if (bits < c.bits || bits > 128) throw new SpecError(path, `a /${bits} does not fit inside ${c.text}`);
  const i = BigInt(index);
  const count = 1n << BigInt(bits - c.bits);
  if (i < 0n || i >= count) throw new SpecError(path, `${c.text} has only ${count} /${bits} subnets, needed #${i + 1n}`);
  const base = networkOf6(c) + i * (1n << BigInt(128 - bits));
  return { base, bits, text: `${formatIpv6(base)}/${bits}` };
}
