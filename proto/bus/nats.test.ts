// The bus against a real nats-server (JetStream, TLS, one password per user):
// provisioning, then the shared contract. Agents publish as "agent",
// analytics consumes as "analytics", provisioning runs as "admin".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { type BusHarness, busContract } from "./contract.ts";
import { FINDINGS_STREAM, TELEMETRY_STREAM } from "./conventions.ts";
import { ConfigConflictError } from "./errors.ts";
import { ensureConsumer, natsConsumer, natsPublisher } from "./nats.ts";
import { ensureStreams } from "./provision.ts";

const MiB = 1024 * 1024;

describe("bus over NATS JetStream (TLS, passwords)", () => {
  let env: EnvWith<{ nats: { users: ["agent", "analytics"] } }>;
  const conns: NatsConnection[] = [];
  let admin: JetStreamManager;
  let agent: NatsConnection;
  let analytics: NatsConnection;
  let analyticsJsm: JetStreamManager;

  const conn = async (user: string) => {
    const nc = await connect({
      servers: env.nats.url,
      user,
      pass: env.nats.users[user],
      tls: { ca: readFileSync(env.nats.ca, "utf8") },
    });
    conns.push(nc);
    return nc;
  };

  before(async () => {
    env = await startEnv({ nats: { users: ["agent", "analytics"] } });
    admin = await jetstreamManager(await conn("admin"));
    agent = await conn("agent");
    analytics = await conn("analytics");
    analyticsJsm = await jetstreamManager(analytics);
  });
  after(async () => {
    await Promise.all(conns.map((nc) => nc.close()));
    await env?.stop();
  });

  async function deleteStreams(jsm = admin) {
    for (const name of [TELEMETRY_STREAM, FINDINGS_STREAM]) {
      await jsm.streams.delete(name).catch((err: unknown) => {
        if (!(err instanceof JetStreamApiError && err.code === 10059)) throw err; // not found
      });
    }
  }

  describe("provisioning", () => {
    it("creates the streams, is a no-op the second time, and applies a changed limit", async () => {
      await deleteStreams();
      const first = await ensureStreams(admin);
      assert.deepEqual(
        first.map((r) => [r.stream, r.action]),
        [
          [TELEMETRY_STREAM, "created"],
          [FINDINGS_STREAM, "created"],
        ],
      );
      const before = await admin.streams.info(TELEMETRY_STREAM);
      const c = before.config;
      assert.deepEqual(c.subjects, ["amoskys.telemetry.>"]);
      assert.equal(c.retention, RetentionPolicy.Workqueue);
      assert.equal(c.storage, StorageType.File);
      assert.equal(c.discard, "new");
      assert.equal(c.duplicate_window, 120_000_000_000);
      assert.equal(c.max_msg_size, MiB);
      const findings = (await admin.streams.info(FINDINGS_STREAM)).config;
      assert.equal(findings.retention, RetentionPolicy.Limits);
      assert.deepEqual(findings.subjects, ["amoskys.findings.>"]);

      const again = await ensureStreams(admin);
      assert.deepEqual(
        again.map((r) => r.action),
        ["unchanged", "unchanged"],
      );
      const same = await admin.streams.info(TELEMETRY_STREAM);
      assert.equal(same.created, before.created);
      assert.deepEqual(same.config, before.config);

      const changed = await ensureStreams(admin, { telemetry: { maxBytes: 64 * MiB } });
      assert.deepEqual(changed[0], {
        stream: TELEMETRY_STREAM,
        action: "updated",
        changed: ["max_bytes"],
      });
      assert.equal(changed[1]?.action, "unchanged");
      const after = await admin.streams.info(TELEMETRY_STREAM);
      assert.equal(after.config.max_bytes, 64 * MiB);
      assert.equal(after.created, before.created);
      assert.equal(after.config.retention, RetentionPolicy.Workqueue);
    });

    it("can run from two processes at once, with the same or different limits", async () => {
      await deleteStreams();
      const other = await jetstreamManager(await conn("admin"));
      const results = await Promise.all([ensureStreams(admin), ensureStreams(other)]);
      assert.equal(results.flat().length, 4);
      const names = [];
      for await (const n of admin.streams.names()) names.push(n);
      assert.deepEqual(names.sort(), [FINDINGS_STREAM, TELEMETRY_STREAM]);

      await deleteStreams();
      await Promise.all([
        ensureStreams(admin, { telemetry: { maxBytes: 10 * MiB } }),
        ensureStreams(other, { telemetry: { maxBytes: 20 * MiB } }),
      ]);
      const maxBytes = (await admin.streams.info(TELEMETRY_STREAM)).config.max_bytes;
      assert.ok([10 * MiB, 20 * MiB].includes(maxBytes), String(maxBytes));
    });

    it("refuses to change what JetStream cannot update, naming the field", async () => {
      await deleteStreams();
      await admin.streams.add({
        name: FINDINGS_STREAM,
        subjects: ["amoskys.findings.>"],
        storage: StorageType.Memory,
      });
      await assert.rejects(ensureStreams(admin), (err) => {
        assert.ok(err instanceof ConfigConflictError, String(err));
        assert.equal(err.resource, `stream ${FINDINGS_STREAM}`);
        assert.equal(err.field, "storage");
        assert.equal(err.actual, StorageType.Memory);
        return true;
      });
    });

    it("creates a durable pull consumer once and updates a changed setting", async () => {
      await deleteStreams();
      await ensureStreams(admin);
      const cfg = { ackWaitMs: 5_000, maxAckPending: 100 };
      const created = await ensureConsumer(analyticsJsm, TELEMETRY_STREAM, "analytics", cfg);
      assert.equal(created.action, "created");
      const again = await ensureConsumer(analyticsJsm, TELEMETRY_STREAM, "analytics", cfg);
      assert.equal(again.action, "unchanged");
      const updated = await ensureConsumer(analyticsJsm, TELEMETRY_STREAM, "analytics", {
        ...cfg,
        ackWaitMs: 7_000,
      });
      assert.deepEqual(updated.changed, ["ack_wait"]);
      const info = await analyticsJsm.consumers.info(TELEMETRY_STREAM, "analytics");
      assert.equal(info.config.ack_wait, 7_000_000_000);
      assert.equal(info.config.ack_policy, "explicit");
      assert.equal(info.config.max_ack_pending, 100);
    });
  });

  describe("the shared contract", () => {
    const h: BusHarness = {
      async reset(limits) {
        await deleteStreams();
        await ensureStreams(admin, { telemetry: limits });
      },
      publisher: (cfg) => natsPublisher(jetstream(agent), cfg),
      consumer: (durable, cfg) =>
        natsConsumer(jetstream(analytics), analyticsJsm, TELEMETRY_STREAM, durable, cfg),
      streamMessages: async () => (await admin.streams.info(TELEMETRY_STREAM)).state.messages,
      async consumerState(durable) {
        const info = await admin.consumers.info(TELEMETRY_STREAM, durable);
        return { numPending: info.num_pending, numAckPending: info.num_ack_pending };
      },
    };
    busContract(() => h);
  });
});
