// The behaviour both buses promise, as one test suite: nats.test.ts runs it
// against a real nats-server, memory.test.ts against the in-process bus.
// Not a *.test.ts itself: it only defines tests inside the caller's describe().
import assert from "node:assert/strict";
import { it } from "node:test";
import { eventually } from "../../e2e/env/eventually.ts";
import { msgId, type StreamLimits, TELEMETRY_STREAM, telemetrySubject } from "./conventions.ts";
import {
  DeliverySettledError,
  PublishDeadlineError,
  PublisherClosedError,
  PublishRejectedError,
} from "./errors.ts";
import type { Consumer, ConsumerConfig, Delivery, Publisher, PublisherConfig } from "./types.ts";

export interface BusHarness {
  /** Fresh streams (telemetry with these limits), no messages, no consumers. */
  reset(limits?: Partial<StreamLimits>): Promise<void>;
  publisher(cfg?: Partial<PublisherConfig>): Publisher;
  /** A consumer instance on the telemetry stream's durable `durable`. */
  consumer(durable: string, cfg?: Partial<ConsumerConfig>): Promise<Consumer>;
  streamMessages(): Promise<number>;
  consumerState(durable: string): Promise<{ numPending: number; numAckPending: number }>;
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const SUBJECT = telemetrySubject("plant", "plc.7");
// Short waits so the suite is quick; NATS allows no fetch wait below 1 s.
const FAST: Partial<ConsumerConfig> = { ackWaitMs: 1_000, maxWaitMs: 1_000 };

/** Publishes `n` messages of `producer`, seq 1..n, and waits for their acks. */
async function publishAll(pub: Publisher, n: number, producer = "p") {
  const ids = Array.from({ length: n }, (_, i) => msgId(producer, i + 1));
  await Promise.all(ids.map((id) => pub.publish(SUBJECT, bytes(id), id)));
  return ids;
}

/** Runs `consumer` until `done()` holds after a batch; fails after `timeoutMs`. */
async function runUntil(
  consumer: Consumer,
  handler: (batch: Delivery[]) => Promise<void>,
  done: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    await consumer.run(async (batch) => {
      try {
        await handler(batch);
      } finally {
        if (done()) ac.abort();
      }
    }, ac.signal);
  } finally {
    clearTimeout(timer);
  }
  assert.ok(done(), `consumer did not get there within ${timeoutMs} ms`);
}

/** Acks every delivery, counting acks per msgId. */
function acker(acks: Map<string, number>, seen: Delivery[] = []) {
  return async (batch: Delivery[]) => {
    for (const d of batch) {
      seen.push(d);
      await d.ack();
      acks.set(d.msgId, (acks.get(d.msgId) ?? 0) + 1);
    }
  };
}

