// `npm run cost -- [flags]`: ask the encryption cost model one question and
// print a small table comparing the chosen encryption with none.

import { readFileSync } from "node:fs";
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
import { helpText, integer, oneOf, parseCommand, text, UsageError, value, type CommandSpec, type Flag, type ParsedCommand } from "./args.ts";
import { InputError, isMain, runCommand, userErrorLine } from "./command.ts";

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

const ENCRYPTIONS = ["none", "wireguard", "ipsec"] as const;
const ROUTINGS = ["native", "tunnel"] as const;
const FAMILIES = ["ipv4", "ipv6"] as const;

export const costSpec = {
  usage: "npm run cost -- [flags]",
  summary:
    "Ask the encryption cost model one question: a table comparing the chosen encryption with none.\n" +
    "example: npm run cost -- --encryption wireguard --mtu 9000 --hardware ryzen-3950x-100g",
  positionals: { names: "no arguments besides flags", min: 0, max: 0 },
  flags: {
    encryption: value("none|wireguard|ipsec", "encryption to compare with none (default wireguard)", oneOf(ENCRYPTIONS)),
    hardware: value("NAME|FILE.json", `built-in profile or a JSON profile (default generic-x86-25g); built-ins: ${hardwareProfileNames().join(", ")}`, text),
    // The model's range, checked here too so that the message names the flag.
    mtu: value("BYTES", "underlay MTU, 576 to 65535 (default: the profile's)", integer(576, 65535)),
    routing: value("native|tunnel", "Cilium routing mode (default native)", oneOf(ROUTINGS)),
    version: value("X.Y[.Z]", "Cilium version (default 1.19)", text),
    family: value("ipv4|ipv6", "IP family of nodes and pods (default ipv4)", oneOf(FAMILIES)),
    "packet-bytes": value("N|N:W,N:W...", "message size in bytes, or sizes with weights (default 131072, a bulk stream)", parseMix),
    peers: value("N", "node pairs each node talks to (default 1)", integer(1)),
    flows: value("N", "TCP flows per node pair (default 1)", integer(1)),
  },
} satisfies CommandSpec<Record<string, Flag>>;

type CostFlags = ParsedCommand<typeof costSpec.flags>["flags"];

function parseMix(t: string, flag: string): number | MessageClass[] {
  if (/^\d+$/.test(t)) return integer(1)(t, flag);
  return t.split(",").map((part) => {
    const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
      throw new UsageError(`${flag} must be N or N:W,N:W... with positive sizes and weights; got ${JSON.stringify(t)}`);
    }
    return { bytes: Number(m[1]), weight: Number(m[2]) };
  });
}

/**
 * The cost model reports bad input (a profile field, an MTU too small for IPv6, a malformed
 * version) with a plain Error naming the field: those are the user's mistakes. Any other kind
 * of error (TypeError, ...) is a bug and goes on with its stack trace.
 */
function modelInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype) throw new InputError(e.message);
    throw e;
  }
}

function loadHardware(spec: string, readFile: (path: string) => string): HardwareProfile {
  const isFile = spec.endsWith(".json") || spec.includes("/");
  if (!isFile) return modelInput(() => validateHardwareProfile(spec, "--hardware"));
  let parsed: unknown;
  try {
    parsed = parseJsonInput(readFile(spec), spec);
  } catch (e) {
    throw new InputError(`--hardware: cannot read JSON profile ${spec}: ${(e as Error).message}`);
  }
  return modelInput(() => validateHardwareProfile(parsed, "hardware"));
}

function inputFrom(flags: CostFlags, readFile: (path: string) => string): CostInput {
  const hardware = loadHardware(flags.hardware ?? "generic-x86-25g", readFile);
  return {
    encryption: flags.encryption ?? "wireguard",
    routingMode: flags.routing ?? "native",
    ciliumVersion: flags.version ?? "1.19",
    ipFamily: flags.family ?? "ipv4",
    underlayMtu: flags.mtu ?? hardware.underlayMtu,
    hardware,
    packetBytes: flags["packet-bytes"] ?? 131072,
    peers: flags.peers ?? 1,
    flowsPerPeer: flags.flows ?? 1,
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

/** The answer to the question the flags ask: a header line and the table. */
function costText(flags: CostFlags, readFile: (path: string) => string): string {
  const input = inputFrom(flags, readFile);
  return `${header(input)}\n\n${table(input, modelInput(() => encryptionCost(input)))}\n`;
}

/** Runs the CLI on `argv` (flags only) without touching the process. */
export function runCostCli(argv: readonly string[], readFile = (p: string) => readFileSync(p, "utf8")): CliOutcome {
  try {
    const parsed = parseCommand(costSpec, argv);
    if (parsed.help) return { code: 0, stdout: helpText(costSpec), stderr: "" };
    return { code: 0, stdout: costText(parsed.flags, readFile), stderr: "" };
  } catch (e) {
    const line = userErrorLine(e);
    if (line === undefined) throw e;
    return { code: 2, stdout: "", stderr: `${line}\n` };
  }
}

if (isMain(import.meta.url)) {
  void runCommand(costSpec, ({ flags }) => {
    process.stdout.write(costText(flags, (p) => readFileSync(p, "utf8")));
    return 0;
  });
}
