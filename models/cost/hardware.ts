// Hardware profiles: what the cost model needs to know about a node.
// Throughput, CPU and latency come from these figures and the kernel path
// costs; no profile carries a fitted throughput.

import { LINUX_PATH_CYCLES, type PathCycles } from "./calibration.ts";
import { type ClockBasis, defaultSerialStage, type PlatformClass, type SerialStage } from "./platform.ts";

export type { PathCycles } from "./calibration.ts";
export type { ClockBasis, PlatformClass, SerialStage } from "./platform.ts";

/** A figure per AEAD cipher: WireGuard's ChaCha20-Poly1305, IPsec's AES-GCM. */
export interface CipherFigures {
  chacha20poly1305: number;
  aesgcm: number;
}

export interface HardwareProfile {
  name: string;
  description: string;
  microarchitecture: string;
  /** Bare metal or a VM with a virtual NIC; picks the default serial stage. */
  platform: PlatformClass;
  /** Physical cores per node. */
  cores: number;
  /** Hardware threads per core (2 with SMT); CPU figures count threads, like Kubernetes. */
  threadsPerCore: number;
  clockGhz: number;
  /** Whether `clockGhz` is the base or the sustained all-core clock (see platform.ts). */
  clockBasis: ClockBasis;
  /** NIC line rate per direction, Gbit/s. */
  nicGbps: number;
  /**
   * The provider's cap on one 5-tuple (or one ESP 3-tuple), Gbit/s; null when there is none.
   * WireGuard and IPsec put a node pair's traffic on one outer tuple, so it caps the pair.
   */
  flowCapGbps: number | null;
  /** The testbed's underlay MTU; a default for callers, the cost input decides. */
  underlayMtu: number;
  /** 1-byte request/response time between pods on two nodes, no encryption, µs. */
  rttUs: number;
  /** Largest TCP receive window, bytes. */
  tcpWindowBytes: number;
  /** Bulk cipher cost, cycles per byte of plaintext. */
  cryptoCyclesPerByte: CipherFigures;
  /** Fixed cost of one AEAD call (one packet), cycles. */
  cryptoCyclesPerPacket: CipherFigures;
  /** Kernel software-path costs; built-ins share the calibrated Linux values. */
  pathCycles: PathCycles;
  /** The per-peer (per-SA) serial stage, cycles; a platform property. */
  serial: SerialStage;
}

// Linux's default net.ipv4.tcp_rmem maximum (6 MiB).
const LINUX_TCP_WINDOW = 6 * 1024 * 1024;

// Per-call AEAD cost: ≈ 1 260 cycles intercept of the libsodium
// ChaCha20-Poly1305 sizes-vs-rate data (MoonWire benchmarks, Xeon E5-2630 v4).
// No published per-call figure for AES-GCM was found; the same order is assumed.
const AEAD_CALL_CYCLES: CipherFigures = { chacha20poly1305: 1260, aesgcm: 1260 };

const BARE_METAL_SERIAL = defaultSerialStage("bare-metal");
const VIRTUALISED_SERIAL = defaultSerialStage("virtualised");

