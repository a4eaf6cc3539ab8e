/**
 * The addresses on one node's cloud interfaces under ENI or Azure IPAM: the pool of the node's
 * CiliumNode. Two actors share it, as in Cilium:
 * - the operator keeps `preAllocate` addresses free by assigning more from the subnet
 *   (pkg/ipam/node.go, calculateNeededIPs) and, with ENI excess release on, hands back free
 *   addresses above the watermark once they have stayed excess for `releaseDelay` seconds
 *   (calculateExcessIPs; `--excess-ip-release-delay`, eni.rst);
 * - the agent gives endpoints free addresses. Its CRD allocator takes the first free entry while
 *   ranging over a Go map (pkg/ipam/crd.go, nodeStore.allocateNext), an order Go randomises;
 *   modelled as uniform among free addresses, drawn from the node's stream.
 *
 * The operator does this only while it has a leader: during an outage or a failover nothing is
 * refilled (overlapping.ts), so a node's pods wait once its free addresses are used up, and an
 * address a removed node gave back reaches no pod until the operator returns.
 *
 * Simplifications: the operator reacts at once while it has a leader (Cilium: on CiliumNode
 * updates and a 1/min scan, allocations at most 1/s), so the excess delay is exactly
 * `releaseDelay`, not up to a scan later; per-ENI and per-instance address limits and prefix
 * delegation are not modelled.
 */
import type { RandomStream } from "../../sim/random.ts";
import type { InterfacePoolConfig } from "./cloud.ts";
import { formatIpv4 } from "./ipv4.ts";
import { IpamExhausted } from "./ipam.ts";

export class InterfacePool {
  /** Addresses in the order they were assigned to the node's interfaces; true while in use. */
  private readonly assigned = new Map<number, boolean>();
  /** Free addresses the operator counts as excess, with the time each became excess. */
  private readonly excessSince = new Map<number, number>();
  private inUse = 0;

  constructor(
    private readonly cfg: InterfacePoolConfig,
    private readonly rng: RandomStream,
  ) {}

  get size(): number {
    return this.assigned.size;
  }

  get free(): number {
    return this.assigned.size - this.inUse;
  }

  holds(ip: number): boolean {
    return this.assigned.has(ip);
  }

  /** Addresses the operator assigns now: the deficit below the watermarks, plus max-above-watermark. */
  deficit(): number {
    const needed = Math.max(this.cfg.preAllocate - this.free, this.cfg.minAllocate - this.size, 0);
    return needed === 0 ? 0 : needed + this.cfg.maxAboveWatermark;
  }

  /** A new address on one of the node's interfaces, free for endpoints. */
  add(ip: number): void {
    if (this.assigned.has(ip)) throw new Error(`IPAM: ${formatIpv4(ip)} is already on this node`);
    this.assigned.set(ip, false);
  }

  /** The agent's pick for a new endpoint; throws when no address is free. */
  take(): number {
    const free: number[] = [];
    for (const [ip, used] of this.assigned) if (!used) free.push(ip);
    if (free.length === 0) throw new IpamExhausted("IPAM: node has no free address on its interfaces (subnet exhausted)");
    const ip = free[this.rng.int(free.length)];
    this.assigned.set(ip, true);
    this.inUse++;
    return ip;
  }

  /** The endpoint is gone; its address stays on the node, free again at once. */
  giveBack(ip: number): void {
    if (this.assigned.get(ip) !== true) throw new Error(`IPAM: ${formatIpv4(ip)} is not in use on this node`);
    this.assigned.set(ip, false);
    this.inUse--;
  }

  /**
   * Re-derives which free addresses are excess at `now`. An address that stays excess keeps its
   * first timestamp; one that is no longer excess loses it (Cilium unmarks it too). Which free
   * addresses count is the first ones in assignment order: Cilium takes them in the order the
   * ENI lists them, which EC2 does not document (assumed: assignment order).
   */
  markExcess(now: number): void {
    if (!this.cfg.releaseExcess) return;
    let excess = this.excessCount();
    const keep = new Set<number>();
    for (const [ip, used] of this.assigned) {
      if (excess === 0) break;
      if (used) continue;
      keep.add(ip);
      excess--;
    }
    for (const ip of [...this.excessSince.keys()]) if (!keep.has(ip)) this.excessSince.delete(ip);
    for (const ip of keep) if (!this.excessSince.has(ip)) this.excessSince.set(ip, now);
  }

  /**
   * Takes off the node every excess address whose delay has passed by `now`, with the time it
   * left. Valid lazily: nothing changed since the last `markExcess`, so each stayed excess.
   */
  releaseDue(now: number): { ip: number; at: number }[] {
    const due: { ip: number; at: number }[] = [];
    for (const [ip, since] of this.excessSince) {
      const at = since + this.cfg.releaseDelay;
      if (at > now) continue;
      due.push({ ip, at });
      this.excessSince.delete(ip);
      this.assigned.delete(ip);
    }
    return due;
  }

  /** Every address on the node (its instance is gone), emptying the pool. */
  drain(): number[] {
    const all = [...this.assigned.keys()];
    this.assigned.clear();
    this.excessSince.clear();
    this.inUse = 0;
    return all;
  }

  /** Cilium's calculateExcessIPs (pkg/ipam/node.go) with available = size, used = in use. */
  private excessCount(): number {
    const { preAllocate, minAllocate, maxAboveWatermark } = this.cfg;
    const floor = minAllocate + maxAboveWatermark;
    if (this.inUse <= floor && this.size <= floor) return 0;
    return Math.max(this.size - this.inUse - preAllocate - maxAboveWatermark, 0);
  }
}
