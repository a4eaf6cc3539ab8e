// Software-path costs of the Linux datapath, in CPU cycles, calibrated once on
// the Cilium CNI Performance Benchmark (2 × Ryzen 9 3950X, 3.5 GHz, 100 GbE,
// Linux 5.10, Cilium 1.9/1.10; docs.cilium.io operations/performance/benchmark
// and the 2021 cilium.io CNI benchmark blog). They describe the kernel's code
// path, not the testbed, so every built-in profile reuses them; the hardware
// differences (clock, cores, crypto speed, NIC) live in the profile. Cycle
// counts convert to time at the profile's clock. A user profile may override
// any of them.

export interface PathCycles {
  /** Kernel TCP/IP stack per TSO/GRO super-packet, one side. */
  segment: number;
  /** Sender CPU per payload byte without encryption, offloads on. */
  txPerByte: number;
  /** Receiver CPU per payload byte without encryption, offloads on. */
  rxPerByte: number;
  /** Per byte on the busiest CPU of a single TCP flow (receive copy). */
  flowPerByte: number;
  /** Per byte on a node pair's serial stage (one RX queue, one TX worker). */
  serialPerByte: number;
  /** WireGuard per-peer serial stage, fixed part per packet. */
  wireguardSerial: number;
  /** IPsec per-SA serial stage per packet, excluding the AEAD call itself. */
  ipsecSerial: number;
  /** Extra whole-system CPU per WireGuard packet per side, excluding the AEAD call. */
  wireguardPacket: number;
  /** Extra whole-system CPU per ESP packet per side, excluding the AEAD call. */
  ipsecPacket: number;
}

const CLOCK_GHZ = 3.5; // Ryzen 9 3950X base clock, benchmark testbed

// Unencrypted CPU (chart reads, % of 32 hardware threads per 100 Gbit/s):
// client 8.7 %, server 13.9 %. 0.087 × 32 thr × 3.5 GHz ÷ 12.5 GB/s = 0.78 c/B
// sender and 0.139 × 32 × 3.5 ÷ 12.5 = 1.25 c/B receiver, of which the
// per-segment part (below, ÷ 45 × 1448 B per 64 KiB segment) is 0.23 c/B.
const TX_CYCLES_PER_BYTE_ALL = 0.087 * 32 * CLOCK_GHZ / 12.5;
const RX_CYCLES_PER_BYTE_ALL = 0.139 * 32 * CLOCK_GHZ / 12.5;

// Per-segment stack cost from the unencrypted 1-byte TCP_RR CPU charts:
// 9.2 / 8.2 thread-µs per transaction (client/server), each side sending and
// receiving one segment: (9.2 + 8.2) ÷ 4 µs × 3.5 GHz ≈ 15 200 cycles.
const SEGMENT = ((9.2 + 8.2) / 4) * CLOCK_GHZ * 1000;
const SEGMENT_SHARE_PER_BYTE = SEGMENT / (45 * 1448);

export const LINUX_PATH_CYCLES: Readonly<PathCycles> = Object.freeze({
  segment: Math.round(SEGMENT),
  txPerByte: round2(TX_CYCLES_PER_BYTE_ALL - SEGMENT_SHARE_PER_BYTE),
  rxPerByte: round2(RX_CYCLES_PER_BYTE_ALL - SEGMENT_SHARE_PER_BYTE),
  // Single unencrypted stream 42.3 Gbit/s at MTU 1500 = 5.29 GB/s on one
  // busiest CPU: 3.5 GHz ÷ 5.29 GB/s = 0.66 c/B, minus the 0.23 c/B segment share.
  flowPerByte: 0.43,
  // Per-peer serial stage, fitted to single-stream WireGuard at MTU 1500 and
  // 9000 (4.25–4.7 and 16.1–17.6 Gbit/s, midpoints 4.4 / 16.8). Packet rates
  // 4.4e9/8/1368 B = 402 kpps and 16.8e9/8/8868 B = 237 kpps give
  // 8 710 and 14 780 cycles per packet of 1420 and 8920 B: slope 0.81 c/B,
  // intercept 7 560 cycles.
  serialPerByte: 0.81,
  wireguardSerial: 7560,
  // Single-stream IPsec 3.4 / 10.4 Gbit/s (MSS 1371 / 8871): 11 290 and
  // 23 890 cycles per packet of 1423 and 8923 B. With the shared 0.81 c/B and
  // the AES-GCM cost of the profile (0.8 c/B) on the serial path, the mean
  // residual is 9 270 cycles, of which 1 260 is the AEAD call itself.
  ipsecSerial: 8010,
  // Encrypted CPU per 10 Gbit/s (WireGuard, Cilium KPR: client 23.7 / 8.0 %,
  // server 32.4 / 6.8 % at MTU 1500 / 9000; IPsec 12.5 / 4.0 % and
  // 11.4 / 2.9 %): least-squares residual per packet per side after the
  // unencrypted costs and the cipher's per-byte and per-call costs (fitted
  // on the log of model ÷ published over client/server × MTU 1500/9000).
  wireguardPacket: 29700,
  ipsecPacket: 10700,
});

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
