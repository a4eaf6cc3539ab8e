/**
 * Pod churn: new pods arrive as a Poisson process, each placed on a uniformly chosen node with a
 * label set (identity) drawn uniformly, an address from that node's IPAM, and a readiness delay.
 */
import type { Simulator } from "../sim/simulator.ts";
import type { Streams } from "../sim/random.ts";
import { formatIpv4 } from "./addressing/ipv4.ts";
import type { ClusterNode } from "./cluster.ts";
import { IDENTITY } from "./identity.ts";
import type { Scenario } from "./scenario.ts";

export interface Endpoint {
  id: number;
  node: ClusterNode;
  ip: number;
  identity: number;
  created: number;
  ready: number;
}

export function endpointLabel(e: Endpoint): string {
  return formatIpv4(e.ip);
}

/** Starts the churn process; `onCreated` runs at each pod's creation time. */
export function startChurn(
  sim: Simulator,
  sc: Scenario,
  streams: Streams,
  nodes: readonly ClusterNode[],
  onCreated: (e: Endpoint) => void,
): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const rate = sc.workload.podCreationRate;
  if (rate === 0) return endpoints;
  const arrivals = streams.stream("workload/arrivals");
  const placement = streams.stream("workload/placement");
  const labels = streams.stream("workload/identity");
  const readiness = streams.stream("workload/readiness");
  const create = (): void => {
    const node = nodes[placement.int(nodes.length)];
    const e: Endpoint = {
      id: endpoints.length,
      node,
      ip: node.ipam.allocateNext(),
      identity: IDENTITY.firstCluster + labels.int(sc.workload.identities),
      created: sim.now,
      ready: sim.now + sc.workload.readinessDelay.sample(readiness),
    };
    endpoints.push(e);
    onCreated(e);
    scheduleNext();
  };
  const scheduleNext = (): void => {
    const next = sim.now - Math.log(arrivals.uniform()) / rate;
    if (next < sc.duration) sim.at(next, create);
  };
  scheduleNext();
  return endpoints;
}
