// Versioned schema migrations: migrations/NNNN_<name>.sql, applied in order,
// each in its own transaction, under a session advisory lock so that replicas
// starting together apply each exactly once (the others wait, then find it
// recorded in schema_migrations). An applied file must never change: its
// checksum is recorded and checked.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";

export const MIGRATIONS_DIR = join(import.meta.dirname, "migrations");
/** pg_advisory_lock key of the migrations ("AMOSKYS1" as a 64-bit number). */
export const MIGRATION_LOCK = "4705214263414592305";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = await readFile(join(dir, file), "utf8");
    out.push({
      version: Number(m[1]),
      name: m[2] ?? "",
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration ${m.version} out of order`);
  });
  return out;
}

/** Applies the missing migrations; returns the versions it applied (none when up to date). */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Map<number, string>();
      for (const r of (await client.query("SELECT version, checksum FROM schema_migrations")).rows)
        done.set(r.version as number, r.checksum as string);
      const applied: number[] = [];
      for (const m of migrations) {
        const have = done.get(m.version);
        if (have !== undefined) {
          if (have !== m.checksum)
            throw new MigrationError(
              `migration ${m.version}_${m.name} changed after it was applied`,
            );
          continue;
        }
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            [m.version, m.name, m.checksum],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw new MigrationError(
            `migration ${m.version}_${m.name} failed: ${(err as Error).message}`,
            {
              cause: err,
            },
          );
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch((err) => {
        broken = err;
      });
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: close it rather than reuse it.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
