// `npm run cost -- [flags]`: ask the encryption cost model one question and
// print a small table comparing the chosen encryption with none.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseJsonInput } from "../sim/input.ts";
import {
  type CostInput,
  type CostResult,
  encryptionCost,
  type HardwareProfile,
  hardwareProfileNames,
  type MessageClass,
  validateHardwareProfile,
} from "../models/cost/index.ts";

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

class UsageError extends Error {}

const ENCRYPTIONS = ["none", "wireguard", "ipsec"] as const;
const ROUTINGS = ["native", "tunnel"] as const;
const FAMILIES = ["ipv4", "ipv6"] as const;
const FLAGS = ["encryption", "mtu", "hardware", "routing", "version", "family", "packet-bytes", "peers", "flows"];

const USAGE = `usage: npm run cost -- [flags]

  --encryption none|wireguard|ipsec   encryption to compare with none (default wireguard)
  --hardware NAME|FILE.json           built-in profile or a JSON profile (default generic-x86-25g)
                                      built-ins: ${hardwareProfileNames().join(", ")}
  --mtu BYTES                         underlay MTU (default: the profile's)
  --routing native|tunnel             Cilium routing mode (default native)
  --version X.Y[.Z]                   Cilium version (default 1.19)
  --family ipv4|ipv6                  IP family of nodes and pods (default ipv4)
  --packet-bytes N | N:W,N:W...       message size in bytes, or sizes with weights (default 131072, a bulk stream)
  --peers N                           node pairs each node talks to (default 1)
  --flows N                           TCP flows per node pair (default 1)
  --help                              this text

example: npm run cost -- --encryption wireguard --mtu 9000 --hardware ryzen-3950x-100g`;

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return new Map([["help", ""]]);
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !FLAGS.includes(match[1] as string)) {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}; valid flags: ${FLAGS.map((f) => `--${f}`).join(", ")}, --help`);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    flags.set(match[1] as string, value);
  }
  return flags;
}

function oneOf<T extends string>(flag: string, value: string | undefined, valid: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(valid as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${valid.join(", ")}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${flag} must be a positive integer; got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function parseMix(value: string | undefined): number | MessageClass[] {
  if (value === undefined) return 131072;
  if (/^\d+$/.test(value)) return positiveInt("packet-bytes", value, 0);
  return value.split(",").map((part) => {
    const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
      throw new UsageError(`--packet-bytes must be N or N:W,N:W... with positive sizes and weights; got ${JSON.stringify(value)}`);
    }
    return { bytes: Number(m[1]), weight: Number(m[2]) };
  });
}

function loadHardware(value: string | undefined, readFile: (path: string) => string): HardwareProfile {
  const spec = value ?? "generic-x86-25g";
  const isFile = spec.endsWith(".json") || spec.includes("/");
  if (!isFile) return validateHardwareProfile(spec, "--hardware");
  let parsed: unknown;
  try {
    parsed = parseJsonInput(readFile(spec), spec);
  } catch (e) {
    throw new UsageError(`--hardware: cannot read JSON profile ${spec}: ${(e as Error).message}`);
  }
  return validateHardwareProfile(parsed, "hardware");
}

function inputFrom(flags: Map<string, string>, readFile: (path: string) => string): CostInput {
  const hardware = loadHardware(flags.get("hardware"), readFile);
  return {
    encryption: oneOf("encryption", flags.get("encryption"), ENCRYPTIONS, "wireguard"),
    routingMode: oneOf("routing", flags.get("routing"), ROUTINGS, "native"),
    ciliumVersion: flags.get("version") ?? "1.19",
    ipFamily: oneOf("family", flags.get("family"), FAMILIES, "ipv4"),
    underlayMtu: positiveInt("mtu", flags.get("mtu"), hardware.underlayMtu),
    hardware,
    packetBytes: parseMix(flags.get("packet-bytes")),
    peers: positiveInt("peers", flags.get("peers"), 1),
    flowsPerPeer: positiveInt("flows", flags.get("flows"), 1),
  };
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : "∞");

function table(input: CostInput, r: CostResult): string {
  const u = r.mtu.unencrypted;
  const e = r.mtu.encrypted;
  const rows: [string, string, string, string][] = [
    ["quantity", "none", input.encryption, "unit"],
    ["pod route MTU", `${u.podRouteMtu}`, `${e.podRouteMtu}`, "B"],
    ["TCP MSS", `${u.tcpMss}`, `${e.tcpMss}`, "B"],
    ["outer packet, full size", `${u.fullSizeOuterBytes}`, `${e.fullSizeOuterBytes}`, "B"],
    ["IP packets per full-size packet", `${u.fullSizeFragments}`, `${e.fullSizeFragments}`, "count"],
    ["wire efficiency", fmt(100 * u.wireEfficiency, 1), fmt(100 * e.wireEfficiency, 1), "%"],
    ["throughput per node pair", fmt(r.pair.unencrypted.gbps, 2), fmt(r.pair.encrypted.gbps, 2), "Gbit/s"],
    ["  bottleneck", r.pair.unencrypted.bottleneck, r.pair.encrypted.bottleneck, ""],
    ["throughput per node", fmt(r.node.unencrypted.gbps, 2), fmt(r.node.encrypted.gbps, 2), "Gbit/s"],
    ["  bottleneck", r.node.unencrypted.bottleneck, r.node.encrypted.bottleneck, ""],
    ["CPU, sender", fmt(r.cpuSecondsPerGB.unencrypted.tx, 2), fmt(r.cpuSecondsPerGB.encrypted.tx, 2), "CPU-s/GB"],
    ["CPU, receiver", fmt(r.cpuSecondsPerGB.unencrypted.rx, 2), fmt(r.cpuSecondsPerGB.encrypted.rx, 2), "CPU-s/GB"],
    ["1-byte TCP_RR", fmt(r.latency.tcpRr1BytePerSecond.unencrypted, 0), fmt(r.latency.tcpRr1BytePerSecond.encrypted, 0), "trans/s"],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const line = (row: string[]) =>
    [row[0]!.padEnd(widths[0]!), row[1]!.padStart(widths[1]!), row[2]!.padStart(widths[2]!), row[3]!].join("  ").trimEnd();
  const summary = [
    ["throughput_overhead_pct", fmt(r.throughput_overhead_pct, 1), "% of unencrypted node throughput"],
    ["cpu_overhead_cores_per_gbps", fmt(r.cpu_overhead_cores_per_gbps, 3), "extra CPUs (sender + receiver) per Gbit/s"],
    ["latency_added_us", fmt(r.latency_added_us, 1), "µs per message, one way"],
    ["latency added, 1-byte packet", fmt(r.latency.packetAddedUs.smallest, 1), "µs one way"],
  ];
  const w = Math.max(...summary.map((s) => s[0]!.length));
  return [...rows.map(line), "", ...summary.map((s) => `${s[0]!.padEnd(w)}  ${s[1]} ${s[2]}`)].join("\n");
}

function header(input: CostInput): string {
  const mix = typeof input.packetBytes === "number" ? `${input.packetBytes} B messages` : "message mix";
  return (
    `${input.encryption} vs none on ${input.hardware.name}: ${input.routingMode} routing, ${input.ipFamily}, ` +
    `Cilium ${input.ciliumVersion}, underlay MTU ${input.underlayMtu} B, ${mix}, ` +
    `${input.peers} peer(s), ${input.flowsPerPeer} flow(s) per peer`
  );
}

/** Runs the CLI on `argv` (flags only) without touching the process. */
export function runCostCli(argv: readonly string[], readFile = (p: string) => readFileSync(p, "utf8")): CliOutcome {
  try {
    const flags = parseFlags(argv);
    if (flags.has("help")) return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
    const input = inputFrom(flags, readFile);
    return { code: 0, stdout: `${header(input)}\n\n${table(input, encryptionCost(input))}\n`, stderr: "" };
  } catch (e) {
    return { code: 2, stdout: "", stderr: `cost: ${(e as Error).message}\n(run with --help for usage)\n` };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = runCostCli(process.argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.code;
}
