/**
 * Validation of the kernel against queueing theory: single-server FIFO queues built on the
 * scheduler must reproduce the exact mean waiting time (Pollaczek-Khinchine) within the
 * confidence interval of independent replications.
 */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../sim/simulator.ts";
import { Streams } from "../../sim/random.ts";
import { parseDistribution, type Distribution } from "../../sim/distributions.ts";
import { summarize } from "../../sim/stats.ts";

/** Mean wait in queue of customers `warmup`..`warmup + customers` in one replication. */
function meanWait(arrival: Distribution, service: Distribution, replication: number, customers = 20_000, warmup = 2_000): number {
  const sim = new Simulator();
  const streams = new Streams(2024, replication);
  const arrivals = streams.stream("arrivals");
  const services = streams.stream("services");
  const waiting: number[] = []; // arrival times of queued customers
  let head = 0;
  let busy = false;
  let served = 0;
  let waitSum = 0;

  const startService = (arrivedAt: number): void => {
    busy = true;
    if (served >= warmup) waitSum += sim.now - arrivedAt;
    served++;
    sim.after(service.sample(services), depart);
  };
  const depart = (): void => {
    busy = false;
    if (head < waiting.length) startService(waiting[head++]);
    if (served >= warmup + customers) sim.stop();
  };
  const arrive = (): void => {
    if (busy) waiting.push(sim.now);
    else startService(sim.now);
    sim.after(arrival.sample(arrivals), arrive);
  };
  sim.at(0, arrive);
  sim.run();
  return waitSum / customers;
}

function validate(service: Distribution, exact: number): void {
  const arrival = parseDistribution({ dist: "exponential", mean: 2 }, "arrival"); // lambda = 0.5
  const waits = Array.from({ length: 30 }, (_, r) => meanWait(arrival, service, r));
  const s = summarize(waits);
  expect(Math.abs(s.mean - exact)).toBeLessThanOrEqual(s.halfWidth);
  // The interval must be tight enough to mean something.
  expect(s.halfWidth / exact).toBeLessThan(0.06);
}

describe("kernel validation against queueing theory (rho = 0.5)", () => {
  it("M/M/1: mean wait rho/(mu - lambda) = 1", () => {
    validate(parseDistribution({ dist: "exponential", mean: 1 }, "service"), 0.5 / (1 - 0.5));
  });

  it("M/D/1: mean wait lambda E[S^2] / (2(1 - rho)) = 0.5", () => {
    validate(parseDistribution(1, "service"), (0.5 * 1) / (2 * (1 - 0.5)));
  });
});
