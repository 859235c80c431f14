// Reads classic pcap (both byte orders, micro- and nanosecond timestamps) and
// pcapng from a byte stream, e.g. a file or the stdout of `tcpdump -U -w -`.
// The parser is incremental and pure: records may be split across chunks
// anywhere. Sizes are bounded before anything is buffered; a stream that
// cannot be parsed further ends with a reason, never an exception.

export interface PcapPacket {
  /** LINKTYPE_* of the interface the packet was captured on. */
  linkType: number;
  /** Capture time, milliseconds since the epoch (fractional below 1 ms). */
  tsMs: number;
  /** Whole seconds and nanoseconds of the capture time (exact). */
  tsSec: number;
  tsNanos: number;
  /** Bytes on the wire; `data.length` is what was captured (may be less). */
  origLen: number;
  data: Uint8Array;
}

export interface PcapProblem {
  reason: string;
  sample: Uint8Array;
  /** True when the stream cannot be read further (bad header, impossible length). */
  fatal: boolean;
}

/** Largest record accepted whatever the header says (tcpdump's own maximum snaplen). */
export const MAX_RECORD = 262_144;
/** Largest pcapng block (a packet plus options and block framing). */
const MAX_BLOCK = MAX_RECORD + 4096;

type Format =
  | { kind: "unknown" }
  | { kind: "pcap"; le: boolean; nanos: boolean; linkType: number; snaplen: number }
  | { kind: "pcapng"; le: boolean; ifaces: { linkType: number; perSec: bigint }[] }
  | { kind: "dead" };

const u32 = (b: Uint8Array, at: number, le: boolean): number => {
  const dv = new DataView(b.buffer, b.byteOffset + at, 4);
  return dv.getUint32(0, le);
};
const u16 = (b: Uint8Array, at: number, le: boolean): number => {
  const dv = new DataView(b.buffer, b.byteOffset + at, 2);
  return dv.getUint16(0, le);
};

/**
 * Incremental parser: push() chunks, get complete packets back; end() reports
 * a truncated final record. Problems go to `onProblem`.
 */
export class PcapParser {
  private buf: Uint8Array = new Uint8Array(0);
  private fmt: Format = { kind: "unknown" };
  private readonly onProblem: (p: PcapProblem) => void;

  constructor(onProblem: (p: PcapProblem) => void = () => {}) {
    this.onProblem = onProblem;
  }

  push(chunk: Uint8Array): PcapPacket[] {
    if (this.fmt.kind === "dead" || chunk.length === 0) return [];
    this.buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    const out: PcapPacket[] = [];
    let at = 0;
    for (;;) {
      const used = this.step(this.buf, at, out);
      if (used === 0) break;
      at += used;
      if ((this.fmt as Format).kind === "dead") {
        this.buf = new Uint8Array(0);
        return out;
      }
    }
    // Keep only the unconsumed tail (copied, so big chunks are not retained).
    this.buf = at === 0 ? this.buf : this.buf.slice(at);
    return out;
  }

  /** Call at end of stream: leftover bytes are a truncated record. */
  end(): void {
    if (this.buf.length > 0 && this.fmt.kind !== "dead") {
      this.onProblem({
        reason: this.fmt.kind === "unknown" ? "truncated file header" : "truncated final record",
        sample: this.buf.subarray(0, 256),
        fatal: true,
      });
    }
    this.buf = new Uint8Array(0);
  }

  private fail(reason: string, at: Uint8Array): number {
    this.onProblem({ reason, sample: at.subarray(0, 256), fatal: true });
    this.fmt = { kind: "dead" };
    return 1;
  }

  /** Parses one header/record at `at`; returns bytes consumed, 0 if more input is needed. */
  private step(b: Uint8Array, at: number, out: PcapPacket[]): number {
    const avail = b.length - at;
    const here = b.subarray(at);
    const fmt = this.fmt;
    if (fmt.kind === "unknown") {
      if (avail < 4) return 0;
      const magicBE = u32(b, at, false);
      if (magicBE === 0x0a0d0d0a) return this.sectionHeader(b, at);
      const kinds: Record<number, { le: boolean; nanos: boolean }> = {
        2712847316: { le: false, nanos: false },
        3569595041: { le: true, nanos: false },
        2712812621: { le: false, nanos: true },
        1295823521: { le: true, nanos: true },
      };
      const k = kinds[magicBE];
      if (!k) return this.fail("not a pcap or pcapng stream (bad magic)", here);
      if (avail < 24) return 0;
      const snaplen = u32(b, at + 16, k.le);
      // The upper bits of the link-type field carry FCS information.
      const linkType = u32(b, at + 20, k.le) & 0x0fffffff;
      this.fmt = { kind: "pcap", ...k, linkType, snaplen };
      return 24;
    }
    if (fmt.kind === "pcap") {
      if (avail < 16) return 0;
      const sec = u32(b, at, fmt.le);
      const frac = u32(b, at + 4, fmt.le);
      const incl = u32(b, at + 8, fmt.le);
      const orig = u32(b, at + 12, fmt.le);
      // snaplen bounds the record, but writers disagree on it; never trust more than MAX_RECORD.
      const bound = Math.min(MAX_RECORD, Math.max(fmt.snaplen, 65_535));
      if (incl > bound) return this.fail(`record length ${incl} exceeds ${bound}`, here);
      if (fmt.nanos ? frac >= 1e9 : frac >= 1e6) {
        // A bad fraction alone is survivable: clamp it, keep the packet.
        this.onProblem({
          reason: "bad timestamp fraction",
          sample: here.subarray(0, 16),
          fatal: false,
        });
      }
      if (avail < 16 + incl) return 0;
      const nanos = Math.min(fmt.nanos ? frac : frac * 1000, 999_999_999);
      out.push({
        linkType: fmt.linkType,
        tsSec: sec,
        tsNanos: nanos,
        tsMs: sec * 1000 + nanos / 1e6,
        origLen: Math.max(orig, incl),
        data: new Uint8Array(b.subarray(at + 16, at + 16 + incl)),
      });
      return 16 + incl;
    }
    if (fmt.kind === "pcapng") {
      if (avail < 12) return 0;
      const type = u32(b, at, fmt.le);
      if (type === 0x0a0d0d0a) return this.sectionHeader(b, at);
      const len = u32(b, at + 4, fmt.le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        return this.fail(`bad pcapng block length ${len}`, here);
      }
      if (avail < len) return 0;
      if (u32(b, at + len - 4, fmt.le) !== len)
        return this.fail("pcapng block length mismatch", here);
      const body = b.subarray(at + 8, at + len - 4);
      this.ngBlock(type, body, fmt, out);
      return len;
    }
    return 0;
  }

