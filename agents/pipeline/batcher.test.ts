// The batcher with a real Ed25519 signer and an in-memory store (pure logic:
// the outbox has its own tests): batches by count, one chain in sequence
// order, the tail of a burst sealed without waiting maxDelayMs (a quiet
// subject still waits), and close() sealing the rest.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { decodeEvents, decodeSignedBatch } from "../../proto/codec.ts";
import { BatchSigner } from "../../proto/sign-batch.ts";
import { Batcher } from "./batcher.ts";
import type { OutboxRecord } from "./outbox.ts";

const ev = (i: number): TelemetryEvent => ({
  id: `e${i}`,
  device: { namespace: "plant-1", name: "gw-1", address: "10.0.0.1" },
  log: { message: `line ${i}` },
});

function setup(maxDelayMs: number) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const signer = new BatchSigner({ producerId: "p/edge/pod", keyId: "k1", privateKey });
  const stored: OutboxRecord[] = [];
  const b = new Batcher({
    maxEvents: 10,
    maxDelayMs,
    maxBatchBytes: 1 << 20,
    producerId: "p/edge/pod",
    signer: () => signer,
    store: async (records) => {
      stored.push(...records);
    },
  });
  const ids = (r: OutboxRecord): string[] => {
    const batch = decodeSignedBatch(r.batch);
    assert.ok(batch.ok);
    const events = decodeEvents(batch.value, 1 << 20);
    assert.ok(events.ok);
    return events.value.map((e) => e.id ?? "");
  };
  return { b, stored, ids };
}

describe("batcher", () => {
  it("seals full batches at once and the tail of a burst when its input pauses", async () => {
    // maxDelayMs far beyond the test's run: only the busy-subject rule can seal the tail.
    const { b, stored, ids } = setup(10 * 60_000);
    const burst = Array.from({ length: 13 }, (_, i) => ev(i));
    // A quiet subject that never filled a batch keeps waiting (maxDelayMs).
    const quiet = b.add("s.quiet", [ev(100)]);
    await b.add("s.busy", burst.slice(0, 10)); // full: sealed at once
    await b.add("s.busy", burst.slice(10)); // 3 left: sealed once the input pauses
    const busy = stored.filter((r) => r.subject === "s.busy");
    assert.deepEqual(
      busy.flatMap(ids),
      burst.map((e) => e.id),
      "every event, in order",
    );
    assert.deepEqual(
      busy.map((r) => ids(r).length),
      [10, 3],
      "a full batch, then the tail on its own",
    );
    assert.deepEqual(
      stored.map((r) => r.seq),
      stored.map((_, i) => i + 1),
      "one chain in sequence order",
    );
    assert.equal(stored.filter((r) => r.subject === "s.quiet").length, 0);
    await b.close();
    await quiet;
    assert.deepEqual(ids(stored.at(-1) as OutboxRecord), ["e100"], "close() seals the rest");
  });
});
