/**
 * What a node's IPCache holds for an address: identity, tunnel endpoint and encrypt key, and
 * the entries the agent makes for remote nodes, their pod CIDRs and remote pods. They follow
 * the ipcache table of pkg/node/manager/manager.go and the CEP watcher (cilium_endpoint.go).
 * Lookups over them (longest prefix wins) are made by models/ipcache/views.ts from the run's
 * timeline; test/models/datapath/lpm.ts keeps a materialised table for the datapath's tests.
 */
import { IDENTITY } from "../identity.ts";
import type { DatapathConfig } from "./config.ts";

/** One IPCache entry, as cilium_ipcache's value holds it. */
export interface IPCacheEntry {
  identity: number;
  /** Tunnel endpoint: the IP of the node hosting the prefix (0 when none). */
  hostIp: number;
  /** Encrypt key index; 0 means the datapath sends it unencrypted. */
  key: number;
}

/** Anything that answers an ipcache lookup the way the datapath does (longest prefix wins). */
export interface IPCacheView {
  lookup(ip: number): IPCacheEntry | undefined;
}

/** WireGuard's static ipcache key (pkg/wireguard/types StaticEncryptKey). */
export const WIREGUARD_KEY = 0xff;
/** The key index leaklab gives IPsec entries (any non-zero SPI index behaves alike here). */
export const IPSEC_KEY = 1;

/** The key every encrypted entry carries under this configuration. */
export function encryptKeyFor(cfg: DatapathConfig): number {
  if (cfg.encryption === "wireguard") return WIREGUARD_KEY;
  return cfg.encryption === "ipsec" ? IPSEC_KEY : 0;
}

/**
 * The entry for a remote node's own address: node IP and cilium_host carry the remote-node
 * identity, the health IP the health identity and the key. The node IP's tunnel endpoint is
 * set only when encryption is on; the others' always.
 *
 * A node address carries a key only with node encryption and when neither end opts out
 * (v1.15.0 pkg/node/manager/manager.go L400-410 and L514-515): the sender ignores every
 * remote node's key if it opted out itself, and a node that opts out announces key 0
 * (pkg/wireguard/agent/agent.go L150-156). The health endpoint keeps WireGuard's static key
 * either way (manager.go L412-426). `nodeKeys` is that condition; absent: node encryption.
 */
export function remoteNodeEntry(kind: "node" | "router" | "health", nodeIp: number, cfg: DatapathConfig, nodeKeys = cfg.nodeEncryption): IPCacheEntry {
  const key = encryptKeyFor(cfg);
  if (kind === "health") return { identity: IDENTITY.health, hostIp: nodeIp, key };
  const hostIp = kind === "node" && cfg.encryption === "disabled" ? 0 : nodeIp;
  return { identity: IDENTITY.remoteNode, hostIp, key: nodeKeys ? key : 0 };
}

/** From 1.18, a remote node's pod CIDR as an ipcache prefix: identity world, its node, the key (#38483). */
export function podCidrEntry(nodeIp: number, cfg: DatapathConfig): IPCacheEntry {
  return { identity: IDENTITY.world, hostIp: nodeIp, key: encryptKeyFor(cfg) };
}

/** Before 1.18 in tunnel mode, the tunnel map routes a remote node's pod CIDR to it. */
export function tunnelMapEntry(nodeIp: number): IPCacheEntry {
  return { identity: IDENTITY.unknown, hostIp: nodeIp, key: 0 };
}

/** A remote pod's /32: its identity, its node as tunnel endpoint, the key. */
export function remoteEndpointEntry(identity: number, nodeIp: number, cfg: DatapathConfig): IPCacheEntry {
  return { identity, hostIp: nodeIp, key: encryptKeyFor(cfg) };
}
