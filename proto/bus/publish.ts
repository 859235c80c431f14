// The publisher both buses share: a bounded in-flight window (backpressure to
// the caller) and retries of transient failures with the same msgId, so the
// stream's duplicate window turns every retry into at most one stored copy.
import { setTimeout as sleep } from "node:timers/promises";
import { publisherConfig } from "./config.ts";
import { PublishDeadlineError, PublisherClosedError, PublishRejectedError } from "./errors.ts";
import { newBusMetrics, snapshotMetrics } from "./metrics.ts";
import type { PublishAck, Publisher, PublisherConfig } from "./types.ts";

/** One attempt: store the message or throw. */
export type SendFn = (
  subject: string,
  data: Uint8Array,
  msgId: string,
  timeoutMs: number,
) => Promise<PublishAck>;

export function windowedPublisher(
  send: SendFn,
  isTransient: (err: unknown) => boolean,
  cfg: Partial<PublisherConfig> = {},
): Publisher {
  const c = publisherConfig(cfg);
  const m = c.metrics ?? newBusMetrics();
  const waiting: (() => void)[] = []; // FIFO: callers get slots in call order
  const outstanding = new Set<Promise<unknown>>();
  let active = 0;
  let closed = false;

  async function acquire(): Promise<void> {
    if (active < c.maxInFlight) {
      active++;
    } else {
      m.backpressureWaits++;
      await new Promise<void>((resolve) => waiting.push(resolve)); // release() hands its slot over
    }
    m.inFlight++;
    m.inFlightPeak = Math.max(m.inFlightPeak, m.inFlight);
  }

  function release(): void {
    m.inFlight--;
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  // Exponential backoff with "equal jitter": at least half the step, so
  // retries of a full stream spread out but never spin.
  const backoff = (attempt: number) => {
    const step = Math.min(c.retryMaxMs, c.retryInitialMs * 2 ** attempt);
    return step / 2 + Math.random() * (step / 2);
  };

  async function attempts(subject: string, data: Uint8Array, msgId: string): Promise<PublishAck> {
    const start = performance.now();
    const deadline = start + c.retryDeadlineMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const timeout = Math.max(1, Math.min(c.timeoutMs, deadline - performance.now()));
        const ack = await send(subject, data, msgId, Math.ceil(timeout));
        if (ack.duplicate) m.duplicates++;
        else m.published++;
        return ack;
      } catch (err) {
        if (!isTransient(err)) {
          m.publishFailures++;
          throw new PublishRejectedError(subject, msgId, attempt, { cause: err });
        }
        const wait = backoff(attempt - 1);
        if (performance.now() + wait >= deadline) {
          m.publishFailures++;
          const elapsed = performance.now() - start;
          throw new PublishDeadlineError(subject, msgId, attempt, elapsed, { cause: err });
        }
        m.retries++;
        await sleep(wait);
      }
    }
  }

  async function publish(subject: string, data: Uint8Array, msgId: string): Promise<PublishAck> {
    if (closed) throw new PublisherClosedError(subject, msgId);
    await acquire();
    try {
      return await attempts(subject, data, msgId);
    } finally {
      release();
    }
  }

  async function flush(): Promise<void> {
    while (outstanding.size > 0) await Promise.allSettled([...outstanding]);
  }

  return {
    publish(subject, data, msgId) {
      const p = publish(subject, data, msgId);
      outstanding.add(p);
      const forget = () => outstanding.delete(p);
      p.then(forget, forget);
      return p;
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
    metrics: () => snapshotMetrics(m),
  };
}
