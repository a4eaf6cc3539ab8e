/**
 * Cilium security identities that the datapath decisions depend on
 * (pkg/identity/numericidentity.go; bpf/lib/identity.h).
 */
export const IDENTITY = {
  unknown: 0,
  host: 1,
  world: 2,
  health: 4,
  remoteNode: 6,
  kubeApiserver: 7,
  /** First cluster-scope identity for cluster ID 0; label sets are numbered from here. */
  firstCluster: 256,
  /** The nodes' long-lived client pods share one label set, above any churn label set (16 bits). */
  clients: 65535,
} as const;

/** identity_is_remote_node: 6, 7, or the per-node scope 0x02xxxxxx. */
export function identityIsRemoteNode(id: number): boolean {
  return id === IDENTITY.remoteNode || id === IDENTITY.kubeApiserver || (id & 0xff000000) >>> 0 === 0x02000000;
}

/** identity_is_node: the local host or a remote node (up to Cilium 1.18). */
export function identityIsNode(id: number): boolean {
  return id === IDENTITY.host || identityIsRemoteNode(id);
}
