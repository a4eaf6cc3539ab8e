// Validation of a hardware profile given in a scenario or a JSON file: either
// the name of a built-in profile, or an object. An object may name a built-in
// `base` and override some of its fields, or give every required field itself.
// Errors name the offending field by its dotted path.

import { showValue } from "../../sim/errors.ts";
import { LINUX_PATH_CYCLES, type PathCycles } from "./calibration.ts";
import { type CipherFigures, type HardwareProfile, hardwareProfile, hardwareProfileNames } from "./hardware.ts";
import { CLOCK_BASES, defaultSerialStage, PLATFORM_CLASSES, type PlatformClass, type SerialStage } from "./platform.ts";

type Obj = Record<string, unknown>;

const CIPHER_KEYS = ["chacha20poly1305", "aesgcm"] as const;
const PATH_KEYS = Object.keys(LINUX_PATH_CYCLES) as (keyof PathCycles)[];
const SERIAL_KEYS = Object.keys(defaultSerialStage("bare-metal")) as (keyof SerialStage)[];
const NUMBER_KEYS = ["cores", "threadsPerCore", "clockGhz", "nicGbps", "underlayMtu", "rttUs", "tcpWindowBytes"] as const;
const INTEGER_KEYS = new Set<string>(["cores", "threadsPerCore", "underlayMtu", "tcpWindowBytes"]);
const TEXT_KEYS = ["name", "description", "microarchitecture"] as const;
const TOP_KEYS = [
  "base", ...TEXT_KEYS, "platform", "clockBasis", ...NUMBER_KEYS, "flowCapGbps",
  "cryptoCyclesPerByte", "cryptoCyclesPerPacket", "pathCycles", "serial",
];
/** Needed when no `base` supplies them. */
const REQUIRED = ["cores", "clockGhz", "nicGbps", "rttUs", "cryptoCyclesPerByte"];

/** Defaults for fields a user profile without `base` may leave out. */
const DEFAULTS: Omit<HardwareProfile, "cores" | "clockGhz" | "nicGbps" | "rttUs" | "cryptoCyclesPerByte"> = {
  name: "custom",
  description: "user-supplied profile",
  microarchitecture: "unknown",
  platform: "bare-metal",
  clockBasis: "base",
  flowCapGbps: null,
  threadsPerCore: 1,
  underlayMtu: 1500,
  tcpWindowBytes: 6 * 1024 * 1024,
  cryptoCyclesPerPacket: { chacha20poly1305: 1260, aesgcm: 1260 },
  pathCycles: LINUX_PATH_CYCLES,
  serial: defaultSerialStage("bare-metal"),
};

/** Far above any server (a few hundred cores), so the cost model's products stay finite. */
export const MAX_CORES = 1e5;
export const CORES_WHY = "far above any server (a few hundred cores); the cost model multiplies cores by cycles per second";
/** Far above any NIC sold (hundreds of Gbit/s). */
export const MAX_NIC_GBPS = 1e5;
export const NIC_WHY = "100 Tbit/s, far above any NIC sold (hundreds of Gbit/s)";

/** Upper bounds of a profile's numbers, with the reason a message gives. */
const MAX: Record<string, { max: number; why: string }> = {
  cores: { max: MAX_CORES, why: CORES_WHY },
  threadsPerCore: { max: 64, why: "far above any CPU's simultaneous multithreading (2 to 8 threads per core)" },
  clockGhz: { max: 100, why: "far above any CPU clock" },
  nicGbps: { max: MAX_NIC_GBPS, why: NIC_WHY },
  underlayMtu: { max: 65535, why: "the largest IPv4 packet" },
  rttUs: { max: 1e9, why: "1000 s; larger round trips are no network" },
  tcpWindowBytes: { max: 2 ** 30, why: "TCP window scaling stops at 1 GiB (RFC 7323)" },
};
/** Cycles per byte, per packet and per path stage. */
const MAX_CYCLES = { max: 1e9, why: "a billion cycles per byte or packet is far beyond any cipher or datapath" };

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(value: Obj, valid: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!valid.includes(key)) {
      throw new Error(`${path}.${key} is not a known field; valid fields: ${valid.join(", ")}`);
    }
  }
}

function positive(value: unknown, path: string, integer: boolean, bound: { max: number; why: string } = MAX_CYCLES): number {
  const ok = typeof value === "number" && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok) {
    throw new Error(`${path} must be a positive ${integer ? "integer" : "number"}, got ${showValue(value)}`);
  }
  if (value > bound.max) throw new Error(`${path} must be at most ${bound.max}, got ${value}: ${bound.why}`);
  return value;
}

