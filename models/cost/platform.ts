// Platform classes and the per-peer serial stage they default to.
//
// WireGuard carries all of a node pair's traffic on one outer 5-tuple (port 51871 both ends)
// and IPsec on one SA, so the pair has one RX queue, one softirq CPU and one TX worker
// whatever the number of flows: a serial stage of c0 + c1·S cycles per packet of S bytes. How
// many cycles that stage takes depends on the platform, not only on the clock, so it is a
// property of the hardware profile; the class only picks the default.

/** Bare metal owns its NIC; a virtualised node (a cloud VM) sees a virtual NIC and vCPUs that are SMT threads. */
export type PlatformClass = "bare-metal" | "virtualised";

/**
 * What `clockGhz` means. "base" is the vendor's base clock; "sustained" is the all-core clock
 * the CPU holds under load (turbo), e.g. AWS's "all-core turbo". The calibration testbed's
 * cycles were counted at its base clock (Ryzen 9 3950X, 3.5 GHz), so a sustained clock above
 * base makes every CPU stage proportionally faster: for the same chip, the choice alone moves
 * predictions by sustained ÷ base (1.2 to 1.7 for common parts).
 */
export type ClockBasis = "base" | "sustained";

export interface SerialStage {
  /** WireGuard per-peer stage, fixed part per outer packet: RX softirq, per-peer NAPI, TX worker. */
  wireguardPacket: number;
  /** IPsec per-SA stage per outer packet: xfrm lookup, replay window, the SA lock, AEAD setup. */
  ipsecPacket: number;
  /** Per plaintext byte on the serial stage, both encryptions (copy and checksum). */
  perByte: number;
  /** Per plaintext byte of IPsec's inline AES-GCM beyond the user-space cipher figure (kernel crypto API). */
  ipsecCipherPerByte: number;
}

/**
 * Bare metal, fitted on the Cilium CNI benchmark (2 × Ryzen 9 3950X, E810 100 GbE, Linux 5.10):
 *
 * - WireGuard single stream 4.25–4.7 Gbit/s at MTU 1500 and 16.1–17.6 at 9000 (midpoints
 *   4.4 / 16.8): 402 kpps of 1420 B and 237 kpps of 8920 B packets, 8 710 and 14 780 cycles
 *   at 3.5 GHz, so 7 560 cycles + 0.81 c/B.
 * - IPsec single stream 3.4 / 10.4 Gbit/s (MSS 1371 / 8871): 11 290 and 23 890 cycles per
 *   1423 / 8923 B packet, so 8 900 cycles + 1.68 c/B. The shared 0.81 c/B leaves 0.87 c/B
 *   for the cipher, of which the profile's user-space AES-GCM figure (0.8 c/B on this testbed)
 *   is taken from the hardware and 0.07 c/B is the kernel's extra. The 8 900 cycles are the
 *   kernel's per-packet xfrm work: it runs in the softirq of the one RX queue an SA hashes to,
 *   with no distribution step and one per-SA lock per packet (TUM MoonWire thesis), which is
 *   why it costs about seven times the user-space per-call AEAD figure (1 260 cycles).
 */
const BARE_METAL: Readonly<SerialStage> = Object.freeze({
  wireguardPacket: 7560,
  ipsecPacket: 8900,
  perByte: 0.81,
  ipsecCipherPerByte: 0.07,
});

/**
 * Virtualised: the same software path. The public single-host WireGuard measurements that
 * include VMs (the wg-bench table: a 4-vCPU Hyper-V VM on a Xeon 8259CL reaches 3.26 Gbit/s,
 * more per GHz than bare-metal Cascade Lake servers) show no CPU-side penalty for running in a
 * VM. What differs on a cloud VM is the virtual NIC, and the only published numbers that
 * isolate it are held out for checking. So the class shares the bare-metal serial cost; a
 * cloud profile differs by its flow cap (`flowCapGbps`) and by counting vCPUs as SMT threads.
 * `npm run cost -- --calibrate` fits the serial cost from the user's own measurement.
 */
const VIRTUALISED: Readonly<SerialStage> = BARE_METAL;

const DEFAULTS: Record<PlatformClass, Readonly<SerialStage>> = { "bare-metal": BARE_METAL, virtualised: VIRTUALISED };

export const PLATFORM_CLASSES: readonly PlatformClass[] = ["bare-metal", "virtualised"];
export const CLOCK_BASES: readonly ClockBasis[] = ["base", "sustained"];

/** A copy of the serial-stage default for a platform class. */
export function defaultSerialStage(platform: PlatformClass): SerialStage {
  return { ...DEFAULTS[platform] };
}

/**
 * Kernel version: no consistent effect was found. The wg-bench pairs of one CPU on two kernels
 * move both ways (Intel N100 +17 % from 6.1 to 6.6, Phytium D2000 −27 % from 6.1 to 6.11), and
 * the 2018 MoonWire gateway figures predate WireGuard's 2021 queueing rewrite and measure
 * forwarding, not an end host. The fitted values are for Linux 5.10.
 */
export const SERIAL_STAGE_KERNEL = "5.10";
