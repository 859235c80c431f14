// Migrations on a database that is in use, against a real PostgreSQL 15
// (e2e/env): a schema at 0003 with day partitions and stored events takes
// 0004 (keys led by observed); the rows stay, and the same events in new
// batches are still refused as duplicates.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type pg from "pg";
import { loadBatches, loadEvents } from "../../e2e/bench/analytics/workload.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { MIGRATIONS_DIR, migrate } from "./migrate.ts";
import { ensurePartitions } from "./partitions.ts";
import { testPool } from "./testing.ts";
import { writeBatches } from "./write.ts";

let env: EnvWith<{ postgres: true }>;
let pool: pg.Pool;
let old: string;

before(async () => {
  env = await startEnv({ postgres: true, verbose: false });
  pool = testPool(env.postgres);
  old = await mkdtemp(join(tmpdir(), "amoskys-migrations-"));
});
after(async () => {
  await pool?.end();
  await env?.stop();
  if (old) await rm(old, { recursive: true, force: true });
});

const count = async () =>
  Number(
    (
      await pool.query(
        "SELECT (SELECT count(*) FROM metrics) + (SELECT count(*) FROM flows) + (SELECT count(*) FROM logs) AS n",
      )
    ).rows[0].n,
  );

it("0004 rebuilds the event keys of a database in use: rows kept, duplicates still refused", async () => {
  for (const f of ["0001_events.sql", "0002_state.sql", "0003_append_only.sql"])
    await cp(join(MIGRATIONS_DIR, f), join(old, f));
  assert.deepEqual(await migrate(pool, old), [1, 2, 3]);
  const now = Date.now();
  await ensurePartitions(pool, now);
  const batches = loadBatches(5000).map((b, i) => ({
    producerId: "plant-1/edge/pod-u",
    sequence: i + 1,
    events: loadEvents("upgrade", b.from, b.n, b.dev, now + b.offsetMs),
  }));
  const client = await pool.connect();
  try {
    assert.equal((await writeBatches(client, batches)).inserted, 5000);
    assert.deepEqual(await migrate(pool), [4]);
    const keys = await pool.query(
      `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS d FROM pg_constraint
       WHERE contype = 'p' AND conrelid::regclass::text ~ '^(metrics|logs|flows|wire_events)'`,
    );
    // Parents, the default partitions and the days ensurePartitions made.
    assert.ok(keys.rows.length > 8, `${keys.rows.length} keys`);
    for (const k of keys.rows) assert.equal(k.d, "PRIMARY KEY (observed, id)", k.t);
    assert.equal(await count(), 5000);
    const again = await writeBatches(
      client,
      batches.map((b) => ({ ...b, sequence: b.sequence + 100 })),
    );
    assert.deepEqual([again.inserted, again.duplicates], [0, 5000]);
    assert.equal(await count(), 5000);
  } finally {
    client.release();
  }
});
