/**
 * A pod's endpoint as the simulation tracks it: where it runs, its address, and when each
 * step of its life happened. Control-plane stages fill in the broadcast ids through which
 * other nodes learn of it (upsert) and of its deletion.
 */
export interface Endpoint {
  id: number;
  node: number;
  ip: number;
  namespace: number;
  /** Label set key; equal keys share a security identity. */
  labels: string;
  /** Numeric identity once allocated (0 before). */
  identity: number;
  /** The agent has issued the CiliumEndpoint write (so a deletion must be written too). */
  cepRequested: boolean;
  /** Service this pod backs (index), or -1. */
  service: number;
  created: number;
  ready: number;
  /** When the pod was deleted (Infinity while it lives). */
  deleted: number;
  /** Broadcast that told other agents about it, or -1 while unpublished. */
  upsert: number;
  /** Broadcast that told other agents it is gone, or -1. */
  removal: number;
  /** Its publication waited for the operator (outage or leader failover). */
  delayedByOperator: boolean;
  /** When the operator (CES mode) or agents (direct mode) first saw its CiliumEndpoint. */
  cepSeen: number;
}

export function newEndpoint(fields: Pick<Endpoint, "id" | "node" | "ip" | "namespace" | "labels" | "service" | "created" | "ready">): Endpoint {
  return { ...fields, identity: 0, cepRequested: false, deleted: Infinity, upsert: -1, removal: -1, delayedByOperator: false, cepSeen: Infinity };
}
