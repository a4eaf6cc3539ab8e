/**
 * Every random stream a run draws from, declared in one place, as ns-3 components declare
 * theirs: the name, which keys the generator (sim/random.ts), and what is drawn from it.
 * Components get their streams from here, never by a string of their own. Names are part of
 * the results: renaming one, or moving a draw to another stream, changes every run.
 */
import type { RandomStream, Streams } from "../sim/random.ts";

export const STREAMS = {
  clusterNodes: { name: "cluster/nodes", draws: "node join delays, which node a scale-in or replacement removes, replacement times, and CiliumNode deletion delays (one stream for the node lifecycle, as it always was)" },
  addressingSubnet: { name: "addressing/subnet", draws: "which free address of the node subnet a new node gets (AWS/GCP uniform picks)" },
  workloadPlacement: { name: "workload/placement", draws: "the node a new pod is scheduled on" },
  workloadIdentity: { name: "workload/identity", draws: "the label set (identity) of a churn pod" },
  workloadReadiness: { name: "workload/readiness", draws: "pod created -> ready" },
  workloadArrivals: { name: "workload/arrivals", draws: "churn arrival times" },
  workloadLifetime: { name: "workload/lifetime", draws: "churn pod lifetimes" },
  apiserverWrite: { name: "apiserver/write", draws: "API server write latency" },
  identity: { name: "identity", draws: "agent-side work before a CiliumIdentity write" },
  agentCep: { name: "agent/cep", draws: "endpoint -> CiliumEndpoint write, and the operator's watch delay" },
  operator: { name: "operator", draws: "the CES controller's sync delay" },
  services: { name: "services", draws: "the EndpointSlice controller's batching delay" },
  trafficPods: { name: "traffic/pods", draws: "packet counts of pod traffic, segment by segment" },
  trafficNodes: { name: "traffic/nodes", draws: "packet counts of node, health, API-server and outside traffic" },
} as const satisfies Record<string, { name: string; draws: string }>;

export type StreamKey = keyof typeof STREAMS;

export function streamOf(streams: Streams, key: StreamKey): RandomStream {
  return streams.stream(STREAMS[key].name);
}

/** Per node: its pod addresses (ENI/Azure interface pool or host-scope block picks). */
export function nodeAddressStream(streams: Streams, node: number): RandomStream {
  return streams.stream(`addressing/node/${node}`);
}

/** Per watch channel (endpoints, nodes, services): watch delivery delays and agents' processing delays. */
export function channelStreams(streams: Streams, channel: string): { watch: RandomStream; process: RandomStream } {
  return { watch: streams.stream(`watch/${channel}`), process: streams.stream(`process/${channel}`) };
}
