// `npm run bench -- analytics`: sustained events/s through the whole analytics
// process (agent-format signed batches → JetStream → verify → store in
// Postgres → detect → findings), with the two limits measured in the same run
// on the same machine, and the detection latency at 10 % and 80 % of the
// sustained rate. Goals (the issue): ≥ 50,000 events/s sustained; p99 under
// 250 ms at 80 % load.
//
// Processes (2 cores, shared): this one (orchestrates, scrapes, LISTENs), the
// producer (e2e/bench/analytics/producer.ts: signs and publishes as agents do),
// `amoskys analytics` (node operator/cli.ts analytics, the chart's RBAC, the
// trust ConfigMap, all example rules + a probe rule), nats-server (TLS, file
// storage), PostgreSQL (TLS, fsync=off as everywhere in e2e/env), and the
// kube-apiserver + etcd. CPU of each is read from /proc per phase.
//
//   raw JetStream   the same signed batches published and consumed with the
//                   ingest's consumer settings (fetch 64, confirmed ack per
//                   message, in order), no verify, decode or store
//   COPY            the same rows (the store's batchRows) by psql \copy, CSV
//   ours            events inserted per second (amoskys_analytics_events_total
//                   {result="inserted"} scraped every 200 ms) between 10 % and
//                   90 % of the run: the producer publishes N events in batches
//                   of 500 as fast as the bus takes them; analytics drains.
//   latency         load batches paced at 10 % / 80 % of "ours"; meanwhile a
//                   probe syslog line 20 times a second, its observed time set
//                   at creation, sealed and published at once (a batch of one:
//                   the agent's batching delay, up to maxDelayMs, is NOT
//                   included). A match rule (bench-probe) updates one finding
//                   row per probe; a bench-only trigger NOTIFYs last_seen on
//                   every write of that row, and a probe counts as visible at
//                   the first NOTIFY with last_seen ≥ its creation time.
//   bus alone       the same paced load and probes on a second stream of the
//                   same kind, consumed here with the ingest's consumer
//                   settings: the latency floor the bus itself sets.
//
// Event times move at the load's rate (workload.ts loadBatches), as a real
// device's do. Per phase the report gives the CPU of every process, Postgres'
// background work (pgstats.ts) and the slowest probe of each second.
//
// AMOSKYS_BENCH_EVENTS=<n> (default 300000): events of the sustained run.
// AMOSKYS_BENCH_CPU_PROF=<dir>: run analytics with node --cpu-prof and print
// where its time went.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { psqlCopy } from "../../analytics/store/bench.ts";
import { migrate } from "../../analytics/store/migrate.ts";
import { ensurePartitions } from "../../analytics/store/partitions.ts";
import { createPool } from "../../analytics/store/pool.ts";
import { batchRows } from "../../analytics/store/rows.ts";
import { analyticsArgs } from "../../analytics/testing.ts";
import {
  ensureStream,
  ensureStreams,
  natsConsumer,
  parseMsgId,
  TELEMETRY_STREAM,
  telemetryStream,
} from "../../proto/bus/index.ts";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { startEnv } from "../env/index.ts";
import { repoRoot } from "../env/toolchain.ts";
import { cpuMeter, processSeconds, treeSeconds } from "./analytics/cpu.ts";
import { formatPgActivity, pgActivity, pgDelta } from "./analytics/pgstats.ts";
import type { Command, Settings } from "./analytics/producer.ts";
import {
  NOTIFY_CHANNEL,
  OPERATOR_NS,
  PROFILE,
  probeTrigger,
  setupKube,
} from "./analytics/setup.ts";
import { BATCH, loadBatches, loadEvents } from "./analytics/workload.ts";
import { summarizeProfile } from "./profile.ts";

const GOAL_RATE = 50_000;
const GOAL_P99_MS = 250;
const PROBE_RATE = 20;
const LATENCY_SECONDS = 20;

type Cpu = ReturnType<ReturnType<typeof cpuMeter>>;

interface Producer {
  pid: number;
  ask(c: Command): Promise<Record<string, unknown>>;
  exited: Promise<unknown>;
}

