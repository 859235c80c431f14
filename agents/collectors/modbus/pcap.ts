// Reads TCP streams out of a classic pcap file (Ethernet, IPv4), for tests
// that decode real captures. Bounded and forgiving: a truncated or odd packet
// is skipped, never thrown on. Streams are reassembled by sequence number so
// retransmitted segments are not read twice.

export interface TcpStream {
  /** "src:sport>dst:dport" */
  key: string;
  srcPort: number;
  dstPort: number;
  bytes: Buffer;
}

interface Dir {
  key: string;
  srcPort: number;
  dstPort: number;
  next: number | undefined;
  chunks: Buffer[];
  held: Map<number, Buffer>;
}

const ip4 = (b: Buffer, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const MAX_HELD = 1024;

function append(d: Dir, seq: number, payload: Buffer): void {
  if (d.next === undefined) d.next = seq;
  const delta = (seq - d.next) | 0; // signed, modulo 2^32
  if (delta > 0) {
    if (d.held.size < MAX_HELD) d.held.set(seq, payload);
    return;
  }
  if (-delta >= payload.length) return; // a retransmission of what we have
  d.chunks.push(payload.subarray(-delta));
  d.next = (d.next + payload.length + delta) >>> 0;
  // Segments that arrived early may now fit.
  for (let more = true; more; ) {
    more = false;
    for (const [s, p] of d.held) {
      const dd: number = (s - (d.next as number)) | 0;
      if (dd <= 0) {
        d.held.delete(s);
        if (-dd < p.length) {
          d.chunks.push(p.subarray(-dd));
          d.next = (d.next + p.length + dd) >>> 0;
        }
        more = true;
      }
    }
  }
}

/** The TCP payload streams of a pcap, one per direction, in first-seen order. */
export function tcpStreams(file: Buffer): TcpStream[] {
  const dirs = new Map<string, Dir>();
  if (file.length < 24) return [];
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) return [];
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  if (u32(20) !== 1) return []; // Ethernet only
  for (let at = 24; at + 16 <= file.length; ) {
    const incl = u32(at + 8);
    const start = at + 16;
    at = start + incl;
    if (at > file.length) break;
    const p = file.subarray(start, start + incl);
    let off = 12;
    if (p.length < 14) continue;
    let type = p.readUInt16BE(off);
    while ((type === 0x8100 || type === 0x88a8) && p.length >= off + 6) {
      off += 4;
      type = p.readUInt16BE(off);
    }
    off += 2;
    if (type !== 0x0800 || p.length < off + 20) continue;
    const ihl = ((p[off] as number) & 0x0f) * 4;
    if ((p[off + 9] as number) !== 6 || ihl < 20) continue;
    const ipEnd = Math.min(p.length, off + p.readUInt16BE(off + 2));
    const tcp = off + ihl;
    if (ipEnd < tcp + 20) continue;
    const sport = p.readUInt16BE(tcp);
    const dport = p.readUInt16BE(tcp + 2);
    const seq = p.readUInt32BE(tcp + 4);
    const flags = p[tcp + 13] as number;
    const dataOff = ((p[tcp + 12] as number) >> 4) * 4;
    const key = `${ip4(p, off + 12)}:${sport}>${ip4(p, off + 16)}:${dport}`;
    let d = dirs.get(key);
    if (!d || flags & 0x02) {
      // A SYN starts the stream afresh (its payload begins at seq + 1).
      if (d && flags & 0x02 && d.chunks.length) dirs.set(`${key}#${dirs.size}`, d);
      d = { key, srcPort: sport, dstPort: dport, next: undefined, chunks: [], held: new Map() };
      dirs.set(key, d);
      if (flags & 0x02) d.next = (seq + 1) >>> 0;
    }
    const payload = p.subarray(tcp + dataOff, ipEnd);
    if (payload.length) append(d, seq, Buffer.from(payload));
  }
  return [...dirs.values()].map((d) => ({
    key: d.key,
    srcPort: d.srcPort,
    dstPort: d.dstPort,
    bytes: Buffer.concat(d.chunks),
  }));
}
