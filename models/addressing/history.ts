/**
 * Who holds each address now and who held it last. The simulator asks this when a pod gets an
 * address: if the previous holder was a node that has been removed, traffic to the pod may be
 * judged against a stale node entry (Constellation's "pod is assigned the IP address of a
 * recently shut down node"), and the window is labelled `node_ip_reuse`.
 */
import { formatIpv4 } from "./ipv4.ts";

/** What an address was used for: a node's own IP, its cilium_host, its health endpoint, a pod. */
export type AddressKind = "node" | "router" | "health" | "pod";

export interface Holding {
  readonly kind: AddressKind;
  /** Index of the node the address belonged to. */
  readonly node: number;
  /** When the holder got the address. */
  readonly since: number;
}

export interface PastHolding extends Holding {
  /** When the holder gave it up (pod deleted or node removed). */
  readonly releasedAt: number;
}

export class AddressBook {
  private readonly current = new Map<number, Holding>();
  private readonly last = new Map<number, PastHolding>();

  /** Records a new holder; an address is never held twice at once. */
  hold(ip: number, kind: AddressKind, node: number, now: number): void {
    const other = this.current.get(ip);
    if (other !== undefined) {
      throw new Error(`IPAM: ${formatIpv4(ip)} given to ${kind} of node ${node} while still the ${other.kind} of node ${other.node}`);
    }
    this.current.set(ip, { kind, node, since: now });
  }

  release(ip: number, now: number): PastHolding {
    const holding = this.current.get(ip);
    if (holding === undefined) throw new Error(`IPAM: ${formatIpv4(ip)} is not held`);
    const past = { ...holding, releasedAt: now };
    this.current.delete(ip);
    this.last.set(ip, past);
    return past;
  }

  holder(ip: number): Holding | undefined {
    return this.current.get(ip);
  }

  /** The most recent holder that gave the address up (so not the current one), if any. */
  previous(ip: number): PastHolding | undefined {
    return this.last.get(ip);
  }

  get heldCount(): number {
    return this.current.size;
  }
}
