/**
 * How endpoints reach every other node, and how their deletion does:
 * agent resolves the identity -> writes the CiliumEndpoint (through its client rate limit) ->
 * either the operator batches it into a CiliumEndpointSlice that every agent watches (CES
 * mode), or every agent watches the CiliumEndpoint itself (direct mode, no operator on the
 * path). Deletion takes the same path.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { AgentClient } from "./agent.ts";
import type { Broadcasts, Interval } from "./broadcast.ts";
import type { IdentityAllocator } from "./identity.ts";
import type { CesController, SliceChanges } from "./operator.ts";

export interface PublisherConfig {
  /** Endpoint created -> agent ready to write its CiliumEndpoint (after the identity). */
  cepWriteDelay: Distribution;
  /** CiliumEndpoint written -> seen by the operator's watch (CES mode). */
  operatorWatchDelay: Distribution;
  leaderless: readonly Interval[];
}

export class EndpointPublisher {
  private readonly byId: Endpoint[] = [];
  /** Set when the CES controller is on the path; undefined in direct mode. */
  operator?: CesController;

  constructor(
    private readonly sim: Simulator,
    private readonly cfg: PublisherConfig,
    private readonly agents: (node: number) => AgentClient,
    private readonly identities: IdentityAllocator,
    private readonly bus: Broadcasts,
    private readonly rng: RandomStream,
  ) {}

  created(e: Endpoint): void {
    this.byId[e.id] = e;
    this.identities.resolve(e.labels, (identity) => {
      e.identity = identity;
      this.sim.after(this.cfg.cepWriteDelay.sample(this.rng), () => {
        // A pod deleted before its CiliumEndpoint was ever written is never published.
        if (e.deleted <= this.sim.now) return;
        e.cepRequested = true;
        this.agents(e.node).write(() => this.cepWritten(e, "upsert"));
      });
    });
  }

  /** The pod is gone; `byOperator` when its node is gone too and the operator's GC deletes it. */
  deleted(e: Endpoint, byOperator: boolean): void {
    e.deleted = Math.min(e.deleted, this.sim.now);
    if (!e.cepRequested) return; // its CiliumEndpoint was never written
    if (byOperator) this.cepWritten(e, "delete");
    else this.agents(e.node).write(() => this.cepWritten(e, "delete"));
  }

  private cepWritten(e: Endpoint, kind: "upsert" | "delete"): void {
    if (this.operator === undefined) {
      const id = this.bus.emit(this.sim.now);
      if (kind === "upsert") {
        e.cepSeen = Math.min(e.cepSeen, this.sim.now);
        if (e.upsert < 0) e.upsert = id;
      } else e.removal = id;
      return;
    }
    const op = this.operator;
    this.sim.after(this.cfg.operatorWatchDelay.sample(this.rng), () => {
      if (kind === "upsert") e.cepSeen = Math.min(e.cepSeen, this.sim.now);
      op.cepChanged({ id: e.id, namespace: e.namespace, identity: e.identity }, kind);
    });
  }

  /** The operator wrote a slice: one broadcast for all its changes. */
  sliceWritten(changes: SliceChanges): void {
    const id = this.bus.emit(this.sim.now);
    for (const eid of changes.upserts) {
      const e = this.byId[eid];
      if (e.upsert >= 0) continue;
      e.upsert = id;
      e.delayedByOperator = this.cfg.leaderless.some((o) => o.end > e.cepSeen && o.start < this.sim.now);
    }
    for (const eid of changes.deletes) this.byId[eid].removal = id;
  }
}
