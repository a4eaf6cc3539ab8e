/**
 * A cloud subnet as the cloud's own IPAM sees it: which addresses are free to be handed to any
 * instance or interface, which are held, and which were given back but are not yet free again.
 *
 * The cloud, not Cilium, picks the address (EC2 AssignPrivateIpAddresses with a count, an Azure
 * dynamic private IP, a GCE ephemeral internal IP). Two rules:
 * - "lowest": the lowest free address, which Azure documents for dynamic private IPs;
 * - "uniform": uniformly among the free addresses, drawn from this pool's random stream. AWS and
 *   GCP document no order; this is the assumption for them (see profiles.ts).
 */
import type { RandomStream } from "../../sim/random.ts";
import { formatIpv4, networkOf, size, type Cidr } from "./ipv4.ts";
import { IpamExhausted } from "./ipam.ts";

export type SubnetPick = "uniform" | "lowest";

// Random probes before falling back to counting free addresses; either way the pick is uniform.
const PROBES = 32;

export class SubnetPool {
  /** First and last address the cloud hands out (reserved addresses excluded). */
  readonly first: number;
  readonly last: number;
  /** Held addresses, and given-back addresses still waiting to be free. */
  private readonly taken = new Set<number>();
  /** Given-back addresses ordered by the time they become free (ties: in order given back). */
  private readonly returning: { ip: number; at: number }[] = [];

  constructor(
    readonly cidr: Cidr,
    reservedHead: number,
    reservedTail: number,
    private readonly pick: SubnetPick,
    private readonly rng: RandomStream,
  ) {
    this.first = networkOf(cidr) + reservedHead;
    this.last = networkOf(cidr) + size(cidr) - 1 - reservedTail;
    if (this.last < this.first) throw new Error(`subnet ${cidr.text} has no usable address`);
  }

  get usable(): number {
    return this.last - this.first + 1;
  }

  get available(): number {
    return this.usable - this.taken.size;
  }

  isFree(ip: number): boolean {
    return ip >= this.first && ip <= this.last && !this.taken.has(ip);
  }

  /** Keeps `ip` from ever being handed out (a pod range inside the subnet); outside the usable range it changes nothing. */
  exclude(ip: number): void {
    if (ip >= this.first && ip <= this.last) this.taken.add(ip);
  }

  /** Frees every given-back address whose time has come. */
  settle(now: number): void {
    let due = 0;
    while (due < this.returning.length && this.returning[due].at <= now) {
      this.taken.delete(this.returning[due].ip);
      due++;
    }
    this.returning.splice(0, due);
  }

  /** Hands out a free address by the cloud's rule; throws when the subnet is exhausted. */
  take(): number {
    if (this.available === 0) throw new IpamExhausted(`IPAM: subnet ${this.cidr.text} is exhausted`);
    const ip = this.pick === "lowest" ? this.lowestFree() : this.uniformFree();
    this.taken.add(ip);
    return ip;
  }

  /** Gives an address back; it becomes free at time `at` (after the next `settle(at)`). */
  giveBack(ip: number, at: number): void {
    if (!this.taken.has(ip) || this.returning.some((r) => r.ip === ip)) {
      throw new Error(`IPAM: ${formatIpv4(ip)} is not held in subnet ${this.cidr.text}`);
    }
    let i = this.returning.length;
    while (i > 0 && this.returning[i - 1].at > at) i--;
    this.returning.splice(i, 0, { ip, at });
  }

  private lowestFree(): number {
    for (let ip = this.first; ip <= this.last; ip++) if (!this.taken.has(ip)) return ip;
    throw new Error("unreachable: free count out of sync");
  }

  /**
   * Uniform among free addresses: random probes first (cheap while the subnet is mostly free),
   * then, if all miss, the k-th free address for a uniform k. Both stages are uniform over the
   * free addresses, so their combination is too.
   */
  private uniformFree(): number {
    for (let probe = 0; probe < PROBES; probe++) {
      const ip = this.first + this.rng.int(this.usable);
      if (!this.taken.has(ip)) return ip;
    }
    let k = this.rng.int(this.available);
    for (let ip = this.first; ip <= this.last; ip++) {
      if (!this.taken.has(ip) && k-- === 0) return ip;
    }
    throw new Error("unreachable: free count out of sync");
  }
}
