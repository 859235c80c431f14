// MLLP framing (HL7 v2 transport, "Minimal Lower Layer Protocol"):
// <VT 0x0B> message <FS 0x1C><CR 0x0D>. A pure, incremental decoder: feed it
// TCP chunks, get whole messages back. Memory is bounded by maxMessageBytes:
// a longer frame is skipped (its head kept, for the ACK) and reported.

export const SB = 0x0b;
export const EB = 0x1c;
export const CR = 0x0d;

/** Bytes of an oversize frame kept for its MSH (the ACK needs MSH-10). */
const HEAD_BYTES = 4096;
/** Bytes outside any frame after which the peer is not speaking MLLP. */
const MAX_GARBAGE = 64 * 1024;

export type MllpItem =
  | { kind: "message"; payload: Buffer }
  /** A frame longer than maxMessageBytes; `head` is its first bytes, `length` its size. */
  | { kind: "oversize"; head: Buffer; length: number }
  /** Non-whitespace bytes outside a frame (a peer that does not speak MLLP). */
  | { kind: "outside_frame"; sample: Buffer; length: number }
  /** A start block inside a frame: the sender gave up on the partial frame. */
  | { kind: "aborted"; sample: Buffer; length: number }
  /** An oversize frame that never ends: the caller should drop the connection. */
  | { kind: "runaway"; length: number };

export function mllpFrame(payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(SB), payload, Buffer.of(EB, CR)]);
}

export class MllpDecoder {
  private readonly max: number;
  private readonly runawayBytes: number;
  private state: "idle" | "frame" | "skip" = "idle";
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer = Buffer.alloc(0);
  private garbage: Buffer[] = [];
  private garbageLen = 0;
  /** An EB was the last byte of the previous chunk: swallow a CR that starts the next. */
  private afterEb = false;

  constructor(maxMessageBytes: number) {
    this.max = maxMessageBytes;
    this.runawayBytes = Math.max(maxMessageBytes * 16, 16 * 1024 * 1024);
  }

  push(chunk: Uint8Array): MllpItem[] {
    const out: MllpItem[] = [];
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    if (this.afterEb && b.length > 0) {
      this.afterEb = false;
      if (b[0] === CR) i = 1;
    }
    while (i < b.length) {
      if (this.state === "idle") {
        const sb = b.indexOf(SB, i);
        const stop = sb < 0 ? b.length : sb;
        this.noteGarbage(b.subarray(i, stop));
        if (this.garbageLen > MAX_GARBAGE) {
          // Not an MLLP peer: report it and tell the caller to hang up.
          const length = this.garbageLen;
          this.flushGarbage(out);
          out.push({ kind: "runaway", length });
          return out;
        }
        if (sb < 0) break;
        this.flushGarbage(out);
        this.state = "frame";
        this.parts = [];
        this.size = 0;
        i = sb + 1;
        continue;
      }
      // Inside a frame: look for the end block, or a new start block.
      const eb = b.indexOf(EB, i);
      const sb = b.indexOf(SB, i);
      if (sb >= 0 && (eb < 0 || sb < eb)) {
        this.append(b.subarray(i, sb));
        const partial = this.state === "frame" ? Buffer.concat(this.parts) : this.head;
        out.push({ kind: "aborted", sample: partial.subarray(0, 256), length: this.size });
        this.state = "frame";
        this.parts = [];
        this.size = 0;
        i = sb + 1;
        continue;
      }
      const stop = eb < 0 ? b.length : eb;
      this.append(b.subarray(i, stop));
      if (this.state === "skip" && this.size > this.runawayBytes) {
        out.push({ kind: "runaway", length: this.size });
        this.reset();
        return out;
      }
      if (eb < 0) break;
      // End of block. The CR after it is required by MLLP; a sender that
      // leaves it out still ended its message, so accept the frame.
      if (this.state === "frame") {
        out.push({ kind: "message", payload: Buffer.concat(this.parts, this.size) });
      } else {
        out.push({ kind: "oversize", head: this.head, length: this.size });
      }
      this.reset();
      i = eb + 1;
      if (i < b.length) {
        if (b[i] === CR) i++;
      } else {
        this.afterEb = true;
      }
    }
    return out;
  }

  /** Bytes held for a frame in progress (tests). */
  get pending(): number {
    return this.size;
  }

  private reset() {
    this.state = "idle";
    this.parts = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
  }

  private append(bytes: Buffer) {
    if (bytes.length === 0) return;
    if (this.state === "frame") {
      if (this.size + bytes.length > this.max) {
        // Keep only the head; the rest of the frame is counted, not stored.
        const all = Buffer.concat([...this.parts, bytes]);
        this.head = Buffer.from(all.subarray(0, HEAD_BYTES));
        this.parts = [];
        this.state = "skip";
      } else {
        // Copy: the socket may reuse the chunk's memory.
        this.parts.push(Buffer.from(bytes));
      }
    }
    this.size += bytes.length;
  }

  private noteGarbage(bytes: Buffer) {
    // Whitespace between frames (a trailing LF after FS CR) is harmless.
    let start = 0;
    while (start < bytes.length && /\s/.test(String.fromCharCode(bytes[start] as number))) start++;
    if (start >= bytes.length && this.garbageLen === 0) return;
    const rest = bytes.subarray(start);
    if (this.garbageLen < 256) this.garbage.push(Buffer.from(rest.subarray(0, 256)));
    this.garbageLen += rest.length;
  }

  private flushGarbage(out: MllpItem[]) {
    if (this.garbageLen === 0) return;
    const sample = Buffer.concat(this.garbage).subarray(0, 256);
    out.push({ kind: "outside_frame", sample, length: this.garbageLen });
    this.garbage = [];
    this.garbageLen = 0;
  }

  /** Reports garbage still buffered (call when the connection ends). */
  end(): MllpItem[] {
    const out: MllpItem[] = [];
    this.flushGarbage(out);
    return out;
  }
}
