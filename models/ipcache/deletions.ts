/**
 * Entries deleted by hand from every agent's BPF ipcache and restored later, as cilium-cli's
 * strict-mode tests do (`cilium bpf ipcache delete`, tests/pod.go PodToPodMissingIPCache):
 * the /32 of each of a deployment's pods (those alive when the deletion starts), and in the -v2
 * test also every remote node's pod-CIDR entry. The agent's own state is untouched; only the
 * datapath's lookups miss them. On the pod's own node the deletion also takes the pod's source
 * identity, which the datapath looks up there before 1.18 (#38592).
 */
import type { Endpoint } from "../cluster/endpoint.ts";

export interface IpcacheDelete {
  /** Index of the deployment (workload.deployments) whose pods' entries go. */
  deployment: number;
  start: number;
  end: number;
  /** Also every remote pod-CIDR entry (cilium-cli's strict-mode-encryption-v2). */
  podCidrEntries: boolean;
}

interface Window {
  start: number;
  end: number;
  ips: Set<number>;
  podCidrEntries: boolean;
}

export class IpcacheDeletions {
  private readonly windows: Window[];
  /** Every address any deletion touches, for the pair shortcut (traffic/podTraffic.ts). */
  private readonly touched = new Set<number>();

  constructor(deletes: readonly IpcacheDelete[], endpoints: readonly Endpoint[]) {
    this.windows = deletes.map((d) => {
      const label = `deploy:${d.deployment}`;
      const ips = new Set(endpoints.filter((e) => e.labels === label && e.created <= d.start && e.deleted > d.start).map((e) => e.ip));
      for (const ip of ips) this.touched.add(ip);
      return { start: d.start, end: d.end, ips, podCidrEntries: d.podCidrEntries };
    });
  }

  get any(): boolean {
    return this.windows.length > 0;
  }

  /** The /32 of `ip` is deleted at t. */
  addressDeleted(ip: number, t: number): boolean {
    return this.windows.some((w) => t >= w.start && t < w.end && w.ips.has(ip));
  }

  /** Remote pod-CIDR entries are deleted at t. */
  podCidrsDeleted(t: number): boolean {
    return this.windows.some((w) => w.podCidrEntries && t >= w.start && t < w.end);
  }

  /** Whether a deletion can change a lookup of `ip` (its /32, or the pod CIDRs it falls in). */
  touches(ip: number): boolean {
    return this.touched.has(ip) || this.windows.some((w) => w.podCidrEntries);
  }

  /** Times in (from, to) at which lookups of `ip` may change because of a deletion. */
  changePoints(ip: number, from: number, to: number, out: number[]): void {
    for (const w of this.windows) {
      if (!w.podCidrEntries && !w.ips.has(ip)) continue;
      for (const t of [w.start, w.end]) if (t > from && t < to) out.push(t);
    }
  }
}
