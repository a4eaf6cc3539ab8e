/**
 * Host-scope IP allocation as Cilium's cluster-pool and kubernetes IPAM do it: pick a random
 * offset, then scan linearly for the first free address; a released address is free again at
 * once, with no quarantine (cilium/cilium pkg/ipam/service/allocator/bitmap.go,
 * randomScanStrategy). Network and broadcast addresses are never handed out.
 */
import type { RandomStream } from "../../sim/random.ts";
import { type Cidr, formatIpv4, networkOf, size } from "./ipv4.ts";

/** An address range has no free address (or block) left: a normal outcome, not a bug. */
export class IpamExhausted extends Error {
  override readonly name: string = "IpamExhausted";
}

/**
 * The node's pool is empty while the operator, which refills it, has no leader: the address
 * can come once it is back (`at`), not before. Cilium's CRD allocator fails the request at
 * once ("No more IPs available", v1.15.0 pkg/ipam/crd.go L607) and kubelet retries the sandbox.
 */
export class IpamWaiting extends IpamExhausted {
  override readonly name = "IpamWaiting";
  constructor(readonly at: number) {
    super(`IPAM: the node's address pool is empty until the operator is back at ${at.toFixed(1)} s`);
  }
}

export class HostScopeAllocator {
  private readonly used: Uint8Array;
  private readonly first: number;
  private free: number;

  constructor(
    readonly cidr: Cidr,
    private readonly rng: RandomStream,
  ) {
    const n = size(cidr);
    this.used = new Uint8Array(n);
    // Network and broadcast addresses are excluded for prefixes that have them.
    this.first = networkOf(cidr);
    if (n > 2) {
      this.used[0] = 1;
      this.used[n - 1] = 1;
    }
    this.free = n > 2 ? n - 2 : n;
  }

  get available(): number {
    return this.free;
  }

  /** Allocates the next address, or throws when the range is exhausted. */
  allocateNext(): number {
    if (this.free === 0) throw new IpamExhausted(`IPAM: ${this.cidr.text} is exhausted`);
    const n = this.used.length;
    const start = this.rng.int(n);
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      if (this.used[i] === 0) {
        this.used[i] = 1;
        this.free--;
        return (this.first + i) >>> 0;
      }
    }
    throw new Error("unreachable: free count out of sync");
  }

  /** Allocates a specific address (e.g. a router IP chosen elsewhere). */
  allocate(ip: number): void {
    const i = ip - this.first;
    if (i < 0 || i >= this.used.length || this.used[i] === 1) {
      throw new Error(`IPAM: ${formatIpv4(ip)} is not free in ${this.cidr.text}`);
    }
    this.used[i] = 1;
    this.free--;
  }

  release(ip: number): void {
    const i = ip - this.first;
    if (i < 0 || i >= this.used.length || this.used[i] === 0) {
      throw new Error(`IPAM: ${formatIpv4(ip)} is not allocated in ${this.cidr.text}`);
    }
    this.used[i] = 0;
    this.free++;
  }
}
