/**
 * iptables masquerading in tunnel mode, and what it does to the strict filter. With
 * enableIPv4Masquerade on (Helm default true) and bpf.masquerade off (Helm default false), the
 * agent installs a catch-all MASQUERADE for traffic from the local allocation range that does
 * not leave on a cilium_ device and is not for the SNAT exclusion CIDR (v1.15.0
 * pkg/datapath/iptables/iptables.go L1340-1380), which without a native-routing CIDR, the
 * tunnel-mode norm, is only the node's own allocation range (pkg/datapath/types/config.go
 * L108-118). A pod's packet with no tunnel endpoint (DROP_NO_TUNNEL_ENDPOINT, bpf_lxc.c
 * L1202-1247: to the stack) follows the default route, so netfilter's POSTROUTING rewrites its
 * source to the node IP before tc egress runs bpf_host: the WireGuard hook sees a host source,
 * and strict_allow exempts IPV4_ENCRYPT_IFACE (wireguard.h L174), so the pod's payload leaves
 * in plaintext. BPF masquerading SNATs in handle_nat_fwd, after strict_allow (bpf_host.c
 * L1399-1425), so the filter sees the pod and drops. Inferred from code order, as the review
 * says; no upstream test covers it (cilium-cli skips tunnel mode for its strict tests).
 *
 * In native routing Cilium requires a native-routing CIDR, which covers the pod range, so pod
 * destinations are never masqueraded; node destinations outside it are, but strict_allow
 * passes those anyway (outside the CIDR), so native routing is left as it is.
 */
import type { DecideInput } from "./decide.ts";

/** The packet as bpf_host sees it on the native device: SNATed to the node IP, or as sent. */
export function masqueraded(input: DecideInput): DecideInput {
  const { pkt, node } = input;
  if (pkt.srcKind !== "pod" || node.cfg.routingMode !== "tunnel" || node.cfg.iptablesMasquerade !== true) return input;
  return { ...input, pkt: { ...pkt, src: node.ip, srcKind: "host" } };
}
