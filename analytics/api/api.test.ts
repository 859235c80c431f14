// The analytics API against real PostgreSQL 15 (migrated store, events
// written by writeBatch, findings by upsertFinding) and a real kube-apiserver
// (TokenReview and SubjectAccessReview for ServiceAccount tokens made by
// `kubectl create token`), over HTTPS with certificates from e2e/env/pki.ts.
// Expected values are computed by hand from the seeded samples below.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { type RequestOptions, request } from "node:https";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import type pg from "pg";
import { Registry } from "prom-client";
import { Capability, event, MetricKind, Source, SyslogFormat } from "../../agents/events.ts";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { CertificateAuthority } from "../../e2e/env/pki.ts";
import { createKubeClient } from "../../operator/kube/client.ts";
import { metricValue } from "../../operator/kube/metrics.ts";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { createLogger } from "../../runtime/log.ts";
import type { FindingUpdate } from "../model.ts";
import {
  ensurePartitions,
  migrate,
  setFindingState,
  upsertFinding,
  writeBatch,
} from "../store/index.ts";
import { testPool } from "../store/testing.ts";
import {
  type Api,
  type Authenticator,
  createApi,
  createLiveHub,
  embeddedAuth,
  kubernetesAuth,
} from "./index.ts";
import type { FindingRow } from "./queries.ts";

const run = promisify(execFile);
const TOKEN = "s3cret-api-token-for-tests";
// A fixed minute boundary, so bucket edges are easy to compute by hand.
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
// Error lines are kept (and still written): hostile input must never produce one.
const errorLines: string[] = [];
const logger = createLogger("api-test", {
  level: "error",
  write: (line) => {
    errorLines.push(line);
    process.stderr.write(`${line}\n`);
  },
});

let env: EnvWith<{ postgres: true; kube: true }>;
let pool: pg.Pool;
let ca: CertificateAuthority;
let api: Api;
let base: string;
let kapi: Api;
let kbase: string;
const hub = createLiveHub();
const registry = new Registry();
const mirrored: [number, string][] = [];
const ids: Record<string, number> = {};

// Answers are checked field by field against hand-computed values.
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of the answers under test
type Json = any;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Json;
}

