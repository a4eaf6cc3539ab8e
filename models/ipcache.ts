/**
 * A node's IPCache: what it knows about an address (identity, the node hosting it, the
 * encryption key). The datapath encrypts pod traffic only towards entries with a key, so
 * what is missing here is what leaks.
 */
import { IDENTITY } from "./identity.ts";

export interface IPCacheEntry {
  identity: number;
  /** IP of the node hosting the address (the tunnel endpoint / WireGuard peer). */
  hostIp: number;
  /** Encryption key index; 0 means "send unencrypted". WireGuard uses 0xFF for pods. */
  key: number;
}

/** WireGuard's static IPCache key (pkg/wireguard/types StaticEncryptKey). */
export const WIREGUARD_KEY = 0xff;

export class IPCache {
  private readonly entries = new Map<number, IPCacheEntry>();

  upsert(ip: number, entry: IPCacheEntry): void {
    this.entries.set(ip, entry);
  }

  delete(ip: number): boolean {
    return this.entries.delete(ip);
  }

  lookup(ip: number): IPCacheEntry | undefined {
    return this.entries.get(ip);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The entries every agent's node manager installs for a remote node: its node IP (remote-node
 * identity, no key unless node encryption), its cilium_host router IP, and its health IP
 * (health identity, node key). See the IPCache table in Cilium's node manager.
 */
export function installRemoteNode(
  cache: IPCache,
  node: { ip: number; routerIp: number; healthIp: number },
  keyed: boolean,
): void {
  cache.upsert(node.ip, { identity: IDENTITY.remoteNode, hostIp: node.ip, key: 0 });
  cache.upsert(node.routerIp, { identity: IDENTITY.remoteNode, hostIp: node.ip, key: 0 });
  cache.upsert(node.healthIp, { identity: IDENTITY.health, hostIp: node.ip, key: keyed ? WIREGUARD_KEY : 0 });
}
