/**
 * A materialised node IPCache for the datapath's tests: an IPv4 longest-prefix-match table
 * (Cilium's cilium_ipcache is an LPM trie), the pre-1.18 tunnel map, and what the node manager
 * and the endpoint watchers install in them. The simulator itself never builds these tables:
 * models/ipcache/views.ts answers the same lookups from the run's timeline.
 */
import { IDENTITY } from "../../../models/identity.ts";
import { maskOf, type Cidr } from "../../../models/addressing/ipv4.ts";
import type { DatapathConfig } from "../../../models/datapath/config.ts";
import { VERSION_TRAITS } from "../../../models/datapath/config.ts";
import { podCidrEntry, remoteEndpointEntry, remoteNodeEntry, tunnelMapEntry, type IPCacheEntry, type IPCacheView } from "../../../models/datapath/entries.ts";

const MASKS = Array.from({ length: 33 }, (_, bits) => maskOf(bits));

/** An LPM table keeping one Map per prefix length in use; a lookup probes only those lengths. */
export class IPCache implements IPCacheView {
  private readonly byLength = new Map<number, Map<number, IPCacheEntry>>();
  /** Prefix lengths with at least one entry, longest first. */
  private lengths: number[] = [];

  /** A /32 entry. */
  upsert(ip: number, entry: IPCacheEntry): void {
    this.upsertPrefix(ip, 32, entry);
  }

  /** Host bits of `net` are cleared, as the ipcache keys prefixes by their network address. */
  upsertPrefix(net: number, bits: number, entry: IPCacheEntry): void {
    checkBits(bits);
    let table = this.byLength.get(bits);
    if (table === undefined) {
      table = new Map();
      this.byLength.set(bits, table);
      this.lengths = [...this.lengths, bits].sort((a, b) => b - a);
    }
    table.set((net & MASKS[bits]) >>> 0, entry);
  }

  delete(ip: number): boolean {
    return this.deletePrefix(ip, 32);
  }

  deletePrefix(net: number, bits: number): boolean {
    checkBits(bits);
    const table = this.byLength.get(bits);
    if (table === undefined || !table.delete((net & MASKS[bits]) >>> 0)) return false;
    if (table.size === 0) {
      this.byLength.delete(bits);
      this.lengths = this.lengths.filter((l) => l !== bits);
    }
    return true;
  }

  /** The entry of the longest prefix containing `ip`. */
  lookup(ip: number): IPCacheEntry | undefined {
    for (const bits of this.lengths) {
      const hit = this.byLength.get(bits)!.get((ip & MASKS[bits]) >>> 0);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** The entry stored for exactly this prefix (what `cilium bpf ipcache get` with a prefix shows). */
  lookupExact(net: number, bits: number): IPCacheEntry | undefined {
    checkBits(bits);
    return this.byLength.get(bits)?.get((net & MASKS[bits]) >>> 0);
  }

  get size(): number {
    let n = 0;
    for (const table of this.byLength.values()) n += table.size;
    return n;
  }

  *entries(): IterableIterator<{ net: number; bits: number; entry: IPCacheEntry }> {
    for (const bits of this.lengths) {
      for (const [net, entry] of this.byLength.get(bits)!) yield { net, bits, entry };
    }
  }
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RangeError(`IPv4 prefix length must be 0-32, got ${bits}`);
}

/** One node's tables: the ipcache, and the tunnel map that routed pod CIDRs before 1.18. */
export interface NodeTables {
  ipcache: IPCache;
  /** cilium_tunnel_map: remote pod CIDR -> node IP (hostIp). Empty from 1.18 and in native routing. */
  tunnelMap: IPCache;
}

export function newNodeTables(): NodeTables {
  return { ipcache: new IPCache(), tunnelMap: new IPCache() };
}

export interface NodeAddresses {
  ip: number;
  /** cilium_host (CiliumInternalIP), taken from the node's pod CIDR. */
  routerIp: number;
  healthIp: number;
  podCidr: Cidr;
}

/**
 * The entries a node's agent installs for a remote node once the node manager knows it:
 * node IP and cilium_host with the remote-node identity (key only with node encryption),
 * the health IP with the node key, and the pod CIDR: from 1.18 as an ipcache prefix with
 * identity world, tunnel endpoint and key (#38483), before that in the tunnel map (tunnel mode).
 */
export function installRemoteNode(tables: NodeTables, node: NodeAddresses, cfg: DatapathConfig): void {
  tables.ipcache.upsert(node.ip, remoteNodeEntry("node", node.ip, cfg));
  tables.ipcache.upsert(node.routerIp, remoteNodeEntry("router", node.ip, cfg));
  tables.ipcache.upsert(node.healthIp, remoteNodeEntry("health", node.ip, cfg));
  const { base, bits } = node.podCidr;
  if (VERSION_TRAITS[cfg.version].podCidrEntries) {
    tables.ipcache.upsertPrefix(base, bits, podCidrEntry(node.ip, cfg));
  } else if (cfg.routingMode === "tunnel") {
    tables.tunnelMap.upsertPrefix(base, bits, tunnelMapEntry(node.ip));
  }
}

/** The node-delete event: every entry installRemoteNode made goes. */
export function removeRemoteNode(tables: NodeTables, node: NodeAddresses): void {
  for (const ip of [node.ip, node.routerIp, node.healthIp]) tables.ipcache.delete(ip);
  tables.ipcache.deletePrefix(node.podCidr.base, node.podCidr.bits);
  tables.tunnelMap.deletePrefix(node.podCidr.base, node.podCidr.bits);
}

/** The local node's own addresses carry the host identity (1) and no tunnel endpoint. */
export function installLocalNode(tables: NodeTables, node: Omit<NodeAddresses, "podCidr">): void {
  tables.ipcache.upsert(node.ip, { identity: IDENTITY.host, hostIp: 0, key: 0 });
  tables.ipcache.upsert(node.routerIp, { identity: IDENTITY.host, hostIp: 0, key: 0 });
  tables.ipcache.upsert(node.healthIp, { identity: IDENTITY.health, hostIp: 0, key: 0 });
}

/** A remote pod's /32 as the CEP/CES watcher writes it: its identity, its node, the node key. */
export function installRemoteEndpoint(tables: NodeTables, ep: { ip: number; identity: number; nodeIp: number }, cfg: DatapathConfig): void {
  tables.ipcache.upsert(ep.ip, remoteEndpointEntry(ep.identity, ep.nodeIp, cfg));
}
