/**
 * The separate pipeline that puts a new backend into every node's service load-balancer map:
 * the pod becomes ready -> kube-controller-manager's EndpointSlice controller batches changes
 * (endpointSliceChangeMinSyncDelay, 1 s) and writes the EndpointSlice -> every agent watches it
 * and updates its LB map. Service traffic to the backend starts when the client node's LB map
 * has it, which can be before or after that node's IPCache knows the pod: when before, the
 * first packets go to an unknown destination.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import { writeOrRetry, type ApiServer } from "./apiserver.ts";
import { Announcements } from "./announcements.ts";
import type { Broadcasts } from "./broadcast.ts";

export class ServiceEndpoints {
  /** The EndpointSlice broadcast that put each backend (by endpoint id) into the LB maps. */
  readonly known: Announcements;
  private readonly pending = new Map<number, Endpoint[]>();

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    bus: Broadcasts,
    /** Batching window of the EndpointSlice controller. */
    private readonly syncDelay: Distribution,
    private readonly rng: RandomStream,
    private readonly retryDelay: number,
  ) {
    this.known = new Announcements(bus);
  }

  /** A service backend was created; it joins its EndpointSlice once ready. */
  backendCreated(e: Endpoint): void {
    if (e.service < 0) return;
    this.sim.at(e.ready, () => {
      if (e.deleted <= this.sim.now) return;
      const batch = this.pending.get(e.service);
      if (batch) return void batch.push(e);
      this.pending.set(e.service, [e]);
      this.sim.after(this.syncDelay.sample(this.rng), (svc) => this.write(svc), e.service);
    });
  }

  private write(service: number): void {
    const batch = this.pending.get(service)!;
    const sent = writeOrRetry(this.sim, this.api, {
      visible: () => {
        const id = this.known.channel.emit(this.sim.now);
        for (const e of batch) this.known.announce(e.id, id);
      },
      retry: () => this.write(service),
      retryAfter: this.retryDelay,
    });
    // Once the batch is out, pods ready later start the next one; while it waits, they join it.
    if (sent) this.pending.delete(service);
  }
}
