/**
 * How endpoints reach every other node, and how their deletion does:
 * agent resolves the identity -> writes the CiliumEndpoint (through its client rate limit) ->
 * either the operator batches it into a CiliumEndpointSlice that every agent watches (CES
 * mode), or every agent watches the CiliumEndpoint itself (direct mode, no operator on the
 * path). Deletion takes the same path.
 *
 * The publisher owns what the control plane knows of each endpoint, by endpoint id: its
 * identity, whether its CiliumEndpoint was written, when the operator (or the agents) first
 * saw it, and the broadcasts that announced it and its deletion.
 */
import type { Distribution } from "../../sim/distributions.ts";
import type { RandomStream } from "../../sim/random.ts";
import type { Simulator } from "../../sim/simulator.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { AgentClient } from "./agent.ts";
import { Announcements } from "./announcements.ts";
import type { Broadcasts, Interval } from "./broadcast.ts";
import type { IdentityAllocator } from "./identity.ts";
import type { CesController, SliceChanges } from "./operator.ts";

export interface PublisherConfig {
  /** Endpoint created -> agent ready to write its CiliumEndpoint (after the identity). */
  cepWriteDelay: Distribution;
  /** CiliumEndpoint written -> seen by the operator's watch (CES mode). */
  operatorWatchDelay: Distribution;
  /** The sync controller's run interval: its next run sends the status update. */
  syncInterval: number;
  leaderless: readonly Interval[];
}

export class EndpointPublisher {
  /** The broadcasts that told agents of each endpoint and of its deletion. */
  readonly known: Announcements;
  /** Security identity per endpoint (0 until allocated). */
  private readonly identities: number[] = [];
  /** The agent has issued the CiliumEndpoint write (so a deletion must be written too). */
  private readonly cepRequested: boolean[] = [];
  /** When the operator (CES mode) or agents (direct mode) first saw the CiliumEndpoint. */
  private readonly cepSeen: number[] = [];
  /** Its publication waited for the operator (outage or leader failover). */
  private readonly delayed: boolean[] = [];
  /** Set when the CES controller is on the path; undefined in direct mode. */
  operator?: CesController;

  constructor(
    private readonly sim: Simulator,
    private readonly cfg: PublisherConfig,
    private readonly agents: (node: number) => AgentClient,
    private readonly allocator: IdentityAllocator,
    bus: Broadcasts,
    private readonly rng: RandomStream,
  ) {
    this.known = new Announcements(bus);
  }

  identityOf(id: number): number {
    return this.identities[id] ?? 0;
  }

  delayedByOperator(id: number): boolean {
    return this.delayed[id] === true;
  }

  /**
   * The agent's requests for a new pod, each through its client limiter (agent.ts): the
   * identity (if new), the sync controller's GET then CREATE, and the status PATCH at its next
   * run, when the endpoint has become ready and its status differs from what was created.
   */
  created(e: Endpoint): void {
    const agent = this.agents(e.node);
    this.allocator.resolve(e.labels, agent, (identity) => {
      this.identities[e.id] = identity;
      this.sim.after(this.cfg.cepWriteDelay.sample(this.rng), () => {
        // A pod deleted before its CiliumEndpoint was ever written is never published.
        if (e.deleted <= this.sim.now) return;
        this.cepRequested[e.id] = true;
        agent.read(() => agent.write(() => {
          this.cepWritten(e, "upsert");
          this.sim.after(this.cfg.syncInterval, () => {
            if (e.deleted > this.sim.now) agent.write(() => undefined);
          });
        }));
      });
    });
  }

  /** The pod is gone; `byOperator` when its node is gone too and the operator's GC deletes it. */
  deleted(e: Endpoint, byOperator: boolean): void {
    if (this.cepRequested[e.id] !== true) return; // its CiliumEndpoint was never written
    if (byOperator) this.cepWritten(e, "delete");
    else this.agents(e.node).write(() => this.cepWritten(e, "delete"));
  }

  private seen(id: number): void {
    this.cepSeen[id] = Math.min(this.cepSeen[id] ?? Infinity, this.sim.now);
  }

  private cepWritten(e: Endpoint, kind: "upsert" | "delete"): void {
    if (this.operator === undefined) {
      const id = this.known.channel.emit(this.sim.now);
      if (kind === "upsert") {
        this.seen(e.id);
        this.known.announce(e.id, id);
      } else this.known.retract(e.id, id);
      return;
    }
    const op = this.operator;
    this.sim.after(this.cfg.operatorWatchDelay.sample(this.rng), () => {
      if (kind === "upsert") this.seen(e.id);
      op.cepChanged({ id: e.id, namespace: e.namespace, identity: this.identityOf(e.id) }, kind);
    });
  }

  /** The operator wrote a slice: one broadcast for all its changes. */
  sliceWritten(changes: SliceChanges): void {
    const id = this.known.channel.emit(this.sim.now);
    for (const eid of changes.upserts) {
      if (this.known.isAnnounced(eid)) continue;
      this.known.announce(eid, id);
      const seen = this.cepSeen[eid] ?? Infinity;
      this.delayed[eid] = this.cfg.leaderless.some((o) => o.end > seen && o.start < this.sim.now);
    }
    for (const eid of changes.deletes) this.known.retract(eid, id);
  }
}
