// The bus as its users see it, implemented over JetStream (nats.ts) and in
// process (memory.ts). The bus moves opaque bytes; it never looks inside.

/** The server's word that a message is durably stored. */
export interface PublishAck {
  stream: string;
  /** Stream sequence of the stored message (of the first copy, for a duplicate). */
  seq: number;
  /**
   * The msgId was already stored within the duplicate window: nothing new was
   * stored. Also true when an earlier, timed-out attempt of this very publish
   * was stored after all.
   */
  duplicate: boolean;
}

export interface Publisher {
  /**
   * Resolves once the message is durably stored. Waits for a free slot when
   * `maxInFlight` publishes are outstanding; retries transient failures with
   * the same msgId until `retryDeadlineMs`, then rejects with
   * PublishDeadlineError; rejects at once with PublishRejectedError otherwise.
   * With maxInFlight > 1, retries can store messages out of publish order.
   */
  publish(subject: string, data: Uint8Array, msgId: string): Promise<PublishAck>;
  /** Waits for every publish started before and during the call to settle. */
  flush(): Promise<void>;
  /** Refuses new publishes (PublisherClosedError), then flushes. Idempotent. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  metrics(): BusMetrics;
}

export interface Delivery {
  readonly subject: string;
  readonly data: Uint8Array;
  /** The publisher's msgId ("" if it published without one). */
  readonly msgId: string;
  readonly streamSeq: number;
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly redelivered: boolean;
  /**
   * Acknowledges and waits for the server to confirm it: call only after your
   * own durable write. Rejects with AckFailedError if unconfirmed (the message
   * then comes back after the ack wait, so writes must be idempotent).
   */
  ack(): Promise<void>;
  /** Redeliver, not before `delayMs` (0: at once). */
  nak(delayMs?: number): void;
  /** Never redeliver (poison message); counted by `reason`, keep reasons few and fixed. */
  term(reason: string): void;
}

/**
 * Called once per fetched batch and awaited. Deliveries it leaves unsettled
 * come back after the ack wait; if it throws, the unsettled ones are nak'ed
 * with `errorNakDelayMs`.
 */
export type BatchHandler = (deliveries: Delivery[]) => Promise<void>;

export interface Consumer {
  /** Fetches and handles batches until `signal` aborts; finishes the current batch first. */
  run(handler: BatchHandler, signal: AbortSignal): Promise<void>;
  /** A snapshot of the counters. */
  metrics(): BusMetrics;
}

/** Plain counters; `inFlight` is a gauge and `inFlightPeak` its highest value. */
export interface BusMetrics {
  // publisher
  /** Messages newly stored. */
  published: number;
  /** Publishes acknowledged as duplicates (nothing new stored). */
  duplicates: number;
  /** Attempts repeated after a transient failure. */
  retries: number;
  /** publish() calls that had to wait for a free in-flight slot. */
  backpressureWaits: number;
  inFlight: number;
  inFlightPeak: number;
  /** Publishes that finally rejected (rejected or past the deadline). */
  publishFailures: number;
  // consumer
  /** Messages handed to a handler (redeliveries included). */
  delivered: number;
  /** Of those, redeliveries. */
  redelivered: number;
  acked: number;
  ackFailures: number;
  naked: number;
  /** Terminated messages by reason. */
  termed: Record<string, number>;
  handlerErrors: number;
  fetchErrors: number;
}

export interface PublisherConfig {
  /** Publishes awaiting their PubAck at once; more wait for a slot. */
  maxInFlight: number;
  /** Wait for one PubAck before the attempt counts as timed out (transient). */
  timeoutMs: number;
  /** Give up retrying transient failures this long after the first attempt. Keep below the duplicate window. */
  retryDeadlineMs: number;
  /** First retry delay; doubles per attempt, with jitter. */
  retryInitialMs: number;
  /** Cap of the retry delay. */
  retryMaxMs: number;
  /** Counters to add to (shared between components); a fresh set by default. */
  metrics?: BusMetrics;
}

export interface ConsumerConfig {
  /** Most messages per fetched batch (one handler call). */
  batchSize: number;
  /** Delivered but unacknowledged messages at most, across the durable's instances. */
  maxAckPending: number;
  /** Unacknowledged messages are redelivered after this long. */
  ackWaitMs: number;
  /** Deliveries of one message at most; -1 unlimited. A message past it stays in the stream undelivered. */
  maxDeliver: number;
  /** How long one fetch waits to fill a batch (NATS: ≥ 1000). Also bounds how long run() takes to stop. */
  maxWaitMs: number;
  /** Delay of the nak given to unsettled deliveries when the handler throws. */
  errorNakDelayMs: number;
  /** Wait for the server to confirm an ack. */
  ackTimeoutMs: number;
  /** Only subjects matching this (NATS wildcards); all of the stream by default. */
  filterSubject?: string;
  /** Told about handler and fetch errors (which are counted and survived). */
  onError?: (err: unknown, where: "handler" | "fetch") => void;
  /** Counters to add to; a fresh set by default. */
  metrics?: BusMetrics;
}

/** What ensuring a stream did. */
export interface ProvisionResult {
  stream: string;
  action: "created" | "updated" | "unchanged";
  /** The fields an update changed. */
  changed: string[];
}
