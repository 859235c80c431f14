// The store against a real PostgreSQL 15 (e2e/env, TLS verify-full): migrations,
// every event type in its table, idempotent batch writes, hostile values,
// devices, partitions and retention, findings, checkpoints, verifier state.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { fuzz } from "../../agents/fuzz.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { type TelemetryEvent, v1 } from "../../proto/codec.ts";
import type { FindingUpdate } from "../model.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoints.ts";
import { setFindingState, upsertFinding } from "./findings.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { dropOldPartitions, ensurePartitions, partitionName, partitionsOf } from "./partitions.ts";
import { PARTITIONED_TABLES } from "./rows.ts";
import { everyKind, testPool } from "./testing.ts";
import { loadVerifierState } from "./verifier-state.ts";
import { writeBatch, writeBatches } from "./write.ts";

const DAY = 86_400_000;
// A fixed, known day: 2026-03-10T12:00:00Z.
const T0 = Date.UTC(2026, 2, 10, 12);

describe("analytics store", () => {
  let env: EnvWith<{ postgres: true }>;
  let pool: pg.Pool;
  let client: pg.PoolClient;

  before(async () => {
    env = await startEnv({ postgres: true, verbose: false });
    pool = testPool(env.postgres);
  });
  after(async () => {
    client?.release();
    await pool?.end();
    await env?.stop();
  });

  it("applies migrations once, also when two replicas start at once", async () => {
    const a = testPool(env.postgres, 2);
    const b = testPool(env.postgres, 2);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await readMigrations()).map((m) => m.version);
      assert.deepEqual([...ra, ...rb].sort(), all, "each version applied by exactly one");
      assert.ok(ra.length === 0 || rb.length === 0, "one replica waited and found them applied");
      assert.deepEqual(await migrate(pool), [], "a later start applies nothing");
      const r = await pool.query("SELECT version FROM schema_migrations ORDER BY 1");
      assert.deepEqual(
        r.rows.map((x) => x.version),
        all,
      );
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    await ensurePartitions(pool, T0);
    // The event tables' keys lead with the time (0004): inserts at the right edge.
    const keys = await pool.query(
      `SELECT c.conrelid::regclass::text AS t, array_agg(a.attname ORDER BY k.i)::text AS cols
       FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY k(n, i), pg_attribute a
       WHERE c.contype = 'p' AND a.attrelid = c.conrelid AND a.attnum = k.n
         AND c.conrelid::regclass::text ~ '^(metrics|logs|flows|wire_events)'
       GROUP BY 1 ORDER BY 1`,
    );
    assert.ok(keys.rows.length >= 8, "parents and their partitions");
    for (const r of keys.rows) assert.equal(r.cols, "{observed,id}", r.t);
    client = await pool.connect();
  });

  it("stores every event type in its table, with its fields", async () => {
    const events = everyKind(T0);
    const r = await writeBatch(client, "plant-1/edge/pod-a", 1, events, {
      hash: Buffer.alloc(32, 1),
    });
    assert.deepEqual(r, { batch: "new", inserted: 9, duplicates: 0, skipped: 0 });
    const one = async (sql: string) => (await client.query(sql)).rows[0];

    const m = await one("SELECT * FROM metrics");
    assert.equal(m.id, events[0]?.id);
    assert.equal(m.observed.toISOString(), new Date(T0).toISOString());
    assert.equal(m.collected.toISOString(), new Date(T0 + 5).toISOString());
    assert.deepEqual(
      [m.device_namespace, m.device_name, m.address, m.source, m.producer, m.batch_seq],
      ["plant-1", "plc-7", "127.0.0.1", "modbus", "plant-1/edge/pod-a", "1"],
    );
    assert.deepEqual(
      [m.name, m.value, m.unit, m.kind, m.labels],
      ["modbus.hr.40001", 21.5, "Cel", "gauge", { unit: "1" }],
    );
    // The row is in its day's partition.
    const part = await one(`SELECT tableoid::regclass::text AS p FROM metrics`);
    assert.equal(part.p, partitionName("metrics", Date.UTC(2026, 2, 10)));

    const l = await one("SELECT * FROM logs");
    assert.deepEqual(
      [l.format, l.facility, l.severity, l.hostname, l.app_name, l.proc_id, l.msg_id, l.message],
      [
        "rfc5424",
        "4",
        "2",
        "plc-7",
        "sshd",
        "812",
        "ID47",
        "Failed password for root from 10.0.0.9 port 50022 ssh2",
      ],
    );
    assert.deepEqual(l.structured_data, [{ id: "origin@32473", params: { ip: "10.0.0.9" } }]);

    const t = await one("SELECT * FROM traps");
    assert.deepEqual(
      [t.version, t.inform, t.trap_oid, t.agent_address, t.uptime, t.source],
      ["v2c", false, "1.3.6.1.6.3.1.1.5.5", "127.0.0.1", "123456", "snmp_trap"],
    );
    assert.deepEqual(t.varbinds, [
      { oid: "1.3.6.1.2.1.1.5.0", type: "OctetString", value: "plc-7" },
    ]);

    const f = await one("SELECT * FROM flows");
    assert.deepEqual(
      [
        f.src_address,
        f.dst_address,
        f.src_port,
        f.dst_port,
        f.protocol,
        f.bytes,
        f.packets,
        f.tcp_flags,
        f.export_version,
      ],
      ["10.0.0.9", "10.0.0.7", "50022", "502", "6", "5000000000", "42", "27", "9"],
    );
    assert.equal(f.flow_end.toISOString(), new Date(T0 + 250).toISOString());

    const s = await one("SELECT * FROM status");
    assert.deepEqual(
      [s.protocol, s.reachable, s.latency_ms, s.capability, s.source],
      ["modbus", true, 3.5, "real", "agent"],
    );

    const sec = await one("SELECT * FROM security_observations");
    assert.deepEqual(
      [sec.kind, sec.detail, sec.evidence],
      ["modbus.writable", "holding register 40001 accepted a write", { register: "40001" }],
    );

    const c = await one("SELECT * FROM clinical_observations");
    assert.deepEqual(
      [
        c.code_system,
        c.code,
        c.display,
        c.value,
        c.numeric_value,
        c.unit,
        c.reference_range,
        c.abnormal_flag,
        c.result_status,
        c.source_id,
      ],
      ["LN", "2823-3", "Potassium", "4.1", 4.1, "mmol/L", "3.5-5.1", "N", "F", "MSG00001"],
    );

    const mal = await one("SELECT * FROM malformed");
    assert.deepEqual([mal.protocol, mal.reason, mal.length], ["mqtt", "not JSON", "6"]);
    assert.deepEqual(mal.sample, Buffer.from("{\u0000oops"), "bytes kept as they came");

    const w = await one("SELECT * FROM wire_events");
    assert.deepEqual(
      [w.protocol, w.action, w.src_address, w.src_port, w.dst_address, w.dst_port, w.fields],
      [
        "modbus",
        "request",
        "10.0.0.9",
        "50100",
        "10.0.0.7",
        "502",
        { functionCode: "6", unitId: "1", address: "0" },
      ],
    );

    const d = await one("SELECT * FROM devices");
    assert.deepEqual([d.namespace, d.name, d.address], ["plant-1", "plc-7", "127.0.0.1"]);
    assert.equal(d.first_seen.toISOString(), new Date(T0 + 5).toISOString());
    assert.deepEqual(d.status, {
      modbus: { reachable: true, capability: "real", latencyMs: 3.5, reason: "", observedMs: T0 },
    });
  });

  it("writes a batch again as a duplicate, and the same events in another batch once", async () => {
    const events = everyKind(T0);
    const again = await writeBatch(client, "plant-1/edge/pod-a", 1, events, {
      hash: Buffer.alloc(32, 1),
    });
    assert.deepEqual(again, { batch: "duplicate", inserted: 0, duplicates: 9, skipped: 0 });
    const other = await writeBatch(client, "plant-1/edge/pod-a", 1, events, {
      hash: Buffer.alloc(32, 2),
    });
    assert.equal(other.batch, "conflict", "another batch under a stored sequence is a replay");
    const resent = await writeBatch(client, "plant-1/edge/pod-a", 2, events, {
      hash: Buffer.alloc(32, 3),
    });
    assert.deepEqual(resent, { batch: "new", inserted: 0, duplicates: 9, skipped: 0 });
    const n = await client.query("SELECT count(*)::int AS n FROM metrics");
    assert.equal(n.rows[0].n, 1);
    // An event twice in a new batch: stored once (the second try, with ON CONFLICT).
    const twice = everyKind(T0 + 5000, "twice")[0] as TelemetryEvent;
    const doubled = await writeBatch(client, "plant-1/edge/pod-t", 1, [twice, twice]);
    assert.deepEqual(doubled, { batch: "new", inserted: 1, duplicates: 1, skipped: 0 });
  });

  it("writes several batches in one transaction: new, duplicate, conflict and a repeat in the same call", async () => {
    const a = everyKind(T0 + 2000, "multi-a");
    const b = everyKind(T0 + 2000, "multi-b");
    const r = await writeBatches(client, [
      { producerId: "plant-1/edge/pod-m", sequence: 1, events: a, hash: Buffer.alloc(32, 1) },
      { producerId: "plant-1/edge/pod-m", sequence: 2, events: b, hash: Buffer.alloc(32, 2) },
      // the same batch again in the same call, and a stored one (pod-a 1, above)
      { producerId: "plant-1/edge/pod-m", sequence: 2, events: b, hash: Buffer.alloc(32, 2) },
      { producerId: "plant-1/edge/pod-a", sequence: 1, events: [], hash: Buffer.alloc(32, 1) },
      { producerId: "plant-1/edge/pod-a", sequence: 2, events: [], hash: Buffer.alloc(32, 9) },
    ]);
    assert.deepEqual(r, {
      batches: ["new", "new", "duplicate", "duplicate", "conflict"],
      inserted: 18,
      duplicates: 9,
      skipped: 0,
    });
    const n = await client.query(
      "SELECT count(*)::int AS n FROM verifier_state WHERE producer = 'plant-1/edge/pod-m'",
    );
    assert.equal(n.rows[0].n, 2);
  });

  it("passes any text through the array parameters unchanged", async () => {
    // Array-literal syntax (quotes, backslashes, braces, commas, NULL, blanks) and non-ASCII.
    const nasty = ['a"b', "c\\d", "{x,y}", "NULL", "", " lead", "trail ", "é😀", '\\"', "a,b"];
    const events = nasty.map((message, i) => {
      const e = everyKind(T0 + 3000 + i, `nasty-${i}`)[1] as TelemetryEvent;
      assert.ok(e.log);
      e.log.message = message;
      e.log.hostname = message;
      return e;
    });
    const r = await writeBatch(client, "plant-1/edge/pod-n", 1, events);
    assert.equal(r.inserted, nasty.length);
    const got = await client.query(
      "SELECT message, hostname FROM logs WHERE producer = 'plant-1/edge/pod-n' ORDER BY observed",
    );
    assert.deepEqual(
      got.rows.map((x) => x.message),
      nasty,
    );
    assert.deepEqual(
      got.rows.map((x) => x.hostname),
      nasty,
    );
  });

  it("stores hostile values instead of failing the batch", async () => {
    const [metric, log, , flow] = everyKind(T0 + 1000, "hostile");
    assert.ok(metric?.metric && log?.log && flow?.flow);
    metric.metric.value = Number.NaN;
    metric.metric.labels = { "a\u0000b": "c\u0000d" };
    metric.observed = { seconds: 1e15, nanos: 0 }; // far past year 9999
    log.log.message = "nul\u0000inside";
    flow.flow.bytes = 2 ** 70;
    flow.flow.srcPort = 4_294_967_295;
    const noBody = { ...metric, id: "no-body", metric: undefined };
    const noId = { ...log, id: "" };
    const r = await writeBatch(client, "plant-1/edge/pod-a", 3, [metric, log, flow, noBody, noId]);
    assert.deepEqual(r, { batch: "new", inserted: 3, duplicates: 0, skipped: 2 });
    const m = (await client.query("SELECT * FROM metrics WHERE id = $1", [metric.id])).rows[0];
    assert.ok(Number.isNaN(m.value));
    assert.deepEqual(m.labels, { ab: "cd" });
    assert.equal(m.observed.toISOString(), "9999-12-31T23:59:59.000Z");
    assert.equal(
      (
        await client.query("SELECT tableoid::regclass::text AS p FROM metrics WHERE id = $1", [
          metric.id,
        ])
      ).rows[0].p,
      "metrics_default",
    );
    const l = (await client.query("SELECT message FROM logs WHERE id = $1", [log.id])).rows[0];
    assert.equal(l.message, "nulinside");
    const f = (await client.query("SELECT bytes, src_port FROM flows WHERE id = $1", [flow.id]))
      .rows[0];
    assert.deepEqual([f.bytes, f.src_port], ["9223372036854775807", "4294967295"]);
  });

  it("keeps each device's latest status per protocol and widens first/last seen", async () => {
    const old = everyKind(T0 - 60_000, "older")[4];
    const newer = everyKind(T0 + 60_000, "newer")[4];
    assert.ok(old?.status && newer?.status);
    newer.status.reachable = false;
    newer.status.capability = 3; // BLIND
    newer.status.reason = "timeout";
    // The newer one is stored first: the older one arriving late must not win.
    await writeBatch(client, "plant-1/edge/pod-b", 1, [newer]);
    await writeBatch(client, "plant-1/edge/pod-b", 2, [old]);
    const d = (await client.query("SELECT * FROM devices WHERE name = 'plc-7'")).rows[0];
    assert.deepEqual(d.status.modbus, {
      reachable: false,
      capability: "blind",
      latencyMs: 3.5,
      reason: "timeout",
      observedMs: T0 + 60_000,
    });
    assert.equal(d.first_seen.toISOString(), new Date(T0 - 60_000 + 5).toISOString());
    assert.equal(d.last_seen.toISOString(), new Date(T0 + 60_000 + 5).toISOString());
  });

  it("rebuilds the verifier state from the stored batches, with open gaps", async () => {
    for (const seq of [1, 2, 3, 7, 8])
      await writeBatch(client, "plant-1/gw/pod-c", seq, [], {
        hash: Buffer.alloc(32, seq),
        prevHash: Buffer.alloc(32, seq - 1),
      });
    const { state, holes } = await loadVerifierState(client, 1024);
    assert.equal(state["plant-1/gw/pod-c"]?.highest, 8);
    assert.deepEqual(
      state["plant-1/gw/pod-c"]?.seen.map((s) => s[0]),
      [1, 2, 3, 7, 8],
    );
    assert.equal(state["plant-1/gw/pod-c"]?.seen[1]?.[1], Buffer.alloc(32, 2).toString("hex"));
    assert.deepEqual(
      holes.filter((h) => h.producerId === "plant-1/gw/pod-c"),
      [{ producerId: "plant-1/gw/pod-c", from: 4, to: 6 }],
    );
    const small = await loadVerifierState(client, 2);
    assert.deepEqual(
      small.state["plant-1/gw/pod-c"]?.seen.map((s) => s[0]),
      [7, 8],
      "only the window",
    );
  });

  it("turns insert-triggered autovacuum off on every event partition, defaults included", async () => {
    const r = await client.query(
      `SELECT c.relname, c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = ANY ($1::regclass[]) ORDER BY 1`,
      [PARTITIONED_TABLES],
    );
    assert.ok(r.rows.length >= PARTITIONED_TABLES.length * 6, "day partitions and defaults");
    for (const row of r.rows)
      assert.deepEqual(row.reloptions, ["autovacuum_vacuum_insert_threshold=-1"], row.relname);
  });

  it("creates day partitions ahead, moves stray rows out of the default, drops old days", async () => {
    for (const t of PARTITIONED_TABLES) {
      const names = await partitionsOf(client, t);
      for (let d = -1; d <= 3; d++)
        assert.ok(
          names.includes(partitionName(t, Date.UTC(2026, 2, 10) + d * DAY)),
          `${t} day ${d}`,
        );
    }
    // An event 20 days ahead has no partition yet: it waits in the default one.
    const later = everyKind(T0 + 20 * DAY, "later")[0];
    assert.ok(later);
    await writeBatch(client, "plant-1/edge/pod-d", 1, [later]);
    const where = async () =>
      (
        await client.query("SELECT tableoid::regclass::text AS p FROM metrics WHERE id = $1", [
          later.id,
        ])
      ).rows[0].p;
    assert.equal(await where(), "metrics_default");
    const created = await ensurePartitions(pool, T0 + 20 * DAY, { daysAhead: 0, daysBehind: 0 });
    assert.deepEqual(
      created.sort(),
      PARTITIONED_TABLES.map((t) => partitionName(t, Date.UTC(2026, 2, 30))).sort(),
    );
    assert.equal(await where(), partitionName("metrics", Date.UTC(2026, 2, 30)));
    assert.deepEqual(
      await ensurePartitions(pool, T0 + 20 * DAY, { daysAhead: 0, daysBehind: 0 }),
      [],
      "idempotent",
    );

    // Retention of 7 days on 2026-03-31: every day up to 2026-03-23 goes, 03-30 stays.
    const dropped = await dropOldPartitions(pool, 7, Date.UTC(2026, 2, 31));
    assert.equal(dropped.length, 5 * PARTITIONED_TABLES.length);
    assert.deepEqual(await partitionsOf(client, "metrics"), [
      partitionName("metrics", Date.UTC(2026, 2, 30)),
    ]);
    const left = (await client.query("SELECT id FROM metrics ORDER BY id")).rows.map((r) => r.id);
    // The row at year 9999 in the default partition is not old; the rows of 03-10 went with their partition.
    assert.equal(left.length, 2);
    assert.ok(left.includes(later.id));
  });

  it("upserts findings by (rule, device, key) and reopens a resolved one", async () => {
    const u: FindingUpdate = {
      rule: { namespace: "amoskys", name: "ssh-brute-force" },
      device: { namespace: "plant-1", name: "plc-7" },
      key: "10.0.0.9",
      severity: "high",
      title: "SSH brute force from 10.0.0.9",
      mitre: ["T1110"],
      count: 5,
      suppressed: 0,
      firstSeenMs: T0,
      lastSeenMs: T0 + 1000,
      evidence: { eventIds: ["e1", "e2"], summary: "5 failed logins in 60 s" },
      fire: true,
    };
    const a = await upsertFinding(client, u);
    assert.equal(a.created, true);
    const b = await upsertFinding(client, { ...u, count: 9, suppressed: 4, lastSeenMs: T0 + 5000 });
    assert.deepEqual([b.id, b.created, b.state], [a.id, false, "open"]);
    const late = await upsertFinding(client, { ...u, count: 7, lastSeenMs: T0 + 2000 });
    assert.equal(late.id, a.id);
    let row = (await client.query("SELECT * FROM findings WHERE id = $1", [a.id])).rows[0];
    assert.deepEqual(
      [row.count, row.suppressed, row.mitre, row.severity],
      ["9", "4", ["T1110"], "high"],
      "counts never go down",
    );
    assert.equal(row.last_seen.toISOString(), new Date(T0 + 5000).toISOString());
    assert.deepEqual(row.evidence, { eventIds: ["e1", "e2"], summary: "5 failed logins in 60 s" });

    assert.equal(await setFindingState(client, a.id, "resolved"), true);
    const again = await upsertFinding(client, {
      ...u,
      count: 1,
      firstSeenMs: T0 + 9000,
      lastSeenMs: T0 + 9000,
    });
    assert.equal(again.state, "open");
    row = (await client.query("SELECT * FROM findings WHERE id = $1", [a.id])).rows[0];
    assert.deepEqual(
      [row.count, row.first_seen.toISOString()],
      ["1", new Date(T0 + 9000).toISOString()],
    );
    const n = await client.query("SELECT count(*)::int AS n FROM findings");
    assert.equal(n.rows[0].n, 1);
  });

  it("saves and loads rule checkpoints", async () => {
    const rule = { namespace: "amoskys", name: "modbus-scan" };
    assert.equal(await loadCheckpoint(client, rule, "p0"), undefined);
    await saveCheckpoint(client, rule, "p0", Buffer.from("one"));
    await saveCheckpoint(client, rule, "p0", Buffer.from("two"));
    await saveCheckpoint(client, rule, "p1", Buffer.from("other"));
    assert.deepEqual(await loadCheckpoint(client, rule, "p0"), Buffer.from("two"));
    assert.deepEqual(await loadCheckpoint(client, rule, "p1"), Buffer.from("other"));
  });

  it("writes whatever a mutated batch decodes to, without a Postgres error (fuzz)", async (t) => {
    // Corpus: one encoded TelemetryBatch per event type, as collectors send them.
    const corpus = everyKind(T0, "fuzz").map((e) =>
      v1.TelemetryBatch.encode({ events: [e] }).finish(),
    );
    let seq = 0;
    let stored = 0;
    const { runs } = await fuzz(
      corpus,
      async (bytes) => {
        let events: TelemetryEvent[];
        try {
          events = v1.TelemetryBatch.decode(bytes).events; // what ingest's decodeEvents does
        } catch {
          return; // undecodable: ingest refuses the batch as malformed
        }
        const r = await writeBatch(client, "plant-1/fuzz/pod", ++seq, events);
        stored += r.inserted;
      },
      { iterations: 3000 },
    );
    assert.equal(runs, 3000);
    t.diagnostic(`${seq} mutated batches decoded and written, ${stored} events stored`);
    assert.ok(seq > 100, "enough mutations still decode to exercise the writes");
    assert.ok(stored > 0, "some mutated events were stored");
  });
});
