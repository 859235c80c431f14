// Decodes one captured frame down to the transport header: link layer
// (Ethernet + 802.1Q/QinQ, Linux cooked SLL/SLL2, raw IP, BSD loopback),
// IPv4/IPv6 (bounded extension-header walk), TCP, UDP, ICMP/ICMPv6.
// Pure; every length is checked against what was captured; never throws.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  RAW_OPENBSD: 12,
  LINUX_SLL: 113,
  LOOP: 108,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const PROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

export const TCP_FLAGS = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
} as const;

export interface IpPacket {
  /** Outermost first; empty when untagged. */
  vlans: number[];
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  /** IANA protocol of the transport header (after IPv6 extension headers). */
  protocol: number;
  /** Bytes of the IP packet as sent (IPv4 total length; IPv6 40 + payload length). */
  ipLength: number;
  /** First fragment of a fragmented datagram: transport payload is incomplete. */
  fragmented: boolean;
  srcPort: number;
  dstPort: number;
  /** TCP only. */
  tcp?: { seq: number; ack: number; flags: number; window: number };
  /** ICMP type and code. */
  icmp?: { type: number; code: number };
  /** Transport payload as captured (may be shorter than sent). */
  payload: Uint8Array;
}

export type Decoded =
  | { kind: "ip"; packet: IpPacket }
  /** Not for us (ARP, LLDP, a non-first fragment...): skipped, not malformed. */
  | { kind: "skip"; reason: string }
  | { kind: "malformed"; reason: string };

const MAX_VLAN_TAGS = 4;
const MAX_IPV6_EXT = 8;

const skip = (reason: string): Decoded => ({ kind: "skip", reason });
const bad = (reason: string): Decoded => ({ kind: "malformed", reason });

const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number);
const be32 = (b: Uint8Array, at: number) =>
  (((b[at] as number) << 24) |
    ((b[at + 1] as number) << 16) |
    ((b[at + 2] as number) << 8) |
    (b[at + 3] as number)) >>>
  0;

export function ipv4String(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** RFC 5952 text form (lower case, longest zero run compressed). */
export function ipv6String(b: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(be16(b, at + i * 2));
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (bestAt < 0) return hex(words);
  return `${hex(words.slice(0, bestAt))}::${hex(words.slice(bestAt + bestLen))}`;
}

/** Decodes a frame of link type `linkType`. */
export function decodePacket(linkType: number, frame: Uint8Array): Decoded {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return ethernet(frame);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OPENBSD:
      return rawIp(frame, []);
    case LINKTYPE.IPV4:
      return ipv4(frame, 0, []);
    case LINKTYPE.IPV6:
      return ipv6(frame, 0, []);
    case LINKTYPE.LINUX_SLL:
      if (frame.length < 16) return bad("short SLL header");
      return etherType(frame, be16(frame, 14), 16, []);
    case LINKTYPE.LINUX_SLL2:
      if (frame.length < 20) return bad("short SLL2 header");
      return etherType(frame, be16(frame, 0), 20, []);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (frame.length < 4) return bad("short loopback header");
      // NULL is host byte order of the capturing machine, LOOP network order: accept either.
      const le = (frame[0] as number) | ((frame[1] as number) << 8);
      const fam = le !== 0 ? le : be16(frame, 2);
      if (fam === 2) return ipv4(frame, 4, []);
      if (fam === 10 || fam === 24 || fam === 28 || fam === 30) return ipv6(frame, 4, []);
      return skip(`loopback family ${fam}`);
    }
    default:
      return skip(`link type ${linkType}`);
  }
}

function rawIp(b: Uint8Array, vlans: number[]): Decoded {
  if (b.length < 1) return bad("empty packet");
  const v = (b[0] as number) >> 4;
  if (v === 4) return ipv4(b, 0, vlans);
  if (v === 6) return ipv6(b, 0, vlans);
  return bad(`IP version ${v}`);
}

function ethernet(b: Uint8Array): Decoded {
  if (b.length < 14) return bad("short Ethernet header");
  return etherType(b, be16(b, 12), 14, []);
}

function etherType(b: Uint8Array, type: number, at: number, vlans: number[]): Decoded {
  let t = type;
  let o = at;
  while (t === 0x8100 || t === 0x88a8 || t === 0x9100) {
    if (vlans.length >= MAX_VLAN_TAGS) return bad("too many VLAN tags");
    if (b.length < o + 4) return bad("short VLAN tag");
    vlans.push(be16(b, o) & 0x0fff);
    t = be16(b, o + 2);
    o += 4;
  }
  if (t === 0x0800) return ipv4(b, o, vlans);
  if (t === 0x86dd) return ipv6(b, o, vlans);
  return skip(`ethertype 0x${t.toString(16).padStart(4, "0")}`);
}

