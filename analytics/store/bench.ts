// Throughput of writeBatch (the ingest path: one transaction per batch,
// verifier_state row, ON CONFLICT DO NOTHING, device upsert) against COPY of
// the very same rows through psql (\copy ... from stdin, CSV), the fastest
// way into Postgres, measured in the same run on the same tables.
//
//   npx node analytics/store/bench.ts [events] [batchSize]
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { event, MetricKind, Source, SyslogFormat } from "../../agents/events.ts";
import { startEnv } from "../../e2e/env/index.ts";
import { PG_BIN } from "../../e2e/env/toolchain.ts";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { migrate } from "./migrate.ts";
import { ensurePartitions } from "./partitions.ts";
import { createPool } from "./pool.ts";
import { batchRows, type Cell, COMMON_COLUMNS, type TableRows } from "./rows.ts";
import { type InsertStrategy, writeBatch } from "./write.ts";

export interface BenchResult {
  events: number;
  batchSize: number;
  /** events per second */
  copy: number;
  unnest: number;
  values: number;
  /** unnest / copy */
  ratio: number;
}

/** A realistic mix: 70 % metrics, 20 % flows, 10 % syslog lines, over 50 devices. */
function workload(n: number, now: number): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  for (let i = 0; i < n; i++) {
    const device = { namespace: "plant-1", name: `dev-${i % 50}`, address: `10.0.${i % 50}.1` };
    const init = (source: number) => ({
      device,
      source: source as never,
      observedMs: now + i,
      collectedMs: now + i + 3,
      idParts: ["bench", i],
    });
    const k = i % 10;
    if (k < 7)
      out.push(
        event(init(Source.SOURCE_PROTOCOL_SNMP), {
          metric: {
            name: "if.in.octets",
            value: i * 1.5,
            unit: "By",
            kind: MetricKind.METRIC_KIND_COUNTER,
            labels: { ifIndex: String(i % 8) },
          },
        }),
      );
    else if (k < 9)
      out.push(
        event(init(Source.SOURCE_PROTOCOL_NETFLOW), {
          flow: {
            srcAddress: `10.0.${i % 50}.9`,
            dstAddress: "10.0.0.7",
            srcPort: 40000 + (i % 20000),
            dstPort: 502,
            protocol: 6,
            bytes: 1200 + i,
            packets: 4,
            tcpFlags: 0x1b,
            exporter: "127.0.0.1",
            exportVersion: 9,
          },
        }),
      );
    else
      out.push(
        event(init(Source.SOURCE_PROTOCOL_SYSLOG), {
          log: {
            format: SyslogFormat.SYSLOG_FORMAT_RFC5424,
            facility: 4,
            severity: 6,
            hostname: device.name,
            appName: "sshd",
            message: `Accepted publickey for admin from 10.0.0.${i % 250} port 5${i % 1000} ssh2`,
          },
        }),
      );
  }
  return out;
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
  opts: {
    events?: number;
    batchSize?: number;
    postgres?: { url: string; ca: string };
    log?: (s: string) => void;
  } = {},
): Promise<BenchResult> {
  const n = opts.events ?? 50_000;
  const batchSize = opts.batchSize ?? 500;
  const log = opts.log ?? ((s: string) => console.log(s));
  const env = opts.postgres ? undefined : await startEnv({ postgres: true, verbose: false });
  const pg = opts.postgres ?? (env?.postgres as { url: string; ca: string });
  const { url, ca } = pg;
  const pool = createPool({ url, caFile: ca, max: 2 });
  try {
    await migrate(pool);
    const now = Date.now();
    await ensurePartitions(pool, now);
    const events = workload(n, now);
    const batches: TelemetryEvent[][] = [];
    for (let i = 0; i < n; i += batchSize) batches.push(events.slice(i, i + batchSize));

    // COPY: the same rows (built by the same code), one stream per table.
    await reset(pool);
    const rows = batchRows("plant-1/bench/pod", 1, events);
    const t0 = performance.now();
    for (const t of rows.tables) await psqlCopy(url, ca, t);
    const copy = n / ((performance.now() - t0) / 1000);

    const viaWriteBatch = async (strategy: InsertStrategy) => {
      await reset(pool);
      const client = await pool.connect();
      try {
        const start = performance.now();
        let seq = 0;
        for (const b of batches) {
          const r = await writeBatch(client, "plant-1/bench/pod", ++seq, b, {
            hash: Buffer.alloc(32, seq),
            strategy,
          });
          if (r.inserted !== b.length)
            throw new Error(`batch ${seq}: ${r.inserted} of ${b.length} inserted`);
        }
        return n / ((performance.now() - start) / 1000);
      } finally {
        client.release();
      }
    };
    const unnest = await viaWriteBatch("unnest");
    const values = await viaWriteBatch("values");
    const result = {
      events: n,
      batchSize,
      copy: Math.round(copy),
      unnest: Math.round(unnest),
      values: Math.round(values),
      ratio: unnest / copy,
    };
    log(
      `store bench: ${n} events (70% metrics, 20% flows, 10% logs), batches of ${batchSize}\n` +
        `  COPY (psql \\copy, CSV)        ${result.copy} events/s\n` +
        `  writeBatch unnest            ${result.unnest} events/s  (${(result.ratio * 100).toFixed(0)}% of COPY)\n` +
        `  writeBatch multi-row VALUES  ${result.values} events/s  (${((values / copy) * 100).toFixed(0)}% of COPY)`,
    );
    return result;
  } finally {
    await pool.end();
    await env?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [events, batchSize] = process.argv.slice(2).map(Number);
  await benchStore({ events: events || undefined, batchSize: batchSize || undefined });
}
