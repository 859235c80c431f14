// The bus over NATS JetStream: a publisher waiting for PubAcks, and a durable
// pull consumer with explicit, confirmed acks.
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type ConsumerConfig as NatsConsumerConfig,
  PubHeaders,
} from "@nats-io/jetstream";
import { NoRespondersError, nanos, RequestError, TimeoutError } from "@nats-io/nats-core";
import { consumerConfig } from "./config.ts";
import { type BatchSource, type RawDelivery, runBatches } from "./consume.ts";
import { AckFailedError, BusConfigError, ConfigConflictError } from "./errors.ts";
import { newBusMetrics, snapshotMetrics } from "./metrics.ts";
import { windowedPublisher } from "./publish.ts";
import type { Consumer, ConsumerConfig, Publisher, PublisherConfig } from "./types.ts";

export function natsPublisher(js: JetStreamClient, cfg: Partial<PublisherConfig> = {}): Publisher {
  return windowedPublisher(
    async (subject, data, msgID, timeout) => {
      const pa = await js.publish(subject, data, { msgID, timeout });
      return { stream: pa.stream, seq: pa.seq, duplicate: pa.duplicate };
    },
    isTransientPublishError,
    cfg,
  );
}

// JSStreamStoreFailedError: "maximum messages/bytes exceeded" under discard-new.
const STORE_FAILED = 10077;

/**
 * Failures a retry with the same msgId can fix: no PubAck in time, nobody
 * answering (server or stream not up yet), the stream full, 503 unavailable.
 */
export function isTransientPublishError(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof TimeoutError || e instanceof NoRespondersError) return true;
    if (e instanceof RequestError && e.isNoResponders()) return true;
    if (e instanceof JetStreamApiError) return e.status === 503 || e.code === STORE_FAILED;
  }
  return false;
}

export interface ConsumerProvisionResult {
  stream: string;
  durable: string;
  action: "created" | "updated" | "unchanged";
  changed: string[];
}

const UPDATABLE = ["ack_wait", "max_deliver", "max_ack_pending", "filter_subject"] as const;
const IMMUTABLE = ["ack_policy", "deliver_policy"] as const;
const CONSUMER_EXISTS = 10148; // JSConsumerAlreadyExists: created meanwhile, with another config
/** A batch is handed over once no further message arrived for this long. */
const LINGER_MS = 5;

/** Creates the durable pull consumer, or updates what differs; idempotent. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  cfg: Partial<ConsumerConfig> = {},
): Promise<ConsumerProvisionResult> {
  const c = consumerConfig(cfg);
  const want: Partial<NatsConsumerConfig> = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(c.ackWaitMs),
    max_deliver: c.maxDeliver,
    max_ack_pending: c.maxAckPending,
    // undefined, not "": nats.js puts the filter into the API subject
    filter_subject: c.filterSubject,
  };
  const result = (action: ConsumerProvisionResult["action"], changed: string[] = []) => ({
    stream,
    durable,
    action,
    changed,
  });
  let have = await consumerInfo(jsm, stream, durable);
  if (!have) {
    try {
      await jsm.consumers.add(stream, want);
      return result("created");
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === CONSUMER_EXISTS)) throw err;
      have = await consumerInfo(jsm, stream, durable);
      if (!have) throw err;
    }
  }
  const resource = `consumer ${stream}/${durable}`;
  for (const f of IMMUTABLE)
    if (have[f] !== want[f]) throw new ConfigConflictError(resource, f, want[f], have[f]);
  const changed = UPDATABLE.filter((f) => (want[f] ?? "") !== (have[f] ?? ""));
  if (changed.length === 0) return result("unchanged");
  await jsm.consumers.update(stream, durable, Object.fromEntries(changed.map((f) => [f, want[f]])));
  return result("updated", changed);
}

async function consumerInfo(jsm: JetStreamManager, stream: string, durable: string) {
  try {
    return (await jsm.consumers.info(stream, durable)).config;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)
      return undefined;
    throw err;
  }
}

/**
 * A durable pull consumer on `stream` (created or updated to `cfg`). Batches
 * are handed over as messages arrive (see `source` below): at most
 * `batchSize`, after a pause of a few milliseconds in arrivals.
 */