async function startProducer(settings: Settings): Promise<Producer> {
  const child = spawn(
    process.execPath,
    [new URL("./analytics/producer.ts", import.meta.url).pathname],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise((r) => child.once("exit", r));
  const out = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = (await out.next()).value;
    if (line === undefined) throw new Error("the producer exited");
    return JSON.parse(line) as Record<string, unknown>;
  };
  child.stdin.write(`${JSON.stringify(settings)}\n`);
  await next();
  return {
    pid: child.pid as number,
    exited,
    ask: async (c) => {
      child.stdin.write(`${JSON.stringify(c)}\n`);
      return c.cmd === "exit" ? {} : next();
    },
  };
}

/** Counters of the analytics process' /metrics. */
async function scrape(
  port: number,
): Promise<{ inserted: number; rejected: number; storeErrors: number; findingUpdates: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
  return {
    inserted: sum(/^amoskys_analytics_events_total\{result="inserted"\} (\S+)$/gm),
    rejected: sum(/^amoskys_analytics_rejected_batches_total\{[^}]*\} (\S+)$/gm),
    storeErrors: sum(/^amoskys_analytics_store_errors_total (\S+)$/gm),
    findingUpdates: sum(/^amoskys_analytics_findings_updates_total\{kind="finding"\} (\S+)$/gm),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export async function main(): Promise<void> {
  const N = Number(process.env.AMOSKYS_BENCH_EVENTS) || 300_000;
  const prof = process.env.AMOSKYS_BENCH_CPU_PROF || undefined;
  if (prof) await mkdir(prof, { recursive: true });
  const tStart = performance.now();
  const note = (s: string) =>
    console.error(`# [${((performance.now() - tStart) / 1000).toFixed(0)} s] ${s}`);
  const env = await startEnv({
    kube: true,
    nats: { users: ["collector", "analytics"] },
    postgres: true,
    verbose: false,
  });
  const pool = createPool({ url: env.postgres.url, caFile: env.postgres.ca, max: 3 });
  let analytics: ChildProcess | undefined;
  let producer: Producer | undefined;
  let analyticsLog = "";
  const nc = await connect({
    servers: env.nats.url,
    user: "admin",
    pass: env.nats.users.admin,
    tls: { ca: readFileSync(env.nats.ca, "utf8") },
  });
  try {
    note("environment up");
    const { kubeconfig, seed } = await setupKube(env.kube, env.root);
    await migrate(pool);
    await ensurePartitions(pool, Date.now());
    await probeTrigger(pool);
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await ensureStreams(jsm);

    producer = await startProducer({
      url: env.nats.url,
      user: "collector",
      pass: env.nats.users.collector ?? "",
      ca: readFileSync(env.nats.ca, "utf8"),
      seed,
      window: 256,
    });
    const p = producer;
    const sources = {
      analytics: () => (analytics?.pid ? processSeconds(analytics.pid) : 0),
      producer: () => processSeconds(p.pid),
      "nats-server": () => env.nats.services.reduce((a, s) => a + treeSeconds(s.pid), 0),
      postgres: () => env.postgres.services.reduce((a, s) => a + treeSeconds(s.pid), 0),
      "kube (apiserver, etcd)": () => env.kube.services.reduce((a, s) => a + treeSeconds(s.pid), 0),
      "bench (+psql)": () => processSeconds(process.pid),
    };
    const sustainProducer = `${PROFILE}/bench-sustain`;
    const prep = await p.ask({
      cmd: "prepare",
      tag: "sustain",
      total: N,
      producer: sustainProducer,
    });
    note(
      `prepared ${fmt(N)} events in ${prep.batches} signed batches (${((prep.bytes as number) / 1e6).toFixed(1)} MB zstd) in ${((prep.ms as number) / 1000).toFixed(1)} s`,
    );
    const batches = prep.batches as number;

    // 1. Raw JetStream: the same bytes, published and consumed, nothing else.
    const raw = await (async () => {
      const consumer = await natsConsumer(js, jsm, TELEMETRY_STREAM, "bench-raw", {
        batchSize: 64,
        maxAckPending: 1024,
      });
      const ac = new AbortController();
      let acked = 0;
      const meter = cpuMeter(sources);
      const t0 = performance.now();
      const published = p.ask({
        cmd: "publish",
        tag: "sustain",
        msgIdPrefix: `${PROFILE}/bench-raw`,
      });
      await consumer.run(async (ds) => {
        for (const d of ds) await d.ack(); // as the ingest does: in order, confirmed
        acked += ds.length;
        if (acked >= batches) ac.abort();
      }, ac.signal);
      const s = (performance.now() - t0) / 1000;
      await published;
      const cpu = meter();
      await jsm.consumers.delete(TELEMETRY_STREAM, "bench-raw");
      return { rate: N / s, cpu };
    })();
    note(`raw JetStream: ${fmt(raw.rate)} events/s`);

    // 2. COPY of the same rows (events rebuilt here by the same code), then emptied again.
    const copy = await (async () => {
      const events: TelemetryEvent[] = [];
      const at = Date.now();
      for (const b of loadBatches(N))
        events.push(...loadEvents("sustain", b.from, b.n, b.dev, at + b.offsetMs));
      const rows = batchRows([{ producerId: sustainProducer, sequence: 1, events }]);
      const meter = cpuMeter(sources);
      const t0 = performance.now();
      for (const t of rows.tables)
        if (t.rows.length) await psqlCopy(env.postgres.url, env.postgres.ca, t);
      const s = (performance.now() - t0) / 1000;
      const cpu = meter();
      const n = await pool.query(
        "SELECT (SELECT count(*) FROM metrics) + (SELECT count(*) FROM flows) + (SELECT count(*) FROM logs) AS n",
      );
      if (Number(n.rows[0].n) !== N) throw new Error(`COPY stored ${n.rows[0].n} of ${N}`);
      await pool.query("TRUNCATE metrics, flows, logs, devices, verifier_state");
      await pool.query("VACUUM ANALYZE metrics, flows, logs");
      return { rate: N / s, cpu };
    })();
    note(`COPY: ${fmt(copy.rate)} events/s`);

    // 3. The analytics process.
    analytics = spawn(
      process.execPath,
      [
        ...(prof
          ? ["--cpu-prof", `--cpu-prof-dir=${prof}`, "--cpu-prof-name=analytics.cpuprofile"]
          : []),
        join(repoRoot, "operator/cli.ts"),
        ...(await analyticsArgs(env, kubeconfig, OPERATOR_NS)),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const a = analytics;
    const analyticsExited = new Promise((r) => a.once("exit", r));
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: a.stderr as NodeJS.ReadableStream });
      lines.on("line", (l) => {
        analyticsLog = `${analyticsLog}${l}\n`.slice(-20_000);
        try {
          const o = JSON.parse(l) as { msg?: string; metricsPort?: number };
          if (o.msg === "started" && o.metricsPort) resolve(o.metricsPort);
        } catch {
          // not JSON
        }
      });
      a.once("exit", (c) => reject(new Error(`analytics exited ${c}:\n${analyticsLog}`)));
    });
    await sleep(1000); // rules compiled (debounced 200 ms), consumer fetching

    const waitInserted = async (
      target: number,
      timeoutMs: number,
      onSample?: (t: number, n: number) => void,
    ) => {
      const end = performance.now() + timeoutMs;
      for (;;) {
        const m = await scrape(port);
        onSample?.(performance.now(), m.inserted);
        if (m.inserted >= target) return m;
        if (performance.now() > end)
          throw new Error(
            `stored ${m.inserted} of ${target} events in time; analytics log:\n${analyticsLog.slice(-3000)}`,
          );
        await sleep(200);
      }
    };

    // 4. Sustained: N events published as fast as the bus takes them; analytics drains.
    const ours = await (async () => {
      const base = (await scrape(port)).inserted;
      const samples: { t: number; n: number }[] = [];
      const pg0 = await pgActivity(pool);
      const meter = cpuMeter(sources);
      const t0 = performance.now();
      const published = p.ask({ cmd: "publish", tag: "sustain" });
      const m = await waitInserted(base + N, 240_000, (t, n) => samples.push({ t, n: n - base }));
      const total = (performance.now() - t0) / 1000;
      const cpu = meter();
      const pgWork = pgDelta(pg0, await pgActivity(pool));
      const pub = await published;
      if (m.rejected > 0 || m.storeErrors > 0)
        throw new Error(`rejected ${m.rejected} batches, ${m.storeErrors} store errors`);
      // When the count crossed x (linear between samples).
      const cross = (x: number) => {
        for (let i = 1; i < samples.length; i++) {
          const s0 = samples[i - 1] as { t: number; n: number };
          const s1 = samples[i] as { t: number; n: number };
          if (s1.n >= x) return s0.t + ((x - s0.n) / Math.max(1, s1.n - s0.n)) * (s1.t - s0.t);
        }
        return Number.NaN;
      };
      const steady = (0.8 * N) / ((cross(0.9 * N) - cross(0.1 * N)) / 1000);
      return { steady, overall: N / total, publishS: (pub.ms as number) / 1000, cpu, pgWork };
    })();
    note(`ours: ${fmt(ours.steady)} events/s steady, ${fmt(ours.overall)} overall`);

    // 5. Latency at 10 % and 80 % of the sustained rate.
    const notes: { at: number; lastSeen: number }[] = [];
    const listener = await pool.connect();
    listener.on("notification", (n) => notes.push({ at: Date.now(), lastSeen: Number(n.payload) }));
    await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
    const summarize = (created: number[], seenAt: (c: number, j: number) => number | undefined) => {
      const lat: number[] = [];
      // The worst probe of each second of the phase: a queue that builds, or spikes.
      const perSecond: number[] = [];
      let lost = 0;
      for (const [j, c] of created.entries()) {
        const at = seenAt(c, j);
        if (at === undefined) lost++;
        else {
          lat.push(at - c);
          const s = Math.floor((c - (created[0] ?? c)) / 1000);
          perSecond[s] = Math.max(perSecond[s] ?? 0, at - c);
        }
      }
      lat.sort((x, y) => x - y);
      return {
        probes: created.length,
        lost,
        p50: percentile(lat, 50),
        p95: percentile(lat, 95),
        p99: percentile(lat, 99),
        max: lat.at(-1) ?? Number.NaN,
        perSecond,
      };
    };
    const latency = async (share: number) => {
      const rate = share * ours.steady;
      const total = Math.max(BATCH, Math.round((rate * LATENCY_SECONDS) / BATCH) * BATCH);
      const tag = `lat${Math.round(share * 100)}`;
      await p.ask({ cmd: "prepare", tag, total, rate, producer: `${PROFILE}/bench-${tag}` });
      const before = await scrape(port);
      const base = before.inserted;
      notes.length = 0;
      const pg0 = await pgActivity(pool);
      const meter = cpuMeter(sources);
      const r = await p.ask({
        cmd: "paced",
        tag,
        rate,
        probeRate: PROBE_RATE,
        probeProducer: `${PROFILE}/probe-${tag}`,
      });
      const created = r.created as number[];
      const after = await waitInserted(base + total + created.length, 60_000);
      const last = created.at(-1) ?? 0;
      const end = performance.now() + 30_000;
      while (!notes.some((x) => x.lastSeen >= last) && performance.now() < end) await sleep(50);
      const cpu = meter();
      const pgWork = pgDelta(pg0, await pgActivity(pool));
      const stats = summarize(created, (c) => notes.find((x) => x.lastSeen >= c)?.at);
      const rawStats = await rawLatency(tag, rate, Math.ceil(total / BATCH));
      note(`latency at ${share * 100}%: p99 ${stats.p99} ms (raw bus p99 ${rawStats.p99} ms)`);
      return {
        share,
        rate,
        ...stats,
        raw: rawStats,
        paceLagMs: r.maxLagMs as number,
        findingUpdates: after.findingUpdates - before.findingUpdates,
        cpu,
        pgWork,
      };
    };
    // The same paced load and probes through the bus alone: another stream of
    // the same kind, consumed here by the bus consumer with the ingest's
    // settings (fetch 64, in-order confirmed acks); a probe counts when its
    // delivery reaches the handler.
    const RAW_PREFIX = "amoskys-bench";
    await ensureStream(jsm, {
      ...telemetryStream(),
      name: "AMOSKYS_BENCH_RAW",
      subjects: [`${RAW_PREFIX}.>`],
      description: "analytics benchmark: the bus alone",
    });
    const rawLatency = async (tag: string, rate: number, batches: number) => {
      const consumer = await natsConsumer(js, jsm, "AMOSKYS_BENCH_RAW", `bench-${tag}`, {
        batchSize: 64,
        maxAckPending: 1024,
      });
      const probeProducer = `${PROFILE}/probe-raw-${tag}`;
      const arrived = new Map<number, number>();
      const ac = new AbortController();
      let acked = 0;
      let expected = Number.POSITIVE_INFINITY;
      const consuming = consumer.run(async (ds) => {
        for (const d of ds) {
          const id = parseMsgId(d.msgId);
          if (id.producer === probeProducer) arrived.set(id.seq, Date.now());
          await d.ack();
        }
        acked += ds.length;
        if (acked >= expected) ac.abort();
      }, ac.signal);
      const r = await p.ask({
        cmd: "paced",
        tag,
        rate,
        probeRate: PROBE_RATE,
        probeProducer,
        subjectPrefix: RAW_PREFIX,
      });
      const created = r.created as number[];
      expected = batches + created.length;
      if (acked >= expected) ac.abort();
      await Promise.race([consuming, sleep(60_000)]);
      ac.abort();
      await jsm.consumers.delete("AMOSKYS_BENCH_RAW", `bench-${tag}`).catch(() => {});
      return summarize(created, (_, j) => arrived.get(j + 1));
    };
    const lat10 = await latency(0.1);
    const lat80 = await latency(0.8);
    listener.release();

    // Stop analytics (the CPU profile is written at exit).
    a.kill("SIGTERM");
    await Promise.race([analyticsExited, sleep(30_000)]);
    await p.ask({ cmd: "exit" });
    await Promise.race([p.exited, sleep(10_000)]);

    // The report.
    const lines: string[] = [];
    const out = (s = "") => lines.push(s);
    out(
      `analytics: ${fmt(N)} events (70% metrics, 20% flows, 10% syslog; ${BATCH}-event signed zstd batches, 50 devices), nats-server ${env.nats.version} TLS, PostgreSQL 15 TLS (fsync=off), 2 cores shared`,
    );
    out("");
    out("                                      events/s    vs COPY   vs raw JetStream");
    const row = (name: string, v: number) =>
      out(
        `${name.padEnd(36)}${fmt(v).padStart(10)}  ${((v / copy.rate) * 100).toFixed(0).padStart(7)}%  ${((v / raw.rate) * 100).toFixed(0).padStart(16)}%`,
      );
    row("ours (steady, 10-90% of the run)", ours.steady);
    row("ours (overall, publish to last row)", ours.overall);
    row("raw JetStream (publish + consume)", raw.rate);
    row("Postgres COPY (psql \\copy, CSV)", copy.rate);
    out(
      `goal ≥ ${fmt(GOAL_RATE)} events/s sustained: ${ours.steady >= GOAL_RATE ? "MET" : "NOT MET"} (${((ours.steady / GOAL_RATE) * 100).toFixed(0)}% of goal)`,
    );
    out("");
    out("");
    out(
      `detection latency, event creation → finding row visible (NOTIFY); probes ${PROBE_RATE}/s for ${LATENCY_SECONDS} s, each in a batch of its own`,
    );
    out(
      "load               events/s  probes lost    p50    p95    p99    max  | bus alone: p50    p99    max",
    );
    const ms = (v: number) => `${Number.isFinite(v) ? v.toFixed(0) : "-"}`.padStart(6);
    for (const l of [lat10, lat80])
      out(
        `${`${(l.share * 100).toFixed(0)}% of ours`.padEnd(12)}${fmt(l.rate).padStart(15)}  ${String(l.probes).padStart(6)} ${String(l.lost).padStart(4)} ${ms(l.p50)} ${ms(l.p95)} ${ms(l.p99)} ${ms(l.max)}  |           ${ms(l.raw.p50)} ${ms(l.raw.p99)} ${ms(l.raw.max)}   (ms; bus lost ${l.raw.lost})`,
      );
    for (const l of [lat10, lat80])
      out(
        `finding updates (upserts) at ${(l.share * 100).toFixed(0)}%: ${l.findingUpdates} (probes ${l.probes})`,
      );
    for (const l of [lat10, lat80])
      out(
        `worst probe per second at ${(l.share * 100).toFixed(0)}% (ms): ${Array.from(l.perSecond, (v) => (v === undefined ? "-" : v.toFixed(0))).join(" ")}`,
      );
    out(
      `goal p99 < ${GOAL_P99_MS} ms at 80% load: ${lat80.p99 < GOAL_P99_MS ? "MET" : "NOT MET"} (measured at 80% of ours = ${fmt(lat80.rate)} events/s)`,
    );
    out("");
    out("CPU: cores used during each phase (the machine has 2; 'others' = processes not ours)");
    const names = [
      "analytics",
      "producer",
      "nats",
      "postgres",
      "kube",
      "bench",
      "others",
      "machine",
    ];
    const keys = [...Object.keys(sources), "others", "machine"];
    out(`${"phase".padEnd(14)}${names.map((k) => k.padStart(10)).join("")}`);
    const cpuRow = (name: string, c: Cpu) => {
      const ourSum = Object.keys(sources).reduce((s, k) => s + (c.used[k] ?? 0), 0);
      const v: Record<string, number> = {
        ...c.used,
        others: Math.max(0, (c.used.machine ?? 0) - ourSum),
      };
      out(
        `${name.padEnd(14)}${keys.map((k) => ((v[k] ?? 0) / c.wallS).toFixed(2).padStart(10)).join("")}`,
      );
    };
    cpuRow("raw JetStream", raw.cpu);
    cpuRow("COPY", copy.cpu);
    cpuRow("ours", ours.cpu);
    cpuRow("latency 10%", lat10.cpu);
    cpuRow("latency 80%", lat80.cpu);
    out("Postgres' background work in each phase:");
    for (const [name, w] of [
      ["ours", ours.pgWork],
      ["latency 10%", lat10.pgWork],
      ["latency 80%", lat80.pgWork],
    ] as const)
      out(`  ${name.padEnd(12)}${formatPgActivity(w)}`);
    // CPU per event in the sustained run, and what it allows on 2 cores of our own.
    const us = (k: string, c: Cpu = ours.cpu) => ((c.used[k] ?? 0) / N) * 1e6;
    const an = us("analytics");
    const pg = us("postgres");
    const bus = us("nats-server");
    out(
      `CPU per event, sustained: analytics ${an.toFixed(1)} µs, postgres ${pg.toFixed(1)} µs, nats-server ${bus.toFixed(1)} µs (COPY: postgres ${us("postgres", copy.cpu).toFixed(1)} µs + bench/psql ${us("bench (+psql)", copy.cpu).toFixed(1)} µs)`,
    );
    out(
      `  → bounds with both cores ours alone: analytics on one core ${fmt(1e6 / an)} events/s; ` +
        `with no overlap (analytics, then Postgres, then the bus) ${fmt(1e6 / (an + pg + bus))} events/s; ` +
        `fully overlapped on 2 cores ${fmt(Math.min(1e6 / an, 2e6 / (an + pg + bus)))} events/s`,
    );
    const othersOurs =
      ((ours.cpu.used.machine ?? 0) -
        Object.keys(sources).reduce((t, k) => t + (ours.cpu.used[k] ?? 0), 0)) /
      ours.cpu.wallS;
    if (othersOurs > 0.3)
      out(
        `NOTE: other processes used ${othersOurs.toFixed(2)} of the 2 cores during the sustained run: the events/s above are lower bounds; the CPU-per-event bounds are the better guide.`,
      );
    out(
      `max producer pace lag: ${lat10.paceLagMs.toFixed(0)} ms (10%), ${lat80.paceLagMs.toFixed(0)} ms (80%); sustained publish took ${ours.publishS.toFixed(1)} s`,
    );
    console.log(lines.join("\n"));
    if (prof) {
      try {
        console.log(
          await summarizeProfile(join(prof, "analytics.cpuprofile"), {
            title: "analytics CPU profile",
            by: "folder",
          }),
        );
      } catch (err) {
        console.log(`no CPU profile: ${(err as Error).message}`);
      }
    }
    note("done");
  } finally {
    analytics?.kill("SIGKILL");
    if (producer) await producer.ask({ cmd: "exit" }).catch(() => {});
    await nc.close().catch(() => {});
    await pool.end().catch(() => {});
    await env.stop();
  }
}