function ipv4(b: Uint8Array, at: number, vlans: number[]): Decoded {
  if (b.length < at + 20) return bad("short IPv4 header");
  const vihl = b[at] as number;
  if (vihl >> 4 !== 4) return bad(`IPv4 header with version ${vihl >> 4}`);
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) return bad("IPv4 header length below 20");
  if (b.length < at + ihl) return bad("IPv4 options beyond capture");
  const total = be16(b, at + 2);
  if (total < ihl) return bad("IPv4 total length below header length");
  const frag = be16(b, at + 6);
  const offset = frag & 0x1fff;
  const more = (frag & 0x2000) !== 0;
  if (offset !== 0) return skip("non-first IPv4 fragment");
  // Ethernet pads short frames: the IP total length says where the packet ends.
  const end = Math.min(b.length, at + total);
  return transport(b, at + ihl, end, {
    vlans,
    ipVersion: 4,
    src: ipv4String(b, at + 12),
    dst: ipv4String(b, at + 16),
    protocol: b[at + 9] as number,
    ipLength: total,
    fragmented: more,
  });
}

function ipv6(b: Uint8Array, at: number, vlans: number[]): Decoded {
  if (b.length < at + 40) return bad("short IPv6 header");
  if ((b[at] as number) >> 4 !== 6) return bad("IPv6 header with another version");
  const payloadLen = be16(b, at + 4);
  let next = b[at + 6] as number;
  const end = Math.min(b.length, at + 40 + payloadLen);
  let o = at + 40;
  let fragmented = false;
  for (let n = 0; ; n++) {
    if (next === 0 || next === 43 || next === 60 || next === 51 || next === 135 || next === 44) {
      if (n >= MAX_IPV6_EXT) return bad("too many IPv6 extension headers");
      if (end < o + 8) return bad("IPv6 extension header beyond packet");
      if (next === 44) {
        const off = be16(b, o + 2) >> 3;
        if (off !== 0) return skip("non-first IPv6 fragment");
        fragmented = (be16(b, o + 2) & 1) === 1;
        next = b[o] as number;
        o += 8;
        continue;
      }
      const len = next === 51 ? ((b[o + 1] as number) + 2) * 4 : ((b[o + 1] as number) + 1) * 8;
      next = b[o] as number;
      o += len;
      if (o > end) return bad("IPv6 extension header beyond packet");
      continue;
    }
    break;
  }
  if (next === 59) return skip("IPv6 no next header");
  return transport(b, o, end, {
    vlans,
    ipVersion: 6,
    src: ipv6String(b, at + 8),
    dst: ipv6String(b, at + 24),
    protocol: next,
    ipLength: 40 + payloadLen,
    fragmented,
  });
}

type IpPart = Pick<
  IpPacket,
  "vlans" | "ipVersion" | "src" | "dst" | "protocol" | "ipLength" | "fragmented"
>;

function transport(b: Uint8Array, at: number, end: number, ip: IpPart): Decoded {
  const base = { ...ip, srcPort: 0, dstPort: 0, payload: new Uint8Array(0) };
  if (ip.protocol === PROTO.TCP) {
    if (end < at + 20)
      return ip.fragmented ? skip("TCP header fragmented") : bad("short TCP header");
    const off = ((b[at + 12] as number) >> 4) * 4;
    if (off < 20) return bad("TCP data offset below 20");
    if (end < at + off) return bad("TCP options beyond packet");
    return {
      kind: "ip",
      packet: {
        ...base,
        srcPort: be16(b, at),
        dstPort: be16(b, at + 2),
        tcp: {
          seq: be32(b, at + 4),
          ack: be32(b, at + 8),
          flags: b[at + 13] as number,
          window: be16(b, at + 14),
        },
        payload: b.subarray(at + off, end),
      },
    };
  }
  if (ip.protocol === PROTO.UDP) {
    if (end < at + 8)
      return ip.fragmented ? skip("UDP header fragmented") : bad("short UDP header");
    const len = be16(b, at + 4);
    if (len < 8) return bad("UDP length below 8");
    return {
      kind: "ip",
      packet: {
        ...base,
        srcPort: be16(b, at),
        dstPort: be16(b, at + 2),
        payload: b.subarray(at + 8, Math.min(end, at + len)),
      },
    };
  }
  if (ip.protocol === PROTO.ICMP || ip.protocol === PROTO.ICMPV6) {
    if (end < at + 4) return bad("short ICMP header");
    const type = b[at] as number;
    const code = b[at + 1] as number;
    return {
      kind: "ip",
      // NetFlow convention: ICMP type and code in the destination port.
      packet: {
        ...base,
        dstPort: type * 256 + code,
        icmp: { type, code },
        payload: b.subarray(at + 4, end),
      },
    };
  }
  return { kind: "ip", packet: { ...base, payload: b.subarray(at, end) } };
}
