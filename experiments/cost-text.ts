// What `npm run cost` prints: the assumptions behind the answer (each with the flag that
// changes it), the comparison table, and the runs.csv cost columns a sweep would record.

import type { CostAnswer, CostQuestion } from "../models/cost/question.ts";

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : "∞");

function aligned(rows: string[][], rightAlign: Set<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  return rows.map((r) =>
    r.map((cell, c) => (c === r.length - 1 ? cell : rightAlign.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd(),
  );
}

function mixText(q: CostQuestion): string {
  if (typeof q.packetBytes === "number") return `${q.packetBytes} B messages${q.packetBytes >= 65536 ? " (a bulk stream)" : ""}`;
  return q.packetBytes.map((c) => `${c.bytes} B × ${c.weight}`).join(", ");
}

/** Every assumption the answer rests on, and the flag that changes it. */
export function assumptionsText(q: CostQuestion, peersFromNodes: boolean): string {
  const hw = q.hardware;
  const cap = hw.flowCapGbps === null ? "no per-flow cap" : `${hw.flowCapGbps} Gbit/s per flow (one outer flow per node pair when encrypted)`;
  const routing = q.routingMode === "tunnel" ? `tunnel (${q.tunnelProtocol})` : "native";
  const rows = [
    ["routing", routing, "--routing, --tunnel"],
    ["Cilium version", q.ciliumVersion, "--version"],
    ["nodes, peers", `${q.nodes} nodes; ${q.peers} peer(s) per node${peersFromNodes ? " (nodes − 1, as a sweep)" : ""}`, "--nodes, --peers"],
    ["flows", `${q.flowsPerPeer} TCP flow(s) per peer`, "--flows"],
    ["traffic", mixText(q), "--packet-bytes"],
    ["underlay MTU", `${q.underlayMtu} B, ${q.ipFamily}`, "--mtu, --family"],
    ["clock", `${hw.clockGhz} GHz (${hw.clockBasis} clock; the constants are counted at a base clock)`, "--clock, --clock-basis"],
    ["CPUs", `${hw.cores} cores × ${hw.threadsPerCore} threads, ${hw.platform}`, "--hardware"],
    ["NIC", `${hw.nicGbps} Gbit/s, ${cap}`, "--flow-cap"],
    ["node encryption", q.nodeEncryption ? `on; ${q.controlPlaneNodes} control-plane node(s) opt out` : "off", "--node-encryption, --control-plane-nodes"],
  ];
  return ["assumptions (flag to change each):", ...aligned(rows, new Set()).map((l) => `  ${l}`)].join("\n");
}

export function tableText(q: CostQuestion, a: CostAnswer): string {
  const r = a.result;
  const u = r.mtu.unencrypted;
  const e = r.mtu.encrypted;
  const rows = [
    ["quantity", "none", q.encryption, "unit"],
    ["pod route MTU", `${u.podRouteMtu}`, `${e.podRouteMtu}`, "B"],
    ["TCP MSS", `${u.tcpMss}`, `${e.tcpMss}`, "B"],
    ["outer packet, full size", `${u.fullSizeOuterBytes}`, `${e.fullSizeOuterBytes}`, "B"],
    ["IP packets per full-size packet", `${u.fullSizeFragments}`, `${e.fullSizeFragments}`, "count"],
    ["wire efficiency", fmt(100 * u.wireEfficiency, 1), fmt(100 * e.wireEfficiency, 1), "%"],
    ["throughput per node pair", fmt(r.pair.unencrypted.gbps, 2), fmt(r.pair.encrypted.gbps, 2), "Gbit/s"],
    ["  bottleneck", r.pair.unencrypted.bottleneck, r.pair.encrypted.bottleneck, ""],
    ["throughput per node", fmt(r.node.unencrypted.gbps, 2), fmt(a.columns.node_gbps_encrypted!, 2), "Gbit/s"],
    ["  bottleneck", r.node.unencrypted.bottleneck, r.node.encrypted.bottleneck, ""],
    ["CPU, sender", fmt(r.cpuSecondsPerGB.unencrypted.tx, 2), fmt(r.cpuSecondsPerGB.encrypted.tx, 2), "CPU-s/GB"],
    ["CPU, receiver", fmt(r.cpuSecondsPerGB.unencrypted.rx, 2), fmt(r.cpuSecondsPerGB.encrypted.rx, 2), "CPU-s/GB"],
    ["1-byte TCP_RR", fmt(r.latency.tcpRr1BytePerSecond.unencrypted, 0), fmt(r.latency.tcpRr1BytePerSecond.encrypted, 0), "trans/s"],
  ];
  return aligned(rows, new Set([1, 2])).join("\n");
}

const COLUMN_TEXT: Record<string, [number, string]> = {
  throughput_overhead_pct: [1, "% of unencrypted node throughput"],
  cpu_overhead_cores_per_gbps: [3, "extra CPUs (sender + receiver) per Gbit/s"],
  latency_added_us: [1, "µs per message, one way"],
  pod_route_mtu: [0, "B"],
  tcp_mss: [0, "B"],
  node_gbps_unencrypted: [2, "Gbit/s per node"],
  node_gbps_encrypted: [2, "Gbit/s per node"],
  cpu_overhead_sender_cores_per_gbps: [3, "extra sender CPUs per Gbit/s"],
  cpu_overhead_receiver_cores_per_gbps: [3, "extra receiver CPUs per Gbit/s"],
  node_encryption_cores: [4, "extra CPUs per node for host traffic (node encryption)"],
};

/** The runs.csv cost columns, as a sweep of the same question would record them. */
export function columnsText(a: CostAnswer): string {
  const rows = Object.entries(a.columns).map(([k, v]) => {
    const [digits, unit] = COLUMN_TEXT[k] ?? [3, ""];
    return [k, fmt(v, digits), unit];
  });
  return ["runs.csv cost columns:", ...aligned(rows, new Set([1])).map((l) => `  ${l}`)].join("\n");
}
