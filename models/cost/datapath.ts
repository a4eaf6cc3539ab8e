// Per-packet work of one encryption datapath: bytes on the wire and CPU
// cycles, as functions of a packet's TCP payload size.

import type { HardwareProfile } from "./hardware.ts";
import { type EncapsulationConfig, type Encryption, type MtuPlan, outerPacketBytes, tcpHeaderBytes } from "./mtu.ts";
import { type Fragmentation, fragmentOnLink, tunnelOverheadBytes } from "./overhead.ts";

export interface Datapath {
  encryption: Encryption;
  hardware: HardwareProfile;
  plan: MtuPlan;
  /** Inner IP + TCP header bytes added to every payload. */
  tcpHeader: number;
  /** Wire cost of one packet carrying `payload` TCP bytes. */
  wire(payload: number): Fragmentation;
  /** Extra CPU cycles per packet on each side (sender and receiver) for encryption. */
  extraCycles(payload: number): number;
  /** Cycles per packet on the node pair's serial stage; 0 when there is none. */
  serialCycles(payload: number): number;
  /** Cycles per packet of crypto that the kernel spreads over all CPUs; 0 when inline. */
  poolCycles(payload: number): number;
}

function cipherOf(encryption: Encryption): "chacha20poly1305" | "aesgcm" | null {
  if (encryption === "wireguard") return "chacha20poly1305";
  if (encryption === "ipsec") return "aesgcm";
  return null;
}

/** The datapath for a configuration on a hardware profile. */
export function datapath(cfg: EncapsulationConfig, hw: HardwareProfile, plan: MtuPlan): Datapath {
  const tcpHeader = tcpHeaderBytes(cfg.innerIpFamily ?? cfg.ipFamily);
  const cipher = cipherOf(cfg.encryption);
  const path = hw.pathCycles;
  const stacked = plan.tunnelOnPath && cfg.encryption === "wireguard";
  // Bytes the cipher processes: the pod packet, plus VXLAN when it sits inside WireGuard.
  const plainBytes = (payload: number) => payload + tcpHeader + (stacked ? tunnelOverheadBytes(cfg.ipFamily) : 0);
  const wire = (payload: number) =>
    fragmentOnLink(outerPacketBytes(cfg, payload + tcpHeader), cfg.underlayMtu, cfg.ipFamily);
  const aead = (payload: number) =>
    cipher === null ? 0 : hw.cryptoCyclesPerPacket[cipher] + hw.cryptoCyclesPerByte[cipher] * plainBytes(payload);
  const fixedPerPacket = cfg.encryption === "wireguard" ? path.wireguardPacket : path.ipsecPacket;

  return {
    encryption: cfg.encryption,
    hardware: hw,
    plan,
    tcpHeader,
    wire,
    // Every extra outer datagram (a fragment) pays the per-packet path again.
    extraCycles: (payload) => (cipher === null ? 0 : fixedPerPacket * wire(payload).fragments + aead(payload)),
    serialCycles(payload) {
      const perByte = path.serialPerByte * plainBytes(payload);
      if (cfg.encryption === "wireguard") return path.wireguardSerial + perByte;
      // IPsec decrypts inline in the softirq of the one RX queue an SA hashes to.
      if (cfg.encryption === "ipsec") return path.ipsecSerial + perByte + aead(payload);
      return 0;
    },
    // WireGuard hands encryption and decryption to per-CPU workers round-robin.
    poolCycles: (payload) => (cfg.encryption === "wireguard" ? aead(payload) : 0),
  };
}
