// The in-process bus: the shared contract, then what only it has to show.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type BusHarness, busContract } from "./contract.ts";
import {
  busStreams,
  FINDINGS_STREAM,
  findingsStream,
  msgId,
  TELEMETRY_STREAM,
  telemetryStream,
  telemetrySubject,
} from "./conventions.ts";
import { ConfigConflictError, PublishDeadlineError } from "./errors.ts";
import {
  type MemoryBus,
  memoryBus,
  NoStreamError,
  ResourceNotFoundError,
  WorkQueueOverlapError,
} from "./memory.ts";
import type { Delivery } from "./types.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

let bus: MemoryBus | undefined;
afterEach(() => bus?.close());

describe("in-process bus: the shared contract", () => {
  const h: BusHarness = {
    async reset(limits) {
      bus?.close();
      bus = memoryBus(busStreams({ telemetry: limits }));
    },
    publisher: (cfg) => must().publisher(cfg),
    consumer: async (durable, cfg) => must().consumer(TELEMETRY_STREAM, durable, cfg),
    streamMessages: async () => must().streamState(TELEMETRY_STREAM).messages,
    consumerState: async (durable) => must().consumerState(TELEMETRY_STREAM, durable),
  };
  busContract(() => h);
});

function must(): MemoryBus {
  assert.ok(bus, "reset() first");
  return bus;
}

/** Collects the first batch a consumer delivers (acking nothing) and stops. */
async function firstBatch(b: MemoryBus, stream: string, durable: string): Promise<Delivery[]> {
  const ac = new AbortController();
  let got: Delivery[] = [];
  await b.consumer(stream, durable, { maxWaitMs: 200 }).run(async (batch) => {
    got = batch;
    ac.abort();
  }, ac.signal);
  return got;
}

describe("in-process bus", () => {
  it("forgets a msgId after the duplicate window", async () => {
    bus = memoryBus([telemetryStream({ duplicateWindowMs: 100 })]);
    const pub = bus.publisher();
    const subject = telemetrySubject("ns", "dev");
    const first = await pub.publish(subject, bytes("x"), msgId("p", 1));
    assert.equal((await pub.publish(subject, bytes("x"), msgId("p", 1))).duplicate, true);
    await sleep(150);
    const late = await pub.publish(subject, bytes("x"), msgId("p", 1));
    assert.equal(late.duplicate, false);
    assert.equal(late.seq, first.seq + 1);
    assert.equal(bus.streamState(TELEMETRY_STREAM).messages, 2);
  });

  it("drops the oldest messages of a discard-old stream, and keeps a limits stream's acked messages for every durable", async () => {
    bus = memoryBus([findingsStream({ maxMsgs: 3 })]);
    const pub = bus.publisher();
    for (let i = 1; i <= 5; i++)
      await pub.publish(`amoskys.findings.ns.r${i}`, bytes(`f${i}`), msgId("a", i));
    assert.deepEqual(bus.streamState(FINDINGS_STREAM), {
      messages: 3,
      bytes: bus.streamState(FINDINGS_STREAM).bytes,
      lastSeq: 5,
    });
    for (const durable of ["console", "webhook"]) {
      const batch = await firstBatch(bus, FINDINGS_STREAM, durable);
      assert.deepEqual(
        batch.map((d) => [d.streamSeq, text(d.data)]),
        [
          [3, "f3"],
          [4, "f4"],
          [5, "f5"],
        ],
      );
      for (const d of batch) await d.ack();
    }
    assert.equal(bus.streamState(FINDINGS_STREAM).messages, 3);
  });

  it("removes messages older than maxAge, acked or not", async () => {
    bus = memoryBus([telemetryStream({ maxAgeMs: 100, duplicateWindowMs: 50 })]);
    await bus.publisher().publish(telemetrySubject("ns", "dev"), bytes("x"), msgId("p", 1));
    assert.equal(bus.streamState(TELEMETRY_STREAM).messages, 1);
    await sleep(150);
    assert.equal(bus.streamState(TELEMETRY_STREAM).messages, 0);
  });

  it("retries a subject no stream takes (like no responders) until the deadline", async () => {
    bus = memoryBus();
    const pub = bus.publisher({ retryInitialMs: 10, retryMaxMs: 20, retryDeadlineMs: 200 });
    await assert.rejects(pub.publish("amoskys.elsewhere.x", bytes("x"), msgId("p", 1)), (err) => {
      assert.ok(err instanceof PublishDeadlineError);
      assert.ok(err.cause instanceof NoStreamError);
      assert.equal(err.cause.subject, "amoskys.elsewhere.x");
      return true;
    });
    assert.ok(pub.metrics().retries > 0);
  });

  it("refuses work-queue consumers whose filters overlap, as JetStream does", () => {
    bus = memoryBus();
    bus.consumer(TELEMETRY_STREAM, "a", { filterSubject: "amoskys.telemetry.plant-a.>" });
    bus.consumer(TELEMETRY_STREAM, "b", { filterSubject: "amoskys.telemetry.plant-b.>" });
    bus.consumer(TELEMETRY_STREAM, "a", { filterSubject: "amoskys.telemetry.plant-a.>" }); // same durable again
    for (const filter of ["amoskys.telemetry.*.plc", "amoskys.telemetry.>", undefined]) {
      assert.throws(
        () => bus?.consumer(TELEMETRY_STREAM, "c", { filterSubject: filter }),
        (err: unknown) => err instanceof WorkQueueOverlapError && err.durable === "c",
        String(filter),
      );
    }
    // A limits stream has no such rule.
    bus.consumer(FINDINGS_STREAM, "x");
    bus.consumer(FINDINGS_STREAM, "y");
    assert.throws(() => bus?.consumer("NOPE", "x"), ResourceNotFoundError);
  });

  it("ensures streams idempotently: unchanged, updated limits, conflicts on retention", () => {
    bus = memoryBus();
    assert.deepEqual(
      bus.ensureStreams(busStreams()).map((r) => r.action),
      ["unchanged", "unchanged"],
    );
    const [t] = bus.ensureStreams([telemetryStream({ maxMsgs: 5 })]);
    assert.deepEqual(t, { stream: TELEMETRY_STREAM, action: "updated", changed: ["maxMsgs"] });
    assert.throws(
      () => bus?.ensureStreams([{ ...findingsStream(), retention: "workqueue" }]),
      (err: unknown) => err instanceof ConfigConflictError && err.field === "retention",
    );
  });
});