function call(url: string, opts: RequestOptions & { token?: string } = {}): Promise<Res> {
  const { token, ...rest } = opts;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readCa(),
        ...rest,
        headers: {
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
          ...rest.headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
let caPem: string | undefined;
function readCa(): string {
  caPem ??= readFileSync(ca.cert, "utf8");
  return caPem as string;
}

const dev = (name: string, namespace = "plant-1") => ({ namespace, name, address: "127.0.0.1" });

function metric(d: ReturnType<typeof dev>, name: string, ms: number, value: number, labels = {}) {
  return event(
    {
      device: d,
      source: Source.SOURCE_PROTOCOL_MODBUS,
      observedMs: ms,
      collectedMs: ms + 50,
      idParts: [name, JSON.stringify(labels), ms],
    },
    { metric: { name, value, unit: "Cel", kind: MetricKind.METRIC_KIND_GAUGE, labels } },
  );
}

function syslog(d: ReturnType<typeof dev>, ms: number, severity: number, message: string) {
  return event(
    {
      device: d,
      source: Source.SOURCE_PROTOCOL_SYSLOG,
      observedMs: ms,
      collectedMs: ms + 20,
      idParts: [message, ms],
    },
    {
      log: {
        format: SyslogFormat.SYSLOG_FORMAT_RFC5424,
        facility: 4,
        severity,
        hostname: d.name,
        appName: "sshd",
        procId: "812",
        msgId: "",
        message,
      },
    },
  );
}

function finding(
  rule: string,
  device: ReturnType<typeof dev>,
  severity: FindingUpdate["severity"],
  lastSeenMs: number,
  key = "",
): FindingUpdate {
  return {
    rule: { namespace: device.namespace, name: rule },
    device: { namespace: device.namespace, name: device.name },
    key,
    severity,
    title: `${rule} on ${device.name}`,
    mitre: ["T0855"],
    count: 3,
    suppressed: 1,
    firstSeenMs: lastSeenMs - 60_000,
    lastSeenMs,
    evidence: { eventIds: ["e1", "e2"], summary: `${rule} matched 3 events` },
    fire: true,
  };
}

const plc = dev("plc-7");
const hmi = dev("hmi-2");
const rtu = dev("rtu-1", "plant-2");

// Samples of modbus.hr.40001 on plc-7, seconds after T0 → value.
const SAMPLES: [number, number][] = [
  [0, 10],
  [10, 20],
  [20, 30],
  [30, 40],
  [45, 50],
  [60, 60],
  [61, 70],
  [119, 80],
  [120, 90],
];

async function seed(): Promise<void> {
  const events: TelemetryEvent[] = [
    ...SAMPLES.map(([s, v]) => metric(plc, "modbus.hr.40001", T0 + s * 1000, v)),
    // Same metric name on another device: must not leak into plc-7's series.
    metric(hmi, "modbus.hr.40001", T0 + 5_000, 1000),
    metric(plc, "if.in.octets", T0 + 1_000, 100, { ifIndex: "1" }),
    metric(plc, "if.in.octets", T0 + 1_000, 200, { ifIndex: "2" }),
    syslog(plc, T0 + 1_000, 2, "Failed password for root from 10.0.0.9 port 50022 ssh2"),
    syslog(plc, T0 + 2_000, 6, "Accepted publickey for admin from 10.0.0.5"),
    syslog(plc, T0 + 3_000, 4, "FAILED PASSWORD for bob from 10.0.0.9"),
    syslog(plc, T0 + 4_000, 5, "disk 50% full"),
    syslog(hmi, T0 + 5_000, 2, "Failed password for root from 10.0.0.9"),
    event(
      {
        device: plc,
        source: Source.SOURCE_PROTOCOL_AGENT,
        observedMs: T0 + 130_000,
        collectedMs: T0 + 130_100,
        idParts: ["status", T0 + 130_000],
      },
      {
        status: {
          protocol: Source.SOURCE_PROTOCOL_MODBUS,
          reachable: true,
          latencyMs: 3.5,
          capability: Capability.CAPABILITY_REAL,
          reason: "",
        },
      },
    ),
    metric(rtu, "modbus.hr.1", T0, 1),
  ];
  const client = await pool.connect();
  try {
    const r = await writeBatch(client, "plant-1/edge/edge-0", 1, events);
    assert.equal(r.batch, "new");
    assert.equal(r.inserted, events.length);
  } finally {
    client.release();
  }
  const m = 60_000;
  const put = async (k: string, u: FindingUpdate) => {
    ids[k] = (await upsertFinding(pool, u)).id;
  };
  await put("brute", finding("brute-force", plc, "high", T0 + 10 * m, "10.0.0.9"));
  await put("write", finding("modbus-write", plc, "critical", T0 + 20 * m));
  await put("bruteHmi", finding("brute-force", hmi, "high", T0 + 30 * m, "10.0.0.9"));
  await put("rtu", finding("scan", rtu, "low", T0 + 40 * m));
  await put("scan", finding("scan", plc, "medium", T0 + 50 * m));
  assert.ok(await setFindingState(pool, ids.scan as number, "resolved"));
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(env.kube.kubectl, ["--kubeconfig", env.kube.kubeconfig, ...args]);
  return stdout.trim();
}

before(async () => {
  env = await startEnv({ postgres: true, kube: true, verbose: false });
  pool = testPool(env.postgres);
  await migrate(pool);
  await ensurePartitions(pool, T0, { daysAhead: 1, daysBehind: 1 });
  await seed();
  const dir = join(env.root, "api-pki");
  await mkdir(dir, { recursive: true });
  ca = await CertificateAuthority.create(dir, "API test CA");
  const cert = await ca.issue({
    file: "api",
    cn: "amoskys-api",
    dns: ["localhost"],
    ips: ["127.0.0.1"],
    usage: "server",
  });
  api = createApi({
    pool,
    auth: embeddedAuth({ token: TOKEN }),
    tls: { certFile: cert.cert, keyFile: cert.key },
    logger,
    registry,
    live: hub,
    onFindingState: (f, s) => {
      mirrored.push([f.id, s]);
    },
    limits: { heartbeatMs: 300, streamQueueBytes: 1024 * 1024 },
  });
  base = `https://127.0.0.1:${await api.listen(0, "127.0.0.1")}`;

  const kc = new KubeConfig();
  kc.loadFromFile(env.kube.kubeconfig);
  const kube = createKubeClient(kc, { registry: new Registry(), fieldManager: "amoskys-api" });
  kapi = createApi({
    pool,
    auth: kubernetesAuth({ kube, registry }),
    tls: { certFile: cert.cert, keyFile: cert.key },
    logger,
    registry: new Registry(),
  });
  kbase = `https://127.0.0.1:${await kapi.listen(0, "127.0.0.1")}`;
});

after(async () => {
  await api?.close();
  await kapi?.close();
  await pool?.end();
  await env?.stop();
});

const get = (path: string, token: string | null = TOKEN) =>
  call(`${base}${path}`, token === null ? {} : { token });
const post = (path: string, token: string | undefined = TOKEN) =>
  call(`${base}${path}`, { token, method: "POST" });

describe("devices", () => {
  test("list with status per protocol and open findings by severity", async () => {
    const r = await get("/api/v1/devices?namespace=plant-1");
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(
      r.json.items.map((d: { name: string }) => d.name),
      ["hmi-2", "plc-7"],
    );
    const p = r.json.items[1];
    // first/last seen are collect times: T0 + 50 ms (first sample) and T0 + 130.1 s (the Status).
    assert.equal(p.firstSeen, new Date(T0 + 50).toISOString());
    assert.equal(p.lastSeen, new Date(T0 + 130_100).toISOString());
    assert.equal(p.status.modbus.reachable, true);
    assert.equal(p.status.modbus.capability, "real");
    assert.equal(p.status.modbus.latencyMs, 3.5);
    // brute-force (high) and modbus-write (critical) are open; scan (medium) is resolved.
    assert.deepEqual(p.openFindings, {
      info: 0,
      low: 0,
      medium: 0,
      high: 1,
      critical: 1,
      total: 2,
    });
    const all = await get("/api/v1/devices");
    assert.deepEqual(
      all.json.items.map((d: { namespace: string; name: string }) => `${d.namespace}/${d.name}`),
      ["plant-1/hmi-2", "plant-1/plc-7", "plant-2/rtu-1"],
    );
  });

  test("pagination and one device", async () => {
    const p1 = await get("/api/v1/devices?limit=2");
    assert.equal(p1.json.items.length, 2);
    assert.ok(p1.json.nextCursor);
    const p2 = await get(`/api/v1/devices?limit=2&cursor=${p1.json.nextCursor}`);
    assert.deepEqual(
      p2.json.items.map((d: { name: string }) => d.name),
      ["rtu-1"],
    );
    assert.equal(p2.json.nextCursor, undefined);
    const one = await get("/api/v1/devices/plant-2/rtu-1");
    assert.equal(one.status, 200);
    assert.equal(one.json.name, "rtu-1");
    assert.deepEqual(one.json.openFindings.low, 1);
    const none = await get("/api/v1/devices/plant-2/nope");
    assert.equal(none.status, 404);
    assert.equal(none.json.status, 404);
    assert.match(none.headers["content-type"] as string, /^application\/problem\+json/);
  });
});

describe("findings", () => {
  const names = (r: Res) => r.json.items.map((f: FindingRow) => `${f.device.name}:${f.rule.name}`);

  test("filters", async () => {
    assert.deepEqual(names(await get("/api/v1/findings?severity=high")), [
      "hmi-2:brute-force",
      "plc-7:brute-force",
    ]);
    assert.deepEqual(names(await get("/api/v1/findings?severity=high&severity=critical")), [
      "hmi-2:brute-force",
      "plc-7:modbus-write",
      "plc-7:brute-force",
    ]);
    assert.deepEqual(names(await get("/api/v1/findings?namespace=plant-1&device=plc-7")), [
      "plc-7:scan",
      "plc-7:modbus-write",
      "plc-7:brute-force",
    ]);
    assert.deepEqual(names(await get("/api/v1/findings?rule=scan")), ["plc-7:scan", "rtu-1:scan"]);
    assert.deepEqual(names(await get("/api/v1/findings?namespace=plant-2")), ["rtu-1:scan"]);
    assert.deepEqual(names(await get("/api/v1/findings?state=resolved")), ["plc-7:scan"]);
    // last seen at T0+30m, +40m, +50m
    const since = new Date(T0 + 30 * 60_000).toISOString();
    assert.deepEqual(names(await get(`/api/v1/findings?since=${encodeURIComponent(since)}`)), [
      "plc-7:scan",
      "rtu-1:scan",
      "hmi-2:brute-force",
    ]);
  });

  test("pagination with limit and cursor visits every finding once, newest first", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await get(`/api/v1/findings?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(r.status, 200, r.body);
      assert.ok(r.json.items.length <= 2);
      seen.push(...r.json.items.map((f: FindingRow) => f.id));
      cursor = r.json.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      Object.values(ids).sort((a, b) => b - a),
    );
    const bad = await get("/api/v1/findings?cursor=garbage");
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errors[0].field, "cursor");
  });

  test("one finding with its evidence", async () => {
    const r = await get(`/api/v1/findings/${ids.brute}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.key, "10.0.0.9");
    assert.equal(r.json.severity, "high");
    assert.equal(r.json.count, 3);
    assert.equal(r.json.suppressed, 1);
    assert.deepEqual(r.json.mitre, ["T0855"]);
    assert.deepEqual(r.json.evidence, {
      eventIds: ["e1", "e2"],
      summary: "brute-force matched 3 events",
    });
    assert.equal(r.json.lastSeen, new Date(T0 + 10 * 60_000).toISOString());
    assert.equal((await get("/api/v1/findings/999999")).status, 404);
  });

  test("acknowledge and resolve change Postgres and call onFindingState", async () => {
    const ack = await post(`/api/v1/findings/${ids.write}/acknowledge`);
    assert.equal(ack.status, 200, ack.body);
    assert.equal(ack.json.state, "acknowledged");
    const row = await pool.query("SELECT state FROM findings WHERE id = $1", [ids.write]);
    assert.equal(row.rows[0].state, "acknowledged");
    assert.deepEqual(mirrored.at(-1), [ids.write, "acknowledged"]);

    const res = await post(`/api/v1/findings/${ids.write}/resolve`);
    assert.equal(res.json.state, "resolved");
    assert.deepEqual(mirrored.at(-1), [ids.write, "resolved"]);
    assert.equal(
      (await pool.query("SELECT state FROM findings WHERE id = $1", [ids.write])).rows[0].state,
      "resolved",
    );
    // A resolved finding is not acknowledged (it reopens when it fires again).
    const conflict = await post(`/api/v1/findings/${ids.write}/acknowledge`);
    assert.equal(conflict.status, 409);
    assert.equal((await post("/api/v1/findings/999999/resolve")).status, 404);
    // The device's open count follows.
    const d = await get("/api/v1/devices/plant-1/plc-7");
    assert.deepEqual(d.json.openFindings.critical, 0);
    // Reopen for the other tests' counts.
    await setFindingState(pool, ids.write as number, "open");
  });
});

describe("telemetry", () => {
  const series = (qs: string) =>
    get(`/api/v1/telemetry/metrics?namespace=plant-1&device=plc-7&${qs}`);
  const at = (s: number) => encodeURIComponent(new Date(T0 + s * 1000).toISOString());

  test("downsampling: avg/min/max/count per bucket, aligned on from, to exclusive", async () => {
    const r = await series(`metric=modbus.hr.40001&from=${at(0)}&to=${at(120)}&step=60s`);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.stepMs, 60_000);
    assert.equal(r.json.unit, "Cel");
    // [0,60): 10,20,30,40,50; [60,120): 60,70,80; the sample at 120 s is outside.
    assert.deepEqual(r.json.points, [
      { t: new Date(T0).toISOString(), avg: 30, min: 10, max: 50, count: 5 },
      { t: new Date(T0 + 60_000).toISOString(), avg: 70, min: 60, max: 80, count: 3 },
    ]);
    // Buckets start at from: [30,90): 40,50,60,70; [90,150): 80,90.
    const shifted = await series(`metric=modbus.hr.40001&from=${at(30)}&to=${at(150)}&step=1m`);
    assert.deepEqual(shifted.json.points, [
      { t: new Date(T0 + 30_000).toISOString(), avg: 55, min: 40, max: 70, count: 4 },
      { t: new Date(T0 + 90_000).toISOString(), avg: 85, min: 80, max: 90, count: 2 },
    ]);
    // 20 s buckets over [0,60): {10,20}, {30,40}, {50}.
    const fine = await series(`metric=modbus.hr.40001&from=${at(0)}&to=${at(60)}&step=20s`);
    assert.deepEqual(
      fine.json.points.map((p: { avg: number; count: number }) => [p.avg, p.count]),
      [
        [15, 2],
        [35, 2],
        [50, 1],
      ],
    );
  });

  test("label filter and device isolation", async () => {
    const one = await series(
      `metric=if.in.octets&from=${at(0)}&to=${at(60)}&step=60s&label=ifIndex%3D2`,
    );
    assert.deepEqual(
      one.json.points.map((p: { avg: number; count: number }) => [p.avg, p.count]),
      [[200, 1]],
    );
    const both = await series(`metric=if.in.octets&from=${at(0)}&to=${at(60)}&step=60s`);
    assert.deepEqual(
      both.json.points.map((p: { avg: number; count: number }) => [p.avg, p.count]),
      [[150, 2]],
    );
    const hmiSeries = await get(
      `/api/v1/telemetry/metrics?namespace=plant-1&device=hmi-2&metric=modbus.hr.40001&from=${at(0)}&to=${at(60)}&step=60s`,
    );
    assert.deepEqual(
      hmiSeries.json.points.map((p: { avg: number }) => p.avg),
      [1000],
    );
  });

  test("limits: too many points, range too wide, bad step name the field", async () => {
    const many = await series(`metric=modbus.hr.40001&from=${at(0)}&to=${at(2 * 86_400)}&step=1s`);
    assert.equal(many.status, 400);
    assert.equal(many.json.errors[0].field, "step");
    const wide = await series(`metric=modbus.hr.40001&from=${at(0)}&to=${at(40 * 86_400)}&step=1d`);
    assert.equal(wide.status, 400);
    assert.equal(wide.json.errors[0].field, "from");
    const badStep = await series(`metric=modbus.hr.40001&step=fast`);
    assert.equal(badStep.status, 400);
    assert.equal(badStep.json.errors[0].field, "step");
    const missing = await get("/api/v1/telemetry/metrics?namespace=plant-1&device=plc-7");
    assert.equal(missing.status, 400);
    assert.equal(missing.json.errors[0].field, "metric");
    // Without a step, the range is cut into about 300 buckets: 2 h → 24 s.
    const auto = await series(`metric=modbus.hr.40001&from=${at(0)}&to=${at(7200)}`);
    assert.equal(auto.json.stepMs, 24_000);
  });

  test("logs: device, time range, text filter (no pattern syntax), severity, limit", async () => {
    const q = (qs: string) =>
      get(`/api/v1/telemetry/logs?namespace=plant-1&since=${at(0)}&until=${at(60)}&${qs}`);
    const msgs = (r: Res) => r.json.items.map((l: { message: string }) => l.message);
    const all = await q("device=plc-7");
    assert.equal(all.status, 200, all.body);
    assert.equal(all.json.items.length, 4);
    assert.equal(all.json.items[0].message, "disk 50% full"); // newest first
    assert.deepEqual(msgs(await q("device=plc-7&q=failed%20password")), [
      "FAILED PASSWORD for bob from 10.0.0.9",
      "Failed password for root from 10.0.0.9 port 50022 ssh2",
    ]);
    assert.deepEqual(msgs(await q("q=failed%20password")).length, 3); // hmi-2 too
    assert.deepEqual(msgs(await q("device=plc-7&q=%25")), ["disk 50% full"]);
    assert.deepEqual(msgs(await q("device=plc-7&maxSeverity=3")), [
      "Failed password for root from 10.0.0.9 port 50022 ssh2",
    ]);
    assert.equal((await q("device=plc-7&limit=2")).json.items.length, 2);
    const l = (await q("device=plc-7&q=disk")).json.items[0];
    assert.equal(l.severity, 5);
    assert.equal(l.appName, "sshd");
    assert.equal(l.observed, new Date(T0 + 4_000).toISOString());
    const tooMany = await q("limit=100000");
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.json.errors[0].field, "limit");
  });
});

