// Writes one accepted batch in one transaction: its verifier_state row first
// (a batch already stored stops there, as a duplicate), then every event
// table with INSERT ... ON CONFLICT DO NOTHING, then the devices it names.
// Idempotent: writing the same batch again inserts nothing.
import type pg from "pg";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { type BatchRows, batchRows, COMMON_COLUMNS, type TableRows } from "./rows.ts";

export type Queryable = Pick<pg.ClientBase, "query">;

/** How rows go to Postgres: one statement per table over arrays, or multi-row VALUES in chunks. */
export type InsertStrategy = "unnest" | "values";

export interface WriteOptions {
  /** The batch's hash and previous hash (BatchVerifier Accepted.hash, batch.prevHash). */
  hash?: Uint8Array;
  prevHash?: Uint8Array;
  strategy?: InsertStrategy;
}

export interface WriteResult {
  /** new: stored now; duplicate: stored before (nothing written); conflict: another batch with this producer and sequence is stored (a replay). */
  batch: "new" | "duplicate" | "conflict";
  /** Event rows inserted. */
  inserted: number;
  /** Events already stored (by id), or all of a duplicate batch. */
  duplicates: number;
  /** Events not storable: no body, or no usable id. */
  skipped: number;
}

/** Postgres' limit of parameters in one statement. */
export const MAX_PARAMS = 65_535;

/**
 * Writes a batch's events in ONE transaction (client must not be inside one).
 * With `hash`, a batch stored before under the same hash is a duplicate and a
 * different one a conflict; nothing is written in either case.
 */
export async function writeBatch(
  client: Queryable,
  producerId: string,
  sequence: number,
  events: TelemetryEvent[],
  opts: WriteOptions = {},
): Promise<WriteResult> {
  const rows = batchRows(producerId, sequence, events);
  const hash = Buffer.from(opts.hash ?? new Uint8Array());
  await client.query("BEGIN");
  try {
    const claimed = await client.query(
      `INSERT INTO verifier_state (producer, sequence, hash, prev_hash, events)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (producer, sequence) DO NOTHING`,
      [producerId, sequence, hash, Buffer.from(opts.prevHash ?? new Uint8Array()), events.length],
    );
    if (claimed.rowCount === 0) {
      await client.query("ROLLBACK");
      const same = await storedBatch(client, producerId, sequence);
      const dup = same !== undefined && Buffer.compare(same, hash) === 0;
      return {
        batch: dup ? "duplicate" : "conflict",
        inserted: 0,
        duplicates: dup ? rows.rows : 0,
        skipped: rows.skipped,
      };
    }
    const inserted = await insertRows(client, rows, opts.strategy ?? "unnest");
    await upsertDevices(client, rows);
    await client.query("COMMIT");
    return { batch: "new", inserted, duplicates: rows.rows - inserted, skipped: rows.skipped };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** The hash stored for an accepted batch, or undefined if it is not stored. */
export async function storedBatch(
  client: Queryable,
  producerId: string,
  sequence: number,
): Promise<Buffer | undefined> {
  const r = await client.query(
    "SELECT hash FROM verifier_state WHERE producer = $1 AND sequence = $2",
    [producerId, sequence],
  );
  return r.rows[0]?.hash as Buffer | undefined;
}

/** Inserts rows of every table (no transaction of its own); returns rows inserted. */
export async function insertRows(
  client: Queryable,
  rows: BatchRows,
  strategy: InsertStrategy,
): Promise<number> {
  let inserted = 0;
  for (const t of rows.tables)
    inserted +=
      strategy === "unnest" ? await insertUnnest(client, t) : await insertValues(client, t);
  return inserted;
}

function columnsOf(t: TableRows) {
  return [...COMMON_COLUMNS, ...t.spec.columns];
}

const sqlCache = new Map<string, string>();

async function insertUnnest(client: Queryable, t: TableRows): Promise<number> {
  const cols = columnsOf(t);
  const key = `unnest:${t.spec.table}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = `INSERT INTO ${t.spec.table} (${cols.map((c) => c[0]).join(", ")})
      SELECT * FROM unnest(${cols.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
      ON CONFLICT DO NOTHING`;
    sqlCache.set(key, sql);
  }
  const arrays = cols.map((_, i) => t.rows.map((r) => r[i] ?? null));
  // Named: the server keeps the plan for this connection.
  const r = await client.query({ name: key, text: sql, values: arrays });
  return r.rowCount ?? 0;
}

async function insertValues(client: Queryable, t: TableRows): Promise<number> {
  const cols = columnsOf(t);
  const perChunk = Math.floor(MAX_PARAMS / cols.length);
  let inserted = 0;
  for (let at = 0; at < t.rows.length; at += perChunk) {
    const chunk = t.rows.slice(at, at + perChunk);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const base = values.length;
      values.push(...row);
      return `(${cols.map(([, type], i) => `$${base + i + 1}::${type}`).join(", ")})`;
    });
    const r = await client.query(
      `INSERT INTO ${t.spec.table} (${cols.map((c) => c[0]).join(", ")}) VALUES ${tuples.join(", ")}
       ON CONFLICT DO NOTHING`,
      values,
    );
    inserted += r.rowCount ?? 0;
  }
  return inserted;
}

async function upsertDevices(client: Queryable, rows: BatchRows): Promise<void> {
  if (rows.devices.length === 0) return;
  const d = rows.devices;
  const iso = (ms: number) => new Date(ms).toISOString();
  await client.query({
    name: "upsert-devices",
    text: `INSERT INTO devices (namespace, name, address, first_seen, last_seen, status)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])
      ON CONFLICT (namespace, name) DO UPDATE SET
        address = CASE WHEN excluded.address <> '' AND excluded.last_seen >= devices.last_seen
                       THEN excluded.address ELSE devices.address END,
        first_seen = LEAST(devices.first_seen, excluded.first_seen),
        last_seen = GREATEST(devices.last_seen, excluded.last_seen),
        status = amoskys_merge_status(devices.status, excluded.status)`,
    values: [
      d.map((x) => x.namespace),
      d.map((x) => x.name),
      d.map((x) => x.address),
      d.map((x) => iso(x.firstSeenMs)),
      d.map((x) => iso(x.lastSeenMs)),
      d.map((x) => JSON.stringify(x.status)),
    ],
  });
}