export function busContract(harness: () => BusHarness): void {
  it("stores a msgId once within the duplicate window, and acks the copy as duplicate", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const a = await pub.publish(SUBJECT, bytes("one"), msgId("p", 1));
    const b = await pub.publish(SUBJECT, bytes("one again"), msgId("p", 1));
    const c = await pub.publish(SUBJECT, bytes("two"), msgId("p", 2));
    assert.equal(a.stream, TELEMETRY_STREAM);
    assert.equal(a.duplicate, false);
    assert.equal(b.duplicate, true);
    assert.equal(b.seq, a.seq);
    assert.equal(c.duplicate, false);
    assert.equal(c.seq, a.seq + 1);
    assert.equal(await h.streamMessages(), 2);
    const m = pub.metrics();
    assert.deepEqual([m.published, m.duplicates, m.retries, m.inFlight], [2, 1, 0, 0]);

    const got: Delivery[] = [];
    const consumer = await h.consumer("dedupe", FAST);
    await runUntil(consumer, acker(new Map(), got), () => got.length >= 2);
    assert.deepEqual(
      got.map((d) => [d.msgId, text(d.data), d.subject, d.streamSeq]),
      [
        ["p:1", "one", SUBJECT, a.seq],
        ["p:2", "two", SUBJECT, c.seq],
      ],
    );
    await pub.close();
  });

  it("redelivers what a consumer left unacked to the next instance of its durable: nothing lost, acked once", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const ids = await publishAll(pub, 10);
    const cfg = { ...FAST, batchSize: 10 };

    // The first instance takes the batch and "dies": its handler settles
    // nothing and run() is aborted.
    const dead: Delivery[] = [];
    await runUntil(
      await h.consumer("analytics", cfg),
      async (batch) => {
        dead.push(...batch);
      },
      () => dead.length >= 10,
    );
    assert.deepEqual(dead.map((d) => d.msgId).sort(), [...ids].sort());
    assert.ok(dead.every((d) => d.deliveryCount === 1 && !d.redelivered));
    assert.equal((await h.consumerState("analytics")).numAckPending, 10);

    const acks = new Map<string, number>();
    const seen: Delivery[] = [];
    const next = await h.consumer("analytics", cfg);
    await runUntil(next, acker(acks, seen), () => acks.size === 10);
    assert.deepEqual([...acks.keys()].sort(), [...ids].sort());
    assert.ok(
      [...acks.values()].every((n) => n === 1),
      "each message acked once",
    );
    // ≥ 2, not 2: the dead instance's read-ahead fetch may have caught the
    // redeliveries after the ack wait and given them back on abort.
    assert.ok(seen.every((d) => d.redelivered && d.deliveryCount >= 2));
    const m = next.metrics();
    assert.deepEqual([m.delivered, m.redelivered, m.acked], [10, 10, 10]);
    await eventually(async () => assert.equal(await h.streamMessages(), 0), 10_000);
    assert.deepEqual(await h.consumerState("analytics"), { numPending: 0, numAckPending: 0 });
    await pub.close();
  });

  it("nak's the unsettled deliveries of a batch whose handler throws; what it settled stays settled", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const ids = await publishAll(pub, 4);
    // A long ack wait: only the nak can bring the messages back in time.
    const consumer = await h.consumer("analytics", {
      ...FAST,
      ackWaitMs: 60_000,
      batchSize: 4,
      errorNakDelayMs: 100,
    });
    const calls: Delivery[][] = [];
    const acks = new Map<string, number>();
    const handler = async (batch: Delivery[]) => {
      calls.push(batch);
      if (calls.length === 1) {
        await batch[0]?.ack();
        acks.set(batch[0]?.msgId ?? "", 1);
        throw new Error("database unavailable");
      }
      await acker(acks)(batch);
    };
    await runUntil(consumer, handler, () => acks.size === 4);
    assert.equal(calls[0]?.length, 4);
    const first = calls[0]?.[0]?.msgId;
    const again = calls.slice(1).flat();
    assert.deepEqual(again.map((d) => d.msgId).sort(), ids.filter((id) => id !== first).sort());
    assert.ok(again.every((d) => d.redelivered && d.deliveryCount === 2));
    const m = consumer.metrics();
    assert.deepEqual([m.handlerErrors, m.naked, m.acked, m.delivered], [1, 3, 4, 7]);
    await eventually(async () => assert.equal(await h.streamMessages(), 0), 10_000);
    await pub.close();
  });

  it("term() removes a poison message for good, counted by reason; nak(delay) redelivers", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const [poison, later] = await publishAll(pub, 2);
    const consumer = await h.consumer("analytics", { ...FAST, ackWaitMs: 60_000 });
    const seen: Delivery[] = [];
    let acked = false;
    await runUntil(
      consumer,
      async (batch) => {
        for (const d of batch) {
          seen.push(d);
          if (d.msgId === poison) d.term("bad_signature");
          else if (d.deliveryCount === 1) d.nak(200);
          else {
            await d.ack();
            acked = true;
          }
        }
      },
      () => acked,
    );
    const laters = seen.filter((d) => d.msgId === later);
    assert.deepEqual(
      laters.map((d) => [d.deliveryCount, d.redelivered]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.equal(seen.filter((d) => d.msgId === poison).length, 1);
    const m = consumer.metrics();
    assert.deepEqual(m.termed, { bad_signature: 1 });
    assert.deepEqual([m.naked, m.acked], [1, 1]);
    // A work queue drops a terminated message: there is nothing left to redeliver.
    await eventually(async () => assert.equal(await h.streamMessages(), 0), 10_000);
    assert.deepEqual(await h.consumerState("analytics"), { numPending: 0, numAckPending: 0 });
    await pub.close();
  });

  it("stops delivering a message after maxDeliver deliveries but keeps it in the stream", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    await publishAll(pub, 1);
    const consumer = await h.consumer("analytics", { ...FAST, maxDeliver: 2 });
    const counts: number[] = [];
    // Keep fetching while waiting: JetStream gives a message up when it next
    // tries to deliver it, so a consumer must be asking.
    const ac = new AbortController();
    const running = consumer.run(async (batch) => {
      for (const d of batch) {
        counts.push(d.deliveryCount);
        d.nak(0);
      }
    }, ac.signal);
    try {
      await eventually(async () => {
        assert.ok(counts.length >= 2);
        assert.deepEqual(await h.consumerState("analytics"), { numPending: 0, numAckPending: 0 });
      }, 15_000);
    } finally {
      ac.abort();
      await running;
    }
    assert.deepEqual(counts, [1, 2]);
    assert.equal(await h.streamMessages(), 1);
    await pub.close();
  });

  it("keeps at most maxAckPending messages unacknowledged", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const ids = await publishAll(pub, 10);
    const cfg = { ...FAST, batchSize: 10, maxAckPending: 3 };
    const batches: Delivery[][] = [];
    await runUntil(
      await h.consumer("analytics", cfg),
      async (batch) => {
        batches.push(batch);
      },
      () => batches.length >= 1,
    );
    assert.equal(batches[0]?.length, 3);
    assert.deepEqual(await h.consumerState("analytics"), { numPending: 7, numAckPending: 3 });

    const acks = new Map<string, number>();
    await runUntil(await h.consumer("analytics", cfg), acker(acks), () => acks.size === 10);
    assert.deepEqual([...acks.keys()].sort(), [...ids].sort());
    await pub.close();
  });

  it("delivers only the filter subject's messages", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    const a = telemetrySubject("plant-a", "plc-1");
    const b = telemetrySubject("plant-b", "plc-1");
    await pub.publish(a, bytes("a1"), msgId("p", 1));
    await pub.publish(b, bytes("b1"), msgId("p", 2));
    await pub.publish(a, bytes("a2"), msgId("p", 3));
    const consumer = await h.consumer("plant-a", {
      ...FAST,
      filterSubject: "amoskys.telemetry.plant-a.>",
    });
    const acks = new Map<string, number>();
    const seen: Delivery[] = [];
    await runUntil(consumer, acker(acks, seen), () => acks.size === 2);
    assert.deepEqual(
      seen.map((d) => text(d.data)),
      ["a1", "a2"],
    );
    await eventually(async () => assert.equal(await h.streamMessages(), 1), 10_000);
    await pub.close();
  });

  it("settles a delivery once: a second ack, nak or term throws", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher();
    await publishAll(pub, 1);
    const consumer = await h.consumer("analytics", FAST);
    const outcomes: unknown[] = [];
    await runUntil(
      consumer,
      async ([d]) => {
        if (!d) return;
        await d.ack();
        outcomes.push(await d.ack().catch((e: unknown) => e));
        for (const again of [() => d.nak(0), () => d.term("x")]) {
          try {
            again();
            outcomes.push("no error");
          } catch (err) {
            outcomes.push(err);
          }
        }
      },
      () => outcomes.length > 0,
    );
    assert.equal(outcomes.length, 3);
    for (const o of outcomes) {
      assert.ok(o instanceof DeliverySettledError, String(o));
      assert.equal(o.settledAs, "ack");
      assert.equal(o.msgId, "p:1");
    }
    const m = consumer.metrics();
    assert.deepEqual([m.acked, m.naked, m.termed], [1, 0, {}]);
    await pub.close();
  });

  it("backpressure: a full stream holds publishes back, retried with the same msgId, never lost or doubled", async () => {
    const h = harness();
    await h.reset({ maxMsgs: 20 });
    const pub = h.publisher({
      maxInFlight: 8,
      retryInitialMs: 20,
      retryMaxMs: 200,
      retryDeadlineMs: 60_000,
    });
    const ids = Array.from({ length: 100 }, (_, i) => msgId("burst", i + 1));
    let resolved = 0;
    let rejected = 0;
    const publishes = ids.map((id) =>
      pub.publish(SUBJECT, bytes(id), id).then(
        (ack) => {
          resolved++;
          return ack;
        },
        (err: unknown) => {
          rejected++;
          throw err;
        },
      ),
    );
    // Nobody acks yet: 20 are stored, 8 are retrying, 72 wait for a slot.
    await eventually(() => {
      const m = pub.metrics();
      assert.ok(m.retries > 0, "retrying");
      assert.equal(resolved, 20);
    }, 20_000);
    let m = pub.metrics();
    assert.equal(rejected, 0);
    assert.equal(m.backpressureWaits, 92);
    assert.equal(m.inFlight, 8);
    assert.equal(await h.streamMessages(), 20);

    const acks = new Map<string, number>();
    const consumer = await h.consumer("analytics", { ...FAST, ackWaitMs: 20_000, batchSize: 10 });
    await runUntil(consumer, acker(acks), () => acks.size === 100, 40_000);
    const acksOf = await Promise.all(publishes);
    assert.equal(rejected, 0);
    assert.ok(acksOf.every((a) => !a.duplicate));
    assert.equal(new Set(acksOf.map((a) => a.seq)).size, 100);
    assert.deepEqual([...acks.keys()].sort(), [...ids].sort());
    assert.ok(
      [...acks.values()].every((n) => n === 1),
      "each message acked once",
    );
    assert.equal(consumer.metrics().acked, 100);
    m = pub.metrics();
    assert.deepEqual(
      [m.published, m.duplicates, m.publishFailures, m.inFlight, m.inFlightPeak],
      [100, 0, 0, 0, 8],
    );
    await eventually(async () => assert.equal(await h.streamMessages(), 0), 10_000);
    await pub.close();
  });

  it("gives up retrying at the deadline while the stream stays full", async () => {
    const h = harness();
    await h.reset({ maxMsgs: 1 });
    const pub = h.publisher({ retryInitialMs: 10, retryMaxMs: 50, retryDeadlineMs: 500 });
    await pub.publish(SUBJECT, bytes("fits"), msgId("p", 1));
    await assert.rejects(pub.publish(SUBJECT, bytes("does not"), msgId("p", 2)), (err) => {
      assert.ok(err instanceof PublishDeadlineError, String(err));
      assert.equal(err.msgId, "p:2");
      assert.ok(err.attempts > 1);
      return true;
    });
    const m = pub.metrics();
    assert.ok(m.retries > 0);
    assert.deepEqual([m.published, m.publishFailures, m.inFlight], [1, 1, 0]);
    assert.equal(await h.streamMessages(), 1);
    await pub.close();
  });

  it("rejects a message the stream refuses for good at once, without retrying", async () => {
    const h = harness();
    await h.reset({ maxMsgSize: 1024 });
    const pub = h.publisher();
    await assert.rejects(pub.publish(SUBJECT, new Uint8Array(4096), msgId("p", 1)), (err) => {
      assert.ok(err instanceof PublishRejectedError, String(err));
      assert.equal(err.attempts, 1);
      assert.equal(err.subject, SUBJECT);
      return true;
    });
    const m = pub.metrics();
    assert.deepEqual([m.retries, m.publishFailures, m.published], [0, 1, 0]);
    assert.equal(await h.streamMessages(), 0);
    await pub.close();
  });

  it("close() lets what is in flight finish, then refuses new publishes", async () => {
    const h = harness();
    await h.reset();
    const pub = h.publisher({ maxInFlight: 2 });
    const ids = Array.from({ length: 6 }, (_, i) => msgId("closing", i + 1));
    const publishes = ids.map((id) => pub.publish(SUBJECT, bytes(id), id));
    await pub.close();
    const settled = await Promise.allSettled(publishes);
    assert.deepEqual(
      settled.map((s) => s.status),
      ids.map(() => "fulfilled"),
    );
    assert.equal(await h.streamMessages(), 6);
    await assert.rejects(pub.publish(SUBJECT, bytes("late"), msgId("closing", 7)), (err) => {
      assert.ok(err instanceof PublisherClosedError);
      assert.equal(err.msgId, "closing:7");
      return true;
    });
    await pub.close(); // idempotent
    assert.equal(await h.streamMessages(), 6);
  });
}
