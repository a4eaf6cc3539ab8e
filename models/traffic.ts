/**
 * Pod traffic and its verdicts. Flows are Poisson, so the packets inside any interval are an
 * exact Poisson count: the model draws one count per (interval, verdict) instead of one event
 * per packet, which is exact in distribution and costs nothing per packet.
 *
 * - pod -> new pod: from a client pod on every other node to each new pod, from the moment it
 *   is ready. Before the sending node's IPCache knows the pod, the datapath sees an unknown
 *   destination (the leak window); afterwards it sees the pod's keyed entry.
 * - pod -> node: from each node's client pod to every other node's IP, for the whole run.
 */
import { poisson } from "../sim/poisson.ts";
import type { RandomStream, Streams } from "../sim/random.ts";
import { formatIpv4 } from "./addressing/ipv4.ts";
import type { Accounting } from "./accounting.ts";
import type { ClusterNode } from "./cluster.ts";
import { egressVerdict, type NodeDatapath } from "./datapath/verdict.ts";
import { WIREGUARD_KEY, type IPCache, type IPCacheEntry } from "./ipcache.ts";
import type { Scenario } from "./scenario.ts";
import type { Endpoint } from "./workload.ts";
import { strictModeFor, type StrictModeConfig } from "./datapath/strict.ts";

export class PodTraffic {
  private readonly rng: RandomStream;
  /** Each node's strict-mode filter configuration, by node index. */
  private readonly strict: StrictModeConfig[];

  constructor(
    private readonly sc: Scenario,
    streams: Streams,
    private readonly nodes: readonly ClusterNode[],
    private readonly nodeCache: IPCache,
    private readonly acct: Accounting,
  ) {
    this.strict = nodes.map((n) => strictModeFor(sc, n.ip));
    this.rng = streams.stream("traffic/pod-to-pod");
    this.podToNode(streams.stream("traffic/pod-to-node"));
  }

  /** Accounts every sending node's traffic to `e`, given when each node learns it. */
  endpointPropagated(e: Endpoint, learnAt: ArrayLike<number>): void {
    for (const observer of this.nodes) {
      if (observer !== e.node) this.pair(e, observer, learnAt[observer.index]);
    }
  }

  /** Accounts traffic to an endpoint no node learned of before the end of the run. */
  endpointNeverPropagated(e: Endpoint): void {
    for (const observer of this.nodes) {
      if (observer !== e.node) this.pair(e, observer, Infinity);
    }
  }

  private pair(e: Endpoint, observer: ClusterNode, known: number): void {
    const end = this.sc.duration;
    if (e.ready >= end) return; // never ready inside the run: no traffic, no window
    const closed = Math.min(known, end);
    const length = Math.max(0, closed - e.ready);
    const flow = this.sc.traffic.podToPod;
    const pkt = { src: observer.clientIp, dst: e.ip, srcKind: "pod" as const, dstKind: "pod" as const };
    if (this.sc.cilium.encryption.enabled) this.acct.window(length, known > end);
    if (length > 0) {
      const verdict = egressVerdict(pkt, this.datapath(observer, e, undefined));
      const packets = poisson(flow.rate * length, this.rng);
      this.acct.count(verdict, packets, flow.packetBytes);
      if (packets > 0 && (verdict === "leaked" || verdict === "strict_dropped")) {
        this.acct.windows.push({
          endpoint: e.id, endpointIp: formatIpv4(e.ip), endpointNode: e.node.name, observerNode: observer.name,
          opened: e.ready, closed, packets, bytes: packets * flow.packetBytes,
          outcome: verdict === "leaked" ? "leaked" : "dropped", censored: known > end,
        });
      }
    }
    const after = end - Math.max(e.ready, known);
    if (after > 0) {
      const entry: IPCacheEntry = { identity: e.identity, hostIp: e.node.ip, key: WIREGUARD_KEY };
      const verdict = egressVerdict(pkt, this.datapath(observer, e, entry));
      this.acct.count(verdict, poisson(flow.rate * after, this.rng), flow.packetBytes);
    }
  }

  /** The sending node's datapath, with `entry` as what its IPCache holds for the endpoint. */
  private datapath(node: ClusterNode, e: Endpoint, entry: IPCacheEntry | undefined): NodeDatapath {
    return {
      encryption: this.sc.cilium.encryption.enabled,
      strict: this.strict[node.index],
      gatewayIp: node.routerIp,
      lookup: (ip) => (ip === e.ip ? entry : this.nodeCache.lookup(ip)),
    };
  }

  private podToNode(rng: RandomStream): void {
    const flow = this.sc.traffic.podToNode;
    if (flow.rate === 0) return;
    for (const src of this.nodes) {
      const datapath: NodeDatapath = {
        encryption: this.sc.cilium.encryption.enabled,
        strict: this.strict[src.index],
        gatewayIp: src.routerIp,
        lookup: (ip) => this.nodeCache.lookup(ip),
      };
      for (const dst of this.nodes) {
        if (dst === src) continue;
        const verdict = egressVerdict({ src: src.clientIp, dst: dst.ip, srcKind: "pod", dstKind: "node" }, datapath);
        this.acct.count(verdict, poisson(flow.rate * this.sc.duration, rng), flow.packetBytes);
      }
    }
  }
}
