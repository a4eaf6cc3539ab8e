/**
 * Security identity allocation (CRD mode): the first endpoint with a new label set makes its
 * agent create a CiliumIdentity, one API write through that agent's client limiter (the same
 * client as its CiliumEndpoint writes, which is why Cilium's scale tests raise its QPS);
 * endpoints with a known label set reuse it at once. A failed create is retried with the
 * allocator's exponential backoff from 20 ms (v1.15.0 pkg/allocator/allocator.go L304-307). Endpoints that arrive while their label set is being allocated wait for the same
 * allocation. Remote nodes need only the numeric identity, which travels inside the
 * CiliumEndpoint, so encryption never waits on the CiliumIdentity watch.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import { IDENTITY } from "../identity.ts";
import type { AgentClient, Backoff } from "./agent.ts";

type Waiter = (identity: number) => void;

/** backoff.Exponential{Min: 20 ms, Factor: 2}. */
const ALLOCATOR_BACKOFF: Backoff = (n) => 0.02 * 2 ** (n - 1);

export class IdentityAllocator {
  private readonly known = new Map<string, number>();
  private readonly pending = new Map<string, Waiter[]>();
  allocations = 0;

  constructor(
    private readonly sim: Simulator,
    /** Agent-side work before the CiliumIdentity write (label filtering, allocator round trip). */
    private readonly latency: Distribution,
    private readonly rng: RandomStream,
  ) {}

  /** Calls `done(identity)` once the label set has a numeric identity; `agent` creates it if new. */
  resolve(labels: string, agent: AgentClient, done: Waiter): void {
    const id = this.known.get(labels);
    if (id !== undefined) return done(id);
    const waiters = this.pending.get(labels);
    if (waiters) {
      waiters.push(done);
      return;
    }
    this.pending.set(labels, [done]);
    this.sim.after(this.latency.sample(this.rng), () => agent.write(() => {
      const id = IDENTITY.firstCluster + this.known.size;
      this.known.set(labels, id);
      this.allocations++;
      const waiters = this.pending.get(labels)!;
      this.pending.delete(labels);
      for (const w of waiters) w(id);
    }, ALLOCATOR_BACKOFF));
  }
}
