/**
 * Every metric a run reports, declared once, as OMNeT++ declares its statistics: name, unit,
 * meaning, how it is computed within a run, and which direction is worse. runs.csv takes its
 * columns and their order from here; the README's column table is generated from it (npm run
 * schema); compare tracks the metrics marked `tracked`; the report labels them from it. A run
 * that produces a metric not declared here, or one declared twice, is a programming error.
 */
import { VERDICTS, type Verdict } from "./datapath/verdict.ts";

/** How a run computes the value. */
export type Statistic = "count" | "total" | "quantile" | "maximum" | "time average" | "model";

export interface Metric {
  name: string;
  unit: string;
  meaning: string;
  statistic: Statistic;
  /** Which direction is a regression; undefined: neither (sizes, configuration echoes). */
  worse?: "higher" | "lower";
  /** Regression tracking (npm run compare) watches it. */
  tracked?: boolean;
}

const VERDICT_MEANING: Record<Verdict, string> = {
  encrypted: "left the node encrypted towards the node that hosts the destination",
  plaintext_allowed: "plaintext by design: not pod-to-pod, or encryption off",
  leaked: "pod-to-pod traffic that crossed the wire in plaintext",
  strict_dropped: "pod-to-pod traffic dropped by strict mode (the intended drop)",
  false_dropped: "legitimate traffic dropped by strict mode (pod to node or health, a node not yet known)",
  wg_dropped: "the IPCache has a key but WireGuard has no peer for it (-ENOKEY)",
  misdelivered: "a stale IPCache entry sent it to a node that no longer hosts the destination",
  host_plaintext: "host-originated traffic in plaintext although encryption is on",
};
const BAD_VERDICTS = new Set<Verdict>(["leaked", "false_dropped", "wg_dropped", "misdelivered"]);

function verdictMetrics(): Metric[] {
  return VERDICTS.flatMap((v) => [
    { name: `${v}_packets`, unit: "packets", meaning: VERDICT_MEANING[v], statistic: "total" as const, ...(BAD_VERDICTS.has(v) ? { worse: "higher" as const, tracked: true } : {}) },
    { name: `${v}_bytes`, unit: "bytes", meaning: `bytes of ${v}_packets`, statistic: "total" as const },
  ]);
}

const accuracy = (statistic: Statistic) => (statistic === "quantile" ? " (histogram, 0.05% relative error)" : "");

/** The leak window: the seconds of a pair's exposure in which plaintext actually left. */
const leak = (q: string, statistic: Statistic): Metric => ({
  name: `leak_window_${q}_s`, unit: "s", statistic, worse: "higher", tracked: true,
  meaning: `${q === "max" ? "longest" : q} leak window over all (pod, sending node) pairs: the seconds pod-to-pod plaintext left for the pod (zero where none did)${accuracy(statistic)}`,
});

/** The exposure window: the time the sender could not encrypt to the pod, whatever became of the packets. */
const exposure = (q: string, statistic: Statistic): Metric => ({
  name: `exposure_window_${q}_s`, unit: "s", statistic, worse: "higher", tracked: true,
  meaning: `${q === "max" ? "longest" : q} exposure window over all pairs: pod ready (or sender listed) until the sender first encrypts to it, leaked or dropped (zero where it encrypted from the start)${accuracy(statistic)}`,
});

const propagation = (q: string, statistic: Statistic): Metric => ({
  name: `ipcache_propagation_${q}_s`, unit: "s", statistic,
  meaning: `${q === "max" ? "longest" : q} time from pod ready (or the sender listed, if later) to the sender's IPCache holding the pod's /32 (negative: before ready)`,
});

