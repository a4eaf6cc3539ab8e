// `npm run cost -- --calibrate FILE [--hardware BASE]`: fit the platform factors of a profile
// on the user's iperf3 --json runs and print the fitted profile and its prediction per run.

import { type Calibration, calibrate, measuredUnderlayMtu } from "../models/cost/fitPlatform.ts";
import type { HardwareProfile } from "../models/cost/hardware.ts";
import { readIperf3, type RunDefaults } from "../models/cost/iperf3.ts";

export interface CalibrateRequest {
  file: string;
  text: string;
  base: HardwareProfile;
  /** A built-in name, or null when the base came from a JSON file (its fields are written out). */
  baseName: string | null;
  defaults: RunDefaults;
  ciliumVersion: string;
  /** From --mtu, or the base profile's; a plain native run's path MTU wins. */
  underlayMtu: number;
}

const round = (x: number) => Number(x.toPrecision(4));

function changed<T extends object>(after: T, before: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(after) as [keyof T, T[keyof T]][]) {
    if (v !== before[k]) out[k] = (typeof v === "number" ? round(v) : v) as T[keyof T];
  }
  return out;
}

/** A profile object that validateHardwareProfile accepts: the base and what calibration changed. */
export function profileJson(c: Calibration, base: HardwareProfile, baseName: string | null): Record<string, unknown> {
  const head = baseName !== null ? { base: baseName } : { ...base };
  return {
    ...head,
    name: c.profile.name,
    description: `${base.name} with platform factors fitted by npm run cost -- --calibrate`,
    ...(c.profile.underlayMtu !== base.underlayMtu ? { underlayMtu: c.profile.underlayMtu } : {}),
    pathCycles: changed(c.profile.pathCycles, base.pathCycles),
    serial: changed(c.profile.serial, base.serial),
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

export function calibrationText(req: CalibrateRequest): string {
  const runs = readIperf3(req.text, req.file, req.defaults);
  const underlayMtu = measuredUnderlayMtu(runs, req.underlayMtu);
  const c = calibrate(runs, req.base, { ciliumVersion: req.ciliumVersion, underlayMtu });
  // Runs are named by their index in the file: FILE[1] -> [1].
  const short = (where: string | null) => (where === null ? "-" : where.slice(req.file.length) || "(the run)");
  const factors = table([
    ["factor", "value", "fitted on", "why"],
    ...c.factors.map((f) => [f.factor, f.value.toFixed(3), short(f.run), f.note]),
  ]);
  const cpu = (x: { sender: number; receiver: number } | null) => (x === null ? "-" : `${x.sender.toFixed(0)}/${x.receiver.toFixed(0)} %`);
  const checks = table([
    ["run", "title", "measured", "model", "bottleneck", "MSS (meas/model)", "iperf3 CPU snd/rcv", "model CPU snd/rcv"],
    ...c.checks.map((k) => [
      short(k.run.where), k.run.title ?? "-", `${k.run.gbps.toFixed(2)} Gbit/s`, `${k.predictedGbps.toFixed(2)}${k.fitted ? " (fitted)" : ""}`,
      k.bottleneck, `${k.run.mss}/${k.predictedMss}`, cpu(k.run.cpu), cpu(k.predictedCpu),
    ]),
  ]);
  return [
    `calibration of ${req.base.name} from ${req.file}: ${runs.length} run(s), Cilium ${req.ciliumVersion} MTU rules, ` +
      `underlay MTU ${underlayMtu} B${underlayMtu !== req.underlayMtu ? " (a plain run's path MTU)" : ""}`,
    "",
    "platform factors (each scales one kernel cost of the profile; fitted only where its stage binds):",
    ...factors.map((l) => `  ${l}`),
    "",
    "prediction against measurement (iperf3 counts only its own process CPU, a lower bound for the model's host CPU):",
    ...checks.map((l) => `  ${l}`),
    "",
    "fitted profile (a scenario's hardware.profile accepts it; save it and pass --hardware FILE.json):",
    JSON.stringify(profileJson(c, req.base, req.baseName), null, 2),
    "",
  ].join("\n");
}
