// Reading `iperf3 --json` output for calibration. A file holds one iperf3 result or a JSON array
// of them (e.g. `jq -s . plain.json wg.json`). Each run says what it went through in its
// `--title`: an encryption (none, wireguard, ipsec), optionally a routing mode (native, tunnel)
// and a tunnel protocol (vxlan, geneve), e.g. `--title "wireguard tunnel"`. A single run without
// a title takes them from the command line. Errors name the offending field by its path.

import type { Encryption, RoutingMode, TunnelProtocol } from "./mtu.ts";

export interface Iperf3Run {
  /** `FILE` or `FILE[i]`, for messages. */
  where: string;
  title: string | null;
  encryption: Encryption;
  routingMode: RoutingMode;
  tunnelProtocol: TunnelProtocol;
  /** Receiver's goodput, end.sum_received.bits_per_second, in Gbit/s. */
  gbps: number;
  /** start.tcp_mss_default. */
  mss: number;
  /** Largest path MTU seen in the intervals (iperf3 ≥ 3.x reports `pmtu`); null when absent. */
  pathMtu: number | null;
  streams: number;
  /** iperf3's own process CPU (% of one CPU) on the sending and the receiving host. */
  cpu: { sender: number; receiver: number } | null;
}

export interface RunDefaults {
  encryption: Encryption;
  routingMode: RoutingMode;
  tunnelProtocol: TunnelProtocol;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field(o: unknown, path: string[], where: string): unknown {
  let cur: unknown = o;
  for (let i = 0; i < path.length; i++) {
    if (!isObject(cur)) throw new Error(`${where}.${path.slice(0, i).join(".") || "(top)"} must be an object (iperf3 --json output)`);
    cur = cur[path[i]!];
  }
  return cur;
}

function positive(o: unknown, path: string[], where: string): number {
  const v = field(o, path, where);
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${where}.${path.join(".")} must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

const ENCRYPTIONS: readonly Encryption[] = ["none", "wireguard", "ipsec"];
const ROUTINGS: readonly RoutingMode[] = ["native", "tunnel"];
const TUNNELS: readonly TunnelProtocol[] = ["vxlan", "geneve"];

/** What a run's title says it went through; the rest from `d`. */
function labels(title: string | null, d: RunDefaults, where: string, needTitle: boolean): RunDefaults {
  if (title === null) {
    if (needTitle) throw new Error(`${where}.title is missing: give each run of a list iperf3 --title "none|wireguard|ipsec [native|tunnel] [vxlan|geneve]"`);
    return d;
  }
  const out: Partial<RunDefaults> = {};
  for (const word of title.toLowerCase().split(/[\s,+/]+/).filter(Boolean)) {
    if (ENCRYPTIONS.includes(word as Encryption)) out.encryption = word as Encryption;
    else if (ROUTINGS.includes(word as RoutingMode)) out.routingMode = word as RoutingMode;
    else if (TUNNELS.includes(word as TunnelProtocol)) out.tunnelProtocol = word as TunnelProtocol;
    else throw new Error(`${where}.title: unknown word ${JSON.stringify(word)}; use none, wireguard, ipsec, native, tunnel, vxlan, geneve`);
  }
  if (out.encryption === undefined) throw new Error(`${where}.title must name the encryption (none, wireguard or ipsec), got ${JSON.stringify(title)}`);
  const tunnel = out.tunnelProtocol ?? d.tunnelProtocol;
  return { encryption: out.encryption, routingMode: out.routingMode ?? (out.tunnelProtocol ? "tunnel" : "native"), tunnelProtocol: tunnel };
}

function pathMtu(o: Obj): number | null {
  const intervals = Array.isArray(o.intervals) ? o.intervals : [];
  let best: number | null = null;
  for (const iv of intervals) {
    const streams = isObject(iv) && Array.isArray(iv.streams) ? iv.streams : [];
    for (const s of streams) {
      if (isObject(s) && typeof s.pmtu === "number" && s.pmtu > 0) best = Math.max(best ?? 0, s.pmtu);
    }
  }
  return best;
}

function cpuOf(o: Obj, reverse: boolean): { sender: number; receiver: number } | null {
  const c = field(o, ["end", "cpu_utilization_percent"], "");
  if (!isObject(c) || typeof c.host_total !== "number" || typeof c.remote_total !== "number") return null;
  // The client is "host"; with --reverse it is the receiver.
  return reverse ? { sender: c.remote_total, receiver: c.host_total } : { sender: c.host_total, receiver: c.remote_total };
}

function readRun(o: unknown, where: string, d: RunDefaults, needTitle: boolean): Iperf3Run {
  if (!isObject(o)) throw new Error(`${where} must be an iperf3 --json result (an object), got ${JSON.stringify(o)?.slice(0, 40)}`);
  if (typeof o.error === "string") throw new Error(`${where}.error: iperf3 reported "${o.error}"`);
  const protocol = field(o, ["start", "test_start", "protocol"], where);
  if (protocol !== "TCP") throw new Error(`${where}.start.test_start.protocol must be "TCP" (a TCP stream test), got ${JSON.stringify(protocol)}`);
  const title = typeof o.title === "string" && o.title.trim() !== "" ? o.title.trim() : null;
  const reverse = field(o, ["start", "test_start", "reverse"], where) === 1;
  return {
    where,
    title,
    ...labels(title, d, where, needTitle),
    gbps: positive(o, ["end", "sum_received", "bits_per_second"], where) / 1e9,
    mss: positive(o, ["start", "tcp_mss_default"], where),
    pathMtu: pathMtu(o),
    streams: positive(o, ["start", "test_start", "num_streams"], where),
    cpu: cpuOf(o, reverse),
  };
}

/** Parses the text of an iperf3 --json file (one result or an array of them). */
export function readIperf3(text: string, file: string, d: RunDefaults): Iperf3Run[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) return [readRun(parsed, file, d, false)];
  if (parsed.length === 0) throw new Error(`${file} is an empty list; expected iperf3 --json results`);
  return parsed.map((o, i) => readRun(o, `${file}[${i}]`, d, parsed.length > 1));
}