/** The catalogue, in runs.csv column order. */
export const METRICS: readonly Metric[] = [
  { name: "endpoints", unit: "pods", statistic: "count", meaning: "pods created" },
  { name: "pods_without_address", unit: "pods", statistic: "count", meaning: "pods that found no free address (left pending, as Kubernetes would)" },
  { name: "pods_waited_for_ipam", unit: "pods", statistic: "count", meaning: "pods that waited for their address until the operator, which refills ENI and Azure pools, had a leader again" },
  { name: "nodes_joined", unit: "nodes", statistic: "count", meaning: "nodes that existed during the run" },
  { name: "leak_windows", unit: "pairs", statistic: "count", worse: "higher", tracked: true, meaning: "(pod, sending node) pairs through which pod-to-pod plaintext left" },
  { name: "censored_leak_windows", unit: "pairs", statistic: "count", meaning: "pairs still leaking at `duration` (their leak window is a lower bound)" },
  leak("p50", "quantile"), leak("p90", "quantile"), leak("p99", "quantile"), leak("max", "maximum"),
  { name: "exposure_windows", unit: "pairs", statistic: "count", worse: "higher", tracked: true, meaning: "(pod, sending node) pairs with an exposure window longer than zero (strict mode turns them into drops)" },
  { name: "censored_exposure_windows", unit: "pairs", statistic: "count", meaning: "pairs still exposed at `duration` (their exposure window is a lower bound)" },
  exposure("p50", "quantile"), exposure("p90", "quantile"), exposure("p99", "quantile"), exposure("max", "maximum"),
  propagation("p50", "quantile"), propagation("p99", "quantile"), propagation("max", "maximum"),
  { name: "lb_before_ipcache_pairs", unit: "pairs", statistic: "count", meaning: "service backends whose sender's LB map had them before its IPCache did" },
  ...verdictMetrics(),
  { name: "false_dropped_new_node_packets", unit: "packets", statistic: "total", meaning: "false drops to a node whose CiliumNode the sender had not processed yet" },
  { name: "false_dropped_known_node_packets", unit: "packets", statistic: "total", meaning: "false drops to a node the sender knew" },
  { name: "false_dropped_node_packets", unit: "packets", statistic: "total", meaning: "false drops sent to a node IP" },
  { name: "false_dropped_health_packets", unit: "packets", statistic: "total", meaning: "false drops sent to a health IP" },
  { name: "false_dropped_other_packets", unit: "packets", statistic: "total", meaning: "false drops sent elsewhere" },
  { name: "apiserver_plaintext_packets", unit: "packets", statistic: "total", meaning: "API-server traffic, to pods and from them, that crossed the wire in plaintext although encryption is on (also counted under its verdict)" },
  { name: "ces_writes", unit: "writes", statistic: "count", meaning: "CiliumEndpointSlice writes by the operator" },
  { name: "ces_failed_writes", unit: "writes", statistic: "count", meaning: "slice writes that failed (API server down)" },
  { name: "ces_dropped_after_retries", unit: "slices", statistic: "count", worse: "higher", meaning: "slices the operator gave up on after its retries" },
  { name: "operator_queue_max", unit: "slices", statistic: "maximum", meaning: "longest operator work queue" },
  { name: "operator_queue_avg", unit: "slices", statistic: "time average", meaning: "operator work queue, time average over the run" },
  { name: "apiserver_writes", unit: "writes", statistic: "count", meaning: "writes the API server accepted" },
  { name: "apiserver_failed_writes", unit: "writes", statistic: "count", meaning: "writes refused while the API server was down" },
  { name: "identities_allocated", unit: "identities", statistic: "count", meaning: "CiliumIdentities created" },
  { name: "agent_write_retries", unit: "writes", statistic: "count", meaning: "agents' requests retried because the API server was down" },
  { name: "agent_requests", unit: "requests", statistic: "count", meaning: "requests the agents' Kubernetes clients sent: per new pod its identity (if new), the CiliumEndpoint GET, CREATE and status PATCH, and its DELETE" },
  { name: "throughput_overhead_pct", unit: "%", statistic: "model", worse: "higher", meaning: "throughput encryption costs this traffic on this hardware (docs/cost-model.md)" },
  { name: "cpu_overhead_cores_per_gbps", unit: "cores/(Gbit/s)", statistic: "model", worse: "higher", meaning: "extra CPU cores per Gbit/s encrypted" },
  { name: "latency_added_us", unit: "µs", statistic: "model", worse: "higher", meaning: "latency encryption adds to a request" },
  { name: "pod_route_mtu", unit: "bytes", statistic: "model", meaning: "MTU of pods' routes with encryption" },
  { name: "tcp_mss", unit: "bytes", statistic: "model", meaning: "TCP MSS pods negotiate with encryption" },
  { name: "node_gbps_unencrypted", unit: "Gbit/s", statistic: "model", meaning: "a node's throughput without encryption" },
  { name: "node_gbps_encrypted", unit: "Gbit/s", statistic: "model", meaning: "a node's throughput with encryption" },
  { name: "cpu_overhead_sender_cores_per_gbps", unit: "cores/(Gbit/s)", statistic: "model", worse: "higher", meaning: "the sending side's share of the extra CPU" },
  { name: "cpu_overhead_receiver_cores_per_gbps", unit: "cores/(Gbit/s)", statistic: "model", worse: "higher", meaning: "the receiving side's share of the extra CPU" },
  { name: "node_encryption_cores", unit: "cores", statistic: "model", worse: "higher", meaning: "extra CPUs per node that encryption.nodeEncryption spends on host traffic (the control-plane node opts out)" },
];

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

export function metric(name: string): Metric | undefined {
  return BY_NAME.get(name);
}

export const TRACKED_METRICS: readonly string[] = METRICS.filter((m) => m.tracked).map((m) => m.name);

/**
 * One run's metrics from the parts that produce them, in catalogue order. Throws if a part
 * produces an undeclared metric, two parts produce the same one, or a declared one is missing.
 */
export function metricRow(...parts: Record<string, number>[]): Record<string, number> {
  const seen = new Map<string, number>();
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (!BY_NAME.has(k)) throw new Error(`metric ${k} is not declared in models/metrics.ts`);
      if (seen.has(k)) throw new Error(`metric ${k} is produced twice`);
      seen.set(k, v);
    }
  }
  const row: Record<string, number> = {};
  for (const m of METRICS) {
    if (!seen.has(m.name)) throw new Error(`metric ${m.name} was not produced by the run`);
    row[m.name] = seen.get(m.name)!;
  }
  return row;
}
