// Calibration from a user's own iperf3 runs: fit only platform factors of a hardware profile,
// each a property of the machine that every later question reuses, never a per-test fudge:
//
// - stack:  scales the unencrypted kernel TCP stack (segment, per-byte tx/rx/flow cycles),
//           fitted on an unencrypted native run;
// - tunnel: scales the VXLAN/Geneve per-packet cost, fitted on an unencrypted tunnel run;
// - serial: scales the per-peer serial stage, fitted on an encrypted run.
//
// Each is solved so that the model's pair throughput equals the measurement, in that order,
// and only when the stage it scales is the one that binds; otherwise it stays 1 and says why.

import type { PathCycles } from "./calibration.ts";
import type { HardwareProfile } from "./hardware.ts";
import { encryptionCost } from "./index.ts";
import type { Iperf3Run } from "./iperf3.ts";
import type { SerialStage } from "./platform.ts";

export type Factor = "stack" | "tunnel" | "serial";

export interface FittedFactor {
  factor: Factor;
  value: number;
  /** The run it was fitted on, or null when no run could fix it. */
  run: string | null;
  note: string;
}

export interface RunCheck {
  run: Iperf3Run;
  predictedGbps: number;
  bottleneck: string;
  predictedMss: number;
  /** Model CPU of each side in % of one CPU at the measured rate (iperf3 reports only its own process). */
  predictedCpu: { sender: number; receiver: number };
  fitted: Factor | null;
}

export interface Calibration {
  profile: HardwareProfile;
  factors: FittedFactor[];
  checks: RunCheck[];
}

export interface CalibrationSettings {
  ciliumVersion: string;
  underlayMtu: number;
}

const STACK_KEYS = ["segment", "txPerByte", "rxPerByte", "flowPerByte"] as const;
const TUNNEL_KEYS = ["vxlanPacket", "genevePacket"] as const;

function scaled(hw: HardwareProfile, factors: Record<Factor, number>): HardwareProfile {
  const path: PathCycles = { ...hw.pathCycles };
  for (const k of STACK_KEYS) path[k] = hw.pathCycles[k] * factors.stack;
  for (const k of TUNNEL_KEYS) path[k] = hw.pathCycles[k] * factors.tunnel;
  const serial = Object.fromEntries(Object.entries(hw.serial).map(([k, v]) => [k, v * factors.serial])) as unknown as SerialStage;
  return { ...hw, pathCycles: path, serial };
}

function predict(run: Iperf3Run, hw: HardwareProfile, s: CalibrationSettings) {
  const r = encryptionCost({
    encryption: run.encryption, routingMode: run.routingMode, tunnelProtocol: run.tunnelProtocol,
    ciliumVersion: s.ciliumVersion, ipFamily: "ipv4", underlayMtu: s.underlayMtu, hardware: hw,
    packetBytes: 131072, peers: 1, flowsPerPeer: Math.max(1, Math.round(run.streams)),
  });
  return r;
}

/** The factor value (0.01–100) at which the run's predicted throughput meets the measurement. */
function solve(run: Iperf3Run, at: (v: number) => number): number | null {
  let lo = 0.01;
  let hi = 100;
  // Throughput falls as the factor grows; out of range means another stage decides.
  if (at(lo) < run.gbps || at(hi) > run.gbps) return null;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(lo * hi);
    if (at(mid) > run.gbps) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

const WHICH: Record<Factor, (r: Iperf3Run) => boolean> = {
  stack: (r) => r.encryption === "none" && r.routingMode === "native",
  tunnel: (r) => r.encryption === "none" && r.routingMode === "tunnel",
  serial: (r) => r.encryption !== "none",
};
const STAGE: Record<Factor, string> = { stack: "tcp-flow", tunnel: "tcp-flow", serial: "peer-serial" };

/** Fits the platform factors of `base` on `runs`. */
export function calibrate(runs: readonly Iperf3Run[], base: HardwareProfile, s: CalibrationSettings): Calibration {
  const values: Record<Factor, number> = { stack: 1, tunnel: 1, serial: 1 };
  const factors: FittedFactor[] = [];
  const fittedOn = new Map<Iperf3Run, Factor>();
  for (const factor of ["stack", "tunnel", "serial"] as Factor[]) {
    const run = runs.find(WHICH[factor]);
    if (run === undefined) {
      factors.push({ factor, value: 1, run: null, note: "no run for it in the file; left at 1" });
      continue;
    }
    const at = (v: number) => predict(run, scaled(base, { ...values, [factor]: v }), s).pair.encrypted.gbps;
    const v = solve(run, at);
    const stage = v === null ? null : predict(run, scaled(base, { ...values, [factor]: v }), s).pair.encrypted.bottleneck;
    if (v === null || stage !== STAGE[factor]) {
      const bound = predict(run, scaled(base, values), s).pair.encrypted.bottleneck;
      factors.push({ factor, value: 1, run: run.where, note: `not identifiable: ${bound} bounds this run, not ${STAGE[factor]}; left at 1` });
      continue;
    }
    values[factor] = v;
    fittedOn.set(run, factor);
    factors.push({ factor, value: v, run: run.where, note: `the ${STAGE[factor]} stage matches ${run.gbps.toFixed(2)} Gbit/s` });
  }
  const profile = { ...scaled(base, values), name: `${base.name}+calibrated`, underlayMtu: s.underlayMtu };
  const checks = runs.map((run) => {
    const r = predict(run, profile, s);
    const cpu = r.cpusPerGbps.encrypted;
    return {
      run,
      predictedGbps: r.pair.encrypted.gbps,
      bottleneck: r.pair.encrypted.bottleneck,
      predictedMss: r.mtu.encrypted.tcpMss,
      predictedCpu: { sender: 100 * cpu.tx * run.gbps, receiver: 100 * cpu.rx * run.gbps },
      fitted: fittedOn.get(run) ?? null,
    };
  });
  return { profile, factors, checks };
}

/** The underlay MTU a set of runs shows: an unencrypted native run's path MTU, else `fallback`. */
export function measuredUnderlayMtu(runs: readonly Iperf3Run[], fallback: number): number {
  const plain = runs.find((r) => r.encryption === "none" && r.routingMode === "native" && r.pathMtu !== null);
  return plain?.pathMtu ?? fallback;
}
