// The Postgres limit: COPY of the very rows analytics writes (built by the
// store's own batchRows), through psql \copy ... from stdin (CSV), one stream
// per table, the fastest way into Postgres. The same method as
// analytics/store/bench.ts, whose psqlCopy is not exported.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type Cell, COMMON_COLUMNS, type TableRows } from "../../../analytics/store/rows.ts";
import { PG_BIN } from "../../env/toolchain.ts";

function csvCell(v: Cell): string {
  if (v === null) return "";
  if (Buffer.isBuffer(v)) return `\\x${v.toString("hex")}`;
  if (typeof v === "string") return `"${v.replaceAll('"', '""')}"`;
  return String(v);
}

/** Copies one table's rows; resolves with psql's pid's end. `onSpawn` gets the pid (for CPU). */
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
  p.stderr.on("data", (d) => {
    err += d;
  });
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
