// Postgres' background work during a benchmark phase, from its cumulative
// statistics: checkpoints, autovacuum and autoanalyze runs, and blocks read
// from outside shared_buffers. A latency tail usually coincides with one.
import type pg from "pg";

export interface PgActivity {
  checkpoints: number;
  buffersCheckpoint: number;
  buffersBackend: number;
  autovacuums: number;
  autoanalyzes: number;
  blocksRead: number;
  blocksHit: number;
}

const QUERY = `SELECT
  (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS checkpoints,
  (SELECT buffers_checkpoint FROM pg_stat_bgwriter) AS "buffersCheckpoint",
  (SELECT buffers_backend FROM pg_stat_bgwriter) AS "buffersBackend",
  (SELECT coalesce(sum(autovacuum_count), 0) FROM pg_stat_user_tables) AS autovacuums,
  (SELECT coalesce(sum(autoanalyze_count), 0) FROM pg_stat_user_tables) AS autoanalyzes,
  (SELECT blks_read FROM pg_stat_database WHERE datname = current_database()) AS "blocksRead",
  (SELECT blks_hit FROM pg_stat_database WHERE datname = current_database()) AS "blocksHit"`;

export async function pgActivity(pool: pg.Pool): Promise<PgActivity> {
  const row = (await pool.query(QUERY)).rows[0] as Record<keyof PgActivity, string>;
  const out = {} as PgActivity;
  for (const k of Object.keys(row) as (keyof PgActivity)[]) out[k] = Number(row[k]);
  return out;
}

/** What happened between two snapshots. */
export function pgDelta(a: PgActivity, b: PgActivity): PgActivity {
  const out = {} as PgActivity;
  for (const k of Object.keys(a) as (keyof PgActivity)[]) out[k] = b[k] - a[k];
  return out;
}

export function formatPgActivity(d: PgActivity): string {
  const reads = d.blocksRead + d.blocksHit;
  return [
    `checkpoints ${d.checkpoints} (${d.buffersCheckpoint} buffers; backends wrote ${d.buffersBackend})`,
    `autovacuum ${d.autovacuums}, autoanalyze ${d.autoanalyzes}`,
    `blocks read from outside shared_buffers ${d.blocksRead} (${reads ? ((d.blocksRead / reads) * 100).toFixed(2) : "0"} %)`,
  ].join("; ");
}
