// Throughput of writeBatches (the ingest path: verifier_state rows, ON
// CONFLICT DO NOTHING, device upsert; one statement), one statement per batch
// of 500 events and per 1000 events (as the ingest writes a part), one at a
// time, against COPY of the very same
// rows through psql (\copy ... from stdin, CSV), the fastest way into
// Postgres, measured in the same run on the same tables. The events are the
// analytics benchmark's (e2e/bench/analytics/workload.ts).
//
//   npx node analytics/store/bench.ts [events]
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import {
  BATCH as BATCH_OF_WORKLOAD,
  loadBatches,
  loadEvents,
} from "../../e2e/bench/analytics/workload.ts";
import { startEnv } from "../../e2e/env/index.ts";
import { PG_BIN } from "../../e2e/env/toolchain.ts";
import { migrate } from "./migrate.ts";
import { ensurePartitions } from "./partitions.ts";
import { createPool } from "./pool.ts";
import { batchRows, type Cell, COMMON_COLUMNS, type TableRows } from "./rows.ts";
import { type BatchToWrite, writeBatches } from "./write.ts";

export interface BenchResult {
  events: number;
  batchSize: number;
  /** events per second */
  copy: number;
  perBatch: number;
  perFetch: number;
  /** perFetch / copy */
  ratio: number;
}

function csvCell(v: Cell): string {
  if (v === null) return "";
  if (Buffer.isBuffer(v)) return `\\x${v.toString("hex")}`;
  if (typeof v === "string") return `"${v.replaceAll('"', '""')}"`;
  return String(v);
}

/** COPY of one table's rows through `psql \copy ... from stdin` (CSV); `onSpawn` gets psql's pid (for CPU accounting). */
export async function psqlCopy(
  url: string,
  ca: string,
  t: TableRows,
  onSpawn: (pid: number) => void = () => {},
): Promise<void> {
  const u = new URL(url);
  const cols = [...COMMON_COLUMNS, ...t.spec.columns].map((c) => c[0]).join(", ");
  const p = spawn(
    join(PG_BIN, "psql"),
    [
      "-h",
      u.hostname,
      "-p",
      u.port,
      "-U",
      decodeURIComponent(u.username),
      "-d",
      u.pathname.slice(1),
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      `\\copy ${t.spec.table} (${cols}) from stdin with (format csv)`,
    ],
    {
      env: {
        ...process.env,
        PGPASSWORD: decodeURIComponent(u.password),
        PGSSLMODE: "verify-full",
        PGSSLROOTCERT: ca,
      },
      stdio: ["pipe", "ignore", "pipe"],
    },
  );
  if (p.pid !== undefined) onSpawn(p.pid);
  let err = "";
  p.stderr.on("data", (d) => (err += d));
  const done = new Promise<void>((res, rej) =>
    p.once("exit", (code) => (code === 0 ? res() : rej(new Error(`psql exited ${code}: ${err}`)))),
  );
  const chunk: string[] = [];
  for (const row of t.rows) {
    chunk.push(row.map(csvCell).join(","));
    if (chunk.length === 5000) {
      if (!p.stdin.write(`${chunk.join("\n")}\n`))
        await new Promise((r) => p.stdin.once("drain", r));
      chunk.length = 0;
    }
  }
  p.stdin.end(chunk.length ? `${chunk.join("\n")}\n` : "");
  await done;
}

async function reset(pool: pg.Pool): Promise<void> {
  await pool.query("TRUNCATE metrics, flows, logs, devices, verifier_state");
  await pool.query("VACUUM ANALYZE metrics, flows, logs");
}

/** Runs the benchmark on a given database (url and CA file), or on a Postgres of its own (e2e/env). */
export async function benchStore(
  opts: { events?: number; postgres?: { url: string; ca: string }; log?: (s: string) => void } = {},
): Promise<BenchResult> {
  const n = opts.events ?? 50_000;
  const batchSize = BATCH_OF_WORKLOAD;
  const log = opts.log ?? ((s: string) => console.log(s));
  const env = opts.postgres ? undefined : await startEnv({ postgres: true, verbose: false });
  const pg = opts.postgres ?? (env?.postgres as { url: string; ca: string });
  const { url, ca } = pg;
  const pool = createPool({ url, caFile: ca, max: 2 });
  try {
    await migrate(pool);
    const now = Date.now();
    await ensurePartitions(pool, now);
    const batches: BatchToWrite[] = [];
    let seq = 0;
    for (const b of loadBatches(n))
      batches.push({
        producerId: "plant-1/bench/pod",
        sequence: ++seq,
        events: loadEvents("store", b.from, b.n, b.dev, now + b.offsetMs),
        hash: Buffer.alloc(32, seq),
      });

    // COPY: the same rows (built by the same code), one stream per table.
    await reset(pool);
    const rows = batchRows(batches);
    const t0 = performance.now();
    for (const t of rows.tables) await psqlCopy(url, ca, t);
    const copy = n / ((performance.now() - t0) / 1000);

    const timed = async (perTransaction: number) => {
      await reset(pool);
      const client = await pool.connect();
      try {
        const start = performance.now();
        for (let i = 0; i < batches.length; i += perTransaction) {
          const group = batches.slice(i, i + perTransaction);
          const r = await writeBatches(client, group);
          const want = group.reduce((a, b) => a + b.events.length, 0);
          if (r.inserted !== want) throw new Error(`batch ${i}: ${r.inserted} of ${want} inserted`);
        }
        return n / ((performance.now() - start) / 1000);
      } finally {
        client.release();
      }
    };
    const perBatch = await timed(1);
    const perFetch = await timed(2);
    const result = {
      events: n,
      batchSize,
      copy: Math.round(copy),
      perBatch: Math.round(perBatch),
      perFetch: Math.round(perFetch),
      ratio: perFetch / copy,
    };
    log(
      `store bench: ${n} events (70% metrics, 20% flows, 10% logs), batches of ${batchSize}\n` +
        `  COPY (psql \\copy, CSV)                   ${result.copy} events/s\n` +
        `  writeBatches, 500 events per statement   ${result.perBatch} events/s  (${((perBatch / copy) * 100).toFixed(0)}% of COPY)\n` +
        `  writeBatches, 1000 events per statement  ${result.perFetch} events/s  (${(result.ratio * 100).toFixed(0)}% of COPY)`,
    );
    return result;
  } finally {
    await pool.end();
    await env?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchStore({ events: Number(process.argv[2]) || undefined });
}
