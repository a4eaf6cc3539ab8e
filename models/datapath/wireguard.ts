/**
 * The sender's WireGuard device: the AllowedIPs the agent derives from the peers and the
 * IPCache (pkg/wireguard/agent), and so which peer the kernel picks for a destination.
 */
import type { DatapathConfig } from "./config.ts";
import { VERSION_TRAITS } from "./config.ts";
import type { IPCacheView } from "./entries.ts";

/** The sender's WireGuard device: which peer (by node IP) the kernel picks for a destination. */
export interface WireGuardView {
  /** The node IP of the peer whose AllowedIPs hold `ip`; undefined means wg_xmit fails with -ENOKEY. */
  peerFor(ip: number): number | undefined;
}

/**
 * AllowedIPs as the agent maintains them (pkg/wireguard/agent): every peer's node IPs, plus in
 * native routing (and in tunnel mode before #29000) every ipcache prefix whose tunnel endpoint
 * is that peer. `hasPeer` says whether the peer for a node IP is configured yet.
 */
export function wireguardPeers(cfg: DatapathConfig, ipcache: IPCacheView, hasPeer: (nodeIp: number) => boolean): WireGuardView {
  const tracksIpcache = cfg.routingMode === "native" || VERSION_TRAITS[cfg.version].allowedIpsTrackIpcacheInTunnel;
  return {
    peerFor(ip) {
      if (hasPeer(ip)) return ip;
      if (!tracksIpcache) return undefined;
      const hostIp = ipcache.lookup(ip)?.hostIp ?? 0;
      return hostIp !== 0 && hasPeer(hostIp) ? hostIp : undefined;
    },
  };
}
