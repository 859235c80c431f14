// Day partitions of the time-partitioned event tables: created ahead by a
// maintenance loop, dropped after the retention period. Rows that fell into
// the DEFAULT partition (observed outside the days created) move into a day's
// partition when it is created, since Postgres refuses to attach a partition
// whose range the default partition already holds rows of.
import type pg from "pg";
import { PARTITIONED_TABLES } from "./rows.ts";

const DAY_MS = 86_400_000;
/** pg_advisory_xact_lock key of partition maintenance. */
const PARTITION_LOCK = "4705214263414592306";

export interface PartitionOptions {
  /** Days after today (UTC) to create. Default 3. */
  daysAhead?: number;
  /** Days before today to create (late data). Default 1. */
  daysBehind?: number;
  tables?: readonly string[];
}

/** "metrics_p20260301" for metrics on 2026-03-01 (UTC). */
export function partitionName(table: string, dayStartMs: number): string {
  return `${table}_p${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

function dayOf(name: string): number | undefined {
  const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/**
 * Day partitions only ever get inserts, and retention drops them whole:
 * vacuuming them for their inserts (Postgres 13+) would only set visibility
 * bits, yet it costs a scan of the partition at every 20 % of growth, in the
 * middle of ingest. Autoanalyze stays (plans need it), and so does the
 * anti-wraparound vacuum, which no setting turns off.
 */
export const APPEND_ONLY = "autovacuum_vacuum_insert_threshold = -1";

/** Creates the missing day partitions around nowMs; returns the names created. */
export async function ensurePartitions(
  pool: pg.Pool,
  nowMs: number,
  opts: PartitionOptions = {},
): Promise<string[]> {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const ahead = opts.daysAhead ?? 3;
  const behind = opts.daysBehind ?? 1;
  const created: string[] = [];
  const client = await pool.connect();
  try {
    for (const table of opts.tables ?? PARTITIONED_TABLES) {
      const have = new Set(await partitionsOf(client, table));
      for (let d = -behind; d <= ahead; d++) {
        const from = today + d * DAY_MS;
        const name = partitionName(table, from);
        if (have.has(name)) continue;
        await client.query("BEGIN");
        try {
          await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
          // Another replica may have made it while we waited for the lock.
          if ((await partitionsOf(client, table)).includes(name)) {
            await client.query("COMMIT");
            continue;
          }
          const [lo, hi] = [new Date(from).toISOString(), new Date(from + DAY_MS).toISOString()];
          // No insert may reach the default partition between the move and the attach.
          await client.query(`LOCK TABLE ${table}_default IN ACCESS EXCLUSIVE MODE`);
          await client.query(
            `CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS) WITH (${APPEND_ONLY})`,
          );
          await client.query(
            `WITH moved AS (DELETE FROM ${table}_default WHERE observed >= $1 AND observed < $2 RETURNING *)
             INSERT INTO ${name} SELECT * FROM moved`,
            [lo, hi],
          );
          await client.query(
            `ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${lo}') TO ('${hi}')`,
          );
          await client.query("COMMIT");
          created.push(name);
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw err;
        }
      }
    }
    return created;
  } finally {
    client.release();
  }
}

/**
 * Drops day partitions that ended more than `olderThanDays` before nowMs, and
 * deletes rows that old from the default partitions. Returns the partitions dropped.
 */
export async function dropOldPartitions(
  pool: pg.Pool,
  olderThanDays: number,
  nowMs = Date.now(),
  tables: readonly string[] = PARTITIONED_TABLES,
): Promise<string[]> {
  const cutoff = nowMs - olderThanDays * DAY_MS;
  const dropped: string[] = [];
  const client = await pool.connect();
  try {
    for (const table of tables) {
      for (const name of await partitionsOf(client, table)) {
        const day = dayOf(name);
        if (day === undefined || day + DAY_MS > cutoff) continue;
        await client.query("BEGIN");
        try {
          await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
          await client.query(`DROP TABLE IF EXISTS ${name}`);
          await client.query("COMMIT");
          dropped.push(name);
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw err;
        }
      }
      await client.query(`DELETE FROM ${table}_default WHERE observed < $1`, [
        new Date(cutoff).toISOString(),
      ]);
    }
    return dropped;
  } finally {
    client.release();
  }
}

/** Names of a table's day partitions (not the default one). */
export async function partitionsOf(client: pg.ClientBase, table: string): Promise<string[]> {
  const r = await client.query(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND c.relname <> $1 || '_default' ORDER BY 1`,
    [table],
  );
  return r.rows.map((x) => x.name as string);
}
