// Per-packet work of one encryption datapath: bytes on the wire and CPU
// cycles, as functions of a packet's TCP payload size.

import type { HardwareProfile } from "./hardware.ts";
import { type EncapsulationConfig, type Encryption, type MtuPlan, outerPacketBytes, tcpHeaderBytes } from "./mtu.ts";
import { type Fragmentation, fragmentOnLink, tunnelOverheadBytes } from "./overhead.ts";

/** The sending node ("tx") or the receiving node ("rx") of a packet. */
export type Side = "tx" | "rx";

export interface Datapath {
  encryption: Encryption;
  hardware: HardwareProfile;
  plan: MtuPlan;
  /** Inner IP + TCP header bytes added to every payload. */
  tcpHeader: number;
  /** Wire cost of one packet carrying `payload` TCP bytes. */
  wire(payload: number): Fragmentation;
  /** Extra CPU cycles per packet on one side for encryption (0 without it). */
  extraCycles(payload: number, side: Side): number;
  /** Cycles per packet for VXLAN/Geneve on one side (0 without a tunnel on the path). */
  tunnelCycles(payload: number): number;
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
  const tunnelPacket = !plan.tunnelOnPath ? 0 : cfg.tunnelProtocol === "geneve" ? path.genevePacket : path.vxlanPacket;
  // Bytes the cipher processes: the pod packet, plus VXLAN when it sits inside WireGuard.
  const plainBytes = (payload: number) => payload + tcpHeader + (stacked ? tunnelOverheadBytes(cfg.ipFamily) : 0);
  const wire = (payload: number) =>
    fragmentOnLink(outerPacketBytes(cfg, payload + tcpHeader), cfg.underlayMtu, cfg.ipFamily);
  const aead = (payload: number) =>
    cipher === null ? 0 : hw.cryptoCyclesPerPacket[cipher] + hw.cryptoCyclesPerByte[cipher] * plainBytes(payload);
  const perPacket = (side: Side) => {
    if (cfg.encryption === "wireguard") return side === "tx" ? path.wireguardPacketTx : path.wireguardPacketRx;
    return side === "tx" ? path.ipsecPacketTx : path.ipsecPacketRx;
  };
  // Only the sender pays extra per byte: the receiver's fit leaves it the cipher alone.
  const perByte = (side: Side) => (side === "rx" ? 0 : cfg.encryption === "wireguard" ? path.wireguardByteTx : path.ipsecByteTx);

  return {
    encryption: cfg.encryption,
    hardware: hw,
    plan,
    tcpHeader,
    wire,
    // Every extra outer datagram (a fragment) pays the per-packet path again.
    extraCycles: (payload, side) =>
      cipher === null ? 0 : perPacket(side) * wire(payload).fragments + aead(payload) + perByte(side) * plainBytes(payload),
    tunnelCycles: () => tunnelPacket,
    serialCycles(payload) {
      const s = hw.serial;
      // From 1.15 every overlay packet crosses WireGuard, and an ESP packet's VXLAN header is
      // removed in the same softirq: the tunnel's per-packet work lands on the serial stage.
      const perPacketBytes = s.perByte * plainBytes(payload) + tunnelPacket;
      if (cfg.encryption === "wireguard") return s.wireguardPacket + perPacketBytes;
      // IPsec decrypts inline in the softirq of the one RX queue an SA hashes to.
      if (cfg.encryption === "ipsec") {
        return s.ipsecPacket + perPacketBytes + (hw.cryptoCyclesPerByte.aesgcm + s.ipsecCipherPerByte) * plainBytes(payload);
      }
      return 0;
    },
    // WireGuard hands encryption and decryption to per-CPU workers round-robin.
    poolCycles: (payload) => (cfg.encryption === "wireguard" ? aead(payload) : 0),
  };
}