  private sectionHeader(b: Uint8Array, at: number): number {
    if (b.length - at < 12) return 0;
    const bom = u32(b, at + 8, false);
    const le = bom === 0x4d3c2b1a;
    if (!le && bom !== 0x1a2b3c4d) return this.fail("bad pcapng byte-order magic", b.subarray(at));
    const len = u32(b, at + 4, le);
    if (len < 28 || len % 4 !== 0 || len > MAX_BLOCK) {
      return this.fail(`bad pcapng section header length ${len}`, b.subarray(at));
    }
    if (b.length - at < len) return 0;
    // A new section forgets the previous section's interfaces.
    this.fmt = { kind: "pcapng", le, ifaces: [] };
    return len;
  }

  private ngBlock(
    type: number,
    body: Uint8Array,
    fmt: Extract<Format, { kind: "pcapng" }>,
    out: PcapPacket[],
  ): undefined {
    const le = fmt.le;
    const bad = (reason: string): undefined => {
      this.onProblem({ reason, sample: body.subarray(0, 256), fatal: false });
    };
    if (type === 1) {
      // Interface Description Block: link type, snaplen, options (if_tsresol).
      if (body.length < 8) return bad("short pcapng interface block");
      if (fmt.ifaces.length >= 1024) return bad("too many pcapng interfaces");
      let perSec = 1_000_000n; // default resolution: microseconds
      for (let o = 8; o + 4 <= body.length; ) {
        const code = u16(body, o, le);
        const olen = u16(body, o + 2, le);
        if (code === 0 || o + 4 + olen > body.length) break;
        if (code === 9 && olen >= 1) {
          const r = body[o + 4] as number;
          const exp = BigInt(Math.min(r & 0x7f, 30));
          perSec = r & 0x80 ? 2n ** exp : 10n ** (exp > 18n ? 18n : exp);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      fmt.ifaces.push({ linkType: u16(body, 0, le), perSec });
      return;
    }
    if (type === 6 || type === 3) {
      // Enhanced Packet Block (6) or Simple Packet Block (3).
      let iface = 0;
      let ticks = 0n;
      let capLen: number;
      let origLen: number;
      let dataAt: number;
      if (type === 6) {
        if (body.length < 20) return bad("short pcapng packet block");
        iface = u32(body, 0, le);
        ticks = (BigInt(u32(body, 4, le)) << 32n) | BigInt(u32(body, 8, le));
        capLen = u32(body, 12, le);
        origLen = u32(body, 16, le);
        dataAt = 20;
      } else {
        if (body.length < 4) return bad("short pcapng simple packet block");
        origLen = u32(body, 0, le);
        dataAt = 4;
        capLen = Math.min(origLen, body.length - 4);
      }
      const ifc = fmt.ifaces[iface];
      if (!ifc) return bad(`pcapng packet for undeclared interface ${iface}`);
      if (capLen > body.length - dataAt || capLen > MAX_RECORD)
        return bad("pcapng captured length beyond block");
      // Exact integer arithmetic: 64-bit tick counts exceed a double's precision.
      const tsSec = Number(ticks / ifc.perSec);
      const tsNanos = Number(((ticks % ifc.perSec) * 1_000_000_000n) / ifc.perSec);
      out.push({
        linkType: ifc.linkType,
        tsMs: tsSec * 1000 + tsNanos / 1e6,
        tsSec,
        tsNanos,
        origLen: Math.max(origLen, capLen),
        data: new Uint8Array(body.subarray(dataAt, dataAt + capLen)),
      });
    }
    // Other blocks (name resolution, statistics, custom) carry nothing we use.
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Parses a whole capture held in memory (tests, fuzzing). */
export function parsePcap(bytes: Uint8Array): { packets: PcapPacket[]; problems: PcapProblem[] } {
  const problems: PcapProblem[] = [];
  const p = new PcapParser((x) => problems.push(x));
  const packets = p.push(bytes);
  p.end();
  return { packets, problems };
}

/**
 * Packets from a pcap/pcapng byte stream (a file read stream, tcpdump's
 * stdout, or any async iterable of chunks). Problems go to `onProblem`; a
 * fatal one ends the iteration.
 */
export async function* readPcap(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  onProblem: (p: PcapProblem) => void = () => {},
): AsyncGenerator<PcapPacket> {
  let dead = false;
  const parser = new PcapParser((p) => {
    if (p.fatal) dead = true;
    onProblem(p);
  });
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "binary") : chunk;
    for (const pkt of parser.push(bytes)) yield pkt;
    if (dead) return;
  }
  parser.end();
}
