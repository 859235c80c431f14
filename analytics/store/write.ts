// Writes accepted batches in ONE statement (so one transaction and one round
// trip): data-modifying CTEs claim their verifier_state rows (a batch already
// stored is not written again: a duplicate, or a conflict if another batch
// holds its sequence), insert the events of the claimed ones with
// INSERT ... SELECT FROM unnest(...) per table, and upsert the devices they
// name. Idempotent: writing the same batches again inserts nothing. A whole
// fetch of batches in one round trip replaced seven round trips per batch.
//
// The events of a newly claimed batch are new, so they are inserted without
// ON CONFLICT: its speculative insertion is an extra index search per row
// (store bench, 1000 events per statement: 79 k events/s with it, 91 k without).
// Should an event id be stored already (an agent that sealed an event again
// in another batch, or twice in one), the statement fails as a whole and runs
// again with ON CONFLICT DO NOTHING.
import type pg from "pg";
import { arrayLiteral } from "./arrays.ts";
import {
  type BatchEvents,
  type BatchRows,
  batchRows,
  type Cell,
  COMMON_COLUMNS,
  type ColumnType,
  TABLES,
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
 * Writes batches in one statement, outside a transaction of the caller's (an
 * event id stored already fails the first try, which would abort it). A batch
 * stored before under the same hash is a duplicate and a different one a
 * conflict; nothing of either is written.
 */
export async function writeBatches(
  client: Queryable,
  batches: readonly BatchToWrite[],
): Promise<WriteResult> {
  const key = (producer: string, sequence: number | string) => `${producer}\u0000${sequence}`;
  const hashOf = (b: BatchToWrite) => Buffer.from(b.hash ?? new Uint8Array());
  const state: Cell[][] = batches.map((b) => [
    b.producerId,
    b.sequence,
    hashOf(b),
    Buffer.from(b.prevHash ?? new Uint8Array()),
    b.events.length,
  ]);
  const rows = batchRows(batches);
  const values = VERIFIER_COLUMNS.map((type, i) => arrayLiteral(type, state, i));
  for (const t of rows.tables)
    for (const [i, [, type]] of columnsOf(t).entries()) values.push(arrayLiteral(type, t.rows, i));
  values.push(...deviceColumns(rows));
  let r: pg.QueryResult;
  try {
    r = await client.query({ ...statement(rows, false), values });
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    r = await client.query({ ...statement(rows, true), values });
  }
  const row = r.rows[0] as { producers: string[]; sequences: string[]; inserted: string };
  // A second copy of a batch in the same call finds it claimed by the first: not new.
  const isNew = new Set(row.producers.map((p, i) => key(p, row.sequences[i] as string)));
  const outcomes: BatchOutcome[] = [];
  const others: number[] = [];
  for (const [i, b] of batches.entries()) {
    if (isNew.delete(key(b.producerId, b.sequence))) outcomes.push("new");
    else {
      outcomes.push("duplicate");
      others.push(i);
    }
  }
  let notDuplicates = 0;
  if (others.length > 0) {
    const stored = await storedHashes(
      client,
      others.map((i) => batches[i] as BatchToWrite),
    );
    for (const i of others) {
      const b = batches[i] as BatchToWrite;
      const same = stored.get(key(b.producerId, b.sequence));
      if (same === undefined || Buffer.compare(same, hashOf(b)) !== 0) {
        outcomes[i] = "conflict";
        notDuplicates += batchRows([b]).rows;
      }
    }
  }
  const inserted = Number(row.inserted);
  return {
    batches: outcomes,
    inserted,
    duplicates: rows.rows - inserted - notDuplicates,
    skipped: rows.skipped,
  };
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

const columnsOf = (t: TableRows) => [...COMMON_COLUMNS, ...t.spec.columns];

const UNIQUE_VIOLATION = "23505";

const statements = new Map<string, string>();

/**
 * The statement for a set of tables, named so that the server keeps its plan
 * per connection; `known` adds ON CONFLICT DO NOTHING to the event inserts.
 */
function statement(rows: BatchRows, known: boolean): { name: string; text: string } {
  // Names are at most 63 bytes: the set of tables as a bit mask over TABLES.
  const mask = rows.tables.reduce((m, t) => m | (1 << TABLES.indexOf(t.spec)), 0);
  const name = `write-batches:${mask}${known ? ":known" : ""}`;
  let text = statements.get(name);
  if (!text) {
    let n = VERIFIER_COLUMNS.length;
    const params = (types: readonly string[]) => types.map((t) => `$${++n}::${t}[]`).join(", ");
    const inserts = rows.tables.map((t, i) => {
      const cols = columnsOf(t);
      const names = cols.map((c) => c[0]).join(", ");
      return `t${i} AS (
        INSERT INTO ${t.spec.table} (${names})
        SELECT u.* FROM unnest(${params(cols.map((c) => c[1]))}) AS u(${names})
        WHERE (u.producer, u.batch_seq) IN (SELECT producer, sequence FROM claimed)
        ${known ? "ON CONFLICT DO NOTHING " : ""}RETURNING 1)`;
    });
    const devices = `devices_seen AS (
        INSERT INTO devices (namespace, name, address, first_seen, last_seen, status)
        SELECT * FROM unnest(${params(["text", "text", "text", "timestamptz", "timestamptz", "jsonb"])})
        WHERE EXISTS (SELECT 1 FROM claimed)
        ON CONFLICT (namespace, name) DO UPDATE SET
          address = CASE WHEN excluded.address <> '' AND excluded.last_seen >= devices.last_seen
                         THEN excluded.address ELSE devices.address END,
          first_seen = LEAST(devices.first_seen, excluded.first_seen),
          last_seen = GREATEST(devices.last_seen, excluded.last_seen),
          status = amoskys_merge_status(devices.status, excluded.status))`;
    const counted = rows.tables.map((_, i) => `(SELECT count(*) FROM t${i})`).join(" + ") || "0";
    text = `WITH claimed AS (
        INSERT INTO verifier_state (producer, sequence, hash, prev_hash, events)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[], $5::integer[])
        ON CONFLICT (producer, sequence) DO NOTHING RETURNING producer, sequence),
      ${[...inserts, devices].join(",\n      ")}
      SELECT array(SELECT producer FROM claimed) AS producers,
        array(SELECT sequence::text FROM claimed) AS sequences,
        ${counted} AS inserted`;
    statements.set(name, text);
  }
  return { name, text };
}

/** The devices' columns as array literals, in the order of the statement's devices_seen. */
function deviceColumns(rows: BatchRows): string[] {
  const d: Cell[][] = rows.devices.map((x) => [
    x.namespace,
    x.name,
    x.address,
    new Date(x.firstSeenMs).toISOString(),
    new Date(x.lastSeenMs).toISOString(),
    JSON.stringify(x.status),
  ]);
  const types: ColumnType[] = ["text", "text", "text", "timestamptz", "timestamptz", "jsonb"];
  return types.map((t, i) => arrayLiteral(t, d, i));
}

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
