// Writes accepted batches in one transaction: their verifier_state rows
// first (a batch already stored is not written again: a duplicate, or a
// conflict if another batch holds its sequence), then the events of the new
// ones, one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING per
// table, then the devices they name. Idempotent: writing the same batches
// again inserts nothing. One transaction for a whole fetch of batches saves
// the round trips and commits that dominated per-batch writes.
import type pg from "pg";
import { arrayLiteral } from "./arrays.ts";
import {
  type BatchEvents,
  type BatchRows,
  batchRows,
  type Cell,
  COMMON_COLUMNS,
  type ColumnType,
  type TableRows,
} from "./rows.ts";

export type Queryable = Pick<pg.ClientBase, "query">;

export type BatchOutcome = "new" | "duplicate" | "conflict";

/** A batch to write, with its chain hashes (BatchVerifier Accepted.hash, batch.prevHash). */
export interface BatchToWrite extends BatchEvents {
  hash?: Uint8Array;
  prevHash?: Uint8Array;
}

export interface WriteResult {
  /** Per batch, in order: new: stored now; duplicate: stored before under the same hash (nothing written); conflict: another batch with this producer and sequence is stored (a replay). */
  batches: BatchOutcome[];
  /** Event rows inserted. */
  inserted: number;
  /** Events already stored (by id), or all of a duplicate batch. */
  duplicates: number;
  /** Events not storable: no body, or no usable id. */
  skipped: number;
}

/**
 * Writes batches in ONE transaction (client must not be inside one). A batch
 * stored before under the same hash is a duplicate and a different one a
 * conflict; nothing of either is written.
 */
export async function writeBatches(
  client: Queryable,
  batches: readonly BatchToWrite[],
): Promise<WriteResult> {
  const key = (producer: string, sequence: number | string) => `${producer}\u0000${sequence}`;
  const hashOf = (b: BatchToWrite) => Buffer.from(b.hash ?? new Uint8Array());
  await client.query("BEGIN");
  try {
    const state: Cell[][] = batches.map((b) => [
      b.producerId,
      b.sequence,
      hashOf(b),
      Buffer.from(b.prevHash ?? new Uint8Array()),
      b.events.length,
    ]);
    const claimed = await client.query({
      name: "claim-batches",
      text: `INSERT INTO verifier_state (producer, sequence, hash, prev_hash, events)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[], $5::integer[])
        ON CONFLICT (producer, sequence) DO NOTHING RETURNING producer, sequence`,
      values: VERIFIER_COLUMNS.map((type, i) => arrayLiteral(type, state, i)),
    });
    // A second copy of a batch in the same call finds it claimed by the first: not new.
    const isNew = new Set(claimed.rows.map((r) => key(r.producer, r.sequence)));
    const outcomes: BatchOutcome[] = [];
    const fresh: BatchToWrite[] = [];
    const others: number[] = [];
    for (const [i, b] of batches.entries()) {
      if (isNew.delete(key(b.producerId, b.sequence))) {
        outcomes.push("new");
        fresh.push(b);
      } else {
        outcomes.push("duplicate");
        others.push(i);
      }
    }
    let duplicates = 0;
    let skipped = 0;
    if (others.length > 0) {
      const stored = await storedHashes(
        client,
        others.map((i) => batches[i] as BatchToWrite),
      );
      for (const i of others) {
        const b = batches[i] as BatchToWrite;
        const same = stored.get(key(b.producerId, b.sequence));
        const dup = same !== undefined && Buffer.compare(same, hashOf(b)) === 0;
        const r = batchRows([b]);
        outcomes[i] = dup ? "duplicate" : "conflict";
        if (dup) duplicates += r.rows;
        skipped += r.skipped;
      }
    }
    let inserted = 0;
    if (fresh.length > 0) {
      const rows = batchRows(fresh);
      for (const t of rows.tables) inserted += await insertTable(client, t);
      await upsertDevices(client, rows);
      duplicates += rows.rows - inserted;
      skipped += rows.skipped;
    }
    await client.query("COMMIT");
    return { batches: outcomes, inserted, duplicates, skipped };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** writeBatches for one batch. */
export async function writeBatch(
  client: Queryable,
  producerId: string,
  sequence: number,
  events: BatchEvents["events"],
  chain: { hash?: Uint8Array; prevHash?: Uint8Array } = {},
): Promise<Omit<WriteResult, "batches"> & { batch: BatchOutcome }> {
  const { batches, ...counts } = await writeBatches(client, [
    { producerId, sequence, events, ...chain },
  ]);
  return { batch: batches[0] as BatchOutcome, ...counts };
}

const VERIFIER_COLUMNS: readonly ColumnType[] = ["text", "bigint", "bytea", "bytea", "bigint"];

async function storedHashes(
  client: Queryable,
  batches: readonly BatchToWrite[],
): Promise<Map<string, Buffer>> {
  const r = await client.query(
    `SELECT producer, sequence, hash FROM verifier_state
      WHERE (producer, sequence) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
    [batches.map((b) => b.producerId), batches.map((b) => b.sequence)],
  );
  return new Map(r.rows.map((x) => [`${x.producer}\u0000${x.sequence}`, x.hash as Buffer]));
}

const sqlCache = new Map<string, string>();

async function insertTable(client: Queryable, t: TableRows): Promise<number> {
  const cols = [...COMMON_COLUMNS, ...t.spec.columns];
  const name = `unnest:${t.spec.table}`;
  let sql = sqlCache.get(name);
  if (!sql) {
    sql = `INSERT INTO ${t.spec.table} (${cols.map((c) => c[0]).join(", ")})
      SELECT * FROM unnest(${cols.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
      ON CONFLICT DO NOTHING`;
    sqlCache.set(name, sql);
  }
  // Named: the server keeps the plan for this connection.
  const r = await client.query({
    name,
    text: sql,
    values: cols.map(([, type], i) => arrayLiteral(type, t.rows, i)),
  });
  return r.rowCount ?? 0;
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
