/**
 * A cilium-agent's Kubernetes client for CiliumEndpoint writes. Requests pass client-go's token
 * bucket (Helm k8sClientRateLimit; the version's default) in order and may overlap in flight.
 * A write that fails because the API server is down is retried by the endpoint's sync
 * controller (sync-to-k8s-ciliumendpoint) with the controller's linear backoff: after 1 s,
 * then 2 s, 3 s ... (v1.15.0 pkg/controller/controller.go L286-300: errorRetries x 1 s, as
 * the controller sets no ErrorRetryBaseDuration and no MaxRetryInterval,
 * pkg/endpointmanager/endpointsynchronizer.go L101-104), not after its 10 s run interval.
 * While the agent itself is restarting it writes nothing; queued writes go out when it is back.
 */
import type { Simulator } from "../../sim/simulator.ts";
import { writeOrRetry, type ApiServer } from "./apiserver.ts";
import { firstTimeOutside, type Interval } from "../../sim/intervals.ts";
import { Fifo } from "../../sim/fifo.ts";
import { TokenBucket } from "./tokenBucket.ts";

export interface AgentClientConfig {
  qps: number;
  burst: number;
  /** The agent's restarts, merged (sorted, disjoint). */
  restarts: readonly Interval[];
}

type Done = (visibleAt: number) => void;

/** The controller's error backoff unit: the n-th consecutive failure waits n of these. */
export const CONTROLLER_RETRY_BASE = 1;

interface Request {
  done: Done;
  /** Consecutive failures so far. */
  failures: number;
}

export class AgentClient {
  private readonly bucket: TokenBucket;
  private readonly queue = new Fifo<Request>();
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
    this.queue.push({ done, failures: 0 });
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

  private attempt(r: Request): void {
    writeOrRetry(this.sim, this.api, {
      visible: r.done,
      down: () => this.retries++,
      // The controller's next run retries, through the same client limiter.
      retry: () => {
        this.queue.push({ done: r.done, failures: r.failures + 1 });
        this.pump();
      },
      retryAfter: (r.failures + 1) * CONTROLLER_RETRY_BASE,
    });
  }
}
