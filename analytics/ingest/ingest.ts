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
import { BatchVerifier, type VerifierOptions } from "../../proto/verify-batch.ts";
import { createLogger, type Logger } from "../../runtime/log.ts";
import type { IntegrityProblem, StoredEvents } from "../model.ts";
import { loadVerifierState } from "../store/verifier-state.ts";
import { storedBatch, type WriteResult, writeBatch } from "../store/write.ts";
import { GapTracker } from "./gaps.ts";

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
  const reportGaps = (list: ReturnType<GapTracker["due"]>) => {
    for (const g of list) {
      m.gaps.inc();
      stats.gapsReported++;
      integrity({
        producerId: g.producerId,
        reason: "sequence_gap",
        detail:
          g.from === g.to
            ? `batch ${g.from} never arrived`
            : `batches ${g.from}..${g.to} never arrived`,
        subject: g.subject,
        atMs: Date.now(),
      });
    }
  };
  const gapTimer = setInterval(
    () => reportGaps(gaps.due(Date.now())),
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

  const duplicate = async (
    d: Delivery,
    producerId: string,
    sequence: number,
    events: () => TelemetryEvent[],
  ) => {
    m.batches.inc({ result: "duplicate" });
    stats.duplicates++;
    await handOver(producerId, sequence, events());
    await ack(d);
  };

  /** Handles one delivery; false when Postgres failed and the delivery must come again. */
  const handle = async (d: Delivery): Promise<boolean> => {
    const now = o.trust();
    if (now !== trust) {
      trust = now;
      verifier.setTrust(trust);
    }
    const v = verifier.check(d.data);
    if (!v.ok) {
      if (v.reason === "replay" && v.producerId !== undefined && v.sequence !== undefined) {
        // Authentic (the signature verified before the replay check). A redelivery
        // of a batch we stored is fine; anything else is a replay.
        const stored = await storedBatch(o.pool, v.producerId, v.sequence);
        if (stored && d.redelivered && Buffer.compare(stored, hashOf(d.data)) === 0) {
          await duplicate(d, v.producerId, v.sequence, () => eventsOf(d.data, maxEventBytes));
          return true;
        }
      }
      reject(d, v.reason, v.detail, v.producerId);
      return true;
    }
    const decoded = decodeEvents(v.batch, maxEventBytes);
    if (!decoded.ok) {
      reject(d, "malformed", decoded.reason, v.producerId);
      return true;
    }
    const events = decoded.value;
    const client = await o.pool.connect();
    let res: WriteResult;
    const t0 = performance.now();
    try {
      guard(client);
      res = await writeBatch(client, v.producerId, v.sequence, events, {
        hash: v.hash,
        prevHash: v.batch.prevHash,
      });
      client.release();
    } catch (err) {
      client.release(err as Error); // a broken connection is not put back
      throw err;
    }
    m.writeSeconds.observe((performance.now() - t0) / 1000);
    if (res.batch === "conflict") {
      reject(d, "replay", `another batch ${v.sequence} of ${v.producerId} is stored`, v.producerId);
      return true;
    }
    verifier.commit(v);
    gaps.arrived(v.producerId, v.sequence);
    if (res.batch === "duplicate") {
      await duplicate(d, v.producerId, v.sequence, () => events);
      return true;
    }
    if (v.gap)
      reportGaps(gaps.add(v.producerId, v.gap.expected, v.gap.got - 1, d.subject, Date.now()));
    m.batches.inc({ result: "stored" });
    m.events.inc({ result: "inserted" }, res.inserted);
    if (res.duplicates) m.events.inc({ result: "duplicate" }, res.duplicates);
    if (res.skipped) m.events.inc({ result: "skipped" }, res.skipped);
    stats.stored++;
    stats.eventsInserted += res.inserted;
    // Detection before the ack: a crash in between hands the batch over again
    // (at least once), where the other order could lose it for detection.
    await handOver(v.producerId, v.sequence, events);
    await ack(d);
    return true;
  };

  // A checked-out client whose server goes away emits 'error' besides failing
  // its query; unheard, that event would end the process.
  const guarded = new WeakSet<object>();
  const guard = (client: pg.PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on("error", (err) => log.warn("postgres connection lost", { err }));
  };

  let failures = 0;
  const handler = async (deliveries: Delivery[]) => {
    for (let i = 0; i < deliveries.length; i++) {
      const d = deliveries[i] as Delivery;
      let ok: boolean;
      try {
        ok = await handle(d);
      } catch (err) {
        ok = false;
        m.storeErrors.inc();
        stats.storeErrors++;
        log.warn("store failed; batch will be redelivered", { err, msgId: d.msgId });
      }
      if (ok) {
        failures = 0;
        continue;
      }
      // This one and the rest of the fetch come back in order after the delay.
      const delay = Math.min(retryMax, retryInitial * 2 ** failures++);
      for (const rest of deliveries.slice(i)) {
        try {
          rest.nak(delay);
        } catch {
          // settled already, or the connection is gone: redelivered after the ack wait
        }
      }
      await sleep(delay, undefined, { signal }).catch(() => {});
      return;
    }
  };

  const consumer: Consumer =
    o.source ??
    (await natsConsumer(
      jetstream(o.nats as NatsConnection),
      o.jsm as JetStreamManager,
      TELEMETRY_STREAM,
      o.durable,
      { ...o.consumer, onError: (err, where) => log.warn("consumer error", { err, where }) },
    ));
  log.info("ingest started", { durable: o.durable });
  const done = consumer.run(handler, signal).finally(() => clearInterval(gapTimer));
  return {
    async stop() {
      abort.abort();
      await done;
    },
    done,
    stats: () => structuredClone(stats),
  };
}

/** The chain hash of an authentic batch (as BatchVerifier computes it). */
function hashOf(bytes: Uint8Array): Buffer {
  const b = decodeSignedBatch(bytes);
  if (!b.ok) return Buffer.alloc(0);
  return batchHash(signingInput(b.value, b.value.payload));
}

function eventsOf(bytes: Uint8Array, maxBytes: number): TelemetryEvent[] {
  const b = decodeSignedBatch(bytes);
  if (!b.ok) return [];
  const e = decodeEvents(b.value, maxBytes);
  return e.ok ? e.value : [];
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
    ackFailures: counter(
      registry,
      "amoskys_analytics_ack_failures_total",
      "Acks the server did not confirm after the batch was stored.",
      [],
    ),
    writeSeconds: histogram(
      registry,
      "amoskys_analytics_store_write_seconds",
      "Time to write one batch (one transaction).",
      [],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  };
}
