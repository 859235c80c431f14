// A pg.Pool from a postgresql:// URL, with TLS verified against a CA file
// (sslmode=verify-full: the server's certificate must name the host).
import { readFileSync } from "node:fs";
import pg from "pg";

export interface PoolOptions {
  /** postgresql://user:password@host:port/db[?sslmode=...] */
  url: string;
  /** PEM file of the CA that signed the server certificate. */
  caFile?: string;
  max?: number;
  /** Fail a connection attempt after this long. Default 5 s. */
  connectionTimeoutMs?: number;
  /** Server-side limit of one statement. Default 60 s. */
  statementTimeoutMs?: number;
  applicationName?: string;
  /** Close a client idle this long; 0: never. Default 10 s (pg's). */
  idleTimeoutMs?: number;
}

export function createPool(o: PoolOptions): pg.Pool {
  const u = new URL(o.url);
  const mode = u.searchParams.get("sslmode") ?? (o.caFile ? "verify-full" : "disable");
  const ssl =
    mode === "disable"
      ? false
      : {
          ...(o.caFile && { ca: readFileSync(o.caFile, "utf8") }),
          rejectUnauthorized: mode === "verify-full" || mode === "verify-ca",
          ...(mode === "verify-ca" && { checkServerIdentity: () => undefined }),
        };
  const pool = new pg.Pool({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    ssl,
    max: o.max ?? 10,
    connectionTimeoutMillis: o.connectionTimeoutMs ?? 5_000,
    statement_timeout: o.statementTimeoutMs ?? 60_000,
    application_name: o.applicationName ?? "amoskys-analytics",
    idleTimeoutMillis: o.idleTimeoutMs ?? 10_000,
  });
  // An idle client losing its connection (Postgres restarted) must not crash the process.
  pool.on("error", () => {});
  return pool;
}
