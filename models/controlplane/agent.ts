/**
 * A cilium-agent's Kubernetes client for CiliumEndpoint writes. Requests pass client-go's token
 * bucket (Helm k8sClientRateLimit: 10 QPS, burst 20 for Kubernetes >= 1.27) in order and may
 * overlap in flight. A write that fails because the API server is down is retried by the
 * endpoint's sync controller, which runs every 10 s (sync-to-k8s-ciliumendpoint). While the
 * agent itself is restarting it writes nothing; queued writes go out when it is back.
 */
import type { Simulator } from "../../sim/simulator.ts";
import { writeOrRetry, type ApiServer } from "./apiserver.ts";
import { firstTimeOutside, type Interval } from "../../sim/intervals.ts";
import { Fifo } from "../../sim/fifo.ts";
import { TokenBucket } from "./tokenBucket.ts";

export interface AgentClientConfig {
  qps: number;
  burst: number;
  /** Period of the CEP sync controller, the retry fallback. */
  resyncInterval: number;
  /** The agent's restarts, merged (sorted, disjoint). */
  restarts: readonly Interval[];
}

type Done = (visibleAt: number) => void;

export class AgentClient {
  private readonly bucket: TokenBucket;
  private readonly queue = new Fifo<Done>();
  private pumpAt = -1;
  retries = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    private readonly cfg: AgentClientConfig,
  ) {
    this.bucket = new TokenBucket(cfg.qps, cfg.burst);
  }

  /** Queues a CiliumEndpoint write; `done` runs when it is visible at the API server. */
  write(done: Done): void {
    this.queue.push(done);
    this.pump();
  }

  private pump(): void {
    if (this.queue.length === 0 || this.pumpAt >= this.sim.now) return;
    const now = this.sim.now;
    const start = this.bucket.nextAvailable(firstTimeOutside(now, this.cfg.restarts));
    if (start > now) {
      this.pumpAt = start;
      this.sim.at(start, () => {
        this.pumpAt = -1;
        this.pump();
      });
      return;
    }
    this.bucket.take(now);
    this.attempt(this.queue.shift()!);
    this.pump();
  }

  private attempt(done: Done): void {
    writeOrRetry(this.sim, this.api, {
      visible: done,
      down: () => this.retries++,
      // The next controller run retries, through the same client limiter.
      retry: () => this.write(done),
      retryAfter: this.cfg.resyncInterval,
    });
  }
}
