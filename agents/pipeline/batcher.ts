// Batches events per device subject by count and age, seals each batch into
// the producer's chain and appends it to the outbox. Flushes run one at a
// time (the chain is a sequence); everything ready when a flush starts goes
// into one append, so one fsync covers many batches (group commit). An emit
// resolves when its events are on disk. A subject under load (it filled a
// batch within the last maxDelayMs) has its remainder sealed as soon as its
// input pauses (IDLE_MS), not maxDelayMs later: the tail of a burst is not
// held back, and quiet devices still get maxDelayMs of batching. At most one
// such early batch follows each full one, so a device at a moderate rate
// with pauses does not splinter into tiny batches.
import type { TelemetryEvent } from "../../proto/codec.ts";
import { encodeEvents } from "../../proto/codec.ts";
import type { BatchSigner } from "../../proto/sign-batch.ts";
import type { OutboxRecord } from "./outbox.ts";

export interface BatcherOptions {
  maxEvents: number;
  maxDelayMs: number;
  /** A batch's encoded payload stays under this; bigger groups are split. */
  maxBatchBytes: number;
  /** The signer of the current key (may be swapped on key rotation). */
  signer: () => BatchSigner;
  producerId: string;
  /** Appends sealed batches durably (the outbox), then persists the chain. */
  store: (records: OutboxRecord[]) => Promise<void>;
}

interface Pending {
  events: TelemetryEvent[];
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
  timer?: NodeJS.Timeout;
  /** Seals a busy subject's remainder once its input pauses. */
  idle?: NodeJS.Timeout;
  urgent?: boolean;
}

/** How long an urgent emit waits for others to join its group commit. */
const URGENT_DELAY_MS = 2;
/** How long a busy subject's input must pause before its partial batch is sealed. */
const IDLE_MS = 5;

export class Batcher {
  private readonly pending = new Map<string, Pending>();
  private readonly ready = new Set<string>();
  /** When each subject last filled a batch (Date.now()). */
  private readonly lastFull = new Map<string, number>();
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly opts: BatcherOptions;

  constructor(opts: BatcherOptions) {
    this.opts = opts;
  }

  /** Queues events bound for `subject`; resolves once they are stored. */
  add(subject: string, events: TelemetryEvent[], urgent = false): Promise<void> {
    if (this.closed) return Promise.reject(new Error("agent is shutting down"));
    if (events.length === 0) return Promise.resolve();
    let p = this.pending.get(subject);
    if (!p) {
      p = { events: [], waiters: [] };
      this.pending.set(subject, p);
    }
    p.events.push(...events);
    const done = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (p.events.length >= this.opts.maxEvents) {
      this.lastFull.set(subject, Date.now());
      this.markReady(subject);
    } else if (urgent && !p.urgent) {
      // Someone waits: commit soon, together with whatever else is waiting.
      p.urgent = true;
      clearTimeout(p.timer);
      p.timer = setTimeout(() => this.markReady(subject), URGENT_DELAY_MS);
    } else {
      if (!p.timer) {
        p.timer = setTimeout(() => this.markReady(subject), this.opts.maxDelayMs);
        p.timer.unref?.();
      }
      const full = this.lastFull.get(subject);
      if (full !== undefined && Date.now() - full < this.opts.maxDelayMs) {
        if (p.idle) p.idle.refresh();
        else {
          // Once per full batch: at most one early partial batch per full one.
          p.idle = setTimeout(() => {
            this.lastFull.delete(subject);
            this.markReady(subject);
          }, IDLE_MS);
          p.idle.unref?.();
        }
      }
    }
    return done;
  }

  /** Stores everything pending now. */
  async flush(): Promise<void> {
    for (const s of this.pending.keys()) this.ready.add(s);
    await this.kick();
  }

  /** Refuses new events and stores what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private markReady(subject: string): void {
    this.ready.add(subject);
    void this.kick();
  }

  /** Drains until nothing is ready. A subject marked ready just as a drain
   * ends (after its last check, before it settles) is taken by the next one. */
  private async kick(): Promise<void> {
    while (this.ready.size > 0) {
      this.flushing ??= this.drain().finally(() => {
        this.flushing = undefined;
      });
      await this.flushing;
    }
  }

  private async drain(): Promise<void> {
    while (this.ready.size > 0) {
      const groups: [string, Pending][] = [];
      for (const s of this.ready) {
        const p = this.pending.get(s);
        this.pending.delete(s);
        if (p) {
          clearTimeout(p.timer);
          clearTimeout(p.idle);
          groups.push([s, p]);
        }
      }
      this.ready.clear();
      const records: OutboxRecord[] = [];
      const signer = this.opts.signer();
      try {
        for (const [subject, p] of groups) {
          for (const payload of this.payloads(p.events)) {
            const sealed = signer.sealPayload(payload);
            records.push({
              seq: sealed.sequence,
              producer: this.opts.producerId,
              subject,
              batch: sealed.bytes,
            });
          }
        }
        // Sealed: the events need not stay in memory while the fsync runs.
        for (const [, p] of groups) p.events = [];
        await this.opts.store(records);
        for (const [, p] of groups) for (const w of p.waiters) w.resolve();
      } catch (err) {
        for (const [, p] of groups) for (const w of p.waiters) w.reject(err);
      }
      // Anything that filled up meanwhile is in `ready` again.
    }
  }

  /** Encoded payloads of at most maxEvents events and maxBatchBytes each. */
  private *payloads(events: TelemetryEvent[]): Generator<Uint8Array> {
    for (let i = 0; i < events.length; i += this.opts.maxEvents) {
      yield* this.split(events.slice(i, i + this.opts.maxEvents));
    }
  }

  private *split(events: TelemetryEvent[]): Generator<Uint8Array> {
    const enc = encodeEvents(events);
    if (enc.length <= this.opts.maxBatchBytes || events.length === 1) {
      yield enc;
      return;
    }
    const mid = events.length >> 1;
    yield* this.split(events.slice(0, mid));
    yield* this.split(events.slice(mid));
  }
}
