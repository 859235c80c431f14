// The in-process stream and durable consumer state, with JetStream's rules:
// limits with discard new (refused, transient) or old (oldest dropped), a
// duplicate window by msgId, work-queue removal on ack or term, ack wait,
// nak delay and max deliver. Real timers; every timer is unref'ed.

import type { RawDelivery } from "./consume.ts";
import type { StreamSpec } from "./conventions.ts";
import type { PublishAck } from "./types.ts";

/** No stream takes the subject (JetStream: no responders). Transient: it may be created. */
export class NoStreamError extends Error {
  override readonly name = "NoStreamError";
  readonly subject: string;
  constructor(subject: string) {
    super(`no stream takes subject ${subject}`);
    this.subject = subject;
  }
}

/** A discard-new stream is at a limit (JetStream: 503 maximum messages/bytes exceeded). Transient. */
export class StreamFullError extends Error {
  override readonly name = "StreamFullError";
  readonly stream: string;
  readonly limit: "maxMsgs" | "maxBytes";
  constructor(stream: string, limit: "maxMsgs" | "maxBytes") {
    super(
      `stream ${stream}: ${limit === "maxMsgs" ? "maximum messages" : "maximum bytes"} exceeded`,
    );
    this.stream = stream;
    this.limit = limit;
  }
}

/** A message above the stream's maxMsgSize. Not transient. */
export class MessageTooLargeError extends Error {
  override readonly name = "MessageTooLargeError";
  readonly stream: string;
  readonly size: number;
  readonly max: number;
  constructor(stream: string, size: number, max: number) {
    super(`stream ${stream}: message of ${size} bytes exceeds maxMsgSize ${max}`);
    this.stream = stream;
    this.size = size;
    this.max = max;
  }
}

/** Two consumers of a work-queue stream whose filters overlap (JetStream refuses them too). */
export class WorkQueueOverlapError extends Error {
  override readonly name = "WorkQueueOverlapError";
  readonly stream: string;
  readonly durable: string;
  readonly other: string;
  constructor(stream: string, durable: string, other: string) {
    super(`stream ${stream}: consumer ${durable} overlaps work-queue consumer ${other}`);
    this.stream = stream;
    this.durable = durable;
    this.other = other;
  }
}

/** A stream or durable the in-process bus does not have. */
export class ResourceNotFoundError extends Error {
  override readonly name = "ResourceNotFoundError";
  /** "stream NAME" or "consumer STREAM/DURABLE". */
  readonly resource: string;
  constructor(resource: string) {
    super(`${resource} not found`);
    this.resource = resource;
  }
}

interface Stored {
  seq: number;
  subject: string;
  data: Uint8Array;
  msgId: string;
  size: number;
  at: number;
}

export class MemoryStream {
  spec: StreamSpec;
  readonly durables = new Map<string, MemoryDurable>();
  private readonly msgs = new Map<number, Stored>(); // insertion order is seq order
  private readonly seen = new Map<string, { seq: number; at: number }>(); // and time order
  private bytes = 0;
  private lastSeq = 0;

  constructor(spec: StreamSpec) {
    this.spec = spec;
  }

  takes(subject: string): boolean {
    return this.spec.subjects.some((p) => subjectMatches(p, subject));
  }

  store(subject: string, data: Uint8Array, msgId: string): PublishAck {
    const now = Date.now();
    this.expire(now);
    const { name, limits: l, discard } = this.spec;
    const dup = msgId ? this.seen.get(msgId) : undefined;
    if (dup) return { stream: name, seq: dup.seq, duplicate: true };
    // Approximates JetStream's accounting, which also counts headers and overhead.
    const size = data.length + subject.length + msgId.length;
    if (l.maxMsgSize >= 0 && data.length > l.maxMsgSize)
      throw new MessageTooLargeError(name, data.length, l.maxMsgSize);
    const over = (): "maxMsgs" | "maxBytes" | undefined =>
      l.maxMsgs >= 0 && this.msgs.size + 1 > l.maxMsgs
        ? "maxMsgs"
        : l.maxBytes >= 0 && this.bytes + size > l.maxBytes
          ? "maxBytes"
          : undefined;
    for (let limit = over(); limit; limit = over()) {
      const oldest = this.msgs.values().next().value;
      if (discard === "new" || !oldest) throw new StreamFullError(name, limit);
      this.remove(oldest.seq);
    }
    const seq = ++this.lastSeq;
    this.msgs.set(seq, { seq, subject, data: data.slice(), msgId, size, at: now });
    this.bytes += size;
    if (msgId) this.seen.set(msgId, { seq, at: now });
    for (const d of this.durables.values()) d.wake();
    return { stream: name, seq, duplicate: false };
  }

  get(seq: number): Stored | undefined {
    return this.msgs.get(seq);
  }

  remove(seq: number): void {
    const msg = this.msgs.get(seq);
    if (!msg) return;
    this.msgs.delete(seq);
    this.bytes -= msg.size;
  }

