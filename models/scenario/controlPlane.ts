/**
 * Control-plane latencies, failures and modes. Latency defaults are assumptions, not
 * measurements: no public p50/p99 of CiliumEndpoint -> IPCache propagation exists (Cilium's
 * own endpoint_propagation_delay_seconds buckets reach 600 s). The hard numbers from Cilium's
 * code are the 500 ms CES sync delay, the rate limits, the 10 s CEP sync controller, the 1 s to
 * 100 s retry backoff and the 15 s lease.
 */
import { SpecError } from "../../sim/errors.ts";
import { COUNT_WHY, MAX_COUNT } from "../../sim/limits.ts";
import * as s from "../../sim/schema.ts";
import { dist, interval, intervals, seconds } from "./common.ts";

const restart = s.object({
  node: s.number({ integer: true, min: 0, max: MAX_COUNT, why: COUNT_WHY, description: "node index (join order)" }),
  start: seconds(),
  end: seconds(),
}, {
  check: (v, path) => {
    if (!(v.end > v.start)) throw new SpecError(`${path}.end`, `must be greater than start (${v.start}), got ${v.end}`);
  },
});

const failureObject = s.object({
  at: seconds({ description: "when the leader fails, seconds from the start of the run" }),
  kind: s.oneOf(["crash", "graceful"] as const, { default: "crash", description: "crash: the lease must expire; graceful: the lease is released on shutdown" }),
});

/** A leader failure: a time (a crash) or {at, kind}. */
const leaderFailure: s.Schema<{ at: number; kind: "crash" | "graceful" }> = s.custom(
  (v, path) => (typeof v === "number" ? { at: seconds().parse(v, path), kind: "crash" as const } : failureObject.parse(v, path)),
  () => ({ oneOf: [seconds().jsonSchema(), failureObject.jsonSchema()] }),
);

export const controlPlane = s.object({
  agent: s.object({
    cepWriteDelay: dist("identity known -> agent issues the CiliumEndpoint write", { dist: "lognormal", median: 0.05, p99: 0.5 }),
    ipcacheUpsertDelay: dist("slice or endpoint received -> IPCache entry upserted on that node", { dist: "lognormal", median: 0.005, p99: 0.05 }),
    // sync-to-k8s-ciliumendpoint controller period (cilium/cilium#16381). A failed CEP write is
    // retried after 1 s, 2 s, ... (the controller's backoff); identity and EndpointSlice
    // writes still retry after this period.
    resyncInterval: seconds({ exclusiveMin: true, default: 10, description: "CEP sync controller period; the retry interval of identity and EndpointSlice writes" }),
    resyncDelay: dist("agent restarted or API server back -> relisted and applied", { dist: "lognormal", median: 1, p99: 5 }),
    restarts: s.array(restart, { default: [], description: "agent restarts: the node's IPCache stays as it was, then resyncs" }),
  }),
  identity: s.object({
    allocationDelay: dist("new label set -> agent issues the CiliumIdentity write", { dist: "lognormal", median: 0.02, p99: 0.2 }),
  }),
  operator: s.object({
    syncDelay: dist("CEP seen -> CES key enqueued (DefaultCESSyncTime)", 0.5),
    sliceMode: s.oneOf(["identity", "fcfs"] as const, { default: "identity", description: "operator flag ces-slice-mode" }),
    outages: intervals("intervals with no operator replica running: no CES is written"),
    leaderFailures: s.array(leaderFailure, { default: [], description: "leader failures: a crash (or a bare time) is over when the lease expires, a graceful handover (rollout, drain) within the retry period" }),
    leaseDuration: seconds({ default: 15, description: "leader-election lease, seconds (operator flag leader-election-lease-duration)" }),
    retryPeriod: seconds({ default: 2, description: "leader-election retry period, seconds (operator flag leader-election-retry-period)" }),
  }),
  apiServer: s.object({
    // Kubernetes SLO: mutating API calls p99 <= 1 s. Watch latency has no SLO.
    writeLatency: dist("API write latency", { dist: "lognormal", median: 0.02, p99: 0.2 }),
    watchDelay: dist("object written -> delivered to one watcher", { dist: "lognormal", median: 0.05, p99: 0.5 }),
    watchDelayPerWritePerSecond: s.number({
      min: 0, max: 1e3, default: 0, description: "watch delay grows by this fraction per write in the last second",
      why: "at the highest write rate (1e6/s) the delay is then multiplied by at most 1e9, so watch delays stay finite",
    }),
    outages: intervals("API server unavailable: writes fail, watches stall"),
  }),
  nodeManager: s.object({
    processingDelay: dist("CiliumNode received -> node entries and WireGuard peer installed", { dist: "lognormal", median: 0.01, p99: 0.1 }),
    // The Node object outlives the instance until the cloud controller manager notices it is
    // gone, and the CiliumNode goes after it; until then every IPCache keeps the node's entries.
    deleteDelay: dist("node removed (instance gone, IPs released) -> CiliumNode deleted", { dist: "lognormal", median: 30, p99: 120 }),
  }),
  services: s.object({
    // kube-controller-manager endpointSliceChangeMinSyncDelay.
    endpointSliceSyncDelay: dist("pod ready -> EndpointSlice write (batching)", 1),
    lbUpdateDelay: dist("EndpointSlice received -> service LB map updated", { dist: "lognormal", median: 0.005, p99: 0.05 }),
  }),
});

export { interval };
