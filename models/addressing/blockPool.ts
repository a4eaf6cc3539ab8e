/**
 * Per-node pod blocks cut from a pod range, handed out as Cilium's cluster-pool operator does
 * (pkg/ipam/cidrset/cidr_set.go, a copy of Kubernetes' node-IPAM CIDR set): scan from a
 * "next candidate" index for the first free block, then move the candidate just past it. A
 * released block is free at once but is reached again only after the scan wraps around, so
 * blocks are reused round-robin, not last-in-first-out.
 *
 * GKE's alias ranges and AKS overlay blocks are picked by the cloud, which documents no order;
 * the same rule is assumed for them.
 */
import { networkOf, subnet, type Cidr } from "./ipv4.ts";
import { IpamExhausted } from "./ipam.ts";

export class NodeBlockPool {
  readonly count: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(
    readonly range: Cidr,
    readonly bits: number,
  ) {
    this.count = 2 ** (bits - range.bits);
  }

  get available(): number {
    return this.count - this.used.size;
  }

  /** The next free block; throws when every block is in use. */
  allocate(): Cidr {
    if (this.used.size === this.count) throw new IpamExhausted(`IPAM: no /${this.bits} block left in ${this.range.text}`);
    let candidate = this.nextCandidate;
    while (this.used.has(candidate)) candidate = (candidate + 1) % this.count;
    this.nextCandidate = (candidate + 1) % this.count;
    this.used.add(candidate);
    return subnet(this.range, this.bits, candidate);
  }

  release(block: Cidr): void {
    const index = (networkOf(block) - networkOf(this.range)) / 2 ** (32 - this.bits);
    if (block.bits !== this.bits || !this.used.has(index)) throw new Error(`IPAM: block ${block.text} is not allocated in ${this.range.text}`);
    this.used.delete(index);
  }
}
