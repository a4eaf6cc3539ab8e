/**
 * The IPCache timeline: who held each address, and when each node's IPCache learned it. An
 * address can pass from a removed node to a pod, or from a deleted pod to a new one; each
 * holder's entry reaches a node when the broadcast that announced it arrives there, and leaves
 * when its removal does. Deletes only remove the entry they own (Cilium's DeleteOnMetadataMatch,
 * PR 19996), so a late delete of the old holder does not erase the new one's entry.
 *
 * From this, a node's IPCache entry for an address at any time is computed on demand, which
 * is how traffic is judged without storing a million-entry map per node.
 */
import type { Known } from "../controlplane/announcements.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { ClusterNode } from "../cluster/nodes.ts";

export type HolderKind = "pod" | "node" | "router" | "health";

export interface Holder {
  kind: HolderKind;
  ip: number;
  /** The pod, or the node whose address it is. */
  owner: Endpoint | ClusterNode;
  /** Index of the node hosting the address. */
  hostNode: number;
  /** Where the owner's announcement is recorded, and its id there. */
  known: Known;
  id: number;
}

export class IpcacheTimeline {
  private readonly byIp = new Map<number, Holder[]>();

  add(h: Holder): void {
    const list = this.byIp.get(h.ip);
    if (list) list.push(h);
    else this.byIp.set(h.ip, [h]);
  }

  /** A node's own addresses, announced with its CiliumNode. */
  addNode(node: ClusterNode, known: Known): void {
    for (const [kind, ip] of [["node", node.ip], ["router", node.routerIp], ["health", node.healthIp]] as const) {
      if (ip !== undefined) this.add({ kind, ip, owner: node, hostNode: node.index, known, id: node.index });
    }
  }

  /** A pod's address, announced with its endpoint. */
  addPod(e: Endpoint, known: Known): void {
    this.add({ kind: "pod", ip: e.ip, owner: e, hostNode: e.node, known, id: e.id });
  }

  holders(ip: number): readonly Holder[] {
    return this.byIp.get(ip) ?? [];
  }

  /** The holder whose entry node `n`'s IPCache has for `ip` at time `t`, if any. */
  entryAt(ip: number, n: number, t: number): Holder | undefined {
    const list = this.byIp.get(ip);
    if (list === undefined) return undefined;
    if (list.length === 1) {
      const h = list[0];
      return arrivalOf(h, "upsert", n) <= t && arrivalOf(h, "removal", n) > t ? h : undefined;
    }
    const events: [number, number, Holder][] = [];
    list.forEach((h, order) => {
      const up = arrivalOf(h, "upsert", n);
      const down = arrivalOf(h, "removal", n);
      if (up <= t) events.push([up, 2 * order, h]);
      if (down <= t) events.push([down, 2 * order + 1, h]);
    });
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current: Holder | undefined;
    for (const [, tag, h] of events) {
      if (tag % 2 === 0) current = h;
      else if (current === h) current = undefined;
    }
    return current;
  }

  /** Times inside (from, to) at which node `n`'s entry for `ip` may change. */
  changePoints(ip: number, n: number, from: number, to: number, out: number[]): void {
    for (const h of this.byIp.get(ip) ?? []) {
      for (const t of [arrivalOf(h, "upsert", n), arrivalOf(h, "removal", n)]) if (t > from && t < to) out.push(t);
    }
  }
}

/**
 * When node n applied the holder's upsert or removal. A watch delivers one object's events in
 * order, so a removal is never applied before the upsert it follows.
 */
export function arrivalOf(h: Holder, which: "upsert" | "removal", n: number): number {
  const up = h.known.learnedAt(h.id, n);
  return which === "upsert" ? up : Math.max(up, h.known.removedAt(h.id, n));
}
