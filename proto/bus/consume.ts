// The consumer loop both buses share: fetch a batch, hand it to the handler,
// count, and make sure every delivery is settled at most once. What the
// handler leaves unsettled is the server's to redeliver after the ack wait.
import { setTimeout as sleep } from "node:timers/promises";
import { DeliverySettledError } from "./errors.ts";
import type { BatchHandler, BusMetrics, ConsumerConfig, Delivery } from "./types.ts";

/** A delivery as a bus hands it over, before the loop guards and counts it. */
export interface RawDelivery {
  subject: string;
  data: Uint8Array;
  msgId: string;
  streamSeq: number;
  deliveryCount: number;
  redelivered: boolean;
  ack(): Promise<void>;
  nak(delayMs: number): void;
  term(reason: string): void;
}

export interface BatchSource {
  /** Up to `max` deliveries; may return none. Throws on failure. */
  fetch(max: number, signal: AbortSignal): Promise<RawDelivery[]>;
  /** Called after a failed fetch, before the next one (e.g. to re-create the durable). */
  recover?(): Promise<void>;
  /** Called once when the loop ends: give back what arrived and was not handed over. */
  close?(release: (r: RawDelivery) => void): Promise<void>;
}

export async function runBatches(
  source: BatchSource,
  handler: BatchHandler,
  signal: AbortSignal,
  c: ConsumerConfig,
  m: BusMetrics,
): Promise<void> {
  type Fetched = { ok: true; raw: RawDelivery[] } | { ok: false; err: unknown };
  const fetchOnce = (): Promise<Fetched> =>
    source.fetch(c.batchSize, signal).then(
      (raw) => ({ ok: true, raw }),
      (err: unknown) => ({ ok: false, err }),
    );
  // The next batch is fetched while the handler works on this one, so the
  // handler's time and the network's overlap instead of adding up.
  let pending: Promise<Fetched> | undefined = signal.aborted ? undefined : fetchOnce();
  for (let failures = 0; pending; ) {
    const got = await pending;
    pending = undefined;
    if (signal.aborted) {
      // Fetched ahead but not handled: give it back now rather than after the ack wait.
      if (got.ok) for (const r of got.raw) releaseQuietly(r, c);
      break;
    }
    if (!got.ok) {
      m.fetchErrors++;
      c.onError?.(got.err, "fetch");
      await pause(Math.min(5_000, 100 * 2 ** failures++), signal);
      await source.recover?.().catch((e: unknown) => c.onError?.(e, "fetch"));
      if (!signal.aborted) pending = fetchOnce();
      continue;
    }
    failures = 0;
    pending = fetchOnce();
    if (got.raw.length === 0) continue;
    const batch = got.raw.map((r) => guarded(r, m));
    m.delivered += batch.length;
    m.redelivered += batch.filter((d) => d.delivery.redelivered).length;
    try {
      await handler(batch.map((d) => d.delivery));
    } catch (err) {
      m.handlerErrors++;
      c.onError?.(err, "handler");
      for (const d of batch) {
        if (d.settled()) continue;
        try {
          d.delivery.nak(c.errorNakDelayMs);
        } catch (nakErr) {
          c.onError?.(nakErr, "handler"); // e.g. connection closed: redelivered after the ack wait
        }
      }
    }
  }
  await source.close?.((r) => releaseQuietly(r, c));
}

function releaseQuietly(r: RawDelivery, c: ConsumerConfig): void {
  try {
    r.nak(0);
  } catch (err) {
    c.onError?.(err, "handler"); // redelivered after the ack wait instead
  }
}

/** Settle-once wrapper that counts what the handler does. */
function guarded(r: RawDelivery, m: BusMetrics): { delivery: Delivery; settled: () => boolean } {
  let settledAs: string | undefined;
  const settle = (as: string) => {
    if (settledAs) throw new DeliverySettledError(r.streamSeq, r.msgId, settledAs);
    settledAs = as;
  };
  const delivery: Delivery = {
    subject: r.subject,
    data: r.data,
    msgId: r.msgId,
    streamSeq: r.streamSeq,
    deliveryCount: r.deliveryCount,
    redelivered: r.redelivered,
    async ack() {
      settle("ack");
      try {
        await r.ack();
        m.acked++;
      } catch (err) {
        m.ackFailures++;
        throw err;
      }
    },
    nak(delayMs = 0) {
      settle("nak");
      r.nak(Math.max(0, delayMs));
      m.naked++;
    },
    term(reason) {
      settle("term");
      r.term(reason);
      m.termed[reason] = (m.termed[reason] ?? 0) + 1;
    },
  };
  return { delivery, settled: () => settledAs !== undefined };
}

/** Sleeps, or returns early when the signal aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted: the loop checks the signal
  }
}