describe("errors and documents", () => {
  test("validation errors are problem details naming the field", async () => {
    const r = await get("/api/v1/findings?limit=0");
    assert.equal(r.status, 400);
    assert.match(r.headers["content-type"] as string, /^application\/problem\+json/);
    assert.deepEqual(r.json.errors, [
      { in: "querystring", field: "limit", message: "must be >= 1" },
    ]);
    const sev = await get("/api/v1/findings?severity=urgent");
    assert.equal(sev.status, 400);
    assert.equal(sev.json.errors[0].field, "severity.0");
    const unknown = await get("/api/v1/findings?namespce=plant-1");
    assert.equal(unknown.json.errors[0].field, "namespce");
    const since = await get("/api/v1/findings?since=yesterday");
    assert.equal(since.json.errors[0].field, "since");
    const id = await get("/api/v1/findings/1;DROP%20TABLE%20findings");
    assert.equal(id.status, 400);
    assert.equal(id.json.errors[0].field, "id");
    // Hostile strings are parameters, never SQL.
    const inj = await get(`/api/v1/findings?namespace=${encodeURIComponent("x' OR '1'='1")}`);
    assert.equal(inj.status, 200);
    assert.deepEqual(inj.json.items, []);
  });

  test("hostile cursors, NUL bytes and huge steps are 400 problem details, never 500 or an error log", async () => {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
    const at = (s: number) => encodeURIComponent(new Date(T0 + s * 1000).toISOString());
    const metrics = `/api/v1/telemetry/metrics?namespace=plant-1&device=plc-7&metric=modbus.hr.40001&from=${at(0)}&to=${at(120)}`;
    // [path, the field the 400 names]
    const hostile: [string, string][] = [
      [`/api/v1/findings?cursor=${b64("[1e400]")}`, "cursor"], // Infinity
      [`/api/v1/findings?cursor=${b64("[1e20]")}`, "cursor"], // beyond bigint
      [`/api/v1/findings?cursor=${b64("[1.5]")}`, "cursor"], // not an id
      [`/api/v1/devices?cursor=${b64('["plant-1\\u0000","x"]')}`, "cursor"], // NUL inside the JSON
      [`/api/v1/devices?cursor=${b64(`["plant-1${"\u0000"}","x"]`)}`, "cursor"], // a raw NUL byte
      [`/api/v1/devices?cursor=${b64(`["${"a".repeat(300)}","x"]`)}`, "cursor"], // no such name
      ["/api/v1/findings?namespace=plant%00-1", "namespace"],
      ["/api/v1/findings?rule=a%00", "rule"],
      ["/api/v1/findings?since=0000-01-01T00:00:00Z", "since"], // no year 0 in Postgres
      [`${metrics.replace(/from=[^&]*/, "from=0000-12-31T00:00:00Z")}`, "from"],
      ["/api/v1/devices/plant-1/plc%00-7", "name"],
      ["/api/v1/telemetry/logs?namespace=plant-1&q=%00", "q"],
      [`${metrics}&label=ifIndex%3D%00`, "label"],
      [`${metrics}&step=999999999d`, "step"], // 8.6e16 ms: beyond Postgres' interval
      [`${metrics}&step=99999999d`, "step"],
      [`${metrics}&step=999999999h`, "step"],
    ];
    const before = errorLines.length;
    for (const [path, field] of hostile) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${r.body}`);
      assert.match(r.headers["content-type"] as string, /^application\/problem\+json/, path);
      assert.equal(r.json.type, "about:blank", path);
      assert.equal(r.json.title, "Bad Request", path);
      assert.equal(r.json.status, 400, path);
      assert.equal(r.json.instance, path.split("?")[0], path);
      assert.equal(r.json.errors?.[0]?.field, field, `${path}: ${r.body}`);
    }
    assert.deepEqual(errorLines.slice(before), []);
    // The API still answers, and a step as wide as the widest range is fine.
    const wide = await get(`${metrics}&step=31d`);
    assert.equal(wide.status, 200, wide.body);
    assert.equal(wide.json.points.length, 1);
  });

  test("embedded token: missing or wrong is 401", async () => {
    const none = await get("/api/v1/findings", null);
    assert.equal(none.status, 401);
    assert.match(String(none.headers["www-authenticate"]), /^Bearer/);
    const wrong = await get("/api/v1/findings", `${TOKEN}x`);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.title, "Unauthorized");
    const short = await get("/api/v1/findings", "s");
    assert.equal(short.status, 401);
  });

  test("HTTPS only: plain HTTP on the port gets no API answer", async () => {
    const port = Number(new URL(base).port);
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/api/v1/findings" }, (res) =>
        resolve(`status ${res.statusCode}`),
      );
      req.on("error", (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end();
    });
    // Node's TLS server answers cleartext with a bare 400 and closes, or resets.
    assert.ok(outcome.startsWith("error") || outcome === "status 400", outcome);
    // And the certificate is the one issued for 127.0.0.1 by our CA.
    const peer = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: "127.0.0.1", port, ca: readCa() }, () => {
        resolve(s.getPeerCertificate().subject.CN as string);
        s.end();
      });
      s.on("error", reject);
    });
    assert.equal(peer, "amoskys-api");
  });

  test("/openapi.json is an OpenAPI 3 document covering every route", async () => {
    const r = await get("/openapi.json", null);
    assert.equal(r.status, 200);
    const doc = r.json;
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(typeof doc.info.title, "string");
    assert.equal(typeof doc.info.version, "string");
    const expected: Record<string, string[]> = {
      "/api/v1/devices": ["get"],
      "/api/v1/devices/{namespace}/{name}": ["get"],
      "/api/v1/findings": ["get"],
      "/api/v1/findings/{id}": ["get"],
      "/api/v1/findings/{id}/acknowledge": ["post"],
      "/api/v1/findings/{id}/resolve": ["post"],
      "/api/v1/telemetry/metrics": ["get"],
      "/api/v1/telemetry/logs": ["get"],
      "/api/v1/stream": ["get"],
    };
    assert.deepEqual(Object.keys(doc.paths).sort(), Object.keys(expected).sort());
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(doc.paths[path]), methods, path);
      for (const m of methods) {
        const op = doc.paths[path][m];
        assert.ok(op.responses["200"], `${m} ${path} 200`);
        assert.ok(op.responses["401"], `${m} ${path} 401`);
        for (const p of op.parameters ?? []) {
          assert.ok(["query", "path", "header", "cookie"].includes(p.in), `${path} ${p.name}`);
          assert.ok(p.schema, `${path} ${p.name} has a schema`);
          // Every path template variable is a required path parameter.
          if (p.in === "path") assert.equal(p.required, true);
        }
        const vars = [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
        const pathParams = (op.parameters ?? []).filter((p: { in: string }) => p.in === "path");
        assert.deepEqual(pathParams.map((p: { name: string }) => p.name).sort(), vars.sort());
      }
    }
    for (const s of ["Problem", "Device", "Finding"]) assert.ok(doc.components.schemas[s], s);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: "http", scheme: "bearer" });
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g);
    let n = 0;
    for (const [, ref] of refs) {
      assert.match(ref as string, /^#\//);
      let at: Json = doc;
      for (const part of (ref as string).slice(2).split("/")) at = at?.[part];
      assert.ok(at, `unresolved ${ref}`);
      n++;
    }
    assert.ok(n > 10);
  });

  test("/docs serves the UI and its assets from node_modules (no network)", async () => {
    const html = await get("/docs", null);
    assert.equal(html.status, 200);
    assert.match(html.headers["content-type"] as string, /^text\/html/);
    assert.match(html.body, /swagger-ui/i);
    // Every script and stylesheet the page loads is served here, none from elsewhere.
    const assets = [...html.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(assets.length >= 3, html.body);
    for (const a of assets) {
      assert.doesNotMatch(a, /^(https?:)?\/\//, a);
      const url = new URL(a, `${base}/docs/`);
      const r = await call(url.toString());
      assert.equal(r.status, 200, `${a}: ${r.status}`);
    }
    const init = await get("/docs/static/swagger-initializer.js", null);
    assert.equal(init.status, 200);
    const json = await get("/docs/json", null);
    assert.equal(json.json.openapi, "3.0.3");
  });
});

/** An SSE reader over HTTPS: collects raw text, parses messages. */
function openStream(path: string, token = TOKEN) {
  let text = "";
  let status = 0;
  const req = request(`${base}${path}`, {
    ca: readCa(),
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
  });
  req.on("response", (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding("utf8");
    res.on("data", (c) => (text += c));
  });
  req.on("error", () => {});
  req.end();
  return {
    get text() {
      return text;
    },
    get status() {
      return status;
    },
    messages(): { event: string; data: Json }[] {
      return text
        .split("\n\n")
        .filter((m) => m.includes("\ndata: "))
        .map((m) => {
          const ev = /^event: (.*)$/m.exec(m)?.[1] ?? "";
          return { event: ev, data: JSON.parse(/^data: (.*)$/m.exec(m)?.[1] ?? "null") };
        });
    },
    close: () => req.destroy(),
  };
}

describe("stream", () => {
  test("SSE delivers published findings of the namespace asked for, and heartbeats", async () => {
    const s = openStream("/api/v1/stream?namespace=plant-1");
    try {
      await eventually(() => assert.match(s.text, /: connected/), 30_000);
      assert.equal(s.status, 200);
      hub.publish({ kind: "finding", finding: { ...finding("scan", rtu, "low", T0), id: 77 } });
      hub.publish({
        kind: "finding",
        finding: {
          ...finding("brute-force", plc, "high", T0 + 90_000, "10.0.0.9"),
          id: ids.brute as number,
          state: "open",
        },
      });
      // Events are not asked for: not sent.
      hub.publish({ kind: "event", event: syslog(plc, T0, 2, "not for this client") });
      await eventually(() => assert.equal(s.messages().length, 1), 30_000);
      const [m] = s.messages();
      assert.equal(m?.event, "finding");
      assert.equal(m?.data.id, ids.brute);
      assert.equal(m?.data.rule.name, "brute-force");
      assert.equal(m?.data.device.name, "plc-7");
      assert.equal(m?.data.lastSeen, new Date(T0 + 90_000).toISOString());
      await eventually(() => assert.match(s.text, /: ping/), 30_000);
    } finally {
      s.close();
    }
  });

  test("SSE events filtered by body", async () => {
    const s = openStream("/api/v1/stream?kind=event&body=log&namespace=plant-1&device=plc-7");
    try {
      await eventually(() => assert.match(s.text, /: connected/), 30_000);
      hub.publish({ kind: "event", event: metric(plc, "modbus.hr.40001", T0, 1) });
      hub.publish({ kind: "event", event: syslog(hmi, T0, 2, "other device") });
      hub.publish({ kind: "event", event: syslog(plc, T0 + 7_000, 3, "link down") });
      await eventually(() => assert.equal(s.messages().length, 1), 30_000);
      const [m] = s.messages();
      assert.equal(m?.event, "event");
      assert.equal(m?.data.body, "log");
      assert.equal(m?.data.log.message, "link down");
      assert.equal(m?.data.source, "SOURCE_PROTOCOL_SYSLOG");
      assert.equal(m?.data.observed, new Date(T0 + 7_000).toISOString());
    } finally {
      s.close();
    }
  });

  test("a client that does not read is dropped and counted; others keep going", async () => {
    const port = Number(new URL(base).port);
    const slow = tlsConnect({ host: "127.0.0.1", port, ca: readCa() });
    await new Promise((r) => slow.once("secureConnect", r));
    slow.write(
      `GET /api/v1/stream?kind=event HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    let head = "";
    await new Promise<void>((resolve) =>
      slow.on("data", (c: Buffer) => {
        head += c.toString();
        if (head.includes(": connected")) resolve();
      }),
    );
    slow.removeAllListeners("data");
    slow.pause(); // stop reading: the kernel buffers fill, then the server's queue
    let closed = false;
    slow.on("close", () => (closed = true));
    // A reading client gets the same events and is not dropped.
    const fast = openStream("/api/v1/stream?kind=event&kind=finding&namespace=plant-1");
    await eventually(() => assert.match(fast.text, /: connected/), 30_000);
    const big = "x".repeat(16_000);
    const dropped = () => metricValue(registry, "amoskys_analytics_api_stream_dropped_total", {});
    const received = () => fast.text.split("event: event\n").length - 1;
    let sent = 0;
    // Rounds of 256 kB with pauses: the reading client keeps up, the stalled one
    // fills the kernel's socket buffers, then its 1 MiB queue.
    const deadline = Date.now() + 120_000;
    while ((await dropped()) === 0 && Date.now() < deadline) {
      for (let k = 0; k < 16; k++) {
        hub.publish({ kind: "event", event: syslog(plc, T0 + sent++, 6, big) });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    hub.publish({ kind: "finding", finding: { ...finding("after-drop", plc, "info", T0), id: 5 } });
    await eventually(() => assert.match(fast.text, /"name":"after-drop"/), 30_000);
    assert.equal(received(), sent);
    assert.equal(await dropped(), 1);
    assert.ok(sent * 16_000 > 1024 * 1024, `dropped after ${sent} events`);
    console.log(`# stalled client dropped after ${sent} events of 16 kB`);
    slow.resume();
    await eventually(() => assert.ok(closed), 30_000);
    fast.close();
    slow.destroy();
  });
});

describe("plain HTTP instance", () => {
  test("a failing onFindingState is counted, the answer is 200; close() ends stream clients", async () => {
    const reg = new Registry();
    const feed = createLiveHub();
    const plain = createApi({
      pool,
      auth: embeddedAuth({ token: TOKEN }),
      logger,
      registry: reg,
      live: feed,
      onFindingState: () => {
        throw new Error("apiserver said no");
      },
    });
    const port = await plain.listen(0, "127.0.0.1");
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: `/api/v1/findings/${ids.rtu}/acknowledge`,
          headers: { authorization: `Bearer ${TOKEN}` },
        },
        (r) => {
          let body = "";
          r.on("data", (c) => (body += c));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).state, "acknowledged");
    assert.equal(
      await metricValue(reg, "amoskys_analytics_api_state_mirror_failures_total", {}),
      1,
    );
    await setFindingState(pool, ids.rtu as number, "open");

    let text = "";
    let ended = false;
    const sreq = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/api/v1/stream",
        headers: { authorization: `Bearer ${TOKEN}` },
      },
      (r) => {
        r.setEncoding("utf8");
        r.on("data", (c) => (text += c));
        r.on("end", () => (ended = true));
        r.on("close", () => (ended = true));
      },
    );
    sreq.on("error", () => (ended = true));
    sreq.end();
    await eventually(() => assert.match(text, /: connected/), 30_000);
    assert.equal(feed.subscribers, 1);
    await plain.close();
    await eventually(() => assert.ok(ended), 30_000);
    assert.equal(feed.subscribers, 0);
  });
});

