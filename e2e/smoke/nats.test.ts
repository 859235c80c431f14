// Smoke test of NATS JetStream in the test environment: TLS with per-user
// passwords, a file-backed stream, de-duplication by message ID, a durable
// pull consumer with explicit acks.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { AckPolicy, jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { type EnvWith, startEnv } from "../env/index.ts";

describe("nats-server with JetStream over TLS", () => {
  let env: EnvWith<{ nats: { users: ["agent"] } }>;

  before(async () => {
    env = await startEnv({ nats: { users: ["agent"] } });
  });
  after(() => env?.stop());

  const conn = (user: string, pass: string | undefined, ca = env.nats.ca) =>
    connect({
      servers: env.nats.url,
      user,
      pass,
      tls: { ca: readFileSync(ca, "utf8") },
      reconnect: false,
    });

  it("refuses a wrong password and a client that does not trust the server", async () => {
    await assert.rejects(conn("agent", "wrong"), /Authorization Violation/i);
    // The server's certificate is checked: the system CA store does not know our CA.
    await assert.rejects(
      connect({
        servers: env.nats.url,
        user: "agent",
        pass: env.nats.users.agent,
        reconnect: false,
      }),
      /certificate|self.signed|unable to verify/i,
    );
  });

  it("stores a message published twice with one ID once, and delivers it to a durable consumer", async () => {
    const nc = await conn("agent", env.nats.users.agent);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({
        name: "SMOKE",
        subjects: ["smoke.>"],
        storage: StorageType.File,
        duplicate_window: 60_000_000_000, // ns
      });
      const js = jetstream(nc);
      const first = await js.publish("smoke.a", "payload-1", { msgID: "producer-1:1" });
      const again = await js.publish("smoke.a", "payload-1", { msgID: "producer-1:1" });
      const other = await js.publish("smoke.a", "payload-2", { msgID: "producer-1:2" });
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.equal(again.seq, first.seq);
      assert.equal(other.seq, first.seq + 1);
      assert.equal((await jsm.streams.info("SMOKE")).state.messages, 2);

      await jsm.consumers.add("SMOKE", { durable_name: "reader", ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get("SMOKE", "reader");
      const m1 = await consumer.next({ expires: 5000 });
      assert.equal(m1?.string(), "payload-1");
      await m1?.ackAck();
      const m2 = await consumer.next({ expires: 5000 });
      assert.equal(m2?.string(), "payload-2");
      await m2?.ackAck();
      const info = await consumer.info();
      assert.equal(info.num_ack_pending, 0);
      assert.equal(info.num_pending, 0);
      assert.equal(info.delivered.stream_seq, other.seq);
    } finally {
      await nc.close();
    }
  });
});
