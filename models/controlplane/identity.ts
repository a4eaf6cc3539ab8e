/**
 * Security identity allocation (CRD mode): the first endpoint with a new label set makes its
 * agent create a CiliumIdentity, one API write; endpoints with a known label set reuse it at
 * once. Endpoints that arrive while their label set is being allocated wait for the same
 * allocation. Remote nodes need only the numeric identity, which travels inside the
 * CiliumEndpoint, so encryption never waits on the CiliumIdentity watch.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { IDENTITY } from "../identity.ts";
import { writeOrRetry, type ApiServer } from "./apiserver.ts";

type Waiter = (identity: number) => void;

export class IdentityAllocator {
  private readonly known = new Map<string, number>();
  private readonly pending = new Map<string, Waiter[]>();
  allocations = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    /** Agent-side work before the CiliumIdentity write (label filtering, allocator round trip). */
    private readonly latency: Distribution,
    private readonly rng: RandomStream,
    /** Retry interval while the API server is down. */
    private readonly retryDelay: number,
  ) {}

  /** Calls `done(identity)` once the label set has a numeric identity. */
  resolve(labels: string, done: Waiter): void {
    const id = this.known.get(labels);
    if (id !== undefined) return done(id);
    const waiters = this.pending.get(labels);
    if (waiters) {
      waiters.push(done);
      return;
    }
    this.pending.set(labels, [done]);
    this.sim.after(this.latency.sample(this.rng), () => this.tryCreate(labels));
  }

  private tryCreate(labels: string): void {
    writeOrRetry(this.sim, this.api, {
      visible: () => {
        const id = IDENTITY.firstCluster + this.known.size;
        this.known.set(labels, id);
        this.allocations++;
        const waiters = this.pending.get(labels)!;
        this.pending.delete(labels);
        for (const w of waiters) w(id);
      },
      retry: () => this.tryCreate(labels),
      retryAfter: this.retryDelay,
    });
  }
}