describe("stream slots per client", () => {
  test("one client cannot hold every /stream slot: a second client still gets one", async () => {
    // Two callers, each with its own token (as two ServiceAccounts would be).
    const users: Record<string, string> = {
      "token-alice": "alice",
      "token-bob": "bob",
      "token-carol": "carol",
    };
    const auth: Authenticator = {
      mode: "embedded",
      authenticate: async (t) => (users[t] ? { user: users[t], groups: [] } : undefined),
      authorize: async () => true,
    };
    const reg = new Registry();
    const feed = createLiveHub();
    const lim = createApi({
      pool,
      auth,
      logger,
      registry: reg,
      live: feed,
      limits: { maxStreamClients: 4, maxStreamClientsPerClient: 2 },
    });
    const port = await lim.listen(0, "127.0.0.1");
    const open = (token: string) => {
      let status = 0;
      let text = "";
      let type = "";
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        path: "/api/v1/stream",
        headers: { authorization: `Bearer ${token}` },
      });
      req.on("response", (r) => {
        status = r.statusCode ?? 0;
        type = String(r.headers["content-type"]);
        r.setEncoding("utf8");
        r.on("data", (c) => (text += c));
      });
      req.on("error", () => {});
      req.end();
      return {
        get status() {
          return status;
        },
        get text() {
          return text;
        },
        get type() {
          return type;
        },
        close: () => req.destroy(),
      };
    };
    const connected = async (s: ReturnType<typeof open>) =>
      eventually(() => {
        assert.equal(s.status, 200, s.text);
        assert.match(s.text, /: connected/);
      }, 30_000);
    const refused = async (s: ReturnType<typeof open>, status: number) =>
      eventually(() => {
        assert.equal(s.status, status, s.text);
        assert.match(s.type, /^application\/problem\+json/);
        assert.ok(s.text.endsWith("}"), s.text);
        return JSON.parse(s.text) as Json;
      }, 30_000);
    const opened: ReturnType<typeof open>[] = [];
    try {
      // alice takes her two slots; a third is refused with 429 naming the cap.
      const a1 = open("token-alice");
      const a2 = open("token-alice");
      opened.push(a1, a2);
      await connected(a1);
      await connected(a2);
      const a3 = open("token-alice");
      opened.push(a3);
      const p = await refused(a3, 429);
      assert.equal(p.status, 429);
      assert.equal(p.title, "Too Many Requests");
      assert.match(p.detail, /alice already has 2 \/stream connections/);
      // bob still gets his.
      const b1 = open("token-bob");
      const b2 = open("token-bob");
      opened.push(b1, b2);
      await connected(b1);
      await connected(b2);
      // All 4 slots taken: the server-wide cap still answers 503.
      assert.equal(await metricValue(reg, "amoskys_analytics_api_stream_clients", {}), 4);
      const c1 = open("token-carol");
      opened.push(c1);
      assert.equal((await refused(c1, 503)).status, 503);
      // alice closes one: her slot is hers again.
      a1.close();
      await eventually(
        async () =>
          assert.equal(await metricValue(reg, "amoskys_analytics_api_stream_clients", {}), 3),
        30_000,
      );
      const a4 = open("token-alice");
      opened.push(a4);
      await connected(a4);
      const refusedCounts = await metricValue(reg, "amoskys_analytics_api_stream_refused_total", {
        reason: "per_client",
      });
      assert.equal(refusedCounts, 1);
    } finally {
      for (const s of opened) s.close();
      await lim.close();
    }
  });
});

