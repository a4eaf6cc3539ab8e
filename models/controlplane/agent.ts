/**
 * A cilium-agent's Kubernetes client for CiliumEndpoint writes. Requests pass client-go's token
 * bucket (Helm k8sClientRateLimit: 10 QPS, burst 20 for Kubernetes >= 1.27) in order and may
 * overlap in flight. A write that fails because the API server is down is retried by the
 * endpoint's sync controller, which runs every 10 s (sync-to-k8s-ciliumendpoint). While the
 * agent itself is restarting it writes nothing; queued writes go out when it is back.
 */
import type { Simulator } from "../../sim/simulator.ts";
import type { ApiServer } from "./apiserver.ts";
import { firstTimeOutside, mergeIntervals, type Interval } from "../../sim/intervals.ts";
import { TokenBucket } from "./tokenBucket.ts";

export interface AgentClientConfig {
  qps: number;
  burst: number;
  /** Period of the CEP sync controller, the retry fallback. */
  resyncInterval: number;
  restarts: readonly Interval[];
}

type Done = (visibleAt: number) => void;

export class AgentClient {
  private readonly bucket: TokenBucket;
  private readonly queue: Done[] = [];
  private head = 0;
  private pumpAt = -1;
  retries = 0;

  private readonly restarts: Interval[];

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    private readonly cfg: AgentClientConfig,
  ) {
    this.bucket = new TokenBucket(cfg.qps, cfg.burst);
    this.restarts = mergeIntervals(cfg.restarts);
  }

  /** Queues a CiliumEndpoint write; `done` runs when it is visible at the API server. */
  write(done: Done): void {
    this.queue.push(done);
    this.pump();
  }

  private pump(): void {
    if (this.head === this.queue.length || this.pumpAt >= this.sim.now) return;
    const now = this.sim.now;
    const start = this.bucket.nextAvailable(firstTimeOutside(now, this.restarts));
    if (start > now) {
      this.pumpAt = start;
      this.sim.at(start, () => {
        this.pumpAt = -1;
        this.pump();
      });
      return;
    }
    this.bucket.take(now);
    const done = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.attempt(done);
    this.pump();
  }

  private attempt(done: Done): void {
    const visible = this.api.write(this.sim.now);
    if (visible === undefined) {
      this.retries++;
      // The next controller run retries, through the same client limiter.
      this.sim.after(this.cfg.resyncInterval, () => this.write(done));
      return;
    }
    this.sim.at(visible, () => done(visible));
  }
}
