/**
 * Two cluster layouts seen from sending node A, after the research file's tests:
 * - separate: node IPs in 192.168.0.0/24, pods in 10.0.0.0/8 (one /24 per node), strict 10.0.0.0/8.
 * - overlap: Cilium's e2e "native, overlapping" layout: nodes and pods share 192.168.56.0/24
 *   (pods from 192.168.56.128/25, a /26 per node), strict CIDR 192.168.56.0/24.
 * Node B is known to A (node manager entries, one known pod B1, one new pod B2 not yet in A's
 * ipcache); node C is new: A knows nothing of it yet (in the overlap layout only C's node IP
 * and pod matter; its block is made up).
 */
import { parseCidr, parseIpv4, type Cidr } from "../../../models/addressing/ipv4.ts";
import type { DatapathConfig, StrictModeSettings } from "../../../models/datapath/config.ts";
import { validateDatapath, type DatapathPaths } from "../../../models/datapath/startup.ts";
import { DATAPATH_PATHS } from "../../../models/scenario/datapath.ts";
import { decide, type DatapathPacket, type DecideInput, type Decision } from "../../../models/datapath/decide.ts";
import {
  installLocalNode, installRemoteEndpoint, installRemoteNode, newNodeTables, type NodeAddresses, type NodeTables,
} from "./lpm.ts";

export const ip = (text: string): number => parseIpv4(text);
export const cidr = (text: string): Cidr => parseCidr(text, "cidr");

export interface Node extends NodeAddresses {
  client: number;
}

export interface Layout {
  strictCidr: Cidr;
  A: Node;
  B: Node & { pod1: number; pod2: number };
  C: Node & { pod1: number };
}

const node = (nodeIp: string, podCidr: string, router: string, health: string, client: string): Node => ({
  ip: ip(nodeIp), podCidr: cidr(podCidr), routerIp: ip(router), healthIp: ip(health), client: ip(client),
});

export const SEPARATE: Layout = {
  strictCidr: cidr("10.0.0.0/8"),
  A: node("192.168.0.1", "10.0.1.0/24", "10.0.1.1", "10.0.1.2", "10.0.1.5"),
  B: { ...node("192.168.0.2", "10.0.2.0/24", "10.0.2.1", "10.0.2.2", "10.0.2.5"), pod1: ip("10.0.2.7"), pod2: ip("10.0.2.8") },
  C: { ...node("192.168.0.3", "10.0.3.0/24", "10.0.3.1", "10.0.3.2", "10.0.3.5"), pod1: ip("10.0.3.9") },
};

export const OVERLAP: Layout = {
  strictCidr: cidr("192.168.56.0/24"),
  A: node("192.168.56.11", "192.168.56.128/26", "192.168.56.129", "192.168.56.130", "192.168.56.133"),
  B: {
    ...node("192.168.56.12", "192.168.56.192/26", "192.168.56.193", "192.168.56.194", "192.168.56.195"),
    pod1: ip("192.168.56.199"), pod2: ip("192.168.56.200"),
  },
  C: { ...node("192.168.56.13", "192.168.56.64/26", "192.168.56.65", "192.168.56.66", "192.168.56.67"), pod1: ip("192.168.56.70") },
};

export const POD_IDENTITY = 300;

type ConfigOverrides = Partial<Omit<DatapathConfig, "strictMode">> & { strict?: Partial<StrictModeSettings> };

/** WireGuard, native routing, strict mode on with the layout's CIDR, node exemption off. */
export function config(layout: Layout, over: ConfigOverrides = {}): DatapathConfig {
  const { strict, ...rest } = over;
  return {
    version: "1.15", routingMode: "native", encryption: "wireguard", nodeEncryption: false,
    ...rest,
    strictMode: { enabled: true, cidr: layout.strictCidr, allowRemoteNodeIdentities: false, ...strict },
  };
}

/** Node A's tables: itself, node B and B's first pod. */
export function tablesOfA(layout: Layout, cfg: DatapathConfig): NodeTables {
  const tables = newNodeTables();
  installLocalNode(tables, layout.A);
  installRemoteNode(tables, layout.B, cfg);
  installRemoteEndpoint(tables, { ip: layout.B.pod1, identity: POD_IDENTITY, nodeIp: layout.B.ip }, cfg);
  return tables;
}

export type PacketSpec = Partial<DatapathPacket> & Pick<DatapathPacket, "dst">;

/** A packet from A's client pod unless told otherwise; the destination is a pod by default. */
export function packet(spec: PacketSpec, layout: Layout): DatapathPacket {
  return { src: layout.A.client, srcKind: "pod", dstKind: "pod", ...spec };
}

/** Decide a packet sent by node A. */
export function fromA(
  layout: Layout,
  cfg: DatapathConfig,
  spec: PacketSpec,
  extra: Partial<Omit<DecideInput, "pkt" | "node">> & { tables?: NodeTables } = {},
): Decision {
  const tables = extra.tables ?? tablesOfA(layout, cfg);
  return decide({
    ipcache: tables.ipcache,
    tunnelMap: tables.tunnelMap,
    ...extra,
    pkt: packet(spec, layout),
    node: { cfg, ip: layout.A.ip, gatewayIp: layout.A.routerIp },
  });
}

/** Cilium's start-up checks with the scenario's field paths (some overridden). */
export function validate(cfg: DatapathConfig, nodeIps: readonly number[], paths: Partial<DatapathPaths> = {}): string[] {
  return validateDatapath(cfg, nodeIps, { ...DATAPATH_PATHS, ...paths });
}