export async function natsConsumer(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  cfg: Partial<ConsumerConfig> = {},
): Promise<Consumer> {
  const c = consumerConfig(cfg);
  if (c.maxWaitMs < 1000)
    throw new BusConfigError("consumer.maxWaitMs", c.maxWaitMs, "must be ≥ 1000 on NATS");
  const m = c.metrics ?? newBusMetrics();
  await ensureConsumer(jsm, stream, durable, c);
  let consumer = await js.consumers.get(stream, durable);
  // One pull request (fetch) at a time, read as a stream: a batch is handed
  // over as soon as messages stop arriving for LINGER_MS (or `max` arrived),
  // not when the whole request is filled or expires, so a quiet stream is not
  // delayed by maxWaitMs. What the request brings later goes into the next
  // batch; a new request is made only when the previous one has ended.
  let it: AsyncIterator<JsMsg> | undefined;
  let next: Promise<IteratorResult<JsMsg>> | undefined;
  const pull = async () => {
    // More than maxAckPending never comes: asking for it would wait out maxWaitMs.
    const max_messages = Math.min(c.batchSize, c.maxAckPending);
    it = (await consumer.fetch({ max_messages, expires: c.maxWaitMs }))[Symbol.asyncIterator]();
  };
  const nextOrTimeout = async (ms: number): Promise<IteratorResult<JsMsg> | "timeout"> => {
    if (!it) throw new Error("no pull request");
    next ??= it.next();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      next,
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), ms);
      }),
    ]);
    clearTimeout(timer);
    if (r !== "timeout") next = undefined; // consumed; a pending next() is kept for later
    return r;
  };
  const source: BatchSource = {
    async fetch(max) {
      const out: RawDelivery[] = [];
      try {
        if (!it) await pull();
        // Wait up to maxWaitMs for the first message, then only LINGER_MS for more.
        while (out.length < max) {
          const r = await nextOrTimeout(out.length === 0 ? c.maxWaitMs + 1_000 : LINGER_MS);
          if (r === "timeout") break;
          if (r.done) {
            it = undefined; // the request ended (filled or expired): the next fetch pulls again
            break;
          }
          out.push(delivery(r.value, c.ackTimeoutMs));
        }
      } catch (err) {
        it = undefined;
        next = undefined;
        if (out.length === 0) throw err; // else hand over what came; the next fetch fails again
      }
      return out;
    },
    async recover() {
      await ensureConsumer(jsm, stream, durable, c);
      consumer = await js.consumers.get(stream, durable);
    },
    async close(release) {
      // Drain the open request (it ends within maxWaitMs by itself) and give
      // back what it still brings, rather than leaving it for the ack wait.
      try {
        while (it) {
          const r = await nextOrTimeout(c.maxWaitMs + 1_000);
          if (r === "timeout" || r.done) break;
          release(delivery(r.value, c.ackTimeoutMs));
        }
      } catch {
        // the connection is gone: the server redelivers after the ack wait
      }
      it = undefined;
      next = undefined;
    },
  };
  return {
    run: (handler, signal) => runBatches(source, handler, signal, c, m),
    metrics: () => snapshotMetrics(m),
  };
}

function delivery(msg: JsMsg, ackTimeoutMs: number): RawDelivery {
  const msgId = msg.headers?.get(PubHeaders.MsgIdHdr) ?? "";
  return {
    subject: msg.subject,
    data: msg.data,
    msgId,
    streamSeq: msg.seq,
    deliveryCount: msg.info.deliveryCount,
    redelivered: msg.redelivered,
    async ack() {
      let confirmed: boolean;
      try {
        confirmed = await msg.ackAck({ timeout: ackTimeoutMs });
      } catch (err) {
        throw new AckFailedError(msg.seq, msgId, { cause: err });
      }
      if (!confirmed) throw new AckFailedError(msg.seq, msgId, { cause: "no ack reply subject" });
    },
    nak: (delayMs) => msg.nak(delayMs > 0 ? delayMs : undefined),
    term: (reason) => msg.term(reason),
  };
}
