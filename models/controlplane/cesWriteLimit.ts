/**
 * What paces cilium-operator's CiliumEndpointSlice writes, per version (the defaults are in
 * models/scenario/versionDefaults.ts):
 * - from 1.15, a bucket in front of every write (rateLimitProcessing, Reserve().Delay() before
 *   each Get: v1.15.0 operator/pkg/ciliumendpointslice/endpointslice.go L222-228), from 1.16
 *   chosen from a table by the CiliumNode count and chosen again when it changes (v1.16.0
 *   rate_limit.go L73-112), clamped to 50/100 until PR #43154 removed the caps;
 * - in every version, the operator's Kubernetes client (client-go's limiter on every request),
 *   which before 1.15 is all that paces first writes: the controller's own bucket sat inside
 *   the retry limiter (v1.14.0 endpointslice.go L133-138).
 * One worker writes, so a write goes out when both have a token.
 */
import { TokenBucket } from "./tokenBucket.ts";

export interface RateLimit {
  nodes: number;
  limit: number;
  burst: number;
}

export interface CesWriteLimitConfig {
  /** The CES bucket's table; undefined: no bucket in front of writes (1.14, pr21856). */
  table?: readonly RateLimit[];
  /** Chosen again when the CiliumNode count changes (1.16 on); else fixed by the start's count. */
  followsNodes: boolean;
  /** Cilium clamps the limit and burst to these (undefined: no caps). */
  cap?: { limit: number; burst: number };
  /** The operator's Kubernetes client limiter. */
  client: { qps: number; burst: number };
}

/**
 * The entry of a ces-rate-limits table for `nodes`: the one with the largest threshold that is
 * reached (the first if none is), as updateRateLimitWithNodes picks it, then clamped.
 */
export function rateLimitFor(table: readonly RateLimit[], nodes: number, cap?: { limit: number; burst: number }): { limit: number; burst: number } {
  const sorted = [...table].sort((a, b) => a.nodes - b.nodes);
  let chosen = sorted[0];
  for (const r of sorted) if (r.nodes <= nodes) chosen = r;
  return cap === undefined ? { limit: chosen.limit, burst: chosen.burst } : { limit: Math.min(chosen.limit, cap.limit), burst: Math.min(chosen.burst, cap.burst) };
}

export class CesWriteLimit {
  private readonly slices?: TokenBucket;
  private readonly client: TokenBucket;
  private current?: { limit: number; burst: number };

  constructor(private readonly cfg: CesWriteLimitConfig, initialNodes: number) {
    this.client = new TokenBucket(cfg.client.qps, cfg.client.burst);
    if (cfg.table !== undefined) {
      this.current = rateLimitFor(cfg.table, initialNodes, cfg.cap);
      this.slices = new TokenBucket(this.current.limit, this.current.burst);
    }
  }

  /** The CES limit in force (undefined before 1.15), for tests and reports. */
  get limit(): { limit: number; burst: number } | undefined {
    return this.current;
  }

  /** Earliest time >= now at which a write may go out. */
  nextAvailable(now: number): number {
    return Math.max(this.client.nextAvailable(now), this.slices?.nextAvailable(now) ?? now);
  }

  /** Takes the write's tokens; the caller has waited for nextAvailable. */
  take(now: number): void {
    this.client.take(now);
    this.slices?.take(now);
  }

  /** The CiliumNode count changed: from 1.16 the table's entry is chosen again (SetLimit, SetBurst). */
  nodesChanged(nodes: number, now: number): void {
    if (!this.cfg.followsNodes || this.cfg.table === undefined || this.slices === undefined) return;
    const next = rateLimitFor(this.cfg.table, nodes, this.cfg.cap);
    if (next.limit === this.current!.limit && next.burst === this.current!.burst) return;
    this.current = next;
    this.slices.setLimits(next.limit, next.burst, now);
  }

  /** A new leader's process starts with full buckets. */
  reset(now: number): void {
    this.client.reset(now);
    this.slices?.reset(now);
  }
}
