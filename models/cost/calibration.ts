// Software-path costs of the Linux datapath, in CPU cycles, calibrated once on public
// measurements and shared by every profile: they describe the kernel's code path, not a
// testbed. The hardware differences (clock, cores, cipher speed, NIC, the per-peer serial
// stage) live in the profile. Every constant below says what it was fitted on; the same list
// is in docs/cost-model.md. A user profile may override any of them.
//
// Main source: the Cilium CNI Performance Benchmark (2 × Ryzen 9 3950X at 3.5 GHz base,
// E810 100 GbE back-to-back, Linux 5.10; docs.cilium.io operations/performance/benchmark and
// the 2021 cilium.io CNI benchmark blog; chart reads). Its CPU charts give % of 32 hardware
// threads per 10 Gbit/s, one client (sender) and one server (receiver) figure each:
// 1 % ≙ 0.01 × 32 threads × 3.5 GHz ÷ 1.25 GB/s = 0.896 cycles per payload byte.

export interface PathCycles {
  /** Kernel TCP/IP stack per TSO/GRO super-packet, one side. */
  segment: number;
  /** Sender CPU per payload byte without encryption, offloads on. */
  txPerByte: number;
  /** Receiver CPU per payload byte without encryption, offloads on. */
  rxPerByte: number;
  /** Per byte on the busiest CPU of a single TCP flow (receive copy). */
  flowPerByte: number;
  /** Extra sender CPU per WireGuard packet, excluding the AEAD call. */
  wireguardPacketTx: number;
  /** Extra receiver CPU per WireGuard packet, excluding the AEAD call. */
  wireguardPacketRx: number;
  /** Extra sender CPU per plaintext byte beyond the cipher (software GSO segmentation, copy). */
  wireguardByteTx: number;
  /** Extra sender CPU per ESP packet, excluding the AEAD call. */
  ipsecPacketTx: number;
  /** Extra receiver CPU per ESP packet, excluding the AEAD call. */
  ipsecPacketRx: number;
  /** Extra sender CPU per plaintext byte beyond the cipher. */
  ipsecByteTx: number;
  /** VXLAN encapsulation or decapsulation per outer packet, each side and on the receive path. */
  vxlanPacket: number;
  /** The same for Geneve. */
  genevePacket: number;
}

const CLOCK_GHZ = 3.5; // Ryzen 9 3950X base clock, benchmark testbed

// Unencrypted CPU (% of 32 threads per 100 Gbit/s): client 8.7 %, server 13.9 %, i.e. 0.78
// and 1.25 cycles per byte, of which the per-segment part below is 0.23 c/B.
const TX_CYCLES_PER_BYTE_ALL = 0.087 * 32 * CLOCK_GHZ / 12.5;
const RX_CYCLES_PER_BYTE_ALL = 0.139 * 32 * CLOCK_GHZ / 12.5;

// Per-segment stack cost from the unencrypted 1-byte TCP_RR CPU charts: 9.2 / 8.2 thread-µs
// per transaction (client/server), each side sending and receiving one segment.
const SEGMENT = ((9.2 + 8.2) / 4) * CLOCK_GHZ * 1000;
const SEGMENT_SHARE_PER_BYTE = SEGMENT / (45 * 1448);

export const LINUX_PATH_CYCLES: Readonly<PathCycles> = Object.freeze({
  segment: Math.round(SEGMENT),
  txPerByte: round2(TX_CYCLES_PER_BYTE_ALL - SEGMENT_SHARE_PER_BYTE),
  rxPerByte: round2(RX_CYCLES_PER_BYTE_ALL - SEGMENT_SHARE_PER_BYTE),
  // Single unencrypted stream 42.3 Gbit/s at MTU 1500 = 5.29 GB/s on one busiest CPU:
  // 3.5 GHz ÷ 5.29 GB/s = 0.66 c/B, minus the 0.23 c/B segment share.
  flowPerByte: 0.43,
  // Encrypted CPU per side (WireGuard, Cilium KPR: client 23.7 / 8.0 %, server 32.4 / 6.8 %
  // at MTU 1500 / 9000). After the unencrypted stack and the cipher (1 260 cycles per call +
  // 1.8 c/B), the sender's two figures fix 21 300 cycles per packet and 2.0 c/B exactly. The
  // receiver's two figures would need a negative per-byte term, so its per-byte extra is held
  // at 0 (the cipher alone) and 31 100 cycles per packet is the least-squares fit on the log
  // of model ÷ published (−8 % at 1500, +10 % at 9000). Result: the receiver costs more per
  // packet (no UDP GRO, per-packet softirq, decrypt workqueue and per-peer NAPI), the sender
  // more per byte (WireGuard segments GSO packets in software before encrypting them).
  wireguardPacketTx: 21300,
  wireguardPacketRx: 31100,
  wireguardByteTx: 2.0,
  // IPsec the same way (client 12.5 / 4.0 %, server 11.4 / 2.9 %; AES-GCM 1 260 + 0.8 c/B):
  // sender 11 000 cycles and 0.6 c/B exactly; receiver 7 700 cycles, least squares with no
  // per-byte extra (−18 % at 1500, +35 % at 9000: the 2.9 % chart read carries ±0.7 points).
  ipsecPacketTx: 11000,
  ipsecPacketRx: 7700,
  ipsecByteTx: 0.6,
  // Cilium issue #22898 (vCenter VMs, MTU 1500, Cilium 1.12, one iperf3 stream): native
  // routing with the pod MTU at 1450 reached 8.24 Gbit/s, VXLAN 5.8 and Geneve 5.2 on the same
  // nodes. Same MSS (1398), so the ratio is the tunnel's cost on the flow's receive CPU:
  // 0.667 c/B × (8.24 / 5.8 − 1) × 1398 B = 392 cycles per packet; Geneve 545. Assumes that
  // CPU bound both runs and that the VMs' platform scales tunnel and stack work alike.
  vxlanPacket: 392,
  genevePacket: 545,
});

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
