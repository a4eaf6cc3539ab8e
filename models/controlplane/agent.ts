/**
 * A cilium-agent's Kubernetes client. Every request passes client-go's token bucket (Helm
 * k8sClientRateLimit; the version's default) in order, and requests may overlap in flight.
 * What a new pod costs it (endpoints.ts, identity.ts): the CiliumIdentity create for a new
 * label set, then the sync controller's GET of the CiliumEndpoint (NotFound) and its CREATE
 * (v1.15.0 pkg/endpointmanager/endpointsynchronizer.go L153-197), and a status PATCH at the
 * controller's next run once the endpoint is ready (L269-297); the DELETE when it goes.
 *
 * A request that fails because the API server is down is retried by its owner's backoff: the
 * sync controller's is linear, 1 s, 2 s, 3 s ... (pkg/controller/controller.go L286-300: no
 * ErrorRetryBaseDuration, no MaxRetryInterval for this controller, endpointsynchronizer.go
 * L101-104), not its 10 s run interval. While the agent itself is restarting it sends nothing;
 * queued requests go out when it is back.
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

/** Seconds before the n-th retry (n from 1) of a failed request. */
export type Backoff = (n: number) => number;

/** The controller's error backoff: the n-th consecutive failure waits n seconds. */
export const CONTROLLER_BACKOFF: Backoff = (n) => n;

interface Request {
  /** A write (counted by the API server) or a read. */
  kind: "write" | "read";
  done: Done;
  backoff: Backoff;
  /** Consecutive failures so far. */
  failures: number;
}

export class AgentClient {
  private readonly bucket: TokenBucket;
  private readonly queue = new Fifo<Request>();
  private pumpAt = -1;
  retries = 0;
  /** Requests sent (each took a token), for runs.csv. */
  requests = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly api: ApiServer,
    private readonly cfg: AgentClientConfig,
  ) {
    this.bucket = new TokenBucket(cfg.qps, cfg.burst);
  }

  /** Queues a write; `done` runs when it is visible at the API server. */
  write(done: Done, backoff: Backoff = CONTROLLER_BACKOFF): void {
    this.send({ kind: "write", done, backoff, failures: 0 });
  }

  /** Queues a read (a GET, answered from the API server's cache); `done` runs with the answer. */
  read(done: Done, backoff: Backoff = CONTROLLER_BACKOFF): void {
    this.send({ kind: "read", done, backoff, failures: 0 });
  }

  private send(r: Request): void {
    this.queue.push(r);
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
    this.requests++;
    this.attempt(this.queue.shift()!);
    this.pump();
  }

  private attempt(r: Request): void {
    writeOrRetry(this.sim, this.api, {
      visible: r.done,
      down: () => this.retries++,
      // The owner's next try, through the same client limiter.
      retry: () => this.send({ ...r, failures: r.failures + 1 }),
      retryAfter: r.backoff(r.failures + 1),
    }, r.kind === "read");
  }
}
