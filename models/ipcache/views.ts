/**
 * What a node's datapath sees at a given time, computed from the IPCache timeline and what
 * the control plane announced: its IPCache entry for an address (a pod's /32, a node's
 * addresses, or from Cilium 1.18 the pod-CIDR prefix of a known node, which carries the node's
 * key), and whether its WireGuard device has a peer for a node.
 */
import { VERSION_TRAITS, type DatapathConfig } from "../datapath/config.ts";
import { podCidrEntry, remoteEndpointEntry, remoteNodeEntry, tunnelMapEntry, type IPCacheEntry } from "../datapath/entries.ts";
import type { IpcacheTimeline, Holder } from "./timeline.ts";
import type { ClusterNode } from "../cluster/nodes.ts";
import type { Known } from "../controlplane/announcements.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import { IDENTITY } from "../identity.ts";
import { IpcacheDeletions, type IpcacheDelete } from "./deletions.ts";

/** What the views read: the cluster's nodes, when each was announced, and pods' identities. */
export interface ViewSources {
  timeline: IpcacheTimeline;
  nodes: readonly ClusterNode[];
  endpoints: readonly Endpoint[];
  /** CiliumNode announcements, by node index. */
  nodeKnown: Known;
  /** Nodes in the order their CiliumNode was published. */
  published: readonly ClusterNode[];
  identityOf(endpoint: number): number;
}

export class NodeViews {
  /** Every node that ever had an IP or a pod block: IPs and blocks pass between nodes. */
  private readonly byNodeIp = new Map<number, ClusterNode[]>();
  private readonly byBlock = new Map<number, ClusterNode[]>();
  private blockBits = 32;
  /** Remote nodes' pod CIDRs are in the IPCache (1.18+, in styles with per-node blocks). */
  private readonly podCidrPrefixes: boolean;

  /** Nodes' long-lived client pods, by address; their entries come with their node's CiliumNode. */
  private readonly byClientIp = new Map<number, ClusterNode>();
  private readonly book: IpcacheTimeline;
  private readonly known: Known;
  readonly deletions: IpcacheDeletions;

  constructor(private readonly src: ViewSources, private readonly cfg: DatapathConfig, deletes: readonly IpcacheDelete[] = []) {
    this.podCidrPrefixes = VERSION_TRAITS[cfg.version].podCidrEntries;
    this.book = src.timeline;
    this.known = src.nodeKnown;
    this.deletions = new IpcacheDeletions(deletes, src.endpoints);
    for (const node of src.published) this.nodeAdded(node);
  }

  /** Registers a node's addresses for peer and prefix lookups. */
  private nodeAdded(node: ClusterNode): void {
    this.byNodeIp.set(node.ip, [...(this.byNodeIp.get(node.ip) ?? []), node]);
    this.byClientIp.set(node.clientIp, node);
    if (node.podCidr) {
      this.blockBits = node.podCidr.bits;
      const key = node.podCidr.base >>> (32 - this.blockBits);
      this.byBlock.set(key, [...(this.byBlock.get(key) ?? []), node]);
    }
  }

