// Defaults and validation of the publisher and consumer knobs.
import { BusConfigError } from "./errors.ts";
import type { ConsumerConfig, PublisherConfig } from "./types.ts";

export const PUBLISHER_DEFAULTS: Readonly<PublisherConfig> = Object.freeze({
  maxInFlight: 256,
  timeoutMs: 5_000,
  retryDeadlineMs: 60_000, // half the telemetry duplicate window: a late retry is still de-duplicated
  retryInitialMs: 100,
  retryMaxMs: 5_000,
});

export const CONSUMER_DEFAULTS: Readonly<ConsumerConfig> = Object.freeze({
  batchSize: 64,
  maxAckPending: 1_024,
  ackWaitMs: 30_000,
  maxDeliver: -1, // nothing accepted is dropped; poison is term()'ed by the handler
  maxWaitMs: 1_000,
  errorNakDelayMs: 1_000,
  ackTimeoutMs: 5_000,
});

export function publisherConfig(cfg: Partial<PublisherConfig> = {}): PublisherConfig {
  const c = { ...PUBLISHER_DEFAULTS, ...cfg };
  positive("publisher", c, ["maxInFlight", "timeoutMs", "retryDeadlineMs", "retryMaxMs"]);
  positive("publisher", c, ["retryInitialMs"], 0);
  return c;
}

export function consumerConfig(cfg: Partial<ConsumerConfig> = {}): ConsumerConfig {
  const c = { ...CONSUMER_DEFAULTS, ...cfg };
  positive("consumer", c, ["batchSize", "maxAckPending", "ackWaitMs", "maxWaitMs", "ackTimeoutMs"]);
  positive("consumer", c, ["errorNakDelayMs"], 0);
  if (!Number.isSafeInteger(c.maxDeliver) || (c.maxDeliver < 1 && c.maxDeliver !== -1))
    throw new BusConfigError("consumer.maxDeliver", c.maxDeliver, "must be ≥ 1 or -1 (unlimited)");
  if (c.filterSubject !== undefined && !/^[^\s.]+(\.[^\s.]+)*$/.test(c.filterSubject))
    throw new BusConfigError("consumer.filterSubject", c.filterSubject, "must be a NATS subject");
  return c;
}

function positive<T extends object>(at: string, c: T, fields: (keyof T & string)[], min = 1) {
  for (const f of fields) {
    const v = c[f];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
      throw new BusConfigError(`${at}.${f}`, v, `must be an integer ≥ ${min}`);
  }
}