const BUILT_INS: readonly HardwareProfile[] = [
  {
    name: "ryzen-3950x-100g",
    description: "Cilium CNI Performance Benchmark testbed: 2 × Ryzen 9 3950X, Intel E810 100 GbE back-to-back, Linux 5.10",
    microarchitecture: "zen2",
    platform: "bare-metal",
    cores: 16,
    threadsPerCore: 2,
    clockGhz: 3.5, // base; the calibration counted cycles at this clock
    clockBasis: "base",
    nicGbps: 100,
    flowCapGbps: null,
    underlayMtu: 1500,
    // 45 300 unencrypted TCP_RR transactions/s (Cilium eBPF) ⇒ 22.1 µs.
    rttUs: 1e6 / 45300,
    tcpWindowBytes: LINUX_TCP_WINDOW,
    // No published cycles/byte for Zen 2. Zen 2 runs 256-bit AVX2 at full
    // width, so ChaCha20-Poly1305 is taken near Haswell/Skylake (1.7–1.9 c/B,
    // CRYPTOGAMS headers) rather than Zen 1 (≈3.2); AES-GCM between Skylake
    // 0.63 and Haswell 1.0 (OpenSSL aesni-gcm header). Both are assumptions.
    cryptoCyclesPerByte: { chacha20poly1305: 1.8, aesgcm: 0.8 },
    cryptoCyclesPerPacket: AEAD_CALL_CYCLES,
    pathCycles: LINUX_PATH_CYCLES,
    serial: BARE_METAL_SERIAL,
  },
  {
    name: "laptop-i7-5200u-1g",
    description: "wireguard.com performance page, slower end: i7-5200U (the peer was an i7-3820QM), Intel I218LM 1 GbE, Linux 4.6",
    microarchitecture: "broadwell",
    platform: "bare-metal",
    cores: 2,
    threadsPerCore: 2,
    clockGhz: 2.2, // base (Intel ark: 2.2 GHz base, 2.7 GHz turbo)
    clockBasis: "base",
    nicGbps: 1,
    flowCapGbps: null,
    underlayMtu: 1500,
    // No unencrypted baseline is published; 300 µs is an assumption for
    // laptop gigabit NICs with interrupt moderation.
    rttUs: 300,
    tcpWindowBytes: LINUX_TCP_WINDOW,
    // Broadwell shares Haswell's SIMD units: ChaCha20 1.23 + Poly1305 0.65
    // (Haswell, CRYPTOGAMS); AES-GCM 0.74 (Broadwell, OpenSSL aesni-gcm header).
    cryptoCyclesPerByte: { chacha20poly1305: 1.88, aesgcm: 0.74 },
    cryptoCyclesPerPacket: AEAD_CALL_CYCLES,
    pathCycles: LINUX_PATH_CYCLES,
    serial: BARE_METAL_SERIAL,
  },
  {
    name: "xeon-e5-2620v3-40g",
    description: "MoonWire 2018 kernel WireGuard gateway: Xeon E5-2620 v3 (6 cores, 2.4 GHz)",
    microarchitecture: "haswell",
    platform: "bare-metal",
    cores: 6,
    threadsPerCore: 2,
    clockGhz: 2.4, // base (Intel ark: 2.4 GHz base, 3.2 GHz turbo)
    clockBasis: "base",
    // The NIC is not in the research notes; offered loads of 1.03 Mpps ×
    // 1514 B ≈ 12.5 Gbit/s need more than 10 GbE, so 40 GbE is assumed.
    nicGbps: 40,
    flowCapGbps: null,
    underlayMtu: 1500,
    rttUs: 30, // assumed; not published
    tcpWindowBytes: LINUX_TCP_WINDOW,
    // Haswell: ChaCha20 1.23 + Poly1305 0.65 (CRYPTOGAMS); AES-GCM 1.0 (OpenSSL).
    cryptoCyclesPerByte: { chacha20poly1305: 1.88, aesgcm: 1.0 },
    cryptoCyclesPerPacket: AEAD_CALL_CYCLES,
    pathCycles: LINUX_PATH_CYCLES,
    serial: BARE_METAL_SERIAL,
  },
  {
    name: "generic-x86-25g",
    description: "Generic cloud-class node: 8 Skylake-class cores with SMT at 2.5 GHz, 25 GbE, MTU 1500",
    microarchitecture: "skylake",
    platform: "virtualised",
    cores: 8,
    threadsPerCore: 2,
    clockGhz: 2.5,
    clockBasis: "base",
    nicGbps: 25,
    // No provider is named, so no per-flow cap; a cloud profile sets its provider's.
    flowCapGbps: null,
    underlayMtu: 1500,
    rttUs: 50, // assumed; typical same-zone 1-byte request/response
    tcpWindowBytes: LINUX_TCP_WINDOW,
    // Skylake AVX2: ChaCha20 1.19 + Poly1305 0.51 (CRYPTOGAMS); AES-GCM 0.63 (OpenSSL).
    cryptoCyclesPerByte: { chacha20poly1305: 1.7, aesgcm: 0.63 },
    cryptoCyclesPerPacket: AEAD_CALL_CYCLES,
    pathCycles: LINUX_PATH_CYCLES,
    serial: VIRTUALISED_SERIAL,
  },
  {
    name: "aws-c6i-8xlarge",
    description: "AWS EC2 c6i.8xlarge: 32 vCPUs of a Xeon Platinum 8375C (Ice Lake), 12.5 Gbit/s, ENA, MTU 9001 inside a VPC",
    microarchitecture: "icelake-server",
    platform: "virtualised",
    // AWS: a vCPU is one hyperthread; 16 cores × 2 threads.
    cores: 16,
    threadsPerCore: 2,
    // AWS: "an all-core turbo frequency of 3.5 GHz" (c6i product page); the 8375C is a custom
    // part whose base clock Intel does not list.
    clockGhz: 3.5,
    clockBasis: "sustained",
    nicGbps: 12.5,
    // AWS EC2 user guide, "Amazon EC2 instance network bandwidth": single-flow (5-tuple)
    // traffic is limited to 5 Gbit/s outside a cluster placement group, 10 Gbit/s inside one
    // (override flowCapGbps, or --flow-cap 10).
    flowCapGbps: 5,
    underlayMtu: 9001,
    rttUs: 50, // assumed, as for the generic profile
    tcpWindowBytes: LINUX_TCP_WINDOW,
    // AVX-512: ChaCha20 0.80 (Skylake-X AVX-512VL) + Poly1305 0.35 (AVX-512), CRYPTOGAMS
    // headers; AES-GCM has no published Ice Lake figure, Skylake's 0.63 is kept.
    cryptoCyclesPerByte: { chacha20poly1305: 1.15, aesgcm: 0.63 },
    cryptoCyclesPerPacket: AEAD_CALL_CYCLES,
    pathCycles: LINUX_PATH_CYCLES,
    serial: VIRTUALISED_SERIAL,
  },
];

/** Names of the built-in profiles. */
export function hardwareProfileNames(): string[] {
  return BUILT_INS.map((p) => p.name);
}

/** A copy of a built-in profile by name; throws listing the valid names. */
export function hardwareProfile(name: string): HardwareProfile {
  const found = BUILT_INS.find((p) => p.name === name);
  if (!found) {
    throw new Error(`unknown hardware profile ${JSON.stringify(name)}; valid names: ${hardwareProfileNames().join(", ")}`);
  }
  return structuredClone(found);
}