// reader: get findings and devices in plant-1 only; responder: get and patch everywhere.
const RBAC_YAML = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: amoskys-api-reader }
rules:
  - { apiGroups: [amoskys.io], resources: [findings, devices], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: amoskys-api-responder }
rules:
  - { apiGroups: [amoskys.io], resources: [findings, devices], verbs: [get, patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: reader, namespace: plant-1 }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: amoskys-api-reader }
subjects: [{ kind: ServiceAccount, name: reader, namespace: plant-1 }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: responder }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: amoskys-api-responder }
subjects: [{ kind: ServiceAccount, name: responder, namespace: plant-1 }]
`;

describe("kubernetes authentication and authorization", () => {
  const tokens: Record<string, string> = {};

  before(async () => {
    await kubectl("create", "namespace", "plant-1");
    for (const sa of ["reader", "responder", "nobody"]) {
      await kubectl("create", "serviceaccount", sa, "-n", "plant-1");
    }
    // Plain RBAC objects: the rules name amoskys.io resources whether or not the CRDs are installed.
    const rbac = join(env.root, "api-rbac.yaml");
    await writeFile(rbac, RBAC_YAML);
    await kubectl("apply", "-f", rbac);
    for (const sa of ["reader", "responder", "nobody"]) {
      tokens[sa] = await kubectl("create", "token", sa, "-n", "plant-1", "--duration=1h");
    }
  });

  const kget = (path: string, token?: string) => call(`${kbase}${path}`, { token });
  const kpost = (path: string, token?: string) =>
    call(`${kbase}${path}`, { token, method: "POST" });

  test("a bad or missing token is 401", async () => {
    assert.equal((await kget("/api/v1/findings?namespace=plant-1", "not-a-token")).status, 401);
    assert.equal((await kget("/api/v1/findings?namespace=plant-1")).status, 401);
  });

  test("a valid token without RBAC rights is 403", async () => {
    const r = await kget("/api/v1/findings?namespace=plant-1", tokens.nobody);
    assert.equal(r.status, 403, r.body);
    assert.match(r.json.detail, /system:serviceaccount:plant-1:nobody may not get findings/);
  });

  test("RBAC by namespace: reader reads plant-1 only and cannot change state", async () => {
    const ok = await kget("/api/v1/findings?namespace=plant-1", tokens.reader);
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.json.items.length, 4);
    assert.equal((await kget("/api/v1/findings", tokens.reader)).status, 403); // all namespaces
    assert.equal((await kget(`/api/v1/findings/${ids.brute}`, tokens.reader)).status, 200);
    assert.equal((await kget(`/api/v1/findings/${ids.rtu}`, tokens.reader)).status, 403);
    assert.equal((await kget("/api/v1/devices/plant-1/plc-7", tokens.reader)).status, 200);
    assert.equal((await kget("/api/v1/devices/plant-2/rtu-1", tokens.reader)).status, 403);
    const q = `namespace=plant-1&device=plc-7&metric=modbus.hr.40001&from=${encodeURIComponent(new Date(T0).toISOString())}&to=${encodeURIComponent(new Date(T0 + 60_000).toISOString())}&step=60s`;
    const m = await kget(`/api/v1/telemetry/metrics?${q}`, tokens.reader);
    assert.equal(m.status, 200, m.body);
    assert.equal(m.json.points[0].count, 5);
    assert.equal(
      (await kpost(`/api/v1/findings/${ids.bruteHmi}/acknowledge`, tokens.reader)).status,
      403,
    );
    assert.equal(
      (await pool.query("SELECT state FROM findings WHERE id = $1", [ids.bruteHmi])).rows[0].state,
      "open",
    );
  });

  test("responder (patch on findings) acknowledges", async () => {
    const r = await kpost(`/api/v1/findings/${ids.bruteHmi}/acknowledge`, tokens.responder);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.state, "acknowledged");
    assert.equal((await kget("/api/v1/findings", tokens.responder)).status, 200);
  });

  test("reviews are cached: repeated calls do not repeat the TokenReview", async () => {
    for (let k = 0; k < 3; k++) await kget("/api/v1/findings?namespace=plant-1", tokens.reader);
    const hits = await metricValue(registry, "amoskys_analytics_api_reviews_total", {
      kind: "TokenReview",
      result: "allowed",
      cached: "true",
    });
    assert.ok((hits ?? 0) >= 3, `cached TokenReviews: ${hits}`);
  });

  test("apiserver unreachable: 503, not 401", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.kube.kubeconfig);
    const dead = new KubeConfig();
    dead.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, server: "https://127.0.0.1:1" })),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
    const down = createApi({
      pool,
      auth: kubernetesAuth({
        kube: createKubeClient(dead, { registry: new Registry(), requestTimeoutMs: 3_000 }),
      }),
      logger,
      registry: new Registry(),
    });
    const port = await down.listen(0, "127.0.0.1");
    try {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: "/api/v1/findings",
            headers: { authorization: `Bearer ${tokens.reader}` },
          },
          (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end();
      });
      assert.equal(r.status, 503, r.body);
    } finally {
      await down.close();
    }
  });
});
