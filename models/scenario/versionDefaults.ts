/**
 * Every default that changes between the modelled Cilium versions, in one table: what a
 * scenario that names a version gets unless it sets the value itself. Only the resolver's
 * helpers (effective.ts) read it. Line numbers are from `git show TAG:FILE` in cilium/cilium
 * (read in the edgelesssys/cilium mirror, which holds upstream tags unchanged); pr21856 is the
 * merge commit 5da5882 of PR #21856.
 */
import type { CiliumVersion } from "../datapath/config.ts";

export interface RateLimit {
  nodes: number;
  limit: number;
  burst: number;
}

export interface VersionDefaults {
  /**
   * The agent's Kubernetes client limiter (Helm k8sClientRateLimit.{qps,burst}):
   * - 1.14: 5/10 (v1.14.0 install/kubernetes/cilium/values.yaml L48-53);
   * - pr21856: no Helm value yet (added by e2f475dfd0, 2023-07-07); pkg/defaults/defaults.go
   *   L435-441 leaves it 0, which client-go turns into its own 5 QPS, burst 10;
   * - 1.15, 1.16: 10/20 on Kubernetes 1.27 or later, 5/10 before (v1.15.0
   *   templates/cilium-configmap.yaml L15-16 and L82-85); leaklab assumes 1.27 or later;
   * - 1.17 on: 10/20 (v1.17.0-pre.1 values.yaml L70-83).
   */
  agentClient: { qps: number; burst: number };
  /**
   * The operator's client limiter. Up to 1.16 the operator reads the same k8s-client-qps and
   * k8s-client-burst from cilium-config as the agent ("agent's": whatever the agent's are);
   * from 1.17 it has its own, k8sClientRateLimit.operator, 100/200 (v1.17.0-pre.1 values.yaml
   * L84-98).
   */
  operatorClient: "agent's" | { qps: number; burst: number };
  /**
   * The CiliumEndpointSlice write bucket, or undefined where there is none:
   * - 1.14, pr21856: the controller's bucket sits inside the work queue's retry limiter ("only
   *   for retry speed", v1.14.0 operator/pkg/ciliumendpointslice/endpointslice.go L133-138);
   *   first writes go through AddAfter (manager.go L723) and are paced only by the operator's
   *   client. fc02f40ad4 ("operator: Fix CES Controller rate limiting", first in
   *   v1.15.0-pre.3) put a bucket in front of every write;
   * - 1.15: the static flags ces-write-qps-limit/burst, 10/20 (v1.15.0 cell.go L49-54);
   * - 1.16: the Helm table 10/20, 7/15 from 100 nodes, 5/10 from 500 (v1.16.0 values.yaml
   *   L724-733);
   * - 1.17 on: 10/20, then 50/100 from 100 nodes (PR #33946; v1.17.0-pre.1 values.yaml L775-781).
   */
  cesRateLimits: readonly RateLimit[] | undefined;
  /** The table is re-read when the CiliumNode count changes (v1.16.0 rate_limit.go L73-112); 1.15's flags are static. */
  cesLimitFollowsNodes: boolean;
  /**
   * Cilium clamps the CES limit to 50/100 (v1.15.0 endpointslice.go L46-47, v1.16.0
   * rate_limit.go L103-108) until PR #43154 (merged 2025-12, so 1.19) removed the caps.
   */
  cesLimitCap: { limit: number; burst: number } | undefined;
  /**
   * How slice changes are queued: "merge" is the delaying queue's AddAfter, where a slice that
   * already waits keeps its earlier time, so every change within the 500 ms is written at
   * once (v1.14.0 manager.go L723, v1.15.0 endpointslice.go L107, v1.16.0 L88); "shift" is
   * 1.17's time.AfterFunc per change, which adds the key again 500 ms after each change
   * (v1.17.0-pre.1 endpointslice.go L95-99).
   */
  cesQueueing: "merge" | "shift";
}

const CLIENT_5_10 = { qps: 5, burst: 10 } as const;
const CLIENT_10_20 = { qps: 10, burst: 20 } as const;
const CAP = { limit: 50, burst: 100 } as const;
const V1_17: VersionDefaults = {
  agentClient: CLIENT_10_20,
  operatorClient: { qps: 100, burst: 200 },
  cesRateLimits: [{ nodes: 0, limit: 10, burst: 20 }, { nodes: 100, limit: 50, burst: 100 }],
  cesLimitFollowsNodes: true,
  cesLimitCap: CAP,
  cesQueueing: "shift",
};
const PRE_1_15: VersionDefaults = {
  agentClient: CLIENT_5_10,
  operatorClient: "agent's",
  cesRateLimits: undefined,
  cesLimitFollowsNodes: false,
  cesLimitCap: undefined,
  cesQueueing: "merge",
};

export const VERSION_DEFAULTS: Readonly<Record<CiliumVersion, VersionDefaults>> = {
  "1.14": PRE_1_15,
  pr21856: PRE_1_15,
  "1.15": {
    agentClient: CLIENT_10_20, operatorClient: "agent's",
    cesRateLimits: [{ nodes: 0, limit: 10, burst: 20 }], cesLimitFollowsNodes: false, cesLimitCap: CAP, cesQueueing: "merge",
  },
  "1.16": {
    agentClient: CLIENT_10_20, operatorClient: "agent's",
    cesRateLimits: [{ nodes: 0, limit: 10, burst: 20 }, { nodes: 100, limit: 7, burst: 15 }, { nodes: 500, limit: 5, burst: 10 }],
    cesLimitFollowsNodes: true, cesLimitCap: CAP, cesQueueing: "merge",
  },
  "1.17": V1_17,
  "1.18": V1_17,
  "1.19": { ...V1_17, cesLimitCap: undefined },
};
