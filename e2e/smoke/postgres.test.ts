// Smoke test of PostgreSQL in the test environment: TLS verified against the
// environment's CA, SCRAM password, a table created and queried.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type EnvWith, startEnv } from "../env/index.ts";

describe("postgresql", () => {
  let env: EnvWith<{ postgres: true }>;

  before(async () => {
    env = await startEnv({ postgres: true });
  });
  after(() => env?.stop());

  const client = (password = env.postgres.password) =>
    new pg.Client({
      host: env.postgres.host,
      port: env.postgres.port,
      user: env.postgres.user,
      password,
      database: env.postgres.database,
      ssl: { ca: readFileSync(env.postgres.ca, "utf8"), servername: "localhost" },
    });

  it("creates a table, inserts and queries over TLS", async () => {
    const c = client();
    await c.connect();
    try {
      const tls = await c.query("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
      assert.equal(tls.rows[0]?.ssl, true);
      await c.query(
        "create table readings (device text not null, value double precision not null)",
      );
      await c.query("insert into readings values ($1, $2), ($3, $4)", [
        "plc-1",
        21.5,
        "plc-1",
        22.5,
      ]);
      const r = await c.query(
        "select count(*)::int as n, avg(value) as mean from readings where device = $1",
        ["plc-1"],
      );
      assert.deepEqual(r.rows[0], { n: 2, mean: 22 });
    } finally {
      await c.end();
    }
  });

  it("refuses a wrong password", async () => {
    const c = client("not-the-password");
    await assert.rejects(c.connect(), /password authentication failed/);
  });
});
