/**
 * Traffic between the API server and pods, both ways, judged after the other node traffic
 * from the same stream:
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
import type { Verdict } from "../datapath/verdict.ts";
import { viewCuts } from "./cuts.ts";
import type { PacketSpec } from "./judge.ts";
import { flowTo, OUTSIDE, segments, type NodeTrafficInput } from "./nodeTraffic.ts";

const PLAINTEXT = new Set<Verdict>(["plaintext_allowed", "host_plaintext", "leaked"]);

export function accountApiServerTraffic(x: NodeTrafficInput, encryption: boolean): void {
  const seen = (v: Verdict, packets: number) => {
    if (encryption && PLAINTEXT.has(v)) x.acct.apiServerPlaintext += packets;
  };
  if (x.flows.apiServer === "managed") managed(x, seen);
  else inCluster(x, seen);
}

function inCluster(x: NodeTrafficInput, seen: (v: Verdict, packets: number) => void): void {
  const apiserver = x.nodes[0];
  const requests = x.flows.apiServerToPods;
  for (const e of x.endpoints) {
    if (e.node === apiserver.index || apiserver.index % x.observerStride !== 0) continue;
    const from = Math.max(e.ready, apiserver.listed);
    const to = Math.min(e.deleted, apiserver.removed, x.duration);
    if (!(to > from)) continue;
    const pkt: PacketSpec = { src: apiserver.ip, dst: e.ip, srcKind: "host", dstKind: "pod", dstHost: e.node };
    const cuts: number[] = [];
    viewCuts(x.views, e.ip, apiserver.index, x.nodes[e.node], from, to, cuts);
    segments(x, apiserver, pkt, requests, cuts, seen);
  }
  for (const e of x.endpoints) {
    const node = x.nodes[e.node];
    if (e.node === apiserver.index || node.index % x.observerStride !== 0) continue;
    const from = Math.max(e.ready, apiserver.listed);
    const to = Math.min(e.deleted, apiserver.removed, x.duration);
    if (!(to > from)) continue;
    const pkt: PacketSpec = { src: e.ip, dst: apiserver.ip, srcKind: "pod", dstKind: "node", dstHost: apiserver.index };
    flowTo(x, node, apiserver, from, to, pkt, x.flows.podsToApiServer, seen);
  }
}

/** The API server is outside the cluster: its requests arrive from outside, pods' traffic to it leaves the cluster. */
function managed(x: NodeTrafficInput, seen: (v: Verdict, packets: number) => void): void {
  const { apiServerToPods: requests, podsToApiServer: replies } = x.flows;
  for (const e of x.endpoints) {
    const node = x.nodes[e.node];
    const span = Math.min(e.deleted, x.duration) - e.ready;
    if (!(span > 0) || node.index % x.observerStride !== 0) continue;
    if (requests.rate > 0) {
      const packets = poisson(requests.rate * span, x.rng);
      x.acct.count("plaintext_allowed", packets, requests.packetBytes);
      seen("plaintext_allowed", packets);
    }
    if (replies.rate > 0) {
      const pkt: PacketSpec = { src: e.ip, dst: OUTSIDE, srcKind: "pod", dstKind: "external", dstHost: -1 };
      segments(x, node, pkt, replies, [e.ready, e.ready + span], seen);
    }
  }
}
