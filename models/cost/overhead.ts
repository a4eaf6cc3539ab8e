// Byte-exact per-packet overheads of the encapsulations Cilium can stack:
// WireGuard, IPsec ESP (AES-GCM) and VXLAN/Geneve, plus IP fragmentation of
// an outer packet that does not fit the underlay MTU.
//
// All sizes are IP-layer bytes (what an MTU limits) unless a name says "L1".

export type IpFamily = "ipv4" | "ipv6";

/** IP header without options: IPv4 20 B, IPv6 40 B (WireGuard device.c overhead formula). */
export function ipHeaderBytes(family: IpFamily): number {
  return family === "ipv4" ? 20 : 40;
}

export const UDP_HEADER_BYTES = 8;

// --- WireGuard data message (drivers/net/wireguard/messages.h) ---
/** type (1) + reserved (3) + receiver index (4) + counter (8). */
export const WG_HEADER_BYTES = 16;
/** Poly1305 tag, NOISE_AUTHTAG_LEN. */
export const WG_AUTH_TAG_BYTES = 16;
/** MESSAGE_PADDING_MULTIPLE: plaintext is zero-padded to a multiple of 16 (send.c). */
export const WG_PADDING_MULTIPLE = 16;

/**
 * Padding WireGuard appends to a plaintext of `plainBytes`: up to the next
 * multiple of 16, but never past the MTU recorded for the skb (send.c,
 * calculate_skb_padding). That MTU is the skb's route MTU, which is not
 * necessarily the WireGuard device MTU; Cilium issue #23917 shows a 1409 B
 * packet padded to 1424 although cilium_wg0 had MTU 1420.
 */
export function wireguardPadding(plainBytes: number, skbMtu: number): number {
  const aligned = Math.ceil(plainBytes / WG_PADDING_MULTIPLE) * WG_PADDING_MULTIPLE;
  const padded = Math.min(skbMtu, aligned);
  return Math.max(0, padded - plainBytes);
}

/** Outer IP packet carrying `plainBytes` of plaintext through WireGuard. */
export function wireguardOuterBytes(plainBytes: number, outer: IpFamily, skbMtu: number): number {
  return (
    ipHeaderBytes(outer) +
    UDP_HEADER_BYTES +
    WG_HEADER_BYTES +
    plainBytes +
    wireguardPadding(plainBytes, skbMtu) +
    WG_AUTH_TAG_BYTES
  );
}

/** Worst-case fixed WireGuard cost without padding: 60 B over IPv4, 80 B over IPv6. */
export function wireguardFixedBytes(outer: IpFamily): number {
  return ipHeaderBytes(outer) + UDP_HEADER_BYTES + WG_HEADER_BYTES + WG_AUTH_TAG_BYTES;
}

// --- VXLAN / Geneve (Cilium pkg/mtu TunnelOverhead) ---
/** Outer IP + UDP 8 + VXLAN 8 + inner Ethernet 14: 50 B over IPv4, 70 B over IPv6. */
export function tunnelOverheadBytes(outer: IpFamily): number {
  return ipHeaderBytes(outer) + UDP_HEADER_BYTES + 8 + 14;
}

// --- IPsec ESP tunnel mode with AES-GCM (RFC 4303, RFC 4106) ---
export const ESP_HEADER_BYTES = 8; // SPI 4 + sequence number 4
export const ESP_GCM_IV_BYTES = 8; // explicit IV carried by RFC 4106
export const ESP_TRAILER_BYTES = 2; // pad length 1 + next header 1
/** Cilium's default key spec is rfc4106(gcm(aes)) with a 128-bit ICV. */
export const ESP_DEFAULT_ICV_BYTES = 16;

/** ESP pads payload + trailer to a multiple of 4 bytes (RFC 4303 alignment). */
export function espPadding(plainBytes: number): number {
  return (4 - ((plainBytes + ESP_TRAILER_BYTES) % 4)) % 4;
}

/** Outer IP packet carrying `plainBytes` through ESP in tunnel mode. */
export function espOuterBytes(plainBytes: number, outer: IpFamily, icvBytes = ESP_DEFAULT_ICV_BYTES): number {
  return (
    ipHeaderBytes(outer) +
    ESP_HEADER_BYTES +
    ESP_GCM_IV_BYTES +
    plainBytes +
    espPadding(plainBytes) +
    ESP_TRAILER_BYTES +
    icvBytes
  );
}

// --- Ethernet framing and fragmentation ---
/** Preamble 8 + MAC header 14 + FCS 4 + inter-frame gap 12 per frame on the wire. */
export const ETHERNET_L1_BYTES = 38;

/** IPv6 fragments carry an 8-byte fragment extension header. */
const IPV6_FRAGMENT_HEADER_BYTES = 8;

export interface Fragmentation {
  /** Number of IP packets on the wire for one outer packet (1 = not fragmented). */
  fragments: number;
  /** Bytes on the wire including Ethernet L1 overhead of every fragment. */
  l1Bytes: number;
}

/**
 * How an outer IP packet of `outerBytes` crosses a link of `mtu`: fragment
 * payloads are multiples of 8 bytes and each fragment repeats the IP header
 * (IPv6 adds a fragment header). This is the byte cost only; the throughput
 * penalty of fragmentation lives in the throughput model.
 */
export function fragmentOnLink(outerBytes: number, mtu: number, outer: IpFamily): Fragmentation {
  if (outerBytes <= mtu) return { fragments: 1, l1Bytes: outerBytes + ETHERNET_L1_BYTES };
  const header = ipHeaderBytes(outer) + (outer === "ipv6" ? IPV6_FRAGMENT_HEADER_BYTES : 0);
  const perFragment = Math.floor((mtu - header) / 8) * 8;
  const payload = outerBytes - ipHeaderBytes(outer);
  const fragments = Math.ceil(payload / perFragment);
  return { fragments, l1Bytes: payload + fragments * (header + ETHERNET_L1_BYTES) };
}
