/**
 * Keyed random substreams, in the spirit of ns-3's (stream, substream) addressing: one named
 * family, and within it a generator selected by a pair of integers in a few arithmetic steps.
 * What is drawn for one (a, b) depends on (a, b) alone, not on how many draws came before it
 * or on which thread asked, so work keyed this way can be split and reordered at will and
 * still give the same numbers.
 *
 * Each selection seeds xoshiro128** (Blackman and Vigna, 2018) from (a, b) through a 32-bit
 * bijective mixer, so distinct (a, b) pairs get distinct 128-bit states (no two of the 2^64
 * keys share a state); the generator then passes its authors' statistical tests.
 */
import { hash32, type Uniform } from "./random.ts";

const TWO_32 = 2 ** 32;

/** A bijective 32-bit mixer (the "lowbias32" constants). */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Substreams implements Uniform {
  private readonly base0: number;
  private readonly base1: number;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param key the family, e.g. "leaklab:seed:replication:traffic/pods" */
  constructor(key: string) {
    this.base0 = hash32(key);
    this.base1 = mix(hash32(`${key}#1`) ^ 0x5bd1e995);
  }

  /** The last `a` selected and what it mixes to: a pod's pairs are selected one after another. */
  private lastA = -1;
  private h1 = 0;
  private s0a = 0;

  /** Makes this the generator of (a, b); a and b are integers below 2^32. */
  select(a: number, b: number): this {
    if (a !== this.lastA) {
      this.lastA = a;
      this.h1 = mix(this.base0 ^ mix((a ^ 0x243f6a88) >>> 0));
      this.s0a = mix((this.h1 + 0x9e3779b9) >>> 0);
    }
    const h1 = this.h1;
    const h2 = mix(this.base1 ^ mix((b ^ 0x85a308d3) >>> 0) ^ h1);
    // s0 is a bijection of a and s1 of b (given a), so distinct keys give distinct states; the
    // output is taken from s1 and the rest is scrambled by the generator's first steps.
    this.s0 = this.s0a;
    this.s1 = mix((h2 + 0x3c6ef372) >>> 0);
    this.s2 = (h2 ^ this.s0a ^ 0xdaa66d2b) >>> 0;
    this.s3 = (((h1 + h2) >>> 0) ^ 0x78dde6e4) | 1;
    return this;
  }

  /** Next 32 bits of the selected generator (xoshiro128**). */
  next32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform on the open interval (0, 1), as RandomStream's. */
  uniform(): number {
    return (this.next32() + 0.5) / TWO_32;
  }
}
