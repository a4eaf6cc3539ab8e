/**
 * IPv4 addresses and prefixes as unsigned 32-bit numbers: cheap to compare, hash and scan.
 */
import { SpecError } from "../../sim/errors.ts";

export interface Cidr {
  /** Network address as written (host bits may be set; see `hostBitsSet`). */
  readonly base: number;
  readonly bits: number;
  readonly text: string;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses dotted-quad IPv4; `path` names the field in the error. */
export function parseIpv4(text: string, path = "address"): number {
  const m = OCTETS.exec(text);
  const octets = m?.slice(1).map(Number);
  if (!octets || octets.some((o) => o > 255) || m!.slice(1).some((o) => o.length > 1 && o.startsWith("0"))) {
    throw new SpecError(path, `must be an IPv4 address like 10.0.0.1, got ${JSON.stringify(text)}`);
  }
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Parses "a.b.c.d/n"; host bits are kept as written, because Cilium keeps them too. */
export function parseCidr(text: unknown, path: string): Cidr {
  if (typeof text !== "string") throw new SpecError(path, `must be an IPv4 CIDR like 10.0.0.0/8, got ${JSON.stringify(text)}`);
  const [addr, len, extra] = text.split("/");
  const bits = Number(len);
  if (extra !== undefined || len === undefined || !/^\d{1,2}$/.test(len) || bits > 32) {
    throw new SpecError(path, `must be an IPv4 CIDR like 10.0.0.0/8 (prefix length 0-32), got ${JSON.stringify(text)}`);
  }
  if (!OCTETS.test(addr)) throw new SpecError(path, `must be an IPv4 CIDR like 10.0.0.0/8, got ${JSON.stringify(text)}`);
  return { base: parseIpv4(addr, path), bits, text };
}

export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** The network address with host bits cleared. */
export function networkOf(c: Cidr): number {
  return (c.base & maskOf(c.bits)) >>> 0;
}

/** True when the written address has bits set below the prefix length (e.g. 10.0.0.1/8). */
export function hostBitsSet(c: Cidr): boolean {
  return networkOf(c) !== c.base;
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & maskOf(c.bits)) >>> 0) === networkOf(c);
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.bits);
}

/** The `index`-th subnet of prefix length `bits` inside `c` (e.g. a node's /24 in 10.0.0.0/8). */
export function subnet(c: Cidr, bits: number, index: number, path = "cidr"): Cidr {
  if (bits < c.bits || bits > 32) throw new SpecError(path, `a /${bits} does not fit inside ${c.text}`);
  const count = 2 ** (bits - c.bits);
  if (index < 0 || index >= count) throw new SpecError(path, `${c.text} has only ${count} /${bits} subnets, needed #${index + 1}`);
  const base = (networkOf(c) + index * 2 ** (32 - bits)) >>> 0;
  return { base, bits, text: `${formatIpv4(base)}/${bits}` };
}

/** True when the two prefixes share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.bits <= b.bits ? contains(a, b.base) : contains(b, a.base);
}
