// RFC 6587 framing of syslog over a TCP (or TLS) byte stream, with no I/O:
// push() takes whatever the socket delivered and returns complete frames and
// framing errors. The method is chosen per frame, as rsyslog and Zeek do (one
// of Zeek's traces mixes both on one connection): a digit first means
// octet-counting ("LEN SP MSG"), anything else LF-terminated
// ("non-transparent") framing.

export type FrameItem =
  | { frame: Buffer }
  | {
      /** frame_too_large (skipped, the stream goes on), octet_count_too_large (fatal), truncated_frame. */
      error: string;
      /** The connection cannot be resynchronised (or is abusive) and should be closed. */
      fatal: boolean;
      /** Up to 256 bytes of the offending frame. */
      sample: Buffer;
      /** Length the frame had or claimed. */
      length: number;
    };

export interface FramerOptions {
  /** Longest frame delivered; longer ones are skipped and reported. */
  maxFrameBytes: number;
  /**
   * An octet count above this is not a message but an attack or a desynchronised
   * stream: the framer reports it as fatal instead of reading past it.
   */
  maxOctetCount?: number;
}

export interface Framer {
  push(chunk: Uint8Array): FrameItem[];
  /** The peer closed: an unterminated LF frame is still a message; a partial counted one is not. */
  end(): FrameItem[];
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const MAX_LEN_DIGITS = 10;
const SAMPLE = 256;

type State =
  | { kind: "start" }
  | { kind: "counted"; need: number }
  | { kind: "skipCounted"; left: number }
  | { kind: "lf" }
  | { kind: "skipLf" };

export function createFramer(opts: FramerOptions): Framer {
  const max = opts.maxFrameBytes;
  const absurd = opts.maxOctetCount ?? Math.max(1 << 20, max * 16);
  let buf: Buffer = Buffer.alloc(0);
  let state: State = { kind: "start" };
  let dead = false;

  function step(out: FrameItem[]): boolean {
    switch (state.kind) {
      case "start": {
        // Stray line ends between frames (CRLF senders, keep-alives) are not messages.
        let i = 0;
        while (i < buf.length && (buf[i] === LF || buf[i] === CR)) i++;
        if (i) buf = buf.subarray(i);
        if (buf.length === 0) return false;
        const c0 = buf[0] as number;
        if (c0 < 0x30 || c0 > 0x39) {
          state = { kind: "lf" };
          return true;
        }
        let j = 0;
        let n = 0;
        while (j < buf.length && j < MAX_LEN_DIGITS) {
          const c = buf[j] as number;
          if (c < 0x30 || c > 0x39) break;
          n = n * 10 + (c - 0x30);
          j++;
        }
        if (j === buf.length && j < MAX_LEN_DIGITS) return false; // the count is still arriving
        if (buf[j] !== SP) {
          // Digits not followed by SP: a line that starts with a number.
          state = { kind: "lf" };
          return true;
        }
        buf = buf.subarray(j + 1);
        if (n === 0) {
          out.push({ error: "empty_frame", fatal: false, sample: Buffer.alloc(0), length: 0 });
        } else if (n > absurd) {
          out.push({ error: "octet_count_too_large", fatal: true, sample: sample(buf), length: n });
          dead = true;
          return false;
        } else if (n > max) {
          out.push({ error: "frame_too_large", fatal: false, sample: sample(buf), length: n });
          state = { kind: "skipCounted", left: n };
        } else {
          state = { kind: "counted", need: n };
        }
        return true;
      }
      case "counted": {
        if (buf.length < state.need) return false;
        out.push({ frame: Buffer.from(buf.subarray(0, state.need)) });
        buf = buf.subarray(state.need);
        state = { kind: "start" };
        return true;
      }
      case "skipCounted": {
        const n = Math.min(state.left, buf.length);
        buf = buf.subarray(n);
        state.left -= n;
        if (state.left > 0) return false;
        state = { kind: "start" };
        return true;
      }
      case "lf": {
        const at = buf.indexOf(LF);
        if (at < 0 || at > max) {
          if (buf.length <= max) return false;
          out.push({
            error: "frame_too_large",
            fatal: false,
            sample: sample(buf),
            length: at < 0 ? buf.length : at, // without an LF yet: at least that long
          });
          state = { kind: "skipLf" };
          return true;
        }
        const end = at > 0 && buf[at - 1] === CR ? at - 1 : at;
        out.push({ frame: Buffer.from(buf.subarray(0, end)) });
        buf = buf.subarray(at + 1);
        state = { kind: "start" };
        return true;
      }
      case "skipLf": {
        const at = buf.indexOf(LF);
        if (at < 0) {
          buf = Buffer.alloc(0);
          return false;
        }
        buf = buf.subarray(at + 1);
        state = { kind: "start" };
        return true;
      }
    }
  }

  return {
    push(chunk) {
      const out: FrameItem[] = [];
      if (dead || chunk.length === 0) return out;
      // Only an unfinished frame (≤ max + a count) is carried over, so this
      // copy is bounded; skipped frames are never buffered.
      buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk);
      while (!dead && step(out));
      return out;
    },
    end() {
      const out: FrameItem[] = [];
      if (dead) return out;
      dead = true;
      if (state.kind === "lf" && buf.length > 0) {
        const end = buf[buf.length - 1] === CR ? buf.length - 1 : buf.length;
        out.push({ frame: Buffer.from(buf.subarray(0, end)) });
      } else if (state.kind === "counted" || (state.kind === "start" && buf.length > 0)) {
        out.push({
          error: "truncated_frame",
          fatal: false,
          sample: sample(buf),
          length: state.kind === "counted" ? state.need : buf.length,
        });
      } else if (state.kind === "skipCounted") {
        // Already reported as frame_too_large.
      }
      buf = Buffer.alloc(0);
      return out;
    },
  };
}

function sample(b: Buffer): Buffer {
  return Buffer.from(b.subarray(0, SAMPLE));
}