function choice<T extends string>(value: unknown, valid: readonly T[], path: string): T {
  if (typeof value !== "string" || !valid.includes(value as T)) {
    throw new Error(`${path} must be one of ${valid.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A per-flow cap: a positive number of Gbit/s, or null for none. */
function flowCap(value: unknown, path: string): number | null {
  if (value === null) return null;
  const ok = typeof value === "number" && Number.isFinite(value) && value > 0;
  if (!ok) throw new Error(`${path} must be a positive number of Gbit/s or null, got ${JSON.stringify(value)}`);
  return value as number;
}

function text(value: unknown, path: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new Error(`${path} must be a non-empty string, got ${showValue(value)}`);
  }
  return value;
}

/** A record of positive numbers over `keys`; missing keys come from `fallback` when given. */
function numberRecord<K extends string>(
  value: unknown,
  keys: readonly K[],
  path: string,
  fallback: Readonly<Record<K, number>> | undefined,
): Record<K, number> {
  if (!isObject(value)) throw new Error(`${path} must be an object with ${keys.join(", ")}`);
  rejectUnknownKeys(value, keys, path);
  const out = {} as Record<K, number>;
  for (const key of keys) {
    if (value[key] === undefined && fallback !== undefined) out[key] = fallback[key];
    else if (value[key] === undefined) throw new Error(`${path}.${key} is required (a positive number)`);
    else out[key] = positive(value[key], `${path}.${key}`, false);
  }
  return out;
}

function resolveBase(value: Obj, path: string): Partial<HardwareProfile> {
  if (value.base === undefined) {
    for (const key of REQUIRED) {
      if (value[key] === undefined) throw new Error(`${path}.${key} is required when ${path}.base is not given`);
    }
    return DEFAULTS;
  }
  const name = text(value.base, `${path}.base`);
  if (!hardwareProfileNames().includes(name)) {
    throw new Error(`${path}.base: unknown hardware profile ${showValue(name)}; valid names: ${hardwareProfileNames().join(", ")}`);
  }
  return { ...hardwareProfile(name), name: `${name}+custom` };
}

function fromObject(value: Obj, path: string): HardwareProfile {
  rejectUnknownKeys(value, TOP_KEYS, path);
  const base = resolveBase(value, path);
  const out = { ...base } as HardwareProfile;
  for (const key of TEXT_KEYS) if (value[key] !== undefined) out[key] = text(value[key], `${path}.${key}`);
  for (const key of NUMBER_KEYS) {
    if (value[key] !== undefined) out[key] = positive(value[key], `${path}.${key}`, INTEGER_KEYS.has(key), MAX[key]);
  }
  if (value.platform !== undefined) out.platform = choice(value.platform, PLATFORM_CLASSES, `${path}.platform`);
  if (value.clockBasis !== undefined) out.clockBasis = choice(value.clockBasis, CLOCK_BASES, `${path}.clockBasis`);
  if (value.flowCapGbps !== undefined) out.flowCapGbps = flowCap(value.flowCapGbps, `${path}.flowCapGbps`);
  const cipher = (key: "cryptoCyclesPerByte" | "cryptoCyclesPerPacket"): CipherFigures =>
    value[key] === undefined ? { ...(base[key] as CipherFigures) } : numberRecord(value[key], CIPHER_KEYS, `${path}.${key}`, base[key]);
  out.cryptoCyclesPerByte = cipher("cryptoCyclesPerByte");
  out.cryptoCyclesPerPacket = cipher("cryptoCyclesPerPacket");
  out.pathCycles =
    value.pathCycles === undefined
      ? { ...(base.pathCycles as PathCycles) }
      : numberRecord(value.pathCycles, PATH_KEYS, `${path}.pathCycles`, base.pathCycles ?? LINUX_PATH_CYCLES);
  out.serial = serialOf(value, base, out.platform, path);
  return out;
}

/**
 * The serial stage: given fields override; the rest come from the base profile, or from the
 * platform class's default when the object changes the class or has no base.
 */
function serialOf(value: Obj, base: Partial<HardwareProfile>, platform: PlatformClass, path: string): SerialStage {
  const keepBase = base.serial !== undefined && value.platform === undefined;
  const fallback = keepBase ? (base.serial as SerialStage) : defaultSerialStage(platform);
  return value.serial === undefined ? { ...fallback } : numberRecord(value.serial, SERIAL_KEYS, `${path}.serial`, fallback);
}

/**
 * Accepts a built-in profile name or a profile object and returns a complete
 * profile; throws an Error naming the offending field as `${path}.field`.
 */
export function validateHardwareProfile(value: unknown, path: string): HardwareProfile {
  if (typeof value === "string") {
    if (!hardwareProfileNames().includes(value)) {
      throw new Error(`${path}: unknown hardware profile ${showValue(value)}; valid names: ${hardwareProfileNames().join(", ")}`);
    }
    return hardwareProfile(value);
  }
  if (!isObject(value)) {
    throw new Error(`${path} must be a built-in profile name (${hardwareProfileNames().join(", ")}) or an object`);
  }
  return fromObject(value, path);
}
