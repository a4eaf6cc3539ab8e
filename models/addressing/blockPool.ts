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
import { contains, networkOf, subnet, type Cidr } from "./ipv4.ts";
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

/**
 * Blocks from several ranges (cluster-pool's clusterPoolIPv4PodCIDRList): Cilium's operator keeps
 * one CIDR set per entry and takes a block from the first entry that is not full
 * (allocateFirstFreeCIDR), so later entries are used only once the earlier ones are exhausted.
 * With one range this is exactly NodeBlockPool.
 */
export class NodeBlockPools {
  private readonly pools: NodeBlockPool[];

  constructor(
    readonly ranges: readonly Cidr[],
    readonly bits: number,
  ) {
    this.pools = ranges.map((r) => new NodeBlockPool(r, bits));
  }

  get available(): number {
    return this.pools.reduce((n, p) => n + p.available, 0);
  }

  /** The next free block; throws when every block of every range is in use. */
  allocate(): Cidr {
    const pool = this.pools.find((p) => p.available > 0);
    if (pool === undefined) throw new IpamExhausted(`IPAM: no /${this.bits} block left in ${this.ranges.map((r) => r.text).join(", ")}`);
    return pool.allocate();
  }

  release(block: Cidr): void {
    const pool = this.pools.find((p) => contains(p.range, block.base));
    if (pool === undefined) throw new Error(`IPAM: block ${block.text} is in none of ${this.ranges.map((r) => r.text).join(", ")}`);
    pool.release(block);
  }
}
