/**
 * Traffic between the API server and pods, both ways, each pod's draws keyed by (pod, flow)
 * in the apiserver substreams, so it splits over threads like the rest:
 * - the API server -> each pod (webhooks, `kubectl port-forward`, proxied requests);
 * - each pod -> the API server (its replies, and its own API calls through the kubernetes
 *   Service).
 * With a self-managed control plane the API server is the first node's host, which by default
 * opts out of node encryption (node-encryption-opt-out-labels): its requests to pods still go
 * through WireGuard, since ENABLE_NODE_ENCRYPTION is compiled on every node (v1.15.0
 * pkg/datapath/linux/config/config.go L289-291) and the pods' entries keep their key, but
 * every node's entry for the control-plane node's address has key 0 (manager.go L400-410,
 * agent.go L150-156), so what pods send back stays in plaintext. A managed API server (EKS,
 * AKS, GKE) is outside the cluster: nothing Cilium does encrypts either way.
 */
import { poisson } from "../../sim/poisson.ts";
import { OBSERVER_BLOCK } from "../controlplane/broadcast.ts";
import type { Endpoint } from "../cluster/endpoint.ts";
import type { Verdict } from "../datapath/verdict.ts";
import { viewCuts } from "./cuts.ts";
import type { PacketSpec } from "./judge.ts";
import { flowTo, OUTSIDE, segments, type NodeTrafficInput } from "./nodeTraffic.ts";

const PLAINTEXT = new Set<Verdict>(["plaintext_allowed", "host_plaintext", "leaked"]);
/** The flows' keys in the apiserver substreams, the pod's id being the other half. */
const REQUESTS = 0;
const TO_APISERVER = 1;
const FROM_OUTSIDE = 2;
const TO_OUTSIDE = 3;

/** Whether this share judges what `node` sends (its block is one of the share's). */
function sends(x: NodeTrafficInput, node: number): boolean {
  const block = Math.floor(node / OBSERVER_BLOCK);
  return block >= x.blocks.from && block < x.blocks.to && node % x.observerStride === 0;
}

/** The time both the pod and the API server's node exist. */
function overlap(x: NodeTrafficInput, e: Endpoint, apiserver: { listed: number; removed: number }): [number, number] {
  return [Math.max(e.ready, apiserver.listed), Math.min(e.deleted, apiserver.removed, x.duration)];
}

export function accountApiServerTraffic(x: NodeTrafficInput, encryption: boolean): void {
  const seen = (v: Verdict, packets: number) => {
    if (encryption && PLAINTEXT.has(v)) x.acct.apiServerPlaintext += packets;
  };
  if (x.flows.apiServer === "managed") managed(x, seen);
  else inCluster(x, seen);
}

function inCluster(x: NodeTrafficInput, seen: (v: Verdict, packets: number) => void): void {
  const apiserver = x.nodes[0];
  const requests = sends(x, apiserver.index);
  for (const e of x.endpoints) {
    if (e.node === apiserver.index) continue;
    const [from, to] = overlap(x, e, apiserver);
    if (!(to > from)) continue;
    if (requests && x.flows.apiServerToPods.rate > 0) {
      const pkt: PacketSpec = { src: apiserver.ip, dst: e.ip, srcKind: "host", dstKind: "pod", dstHost: e.node };
      const cuts: number[] = [];
      viewCuts(x.views, e.ip, apiserver.index, x.nodes[e.node], from, to, cuts);
      segments(x, apiserver, pkt, x.flows.apiServerToPods, cuts, x.rng.apiserver.select(e.id, REQUESTS), seen);
    }
    if (sends(x, e.node)) {
      const pkt: PacketSpec = { src: e.ip, dst: apiserver.ip, srcKind: "pod", dstKind: "node", dstHost: apiserver.index };
      flowTo(x, x.nodes[e.node], apiserver, from, to, pkt, x.flows.podsToApiServer, x.rng.apiserver, e.id, TO_APISERVER, seen);
    }
  }
}

/** The API server is outside the cluster: its requests arrive from outside, pods' traffic to it leaves the cluster. */
function managed(x: NodeTrafficInput, seen: (v: Verdict, packets: number) => void): void {
  const { apiServerToPods: requests, podsToApiServer: replies } = x.flows;
  for (const e of x.endpoints) {
    const node = x.nodes[e.node];
    const span = Math.min(e.deleted, x.duration) - e.ready;
    if (!(span > 0) || !sends(x, e.node)) continue;
    if (requests.rate > 0) {
      const packets = poisson(requests.rate * span, x.rng.apiserver.select(e.id, FROM_OUTSIDE));
      x.acct.count("plaintext_allowed", packets, requests.packetBytes);
      seen("plaintext_allowed", packets);
    }
    if (replies.rate > 0) {
      const pkt: PacketSpec = { src: e.ip, dst: OUTSIDE, srcKind: "pod", dstKind: "external", dstHost: -1 };
      segments(x, node, pkt, replies, [e.ready, e.ready + span], x.rng.apiserver.select(e.id, TO_OUTSIDE), seen);
    }
  }
}
