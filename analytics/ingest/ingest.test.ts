// Ingest against a real nats-server (TLS, per-user passwords) and a real
// PostgreSQL 15: signed batches published as the agents publish them
// (BatchSigner + natsPublisher, subject per device, msgId producer:seq),
// verified, stored exactly once, rejected by reason; the ingest process
// SIGKILLed mid-stream and Postgres restarted mid-stream lose nothing and
// store nothing twice.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type pg from "pg";
import { Registry } from "prom-client";
import { stringify } from "yaml";
import { event, MetricKind, Source } from "../../agents/events.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { metricValue } from "../../operator/kube/metrics.ts";
import {
  ensureStreams,
  msgId,
  natsPublisher,
  type Publisher,
  TELEMETRY_STREAM,
  telemetrySubject,
} from "../../proto/bus/index.ts";
import { type TelemetryEvent, v1 } from "../../proto/codec.ts";
import { BatchSigner } from "../../proto/sign-batch.ts";
import { Compression, keyIdOf, rawPublicKey } from "../../proto/signing.ts";
import { TrustStore } from "../../proto/trust.ts";
import { createLogger } from "../../runtime/log.ts";
import type { IntegrityProblem, StoredEvents } from "../model.ts";
import { migrate } from "../store/migrate.ts";
import { ensurePartitions } from "../store/partitions.ts";
import { everyKind, restartPostgres, testPool } from "../store/testing.ts";
import { startIngest } from "./ingest.ts";

const DURABLE = "analytics";
const SUBJECT = telemetrySubject("plant-1", "plc-7");

function keyPair() {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pub = rawPublicKey(privateKey);
  return { privateKey, pub, keyId: keyIdOf(pub) };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err; // e.g. Postgres restarting
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
    await sleep(everyMs);
  }
}

/** n metric events of one batch, ids unique per (pod, seq, i), as a collector builds them. */
function metrics(pod: string, seq: number, n: number): TelemetryEvent[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    event(
      {
        device: { namespace: "plant-1", name: "plc-7", address: "127.0.0.1" },
        source: Source.SOURCE_PROTOCOL_MODBUS,
        observedMs: now,
        collectedMs: now,
        idParts: [pod, seq, i],
      },
      {
        metric: {
          name: `modbus.hr.${40001 + i}`,
          value: seq * 1000 + i,
          unit: "1",
          kind: MetricKind.METRIC_KIND_GAUGE,
        },
      },
    ),
  );
}

