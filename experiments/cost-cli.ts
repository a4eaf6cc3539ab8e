// `npm run cost -- [flags]`: ask the encryption cost model one question and print the
// assumptions, a table comparing the chosen encryption with none, and the runs.csv columns.
// Every default is the scenario schema's, through the same costOf a sweep calls, so the CLI
// and a sweep of the same settings print the same numbers. `--calibrate FILE` fits a profile.

import { readFileSync } from "node:fs";
import { parseJsonInput } from "../sim/input.ts";
import { type HardwareProfile, hardwareProfileNames, type MessageClass, validateHardwareProfile } from "../models/cost/index.ts";
import { CLOCK_BASES } from "../models/cost/platform.ts";
import { costOf, type CostQuestion } from "../models/cost/question.ts";
import { defaultQuestion } from "../models/scenario/cost.ts";
import { decimal, flag, helpText, integer, oneOf, parseCommand, text, UsageError, value, type CommandSpec, type Flag, type ParsedCommand } from "./args.ts";
import { calibrationText } from "./cost-calibrate.ts";
import { assumptionsText, columnsText, tableText } from "./cost-text.ts";
import { InputError, isMain, runCommand, userErrorLine } from "./command.ts";

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

const ENCRYPTIONS = ["none", "wireguard", "ipsec"] as const;
const ROUTINGS = ["native", "tunnel"] as const;
const TUNNELS = ["vxlan", "geneve"] as const;
const FAMILIES = ["ipv4", "ipv6"] as const;
const D = defaultQuestion();

export const costSpec = {
  usage: "npm run cost -- [flags]  |  npm run cost -- --calibrate FILE [--hardware BASE]",
  summary:
    "Ask the encryption cost model one question: its assumptions, a table comparing the chosen encryption with none,\n" +
    "and the runs.csv cost columns. Defaults are a sweep scenario's defaults, so both give the same answer.\n" +
    "example: npm run cost -- --encryption wireguard --mtu 9000 --hardware ryzen-3950x-100g",
  positionals: { names: "no arguments besides flags", min: 0, max: 0 },
  flags: {
    encryption: value("none|wireguard|ipsec", `encryption to compare with none (default ${D.encryption})`, oneOf(ENCRYPTIONS)),
    hardware: value("NAME|FILE.json", `built-in profile or a JSON profile (default ${D.hardware.name}); built-ins: ${hardwareProfileNames().join(", ")}`, text),
    // The model's range, checked here too so that the message names the flag.
    mtu: value("BYTES", "underlay MTU, 576 to 65535 (default: the profile's)", integer(576, 65535)),
    routing: value("native|tunnel", `Cilium routing mode (default ${D.routingMode})`, oneOf(ROUTINGS)),
    tunnel: value("vxlan|geneve", `tunnel protocol in tunnel mode (default ${D.tunnelProtocol})`, oneOf(TUNNELS)),
    version: value("X.Y[.Z]", `Cilium version (default ${D.ciliumVersion})`, text),
    family: value("ipv4|ipv6", `IP family of nodes and pods (default ${D.ipFamily})`, oneOf(FAMILIES)),
    "packet-bytes": value("N|N:W,N:W...", `message size in bytes, or sizes with weights (default ${String(D.packetBytes)}; 65536 or more is a bulk stream)`, parseMix),
    nodes: value("N", `nodes in the cluster (default ${D.nodes})`, integer(2)),
    peers: value("N", "node pairs each node talks to (default nodes - 1)", integer(1)),
    flows: value("N", `TCP flows per node pair (default ${D.flowsPerPeer})`, integer(1)),
    clock: value("GHZ", "override the profile's clock, GHz", decimal(0.1)),
    "clock-basis": value("base|sustained", "say whether --clock (or the profile's clock) is the base or the sustained all-core clock", oneOf(CLOCK_BASES)),
    "flow-cap": value("GBPS|none", "override the profile's per-flow cap (AWS: 5, or 10 in a cluster placement group)", parseCap),
    "node-encryption": flag("encrypt host traffic too (encryption.nodeEncryption, WireGuard only)"),
    "control-plane-nodes": value("N", `nodes that opt out of node encryption (default ${D.controlPlaneNodes})`, integer(0)),
    calibrate: value("FILE", "fit the profile's platform factors on an iperf3 --json file (one run, or a list with --title per run)", text),
  },
} satisfies CommandSpec<Record<string, Flag>>;

