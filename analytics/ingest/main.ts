// A stand-alone ingest process: `node analytics/ingest/main.ts <config.json>`.
// Used by the crash tests (a child process that can be SIGKILLed) and usable
// as a minimal ingest for the embedded mode. It writes one JSON line per
// event of interest to stdout: {"type":"ready"}, {"type":"integrity",...},
// {"type":"stored","producerId","events"}; logs go to stderr.
//
// config.json (mode 0600: it holds passwords):
//   { "nats": { "url", "user", "password", "ca" },
//     "postgres": { "url", "ca" },
//     "trustFile": "trust.yaml", "durable": "analytics",
//     "consumer": { ...ConsumerConfig knobs }, "gapGraceMs": 60000 }
import { readFileSync } from "node:fs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ensureStreams } from "../../proto/bus/provision.ts";
import { createLogger } from "../../runtime/log.ts";
import { startMaintenance } from "../store/maintenance.ts";
import { migrate } from "../store/migrate.ts";
import { createPool } from "../store/pool.ts";
import { startIngest } from "./ingest.ts";
import { watchTrustFile } from "./trust.ts";

interface Config {
  nats: { url: string; user: string; password: string; ca: string };
  postgres: { url: string; ca: string };
  trustFile: string;
  durable: string;
  consumer?: Record<string, number>;
  gapGraceMs?: number;
}

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: main.ts <config.json>\n");
  process.exit(2);
}
const cfg = JSON.parse(readFileSync(path, "utf8")) as Config;
const log = createLogger("analytics");
const out = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const pool = createPool({ url: cfg.postgres.url, caFile: cfg.postgres.ca });
await migrate(pool);
const maintenance = startMaintenance(pool, { logger: log });
await maintenance.ran;
const nc = await connect({
  servers: cfg.nats.url,
  user: cfg.nats.user,
  pass: cfg.nats.password,
  tls: { ca: readFileSync(cfg.nats.ca, "utf8") },
  maxReconnectAttempts: -1,
});
const jsm = await jetstreamManager(nc);
await ensureStreams(jsm);
const trust = watchTrustFile(cfg.trustFile, { logger: log });
await trust.synced;
const ingest = await startIngest({
  nats: nc,
  jsm,
  pool,
  trust,
  durable: cfg.durable,
  consumer: cfg.consumer,
  gapGraceMs: cfg.gapGraceMs,
  logger: log,
  onStored: (s) =>
    out({
      type: "stored",
      producerId: s.producerId,
      events: s.events.length,
      firstId: s.events[0]?.id,
    }),
  onIntegrity: (p) => out({ type: "integrity", ...p }),
});
out({ type: "ready" });

let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.once(sig, async () => {
    if (stopping) return;
    stopping = true;
    await ingest.stop();
    await maintenance.stop();
    await trust.stop();
    await nc.drain();
    await pool.end();
    process.exit(0);
  });
}