describe("analytics ingest", () => {
  let env: EnvWith<{ nats: { users: ["collector", "analytics"] }; postgres: true }>;
  let pool: pg.Pool;
  let producerConn: NatsConnection;
  let consumerConn: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: Publisher;
  const edge = keyPair(); // trusted for plant-1/edge and its pods
  const old = keyPair(); // revoked
  const stranger = keyPair(); // not in the trust document
  let trustFile: string;
  const trust = () =>
    TrustStore.fromDocument({
      producers: {
        "plant-1/edge": [{ keyId: edge.keyId, publicKey: edge.pub.toString("base64") }],
        "plant-1/old": [{ keyId: old.keyId, publicKey: old.pub.toString("base64"), revoked: true }],
      },
    });
  const trustStore = trust();

  const signer = (producerId: string, k: { keyId: string; privateKey: KeyObject } = edge) =>
    new BatchSigner({
      producerId,
      keyId: k.keyId,
      privateKey: k.privateKey,
      compression: Compression.COMPRESSION_ZSTD,
    });

  before(async () => {
    env = await startEnv({
      nats: { users: ["collector", "analytics"] },
      postgres: true,
      verbose: false,
    });
    const conn = (user: "collector" | "analytics") =>
      connect({
        servers: env.nats.url,
        user,
        pass: env.nats.users[user],
        tls: { ca: readFileSync(env.nats.ca, "utf8") },
      });
    [producerConn, consumerConn] = await Promise.all([conn("collector"), conn("analytics")]);
    jsm = await jetstreamManager(consumerConn);
    await ensureStreams(jsm);
    publisher = natsPublisher(jetstream(producerConn), { maxInFlight: 16 });
    pool = testPool(env.postgres, 4);
    await migrate(pool);
    await ensurePartitions(pool, Date.now());
    trustFile = join(env.root, "trust.yaml");
    await writeFile(
      trustFile,
      stringify({
        producers: {
          "plant-1/edge": [{ keyId: edge.keyId, publicKey: edge.pub.toString("base64") }],
        },
      }),
    );
  });
  after(async () => {
    await publisher?.close();
    await Promise.all([producerConn?.close(), consumerConn?.close()]);
    await pool?.end();
    await env?.stop();
  });

  const publish = (s: BatchSigner, producerId: string, events: TelemetryEvent[]) => {
    const sealed = s.seal(events);
    return publisher.publish(SUBJECT, sealed.bytes, msgId(producerId, sealed.sequence));
  };
  const count = async (sql: string, values: unknown[] = []) =>
    Number((await pool.query(sql, values)).rows[0].n);
  /** The durable has nothing left to deliver or to be acked. */
  const drained = async () => {
    const info = await jsm.consumers.info(TELEMETRY_STREAM, DURABLE);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };
  const start = (extra: Partial<Parameters<typeof startIngest>[0]> = {}) => {
    const stored: StoredEvents[] = [];
    const problems: IntegrityProblem[] = [];
    const registry = new Registry();
    const ingest = startIngest({
      nats: consumerConn,
      jsm,
      pool,
      trust: () => trustStore,
      durable: DURABLE,
      registry,
      logger: createLogger("analytics", { level: "error" }),
      consumer: { ackWaitMs: 3_000, batchSize: 16 },
      onStored: (s) => {
        stored.push(s);
      },
      onIntegrity: (p) => {
        problems.push(p);
      },
      ...extra,
    });
    return { ingest, stored, problems, registry };
  };

  it("stores every event type of a signed batch and hands the stored events over", async () => {
    const { ingest, stored, problems } = start();
    const i = await ingest;
    try {
      const s = signer("plant-1/edge/pod-types");
      const events = everyKind(Date.now(), "ingest");
      await publish(s, "plant-1/edge/pod-types", events);
      await waitFor("the batch stored", async () => stored.length === 1);
      assert.equal(stored[0]?.producerId, "plant-1/edge/pod-types");
      assert.deepEqual(
        stored[0]?.events.map((e) => e.id),
        events.map((e) => e.id),
      );
      for (const table of [
        "metrics",
        "logs",
        "traps",
        "flows",
        "status",
        "security_observations",
        "clinical_observations",
        "malformed",
        "wire_events",
      ])
        assert.equal(
          await count(
            `SELECT count(*) AS n FROM ${table} WHERE producer = 'plant-1/edge/pod-types'`,
          ),
          1,
          table,
        );
      const f = (
        await pool.query(
          "SELECT bytes, dst_port FROM flows WHERE producer = 'plant-1/edge/pod-types'",
        )
      ).rows[0];
      assert.deepEqual(
        [f.bytes, f.dst_port],
        ["5000000000", "502"],
        "the values survive signing, zstd and the bus",
      );
      assert.deepEqual(problems, []);
      assert.equal(i.stats().stored, 1);
    } finally {
      await i.stop();
    }
  });

  it("rejects tampered, unknown-key, revoked-key and replayed batches, counted by reason; reports gaps", async () => {
    const { ingest, problems, registry } = start({
      gapGraceMs: 500,
      unknownKeyRetries: 1,
      unknownKeyRetryMs: 100,
    });
    const i = await ingest;
    try {
      const s = signer("plant-1/edge/pod-int");
      const first = s.seal(metrics("pod-int", 1, 3));
      await publisher.publish(SUBJECT, first.bytes, msgId("plant-1/edge/pod-int", 1));
      const second = s.seal(metrics("pod-int", 2, 3));
      // Tampered: one payload byte changed in transit.
      const t = v1.SignedBatch.decode(second.bytes);
      const payload = Buffer.from(t.payload);
      payload.writeUInt8(payload.readUInt8(payload.length - 1) ^ 0xff, payload.length - 1);
      t.payload = payload;
      await publisher.publish(SUBJECT, v1.SignedBatch.encode(t).finish(), "tampered:1");
      await publish(
        signer("plant-1/edge/pod-x", stranger),
        "plant-1/edge/pod-x",
        metrics("pod-x", 1, 2),
      ); // unknown key
      await publish(signer("plant-1/old/pod-y", old), "plant-1/old/pod-y", metrics("pod-y", 1, 2)); // revoked key
      await waitFor(
        "batch 1 stored",
        async () =>
          (await count(
            "SELECT count(*) AS n FROM verifier_state WHERE producer = 'plant-1/edge/pod-int'",
          )) === 1,
      );
      await publisher.publish(SUBJECT, first.bytes, "replayed:1"); // the same batch, published again
      await publisher.publish(SUBJECT, second.bytes, msgId("plant-1/edge/pod-int", 2));
      s.seal(metrics("pod-int", 3, 3)); // batch 3 never reaches the bus
      const fourth = s.seal(metrics("pod-int", 4, 3));
      await publisher.publish(SUBJECT, fourth.bytes, msgId("plant-1/edge/pod-int", 4));

      await waitFor("every problem reported", async () => problems.length >= 5, 30_000);
      await waitFor("the stream drained", drained);
      const byReason = Object.fromEntries(problems.map((p) => [p.reason, p]));
      assert.deepEqual(problems.map((p) => p.reason).sort(), [
        "bad_signature",
        "replay",
        "revoked_key",
        "sequence_gap",
        "unknown_key",
      ]);
      assert.equal(byReason.unknown_key?.producerId, "plant-1/edge/pod-x");
      assert.equal(byReason.revoked_key?.producerId, "plant-1/old/pod-y");
      assert.equal(byReason.replay?.producerId, "plant-1/edge/pod-int");
      assert.equal(byReason.sequence_gap?.detail, "batch 3 never arrived");
      for (const p of problems)
        assert.equal(p.subject === SUBJECT || p.reason === "sequence_gap", true);
      for (const reason of ["bad_signature", "unknown_key", "revoked_key", "replay"])
        assert.equal(
          await metricValue(registry, "amoskys_analytics_rejected_batches_total", { reason }),
          1,
          reason,
        );
      assert.equal(await metricValue(registry, "amoskys_analytics_sequence_gaps_total", {}), 1);
      // 1, 2 and 4 are stored (a gap does not stop storing), each event once; nothing of the rejected.
      assert.deepEqual(
        (
          await pool.query(
            "SELECT sequence FROM verifier_state WHERE producer = 'plant-1/edge/pod-int' ORDER BY 1",
          )
        ).rows.map((r) => Number(r.sequence)),
        [1, 2, 4],
      );
      assert.equal(
        await count("SELECT count(*) AS n FROM metrics WHERE producer = 'plant-1/edge/pod-int'"),
        9,
      );
      assert.equal(
        await count(
          "SELECT count(*) AS n FROM metrics WHERE producer IN ('plant-1/edge/pod-x', 'plant-1/old/pod-y')",
        ),
        0,
      );
    } finally {
      await i.stop();
    }
  });

  it("stores a batch whose key reaches the trust set a moment after the batch", async () => {
    const late = keyPair();
    let known = trustStore;
    const { ingest, stored, problems, registry } = start({
      trust: () => known,
      unknownKeyRetryMs: 200,
    });
    const i = await ingest;
    try {
      const producer = "plant-1/late/pod-0";
      const events = metrics("pod-late", 1, 3);
      await publish(signer(producer, late), producer, events);
      await waitFor(
        "the batch deferred",
        async () =>
          (await metricValue(registry, "amoskys_analytics_deferred_batches_total", {
            reason: "unknown_key",
          })) >= 1,
      );
      // The operator publishes the new workload's key; the watch brings it.
      known = TrustStore.fromDocument({
        producers: {
          "plant-1/edge": [{ keyId: edge.keyId, publicKey: edge.pub.toString("base64") }],
          "plant-1/late": [{ keyId: late.keyId, publicKey: late.pub.toString("base64") }],
        },
      });
      await waitFor("the batch stored", async () => stored.length === 1);
      assert.deepEqual(
        stored[0]?.events.map((e) => e.id),
        events.map((e) => e.id),
      );
      assert.deepEqual(problems, [], "no unknown_key finding for a key that was on its way");
      assert.equal(i.stats().rejected.unknown_key, undefined);
    } finally {
      await i.stop();
    }
  });

  it("two replicas sharing the durable store a chain once, with no false gap or replay", async () => {
    const a = start({ gapGraceMs: 300 });
    const b = start({ gapGraceMs: 300 });
    const [ia, ib] = await Promise.all([a.ingest, b.ingest]);
    const producer = "plant-1/edge/pod-shared";
    const s = signer(producer);
    try {
      for (let seq = 1; seq <= 60; seq++) {
        await publish(s, producer, metrics("pod-shared", seq, 5));
        if (seq % 5 === 0) await sleep(20); // both replicas' pull requests get some
      }
      await waitFor(
        "every batch stored",
        async () => ia.stats().stored + ib.stats().stored === 60 && (await drained()),
      );
      await sleep(1_000); // past the gap grace period, several times over
      assert.ok(
        ia.stats().stored > 0 && ib.stats().stored > 0,
        "both replicas stored part of the chain",
      );
      assert.deepEqual(
        // (pod-int's batch 3, missing since an earlier test, is rightly reported again)
        [...a.problems, ...b.problems]
          .filter((p) => p.producerId === producer)
          .map((p) => `${p.reason}: ${p.detail}`),
        [],
        "no sequence_gap: the other replica stored those",
      );
      assert.equal(
        await count("SELECT count(*) AS n FROM metrics WHERE producer = $1", [producer]),
        300,
      );
      assert.equal(
        await count(
          "SELECT count(DISTINCT sequence) AS n FROM verifier_state WHERE producer = $1",
          [producer],
        ),
        60,
      );
    } finally {
      await Promise.all([ia.stop(), ib.stop()]);
    }
  });

  it("takes a batch stored by a process that died before its ack for a duplicate, not a replay", async () => {
    // The first ingest's connection breaks right after the write (one
    // statement, committed): the batch is stored, but the ingest does not
    // know it and never acks it.
    let broken = false;
    const flaky = {
      query: pool.query.bind(pool),
      async connect() {
        const c = await pool.connect();
        return {
          async query(...args: Parameters<pg.PoolClient["query"]>) {
            const r = await (c.query as (...a: unknown[]) => Promise<unknown>)(...args);
            const q = args[0] as string | { text?: string };
            const text = typeof q === "string" ? q : q.text;
            if (text?.startsWith("WITH claimed") && !broken) {
              broken = true;
              throw new Error("connection lost after the write committed");
            }
            return r;
          },
          release: (e?: Error | boolean) => c.release(e),
          on: c.on.bind(c),
        };
      },
    } as unknown as pg.Pool;
    const producer = "plant-1/edge/pod-ambiguous";
    const one = start({ pool: flaky, retryInitialMs: 2_000 });
    const i1 = await one.ingest;
    const events = metrics("pod-ambiguous", 1, 4);
    try {
      await publish(signer(producer), producer, events);
      await waitFor(
        "the batch committed",
        async () =>
          broken &&
          (await count("SELECT count(*) AS n FROM verifier_state WHERE producer = $1", [
            producer,
          ])) === 1,
      );
    } finally {
      await i1.stop(); // "dies": the delivery was nak'ed, never acked
    }
    assert.equal(i1.stats().stored, 0);
    assert.deepEqual(one.stored, []);

    // A new process loads the stored verifier state: the redelivered batch is a replay to the verifier, and stored.
    const two = start();
    const i2 = await two.ingest;
    try {
      await waitFor(
        "the redelivery handled",
        async () => two.stored.length === 1 && (await drained()),
        30_000,
      );
      assert.deepEqual(i2.stats().rejected, {});
      assert.equal(i2.stats().duplicates, 1);
      assert.deepEqual(
        two.stored[0]?.events.map((e) => e.id),
        events.map((e) => e.id),
        "a new process hands the stored events to detection (at least once across crashes)",
      );
      assert.deepEqual([...one.problems, ...two.problems], []);
      assert.equal(
        await metricValue(two.registry, "amoskys_analytics_batches_total", { result: "duplicate" }),
        1,
      );
      assert.equal(
        await count("SELECT count(*) AS n FROM metrics WHERE producer = $1", [producer]),
        4,
      );
    } finally {
      await i2.stop();
    }
  });

  /** Publishes `batches` batches of `per` events at a steady pace; resolves with every event id. */
  const publishStream = async (
    pod: string,
    batches: number,
    per: number,
    paceMs: number,
    from = 1,
    s = signer(`plant-1/edge/${pod}`),
  ) => {
    const ids: string[] = [];
    for (let seq = from; seq <= batches; seq++) {
      const events = metrics(pod, seq, per);
      ids.push(...events.map((e) => e.id as string));
      await publish(s, `plant-1/edge/${pod}`, events);
      await sleep(paceMs);
    }
    return ids;
  };
  const exactlyOnce = async (producer: string, ids: string[], batches: number) => {
    const r = (
      await pool.query(
        "SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids, count(*) FILTER (WHERE id = ANY($2))::int AS published FROM metrics WHERE producer = $1",
        [producer, ids],
      )
    ).rows[0];
    assert.deepEqual(r, { n: ids.length, distinct_ids: ids.length, published: ids.length });
    assert.equal(
      await count("SELECT count(*) AS n FROM verifier_state WHERE producer = $1", [producer]),
      batches,
    );
  };

  it("stores every event exactly once when the ingest process is SIGKILLed mid-stream", async (t) => {
    const cfgPath = join(env.root, "ingest.json");
    await writeFile(
      cfgPath,
      JSON.stringify({
        nats: {
          url: env.nats.url,
          user: "analytics",
          password: env.nats.users.analytics,
          ca: env.nats.ca,
        },
        postgres: { url: env.postgres.url, ca: env.postgres.ca },
        trustFile,
        durable: DURABLE,
        consumer: { ackWaitMs: 3_000, batchSize: 16 },
      }),
      { mode: 0o600 },
    );
    const producer = "plant-1/edge/pod-kill";
    const lines: Record<string, unknown>[] = [];
    const child = () => {
      // setpriv: the kernel kills the child if this test process dies.
      const p = spawn(
        "setpriv",
        ["--pdeathsig=KILL", "--", process.execPath, join(import.meta.dirname, "main.ts"), cfgPath],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const stderr: string[] = [];
      createInterface({ input: p.stdout as NodeJS.ReadableStream }).on("line", (l) =>
        lines.push(JSON.parse(l)),
      );
      createInterface({ input: p.stderr as NodeJS.ReadableStream }).on(
        "line",
        (l) => stderr.push(l) > 50 && stderr.shift(),
      );
      const exited = new Promise<number | string>((res) =>
        p.once("exit", (code, sig) => res(code ?? sig ?? "")),
      );
      return { p, stderr, exited };
    };
    const stored = () => count("SELECT count(*) AS n FROM metrics WHERE producer = $1", [producer]);
    const ready = async (c: ReturnType<typeof child>, n: number) =>
      waitFor("the ingest process ready", async () => {
        if (c.p.exitCode !== null) throw new Error(`ingest exited: ${c.stderr.join("\n")}`);
        return lines.filter((l) => l.type === "ready").length >= n;
      });

    // A backlog, so the process is busy (mid-batch) when it is killed; more
    // batches keep coming while it is down.
    const s = signer(producer);
    const backlog = await publishStream("pod-kill", 120, 25, 0, 1, s);
    const first = child();
    await ready(first, 1);
    const publishing = publishStream("pod-kill", 200, 25, 5, 121, s);
    await waitFor("a third stored", async () => (await stored()) >= 1500, 60_000, 5);
    first.p.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");
    const atKill = await stored();
    const second = child();
    let ids: string[];
    try {
      await ready(second, 2);
      ids = [...backlog, ...(await publishing)];
      await waitFor(
        "every event stored",
        async () => (await stored()) >= ids.length && (await drained()),
        90_000,
      );
    } finally {
      second.p.kill("SIGTERM");
      await second.exited;
    }
    assert.ok(atKill < ids.length, `killed mid-stream (${atKill} of ${ids.length} stored)`);
    const handed = lines.filter((l) => l.type === "stored" && l.producerId === producer);
    t.diagnostic(
      `killed at ${atKill}/${ids.length} events; ${handed.length} hand-overs to detection`,
    );
    assert.equal(new Set(handed.map((l) => l.firstId)).size, 200, "every batch reached detection");
    await exactlyOnce(producer, ids, 200);
    assert.deepEqual(
      lines.filter((l) => l.type === "integrity"),
      [],
      "a redelivered batch is no integrity problem",
    );
  });

  it("stores every event exactly once across a Postgres restart, without integrity alarms", async () => {
    const { ingest, problems } = start({ retryInitialMs: 200, retryMaxMs: 2_000 });
    const i = await ingest;
    const producer = "plant-1/edge/pod-pg";
    const stored = () => count("SELECT count(*) AS n FROM metrics WHERE producer = $1", [producer]);
    try {
      const publishing = publishStream("pod-pg", 150, 20, 10);
      await waitFor("some stored", async () => (await stored()) >= 800);
      await restartPostgres(env.root, env.postgres, 3_000);
      const ids = await publishing;
      await waitFor(
        "every event stored",
        async () => (await stored()) >= ids.length && (await drained()),
        90_000,
      );
      await exactlyOnce(producer, ids, 150);
      assert.ok(i.stats().storeErrors > 0, "the outage was felt");
      assert.deepEqual(problems, []);
      const running = await Promise.race([i.done.then(() => "ended"), sleep(100, "running")]);
      assert.equal(running, "running", "the consumer kept going");
    } finally {
      await i.stop();
    }
  });
});
