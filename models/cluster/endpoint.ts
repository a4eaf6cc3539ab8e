/**
 * A pod's endpoint as the cluster has it: where it runs, its address, its labels and when each
 * step of its life happened. Pods own it; what the rest of the cluster knows of it (identity,
 * its CiliumEndpoint, the broadcasts that announced it) is the control plane's record.
 */
export interface Endpoint {
  id: number;
  node: number;
  ip: number;
  namespace: number;
  /** Label set key; equal keys share a security identity. */
  labels: string;
  /** Service this pod backs (index), or -1. */
  service: number;
  created: number;
  ready: number;
  /** When the pod was deleted (Infinity while it lives). */
  deleted: number;
}

export function newEndpoint(fields: Omit<Endpoint, "deleted">): Endpoint {
  return { ...fields, deleted: Infinity };
}
