// Cilium version rules that change the MTU budget of transparent encryption.

export interface CiliumVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * Parses "1.15", "1.19.5" or "v1.19.5". A missing patch means the .0 release,
 * so "1.19" is 1.19.0 (which still reserves 80 B for WireGuard).
 */
export function parseCiliumVersion(text: string): CiliumVersion {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) {
    throw new Error(`ciliumVersion must look like "1.15" or "1.19.5", got ${JSON.stringify(text)}`);
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

function atLeast(v: CiliumVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** WireGuard support arrived in Cilium 1.10 (Cilium 1.10 release blog). */
export function supportsWireguard(v: CiliumVersion): boolean {
  return atLeast(v, 1, 10);
}

/**
 * Cilium's `WireguardOverhead` (pkg/mtu/mtu.go): 80 B up to 1.19.4; 95 B
 * (80 + 15 B worst-case padding) from 1.19.5 on, after PR #45940 / issue #47176.
 */
export function ciliumWireguardOverhead(v: CiliumVersion): number {
  return atLeast(v, 1, 19, 5) ? 95 : 80;
}

/**
 * Whether pod-to-pod traffic in tunnel mode is VXLAN/Geneve-encapsulated
 * before WireGuard encrypts it, so that both overheads stack. Default from
 * 1.15 (PR #29000, route MTU fixed in PR #30329); 1.14 only with
 * `--wireguard-encapsulate`; before that only WireGuard encapsulated it.
 */
export function tunnelStacksUnderWireguard(v: CiliumVersion, wireguardEncapsulate: boolean): boolean {
  if (atLeast(v, 1, 15)) return true;
  return wireguardEncapsulate && v.major === 1 && v.minor === 14;
}

/**
 * Cilium's `EncryptionIPsecOverhead` budget (pkg/mtu/mtu.go): 77 B for the
 * default 16 B ICV, growing with longer ICVs (authKeySize − 16).
 */
export function ciliumIpsecOverhead(icvBytes: number): number {
  return 77 + (icvBytes - 16);
}
