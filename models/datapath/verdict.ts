/**
 * The verdicts a packet class can end in (decide.ts chooses one). Definitions (docs/datapath.md):
 * - encrypted: left the node through WireGuard or IPsec towards the node that hosts the destination.
 * - plaintext_allowed: left in plaintext by design: not pod-to-pod, or encryption is off.
 * - leaked: pod-to-pod traffic that crossed the wire in plaintext.
 * - strict_dropped: pod-to-pod traffic dropped by strict mode, the intended drop.
 * - false_dropped: legitimate non-pod-to-pod traffic dropped by strict mode (pod -> node,
 *   pod -> health, a node not yet known, a host source other than the exempt addresses).
 * - wg_dropped: the destination has a key, but the WireGuard peer or AllowedIP is missing (-ENOKEY).
 * - misdelivered: a stale ipcache entry sent it to a node that no longer hosts the destination.
 * - host_plaintext: host-originated traffic left in plaintext although encryption is on.
 */
export const VERDICTS = [
  "encrypted", "plaintext_allowed", "leaked", "strict_dropped", "false_dropped",
  "wg_dropped", "misdelivered", "host_plaintext",
] as const;
export type Verdict = (typeof VERDICTS)[number];

export type EndpointKind = "pod" | "host" | "node" | "health" | "external";

/** Each verdict's position in VERDICTS, for per-verdict arrays. */
export const VERDICT_INDEX = Object.fromEntries(VERDICTS.map((v, i) => [v, i])) as Record<Verdict, number>;