  /** Of the nodes that had this IP or block, the latest one node n knows at t. */
  private knownOwner(list: readonly ClusterNode[] | undefined, n: number, t: number): ClusterNode | undefined {
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].index === n || this.knowsNode(n, list[i], t)) return list[i];
    }
    return undefined;
  }

  /** Has node `n` processed node `m`'s CiliumNode (and not its deletion) by time t? */
  knowsNode(n: number, m: ClusterNode, t: number): boolean {
    return this.known.learnedAt(m.index, n) <= t && this.known.removedAt(m.index, n) > t;
  }

  /** When node `n` learned of node `m` (Infinity if never). */
  nodeKnownAt(n: number, m: ClusterNode): number {
    return this.known.learnedAt(m.index, n);
  }

  /** The holder behind node n's /32 entry for ip at t, if any. */
  holderAt(n: number, ip: number, t: number): Holder | undefined {
    return this.book.entryAt(ip, n, t);
  }

  /** True when no one but its current holder ever held `ip` (no stale entry can exist). */
  soleHolder(ip: number): boolean {
    return this.book.holders(ip).length === 1;
  }

  /** A node there from the start and never removed is known to every agent all along. */
  alwaysKnown(m: ClusterNode): boolean {
    return m.joined === 0 && !this.known.everRemoved(m.index) && m.removed === Infinity;
  }

  /** Did node n know node m for the whole of [from, to)? */
  knowsNodeThroughout(n: number, m: ClusterNode, from: number, to: number): boolean {
    if (m.index === n || this.alwaysKnown(m)) return true;
    return this.known.learnedAt(m.index, n) <= from && this.known.removedAt(m.index, n) >= to;
  }

  /** Times in (from, to) where node n's /32 entry for ip may change. */
  entryChangePoints(ip: number, n: number, from: number, to: number, out: number[]): void {
    this.book.changePoints(ip, n, from, to, out);
    this.deletions.changePoints(ip, from, to, out);
  }

  /** Times in (from, to) where node n learns or forgets the nodes hosting any holder of ip. */
  holderNodeChangePoints(ip: number, n: number, from: number, to: number, out: number[]): void {
    for (const h of this.book.holders(ip)) {
      for (const t of [this.known.learnedAt(h.hostNode, n), this.known.removedAt(h.hostNode, n)]) if (t > from && t < to) out.push(t);
    }
  }

  /** Node n's IPCache lookup for ip at t (longest prefix match). */
  lookup(n: number, ip: number, t: number): IPCacheEntry | undefined {
    const deleted = this.deletions.any && this.deletions.addressDeleted(ip, t);
    const h = deleted ? undefined : this.book.entryAt(ip, n, t);
    if (h) return this.entryOf(h, n);
    const client = deleted ? undefined : this.clientEntry(n, ip, t);
    if (client) return client;
    if (!this.podCidrPrefixes || (this.deletions.any && this.deletions.podCidrsDeleted(t))) return undefined;
    const owner = this.blockOwner(ip, n, t);
    if (owner === undefined || owner.index === n) return undefined;
    return podCidrEntry(owner.ip, this.cfg);
  }

  /**
   * A node's client pod, as node n knows it: while n knows the client's node and that node
   * lives (its CiliumEndpoint is assumed gone with the node, so no stale entry is modelled).
   */
  private clientEntry(n: number, ip: number, t: number): IPCacheEntry | undefined {
    const m = this.byClientIp.get(ip);
    if (m === undefined || m.index === n || m.removed <= t || !this.knowsNode(n, m, t)) return undefined;
    return remoteEndpointEntry(IDENTITY.clients, m.ip, this.cfg);
  }

  /** The tunnel map entry (pre-1.18 tunnel mode) for ip at node n: the known node owning its block. */
  tunnelMapLookup(n: number, ip: number, t: number): IPCacheEntry | undefined {
    const owner = this.blockOwner(ip, n, t);
    if (owner === undefined || owner.index === n) return undefined;
    return tunnelMapEntry(owner.ip);
  }

  /** The node whose pod block holds ip, as node n knows it at t. */
  private blockOwner(ip: number, n: number, t: number): ClusterNode | undefined {
    return this.byBlock.size === 0 ? undefined : this.knownOwner(this.byBlock.get(ip >>> (32 - this.blockBits)), n, t);
  }

  /** Does node n's WireGuard device have a peer for the node with IP `hostIp` at t? */
  hasPeer(n: number, hostIp: number, t: number): boolean {
    const m = this.knownOwner(this.byNodeIp.get(hostIp), n, t);
    if (m === undefined) return false;
    // A removed node's IP may now be a pod's: WireGuard gives an allowed IP to the peer that
    // set it last, so once the pod's entry is in, the IP no longer leads to the old peer.
    const holder = this.book.entryAt(hostIp, n, t);
    return holder === undefined || holder.owner === m;
  }

  /** Node n's entry for holder h. */
  entryOf(h: Holder, n: number): IPCacheEntry {
    const hostIp = this.src.nodes[h.hostNode].ip;
    if (h.kind === "pod") return remoteEndpointEntry(this.src.identityOf(h.id), hostIp, this.cfg);
    const nodeKeys = this.cfg.nodeEncryption && !this.optsOut(n) && !this.optsOut(h.hostNode);
    return remoteNodeEntry(h.kind, hostIp, this.cfg, nodeKeys);
  }

  /** Whether node i opted out of node encryption (the control-plane node, by default). */
  optsOut(i: number): boolean {
    return this.cfg.controlPlaneOptsOut === true && this.src.nodes[i].controlPlane;
  }
}


/**
 * One node's view at one time, as the datapath's lookup interfaces want it. Reused across
 * calls (set `node` and `time`), so judging millions of segments allocates nothing.
 */
export class ViewAt {
  node = 0;
  time = 0;
  readonly ipcache = { lookup: (ip: number): IPCacheEntry | undefined => this.views.lookup(this.node, ip, this.time) };
  /** Before 1.18 in tunnel mode: the tunnel map, a known node's pod CIDR -> that node. */
  readonly tunnelMap = { lookup: (ip: number): IPCacheEntry | undefined => this.views.tunnelMapLookup(this.node, ip, this.time) };
  readonly hasPeer = (nodeIp: number): boolean => this.views.hasPeer(this.node, nodeIp, this.time);

  constructor(private readonly views: NodeViews) {}
}
