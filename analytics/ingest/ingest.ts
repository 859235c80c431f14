// Durable ingest: a JetStream pull consumer on AMOSKYS_TELEMETRY; for each
// delivery, in stream order: verify, decode, write the batch with its
// verifier_state row in one Postgres transaction, commit the verifier, ack,
// then hand the stored events to detection. Nothing is acked before it is
// durable; Postgres errors nak (with backoff) the delivery and the rest of its
// fetch, and the consumer keeps going.
import { setTimeout as sleep } from "node:timers/promises";
import { type JetStreamManager, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type pg from "pg";
import { Registry } from "prom-client";
import { counter, histogram } from "../../operator/kube/metrics.ts";
import { TELEMETRY_STREAM } from "../../proto/bus/conventions.ts";
import { natsConsumer } from "../../proto/bus/nats.ts";
import type { Consumer, ConsumerConfig, Delivery } from "../../proto/bus/types.ts";
import { decodeEvents, decodeSignedBatch, type TelemetryEvent } from "../../proto/codec.ts";
import { batchHash, signingInput } from "../../proto/signing.ts";
import type { TrustStore } from "../../proto/trust.ts";
import { type Accepted, BatchVerifier, type VerifierOptions } from "../../proto/verify-batch.ts";
import { createLogger, type Logger } from "../../runtime/log.ts";
import type { IntegrityProblem, StoredEvents } from "../model.ts";
import { loadVerifierState, storedSequences } from "../store/verifier-state.ts";
import { type BatchToWrite, type WriteResult, writeBatches } from "../store/write.ts";
import { type Gap, GapTracker, missingRanges } from "./gaps.ts";

export interface IngestOptions {
  /** JetStream: the durable `durable` on AMOSKYS_TELEMETRY is created or updated. */
  nats?: NatsConnection;
  jsm?: JetStreamManager;
  /**
   * Or a consumer made by the caller (the in-process bus of `amoskys up`);
   * `durable` and `consumer` knobs are then the caller's business.
   */
  source?: Consumer;
  pool: pg.Pool;
  /** The keys trusted now (see watchTrust / watchTrustFile); read for every batch. */
  trust: () => TrustStore;
  /** Durable consumer name; replicas sharing it share the work. */
  durable: string;
  /**
   * Called after the batch's transaction committed and before its ack, in
   * stream order; awaited. Once per batch per process; a batch redelivered
   * after a crash is handed over again (at least once).
   */
  onStored?: (s: StoredEvents) => void | Promise<void>;
  onIntegrity?: (p: IntegrityProblem) => void;
  logger?: Logger;
  registry?: Registry;
  /** Consumer knobs (batchSize, ackWaitMs, maxAckPending, filterSubject, ...). */
  consumer?: Partial<Omit<ConsumerConfig, "onError">>;
  verifier?: VerifierOptions;
  /** Largest decompressed payload decoded. Default 16 MiB. */
  maxEventBytes?: number;
  /** Nak delay after a Postgres error: doubles from initial to max. Defaults 500 ms, 30 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** A chain gap is reported when it stays open this long. Default max(60 s, 2 × ackWaitMs). */
  gapGraceMs?: number;
  /** A fetch is written in parts of about this many events (whole batches). Default 1000. */
  maxWriteEvents?: number;
  /** Parts written at the same time, each in its own transaction and connection. Default 3. */
  maxWrites?: number;
  /**
   * A batch signed by a key not (yet) trusted is nak'ed this many times,
   * unknownKeyRetryMs apart, before it is rejected. Defaults 12, 5000 ms.
   */
  unknownKeyRetries?: number;
  unknownKeyRetryMs?: number;
}

export interface IngestStats {
  stored: number;
  duplicates: number;
  eventsInserted: number;
  rejected: Record<string, number>;
  storeErrors: number;
  gapsReported: number;
}

export interface Ingest {
  /** Stops fetching, finishes the batch in hand; resolves when the loop has ended. */
  stop(): Promise<void>;
  /** Resolves when the consumer loop ends. */
  readonly done: Promise<void>;
  stats(): IngestStats;
}

const DEFAULT_ACK_WAIT_MS = 30_000;

/**
 * Loads the verifier's state from Postgres (waiting for Postgres if it is
 * down), then starts consuming. Resolves once consuming has started.
 */
export async function startIngest(o: IngestOptions): Promise<Ingest> {
  if (!o.source && !(o.nats && o.jsm))
    throw new TypeError("startIngest needs nats and jsm, or source");
  const log = (o.logger ?? createLogger("analytics")).child({ part: "ingest" });
  const registry = o.registry ?? new Registry();
  const m = ingestMetrics(registry);
  const stats: IngestStats = {
    stored: 0,
    duplicates: 0,
    eventsInserted: 0,
    rejected: {},
    storeErrors: 0,
    gapsReported: 0,
  };
  const abort = new AbortController();
  const signal = abort.signal;
  const maxEventBytes = o.maxEventBytes ?? 16 << 20;
  const retryInitial = o.retryInitialMs ?? 500;
  const maxWriteEvents = o.maxWriteEvents ?? 1_000;
  const maxWrites = o.maxWrites ?? 3;
  const unknownKeyRetries = o.unknownKeyRetries ?? 12;
  const unknownKeyRetryMs = o.unknownKeyRetryMs ?? 5_000;
  const retryMax = o.retryMaxMs ?? 30_000;
  const window = o.verifier?.replayWindow ?? 1024;
  const gapGrace =
    o.gapGraceMs ?? Math.max(60_000, 2 * (o.consumer?.ackWaitMs ?? DEFAULT_ACK_WAIT_MS));

  let trust = o.trust();
  const verifier = new BatchVerifier(trust, o.verifier);
  const gaps = new GapTracker(gapGrace);

  // The state must come from what is stored: without it, replays would pass.
  for (let attempt = 0; ; attempt++) {
    try {
      const loaded = await loadVerifierState(o.pool, window);
      verifier.importState(loaded.state);
      for (const h of loaded.holes) gaps.add(h.producerId, h.from, h.to, "", Date.now());
      log.info("verifier state loaded", {
        producers: Object.keys(loaded.state).length,
        openGaps: loaded.holes.length,
      });
      break;
    } catch (err) {
      m.storeErrors.inc();
      stats.storeErrors++;
      log.warn("cannot load verifier state; retrying", { err });
      await sleep(Math.min(retryMax, retryInitial * 2 ** attempt));
    }
  }

  const integrity = (p: IntegrityProblem) => {
    try {
      o.onIntegrity?.(p);
    } catch (err) {
      log.error("onIntegrity failed", { err });
    }
  };
  // A gap is reported only for batches Postgres does not have either: replicas
  // sharing the durable each see only part of a chain, and the rest is stored
  // by the others.
  const reportGaps = async (list: Gap[]) => {
    for (const g of list) {
      let stored: number[];
      try {
        stored = await storedSequences(o.pool, g.producerId, g.from, g.to);
      } catch (err) {
        log.warn("cannot check a gap against Postgres; checking again later", { err });
        gaps.add(g.producerId, g.from, g.to, g.subject, g.openedMs);
        continue;
      }
      for (const [from, to] of missingRanges(g.from, g.to, stored)) {
        m.gaps.inc();
        stats.gapsReported++;
        integrity({
          producerId: g.producerId,
          reason: "sequence_gap",
          detail:
            from === to ? `batch ${from} never arrived` : `batches ${from}..${to} never arrived`,
          subject: g.subject,
          atMs: Date.now(),
        });
      }
    }
  };
  const gapTimer = setInterval(
    () => void reportGaps(gaps.due(Date.now())),
    Math.min(5_000, Math.max(100, gapGrace / 4)),
  );
  gapTimer.unref();

  // Batches handed to onStored by this process, so a redelivery of one is not handed over twice.
  const handed = new Set<string>();
  const handOver = async (producerId: string, sequence: number, events: TelemetryEvent[]) => {
    const key = `${producerId}\u0000${sequence}`;
    if (handed.has(key)) return;
    handed.add(key);
    if (handed.size > 100_000) handed.delete(handed.values().next().value as string);
    try {
      await o.onStored?.({ producerId, events });
    } catch (err) {
      log.error("onStored failed", { err, producerId, sequence });
    }
  };

  const reject = (d: Delivery, reason: string, detail: string, producerId = "") => {
    d.term(reason);
    m.rejected.inc({ reason });
    stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
    log.warn("batch rejected", { reason, detail, producerId, subject: d.subject, msgId: d.msgId });
    integrity({ producerId, reason, detail, subject: d.subject, atMs: Date.now() });
  };

  const ack = async (d: Delivery) => {
    try {
      await d.ack();
    } catch (err) {
      // Stored already: it comes back after the ack wait and is recognised as a duplicate.
      m.ackFailures.inc();
      log.warn("ack failed; the batch will come back as a duplicate", { err, msgId: d.msgId });
    }
  };

  // Acks are confirmed by the server; the next fetch does not wait for
  // them (a lost ack only brings the batch back as a duplicate). Stopping does.
  const pendingAcks = new Set<Promise<void>>();
  const acking = (d: Delivery) => {
    const p = ack(d).finally(() => pendingAcks.delete(p));
    pendingAcks.add(p);
  };

  const nakAll = (items: readonly { d: Delivery }[], delay: number) => {
    for (const { d } of items) {
      try {
        d.nak(delay);
      } catch {
        // settled already, or the connection is gone: redelivered after the ack wait
      }
    }
  };

  /** A batch to store: authentic and decoded; `accepted` unless it is a redelivery of a batch seen before. */
  interface Item extends BatchToWrite {
    d: Delivery;
    events: TelemetryEvent[];
    accepted?: Accepted;
  }

  // Parts of fetches move through three stages at once: one is verified and
  // decoded here while up to maxWrites earlier ones are being written to
  // Postgres (each on a connection of its own) or handed over and acked, so
  // Postgres and this process work at the same time. Hand-over stays in
  // stream order. A failed write sets `failed`: its deliveries were nak'ed,
  // and what was prepared meanwhile is nak'ed too.
  const inFlight = new Set<Promise<unknown>>();
  let failed = false;
  let handedOver: Promise<void> = Promise.resolve();
  let failures = 0;
  const retryDelay = () => Math.min(retryMax, retryInitial * 2 ** failures);

  /**
   * Verifies and decodes one delivery, in stream order; a reject is
   * terminated here. An accepted batch is committed to the verifier at once,
   * so the next one of the same chain is checked against it; if its write
   * fails, the verifier is reloaded from Postgres (recoverVerifier).
   */
  const prepare = (d: Delivery): Item | undefined => {
    const now = o.trust();
    if (now !== trust) {
      trust = now;
      verifier.setTrust(trust);
    }
    const v = verifier.check(d.data);
    if (!v.ok) {
      // Authentic (the signature verified before the replay check): a
      // redelivery of a batch we stored is fine, and the write tells (a
      // duplicate if stored under the same hash). Anything else is a replay.
      const again = v.reason === "replay" && d.redelivered && redelivery(d);
      if (again) return again;
      if (v.reason === "unknown_key" && d.deliveryCount <= unknownKeyRetries) {
        // A new collector's key may be on its way: the operator writes it into
        // the trust ConfigMap as the pod starts, and the watch brings it a moment later.
        try {
          d.nak(unknownKeyRetryMs);
        } catch {
          // settled already, or the connection is gone: redelivered after the ack wait
        }
        m.deferred.inc({ reason: v.reason });
        return undefined;
      }
      reject(d, v.reason, v.detail, v.producerId);
      return undefined;
    }
    const decoded = decodeEvents(v.batch, maxEventBytes);
    if (!decoded.ok) {
      reject(d, "malformed", decoded.reason, v.producerId);
      return undefined;
    }
    verifier.commit(v);
    return {
      d,
      producerId: v.producerId,
      sequence: v.sequence,
      hash: v.hash,
      prevHash: v.batch.prevHash,
      events: decoded.value,
      accepted: v,
    };
  };

  const redelivery = (d: Delivery): Item | undefined => {
    const b = decodeSignedBatch(d.data);
    if (!b.ok) return undefined;
    const e = decodeEvents(b.value, maxEventBytes);
    if (!e.ok) return undefined;
    return {
      d,
      producerId: b.value.producerId,
      sequence: b.value.sequence,
      hash: batchHash(signingInput(b.value, b.value.payload)),
      prevHash: b.value.prevHash,
      events: e.value,
    };
  };

  /** Writes a part in one statement; undefined if the write failed (then nak'ed). */
  const write = async (items: Item[]): Promise<WriteResult | undefined> => {
    const t0 = performance.now();
    try {
      const client = await o.pool.connect();
      try {
        guard(client);
        const res = await writeBatches(client, items);
        client.release();
        failures = 0;
        m.writeSeconds.observe((performance.now() - t0) / 1000);
        return res;
      } catch (err) {
        client.release(err as Error); // a broken connection is not put back
        throw err;
      }
    } catch (err) {
      m.storeErrors.inc();
      stats.storeErrors++;
      const delay = retryDelay();
      failures++;
      log.warn("store failed; batches will be redelivered", { err, batches: items.length, delay });
      failed = true;
      nakAll(items, delay);
      await recoverVerifier();
      return undefined;
    }
  };

  /** After a part's commit: counts, gaps, hand-over to detection, acks. */
  const post = async (items: Item[], res: WriteResult) => {
    m.events.inc({ result: "inserted" }, res.inserted);
    if (res.duplicates) m.events.inc({ result: "duplicate" }, res.duplicates);
    if (res.skipped) m.events.inc({ result: "skipped" }, res.skipped);
    stats.eventsInserted += res.inserted;
    let conflicts = 0;
    for (const [i, it] of items.entries()) {
      const outcome = res.batches[i];
      if (outcome === "conflict") {
        conflicts++;
        const detail = `another batch ${it.sequence} of ${it.producerId} is stored`;
        reject(it.d, "replay", detail, it.producerId);
        continue;
      }
      gaps.arrived(it.producerId, it.sequence);
      if (outcome === "new") {
        m.batches.inc({ result: "stored" });
        stats.stored++;
        const gap = it.accepted?.gap;
        if (gap)
          void reportGaps(
            gaps.add(it.producerId, gap.expected, gap.got - 1, it.d.subject, Date.now()),
          );
      } else {
        m.batches.inc({ result: "duplicate" });
        stats.duplicates++;
      }
      // Detection before the ack: a crash in between hands the batch over again
      // (at least once), where the other order could lose it for detection.
      // A duplicate that is not a redelivery was handed over by whoever stored
      // it: its own redelivery that overtook it (after the ack wait), or
      // another replica sharing the durable.
      if (outcome === "new" || it.d.redelivered)
        await handOver(it.producerId, it.sequence, it.events);
      acking(it.d);
    }
    // The verifier took the conflicting batches for accepted: what is stored says otherwise.
    if (conflicts > 0) await recoverVerifier();
  };

  /** Reloads the verifier's state from Postgres (retrying while Postgres is down). */
  const recoverVerifier = async () => {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        verifier.importState((await loadVerifierState(o.pool, window)).state);
        return;
      } catch (err) {
        m.storeErrors.inc();
        stats.storeErrors++;
        log.warn("cannot reload verifier state; retrying", { err });
        await sleep(Math.min(retryMax, retryInitial * 2 ** attempt), undefined, { signal }).catch(
          () => {},
        );
      }
    }
  };

  // A checked-out client whose server goes away emits 'error' besides failing
  // its query; unheard, that event would end the process.
  const guarded = new WeakSet<object>();
  const guard = (client: pg.PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on("error", (err) => log.warn("postgres connection lost", { err }));
  };

  // A fetch is written in parts of about maxWriteEvents events: a part's
  // write starts as soon as it is decoded, and a part is quick to write,
  // which keeps detection latency low under load.
  const handler = async (deliveries: Delivery[]) => {
    let at = 0;
    while (at < deliveries.length) {
      const items: Item[] = [];
      for (let events = 0; at < deliveries.length && events < maxWriteEvents; ) {
        const it = prepare(deliveries[at++] as Delivery);
        if (!it) continue;
        items.push(it);
        events += it.events.length;
      }
      while (inFlight.size >= maxWrites) await Promise.race(inFlight);
      if (failed) {
        // Prepared against a verifier that held the failed batches: again later.
        failed = false;
        const delay = retryDelay();
        nakAll(items, delay);
        nakAll(
          deliveries.slice(at).map((d) => ({ d })),
          delay,
        );
        await recoverVerifier();
        await sleep(delay, undefined, { signal }).catch(() => {});
        return;
      }
      if (items.length === 0) continue;
      const w = write(items);
      // This part is handed over after the previous one, in stream order; it
      // holds its place among the maxWrites until then.
      const before = handedOver;
      handedOver = w.then(async (r) => {
        await before;
        if (r) await post(items, r).catch((err: unknown) => log.error("after the write", { err }));
      });
      const tracked = handedOver.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
  };

  const consumer: Consumer =
    o.source ??
    (await natsConsumer(
      jetstream(o.nats as NatsConnection),
      o.jsm as JetStreamManager,
      TELEMETRY_STREAM,
      o.durable,
      {
        ...o.consumer,
        onError: (err, where) => log.warn("consumer error", { err, where }),
      },
    ));
  log.info("ingest started", { durable: o.durable });
  const done = consumer
    .run(handler, signal)
    .then(() => Promise.all(inFlight))
    .then(() => handedOver)
    .then(() => Promise.all(pendingAcks))
    .then(() => {})
    .finally(() => clearInterval(gapTimer));
  return {
    async stop() {
      abort.abort();
      await done;
    },
    done,
    stats: () => structuredClone(stats),
  };
}

