/**
 * A Poisson arrival process on the simulator: arrivals at `rate` per second from now until
 * `until`, each gap -ln(U)/rate with U from the given stream (one uniform per arrival, the
 * same draws whichever model uses it), `onArrival` called at each.
 */
import type { RandomStream } from "./random.ts";
import type { Simulator } from "./simulator.ts";

export function poissonArrivals(sim: Simulator, rng: RandomStream, rate: number, until: number, onArrival: () => void): void {
  if (!(rate > 0)) return;
  const next = (): void => {
    const at = sim.now - Math.log(rng.uniform()) / rate;
    if (at >= until) return;
    sim.at(at, () => {
      onArrival();
      next();
    });
  };
  next();
}
