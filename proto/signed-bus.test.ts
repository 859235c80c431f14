// The whole contract over a real nats-server (TLS, per-user passwords):
// a producer signs batches and publishes them; a consumer verifies each one,
// "writes" what is authentic, acks after the write, and terminates what is not.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import {
  ensureStreams,
  msgId,
  natsConsumer,
  natsPublisher,
  TELEMETRY_STREAM,
  telemetrySubject,
} from "./bus/index.ts";
import { decodeEvents, type SignedBatch, v1 } from "./codec.ts";
import { BatchSigner } from "./sign-batch.ts";
import { Compression, keyIdOf, rawPublicKey } from "./signing.ts";
import { TrustStore } from "./trust.ts";
import { BatchVerifier } from "./verify-batch.ts";

const PRODUCER = "plant-1/edge-collectors";

describe("signed batches over JetStream", () => {
  let env: EnvWith<{ nats: { users: ["collector", "analytics"] } }>;
  let producerConn: NatsConnection;
  let consumerConn: NatsConnection;

  before(async () => {
    env = await startEnv({ nats: { users: ["collector", "analytics"] } });
    const conn = (user: "collector" | "analytics") =>
      connect({
        servers: env.nats.url,
        user,
        pass: env.nats.users[user],
        tls: { ca: readFileSync(env.nats.ca, "utf8") },
      });
    [producerConn, consumerConn] = await Promise.all([conn("collector"), conn("analytics")]);
    await ensureStreams(await jetstreamManager(consumerConn));
  });
  after(async () => {
    await Promise.all([producerConn?.close(), consumerConn?.close()]);
    await env?.stop();
  });

  it("delivers authentic batches intact and terminates tampered and replayed ones, counted by reason", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pub = rawPublicKey(privateKey);
    const keyId = keyIdOf(pub);
    const signer = new BatchSigner({
      producerId: PRODUCER,
      keyId,
      privateKey,
      compression: Compression.COMPRESSION_ZSTD,
    });
    const subject = telemetrySubject("plant-1", "plc-7");
    const events = (n: number) =>
      Array.from({ length: 3 }, (_, i) => ({
        id: `plc-7/${n}/${i}`,
        device: { namespace: "plant-1", name: "plc-7", address: "127.0.0.1" },
        source: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS,
        metric: {
          name: `modbus.hr.${i}`,
          value: n * 10 + i,
          kind: v1.MetricKind.METRIC_KIND_GAUGE,
        },
      }));

    const publisher = natsPublisher(jetstream(producerConn), { maxInFlight: 4 });
    const sealed = [1, 2, 3, 4].map((n) => signer.seal(events(n)));
    for (const s of sealed) await publisher.publish(subject, s.bytes, msgId(PRODUCER, s.sequence));
    // A forger flips one payload byte of batch 5 and publishes it under its own id.
    const five = v1.SignedBatch.decode(signer.seal(events(5)).bytes);
    const flipped = Buffer.from(five.payload);
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    five.payload = flipped;
    await publisher.publish(subject, v1.SignedBatch.encode(five).finish(), "forger:1");
    // A replay of batch 2 under a fresh id gets past the bus's de-duplication.
    await publisher.publish(subject, sealed[1]?.bytes ?? new Uint8Array(), "replayer:1");
    await publisher.close();

    const trust = TrustStore.fromDocument({
      producers: { [PRODUCER]: [{ keyId, publicKey: pub.toString("base64") }] },
    });
    const verifier = new BatchVerifier(trust);
    const stored = new Map<string, number>(); // event id -> value: the "durable write"
    const rejected: string[] = [];
    const consumer = await natsConsumer(
      jetstream(consumerConn),
      await jetstreamManager(consumerConn),
      TELEMETRY_STREAM,
      "analytics",
      {
        ackWaitMs: 5_000,
      },
    );
    const ac = new AbortController();
    const deadline = setTimeout(() => ac.abort(), 30_000);
    await consumer.run(async (deliveries) => {
      for (const d of deliveries) {
        const verdict = verifier.check(d.data);
        if (!verdict.ok) {
          rejected.push(verdict.reason);
          d.term(verdict.reason);
          continue;
        }
        const decoded = decodeEvents(verdict.batch as SignedBatch, 1 << 20);
        assert.ok(decoded.ok);
        for (const e of decoded.value) stored.set(e.id ?? "", e.metric?.value ?? Number.NaN);
        verifier.commit(verdict);
        await d.ack();
      }
      if (stored.size + rejected.length * 3 >= 18) ac.abort();
    }, ac.signal);
    clearTimeout(deadline);

    assert.deepEqual(rejected.sort(), ["bad_signature", "replay"]);
    assert.equal(stored.size, 12);
    assert.equal(stored.get("plc-7/4/2"), 42);
    assert.equal(stored.has("plc-7/5/0"), false);
    const m = consumer.metrics();
    assert.equal(m.acked, 4);
    assert.deepEqual(m.termed, { bad_signature: 1, replay: 1 });
    const info = await (await jetstreamManager(consumerConn)).streams.info(TELEMETRY_STREAM);
    assert.equal(info.state.messages, 0); // work queue: everything settled
  });

  it("a consumer process killed before it acks loses nothing: the next one gets every batch, acks each once", async () => {
    const jsm = await jetstreamManager(consumerConn);
    await jsm.streams.delete(TELEMETRY_STREAM);
    await ensureStreams(jsm);
    const { privateKey } = generateKeyPairSync("ed25519");
    const signer = new BatchSigner({ producerId: PRODUCER, keyId: "k", privateKey });
    const publisher = natsPublisher(jetstream(producerConn));
    const ids: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const s = signer.seal([{ id: `e${n}`, metric: { name: "m", value: n } }]);
      ids.push(msgId(PRODUCER, s.sequence));
      await publisher.publish(
        telemetrySubject("plant-1", "plc-7"),
        s.bytes,
        msgId(PRODUCER, s.sequence),
      );
    }
    await publisher.close();

    const child = spawn(
      process.execPath,
      [new URL("./testdata/dying-consumer.ts", import.meta.url).pathname],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    const exited = new Promise((r) => child.once("exit", r));
    child.stdin.write(
      `${JSON.stringify({ url: env.nats.url, user: "analytics", pass: env.nats.users.analytics, ca: readFileSync(env.nats.ca, "utf8"), stream: TELEMETRY_STREAM, durable: "analytics-kill", ackWaitMs: 2_000 })}\n`,
    );
    const first = JSON.parse(
      (await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value ?? "",
    );
    assert.deepEqual([...first.got].sort(), [...ids].sort()); // it held all 20, unacked
    child.kill("SIGKILL");
    await exited;

    const acked = new Map<string, number>();
    const consumer = await natsConsumer(
      jetstream(consumerConn),
      jsm,
      TELEMETRY_STREAM,
      "analytics-kill",
      {
        ackWaitMs: 2_000,
        batchSize: 100,
      },
    );
    const ac = new AbortController();
    const deadline = setTimeout(() => ac.abort(), 30_000);
    await consumer.run(async (deliveries) => {
      for (const d of deliveries) {
        assert.equal(d.redelivered, true);
        await d.ack();
        acked.set(d.msgId, (acked.get(d.msgId) ?? 0) + 1);
      }
      if (acked.size >= ids.length) ac.abort();
    }, ac.signal);
    clearTimeout(deadline);
    assert.deepEqual([...acked.keys()].sort(), [...ids].sort());
    assert.ok([...acked.values()].every((n) => n === 1));
    assert.equal((await jsm.streams.info(TELEMETRY_STREAM)).state.messages, 0);
  });
});
