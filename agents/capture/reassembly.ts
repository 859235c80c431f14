// One direction of a TCP connection as an ordered byte stream, from segments
// that may arrive out of order, twice, overlapping, or never. Out-of-order
// data waits in a bounded store; when the peer acknowledges bytes we never
// saw, or the store is full, the hole becomes a gap the analyzer resyncs on
// (as Zeek's reassembler reports content gaps).

export type StreamChunk = { data: Uint8Array } | { gap: number };

/** Signed distance a - b in 32-bit sequence space. */
export const seqDiff = (a: number, b: number): number => (a - b) | 0;

/** Farther than this from the expected sequence number, a segment is taken as a restart. */
const MAX_JUMP = 1 << 20;

export interface StreamLimits {
  /** Out-of-order bytes held per direction (default 64 KiB). */
  maxPendingBytes?: number;
  /** Out-of-order segments held per direction (default 64). */
  maxPendingSegments?: number;
}

export class TcpStream {
  /** Bytes given up as gaps (lost or over the limits). */
  gapBytes = 0;
  private next: number | undefined;
  private pending: { seq: number; data: Uint8Array }[] = [];
  private pendingBytes = 0;
  private readonly maxBytes: number;
  private readonly maxSegs: number;

  constructor(limits: StreamLimits = {}) {
    this.maxBytes = limits.maxPendingBytes ?? 65_536;
    this.maxSegs = limits.maxPendingSegments ?? 64;
  }

  /** A segment of this direction: sequence number, TCP flags, payload. */
  push(seq: number, flags: number, payload: Uint8Array): StreamChunk[] {
    const out: StreamChunk[] = [];
    let s = seq >>> 0;
    if (flags & 0x02) {
      // SYN takes one sequence number; data (rare) follows it.
      if (this.next === undefined) this.next = (s + 1) >>> 0;
      s = (s + 1) >>> 0;
    }
    if (payload.length === 0) return out;
    if (this.next === undefined) this.next = s; // picked up mid-stream
    let d = seqDiff(s, this.next);
    if (d > MAX_JUMP || d < -MAX_JUMP) {
      // Nonsense or a restarted stream: resynchronise here.
      this.dropPending(out, d > 0 ? Math.min(d, MAX_JUMP) : 0);
      this.next = s;
      d = 0;
    }
    let data = payload;
    if (d < 0) {
      if (-d >= data.length) return out; // retransmission of what we delivered
      data = data.subarray(-d);
      d = 0;
    }
    if (d === 0) {
      this.deliver(data, out);
      this.drain(out);
      return out;
    }
    // Ahead of what we expect: hold it, bounded.
    if (this.pending.length >= this.maxSegs || this.pendingBytes + data.length > this.maxBytes) {
      this.skipToPending(out);
      if (seqDiff(s, this.next) > 0 && this.pending.length === 0) {
        this.gap(seqDiff(s, this.next), out);
        this.next = s;
      }
      return [...out, ...this.push(s, 0, data)];
    }
    this.pending.push({ seq: s, data: data.slice() });
    this.pendingBytes += data.length;
    this.pending.sort((a, b) => seqDiff(a.seq, b.seq));
    return out;
  }

  /**
   * The other direction acknowledged `ack`: whatever below it we hold no data
   * for is lost to us. Reports the gap and delivers what follows it.
   */
  acked(ack: number): StreamChunk[] {
    const out: StreamChunk[] = [];
    if (this.next === undefined) return out;
    const d = seqDiff(ack >>> 0, this.next);
    if (d <= 0 || d > MAX_JUMP) return out;
    const first = this.pending[0];
    if (first && seqDiff(first.seq, ack >>> 0) < 0) {
      this.skipToPending(out);
    } else if (!first) {
      this.gap(d, out);
      this.next = ack >>> 0;
    }
    return out;
  }

  /** End of the connection: delivers held data across its gaps. */
  flush(): StreamChunk[] {
    const out: StreamChunk[] = [];
    while (this.pending.length) this.skipToPending(out);
    return out;
  }

  private deliver(data: Uint8Array, out: StreamChunk[]): void {
    out.push({ data });
    this.next = ((this.next ?? 0) + data.length) >>> 0;
  }

  private gap(n: number, out: StreamChunk[]): void {
    this.gapBytes += n;
    out.push({ gap: n });
  }

  /** Delivers pending segments that now line up with `next`. */
  private drain(out: StreamChunk[]): void {
    while (this.pending.length) {
      const p = this.pending[0] as { seq: number; data: Uint8Array };
      const d = seqDiff(p.seq, this.next ?? 0);
      if (d > 0) return;
      this.pending.shift();
      this.pendingBytes -= p.data.length;
      if (-d < p.data.length) this.deliver(p.data.subarray(-d), out);
    }
  }

  /** Jumps over the hole before the first pending segment. */
  private skipToPending(out: StreamChunk[]): void {
    const p = this.pending[0];
    if (!p) return;
    const d = seqDiff(p.seq, this.next ?? p.seq);
    if (d > 0) {
      this.gap(d, out);
      this.next = p.seq;
    }
    this.drain(out);
  }

  private dropPending(out: StreamChunk[], gap: number): void {
    // Always a gap, even of 0 bytes: the analyzer must drop its partial message.
    this.gap(gap + this.pendingBytes, out);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