export function ingestMetrics(registry: Registry) {
  return {
    rejected: counter(
      registry,
      "amoskys_analytics_rejected_batches_total",
      "Batches refused (terminated), by verifier reason.",
      ["reason"],
    ),
    batches: counter(
      registry,
      "amoskys_analytics_batches_total",
      "Batches accepted: stored now, or recognised as stored before (duplicate).",
      ["result"],
    ),
    events: counter(
      registry,
      "amoskys_analytics_events_total",
      "Events of accepted batches: inserted, duplicate (id stored before), skipped (no body or id).",
      ["result"],
    ),
    gaps: counter(
      registry,
      "amoskys_analytics_sequence_gaps_total",
      "Gaps in producers' chains that stayed open past the grace period.",
      [],
    ),
    storeErrors: counter(
      registry,
      "amoskys_analytics_store_errors_total",
      "Postgres failures while storing (the batch is nak'ed and comes again).",
      [],
    ),
    deferred: counter(
      registry,
      "amoskys_analytics_deferred_batches_total",
      "Deliveries nak'ed to be checked again later, by verifier reason (unknown_key: the key may not have reached the trust set yet).",
      ["reason"],
    ),
    ackFailures: counter(
      registry,
      "amoskys_analytics_ack_failures_total",
      "Acks the server did not confirm after the batch was stored.",
      [],
    ),
    writeSeconds: histogram(
      registry,
      "amoskys_analytics_store_write_seconds",
      "Time to write one fetch of batches (one transaction).",
      [],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  };
}
