/**
 * Exact Poisson variates, for counting the packets of a Poisson flow inside an interval
 * without one event per packet: N(a, b) ~ Poisson(rate * (b - a)).
 * Small means use inversion by sequential search; means >= 10 use Hörmann's PTRS transformed
 * rejection (W. Hörmann, "The transformed rejection method for generating Poisson random
 * variables", Insurance: Mathematics and Economics 12, 1993), exact and O(1) per variate.
 */
import type { Uniform } from "./random.ts";

export function poisson(mean: number, rng: Uniform): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
  if (mean === 0) return 0;
  return mean < 10 ? inversion(mean, rng) : ptrs(mean, rng);
}

function inversion(mean: number, rng: Uniform): number {
  const u = rng.uniform();
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u > cdf && p > 0) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

function ptrs(mean: number, rng: Uniform): number {
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k;
  }
}

const LOG_FACT: number[] = [0];
for (let i = 1; i < 256; i++) LOG_FACT.push(LOG_FACT[i - 1] + Math.log(i));

/** ln(k!) exactly from a table below 256, by Stirling's series (error < 1e-12) above. */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACT[k];
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
}