  /** Drops messages past maxAge and msgIds past the duplicate window. */
  expire(now = Date.now()): void {
    const { maxAgeMs, duplicateWindowMs } = this.spec.limits;
    for (const m of this.msgs.values()) {
      if (maxAgeMs === 0 || now - m.at < maxAgeMs) break;
      this.remove(m.seq);
    }
    for (const [id, s] of this.seen) {
      if (now - s.at < duplicateWindowMs) break;
      this.seen.delete(id);
    }
  }

  get last(): number {
    return this.lastSeq;
  }

  state(): { messages: number; bytes: number; lastSeq: number } {
    this.expire();
    return { messages: this.msgs.size, bytes: this.bytes, lastSeq: this.lastSeq };
  }
}

export interface DurableConfig {
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending: number;
  filterSubject?: string | undefined;
}

interface Tracked {
  /** Deliveries so far. */
  count: number;
  /** Waiting for redelivery (ack wait passed or nak'ed). */
  ready: boolean;
  /** Which delivery is current: a late nak or timer of an earlier one is ignored. */
  token: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class MemoryDurable {
  cfg: DurableConfig;
  private readonly stream: MemoryStream;
  private nextSeq = 1; // first stream seq never delivered
  private readonly tracked = new Map<number, Tracked>(); // delivered, unacked; in seq order
  private readonly wakers = new Set<() => void>();

  constructor(stream: MemoryStream, cfg: DurableConfig) {
    this.stream = stream;
    this.cfg = cfg;
  }

  wants(subject: string): boolean {
    return this.cfg.filterSubject === undefined || subjectMatches(this.cfg.filterSubject, subject);
  }

  /** Up to `max` deliveries: redeliveries first, then new messages within maxAckPending. */
  take(max: number): RawDelivery[] {
    this.stream.expire();
    const out: RawDelivery[] = [];
    for (const [seq, t] of this.tracked) {
      if (out.length >= max) break;
      if (!t.ready) continue;
      const msg = this.stream.get(seq);
      if (msg) out.push(this.deliver(msg, t));
      else this.forget(seq, t); // expired or discarded meanwhile
    }
    while (
      out.length < max &&
      this.tracked.size < this.cfg.maxAckPending &&
      this.nextSeq <= this.stream.last
    ) {
      const msg = this.stream.get(this.nextSeq++);
      if (!msg || !this.wants(msg.subject)) continue;
      const t: Tracked = { count: 0, ready: false, token: 0, timer: undefined };
      this.tracked.set(msg.seq, t);
      out.push(this.deliver(msg, t));
    }
    return out;
  }

  /** Resolves when something may have become available, after `ms`, or on abort. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.wakers.add(done);
    });
  }

  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  state(): { numPending: number; numAckPending: number } {
    let numPending = 0;
    for (let seq = this.nextSeq; seq <= this.stream.last; seq++) {
      const msg = this.stream.get(seq);
      if (msg && this.wants(msg.subject)) numPending++;
    }
    return { numPending, numAckPending: this.tracked.size };
  }

  dispose(): void {
    for (const t of this.tracked.values()) clearTimeout(t.timer);
    this.wake();
  }

  private deliver(msg: Stored, t: Tracked): RawDelivery {
    t.count++;
    t.ready = false;
    const token = ++t.token;
    this.arm(msg.seq, t, this.cfg.ackWaitMs);
    return {
      subject: msg.subject,
      data: msg.data.slice(), // a handler scribbling on it must not change a redelivery
      msgId: msg.msgId,
      streamSeq: msg.seq,
      deliveryCount: t.count,
      redelivered: t.count > 1,
      ack: async () => this.settle(msg.seq),
      nak: (delayMs) => {
        if (this.tracked.get(msg.seq) !== t || t.token !== token || t.ready) return;
        if (delayMs > 0) this.arm(msg.seq, t, delayMs);
        else this.due(msg.seq, t);
      },
      term: () => this.settle(msg.seq), // like JetStream: an ack that suppresses redelivery
    };
  }

  /** After `ms`, the current delivery becomes due for redelivery unless settled. */
  private arm(seq: number, t: Tracked, ms: number): void {
    clearTimeout(t.timer);
    const token = t.token;
    t.timer = setTimeout(() => {
      if (this.tracked.get(seq) === t && t.token === token && !t.ready) this.due(seq, t);
    }, ms);
    t.timer.unref();
  }

  private due(seq: number, t: Tracked): void {
    clearTimeout(t.timer);
    // Past maxDeliver a message is given up by the consumer but, as in
    // JetStream, stays in the stream until its limits remove it.
    if (this.cfg.maxDeliver > 0 && t.count >= this.cfg.maxDeliver) this.forget(seq, t);
    else t.ready = true;
    this.wake();
  }

  private settle(seq: number): void {
    const t = this.tracked.get(seq);
    if (!t) return;
    this.forget(seq, t);
    if (this.stream.spec.retention === "workqueue") this.stream.remove(seq);
    this.wake(); // an ack-pending slot is free
  }

  private forget(seq: number, t: Tracked): void {
    clearTimeout(t.timer);
    this.tracked.delete(seq);
  }
}

/** NATS subject matching: `*` matches one token, a final `>` one or more. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Whether some subject matches both patterns. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === ">" || y[i] === ">") return i < x.length && i < y.length;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== "*" && y[i] !== "*" && x[i] !== y[i]) return false;
  }
  return true;
}