type CostFlags = ParsedCommand<typeof costSpec.flags>["flags"];

function parseMix(t: string, flagName: string): number | MessageClass[] {
  if (/^\d+$/.test(t)) return integer(1)(t, flagName);
  return t.split(",").map((part) => {
    const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
      throw new UsageError(`${flagName} must be N or N:W,N:W... with positive sizes and weights; got ${JSON.stringify(t)}`);
    }
    return { bytes: Number(m[1]), weight: Number(m[2]) };
  });
}

function parseCap(t: string, flagName: string): number | null {
  return t === "none" ? null : decimal(0.001)(t, flagName);
}

/**
 * The cost model reports bad input (a profile field, an MTU too small for IPv6, a malformed
 * version, an iperf3 field) with a plain Error naming the field: those are the user's
 * mistakes. Any other kind of error (TypeError, ...) is a bug and goes on with its stack trace.
 */
function modelInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype) throw new InputError(e.message);
    throw e;
  }
}

function readText(spec: string, what: string, readFile: (path: string) => string): string {
  try {
    return readFile(spec);
  } catch (e) {
    throw new InputError(`${what}: cannot read ${spec}: ${(e as Error).message}`);
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

function hardwareFrom(flags: CostFlags, readFile: (path: string) => string): HardwareProfile {
  const hw = flags.hardware === undefined ? D.hardware : loadHardware(flags.hardware, readFile);
  return {
    ...hw,
    ...(flags.clock !== undefined ? { clockGhz: flags.clock } : {}),
    ...(flags["clock-basis"] !== undefined ? { clockBasis: flags["clock-basis"] } : {}),
    ...(flags["flow-cap"] !== undefined ? { flowCapGbps: flags["flow-cap"] } : {}),
  };
}

/** The scenario defaults with the flags applied: the same question a sweep would ask. */
export function questionFrom(flags: CostFlags, readFile: (path: string) => string): CostQuestion {
  const hardware = hardwareFrom(flags, readFile);
  const nodes = flags.nodes ?? D.nodes;
  return {
    ...D,
    encryption: flags.encryption ?? D.encryption,
    routingMode: flags.routing ?? D.routingMode,
    tunnelProtocol: flags.tunnel ?? D.tunnelProtocol,
    ciliumVersion: flags.version ?? D.ciliumVersion,
    ipFamily: flags.family ?? D.ipFamily,
    underlayMtu: flags.mtu ?? hardware.underlayMtu,
    hardware,
    packetBytes: flags["packet-bytes"] ?? D.packetBytes,
    nodes,
    peers: flags.peers ?? nodes - 1,
    flowsPerPeer: flags.flows ?? D.flowsPerPeer,
    nodeEncryption: flags["node-encryption"] || D.nodeEncryption,
    controlPlaneNodes: flags["control-plane-nodes"] ?? D.controlPlaneNodes,
  };
}

function calibrateText(flags: CostFlags, file: string, readFile: (path: string) => string): string {
  const base = hardwareFrom(flags, readFile);
  const isBuiltIn = flags.hardware === undefined || hardwareProfileNames().includes(flags.hardware);
  return modelInput(() =>
    calibrationText({
      file,
      text: readText(file, "--calibrate", readFile),
      base,
      baseName: isBuiltIn ? base.name : null,
      defaults: { encryption: flags.encryption ?? D.encryption, routingMode: flags.routing ?? "native", tunnelProtocol: flags.tunnel ?? D.tunnelProtocol },
      ciliumVersion: flags.version ?? D.ciliumVersion,
      underlayMtu: flags.mtu ?? base.underlayMtu,
    }),
  );
}

/** The answer to the question the flags ask. */
function costText(flags: CostFlags, readFile: (path: string) => string): string {
  if (flags.calibrate !== undefined) return calibrateText(flags, flags.calibrate, readFile);
  const q = questionFrom(flags, readFile);
  const answer = modelInput(() => costOf(q));
  const title = `${q.encryption} vs none on ${q.hardware.name}`;
  return [title, "", assumptionsText(q, flags.peers === undefined), "", tableText(q, answer), "", columnsText(answer), ""].join("\n");
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
