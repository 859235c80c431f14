// The analytics process: ingest (JetStream → verify → Postgres, then ack) feeds
// the detection engine with stored events; what it finds goes to Postgres
// (full evidence) and to Kubernetes (Finding, Device and DetectionRule status,
// responses). Rules and Devices come from informers and take effect without
// a restart; the engine's windows are checkpointed to Postgres.
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { Gauge } from "prom-client";
import type { DetectionRule, Device } from "../crds/index.ts";
import { createKubeClient } from "../operator/kube/client.ts";
import { type Informer, startInformer } from "../operator/kube/informer.ts";
import { ensureStreams } from "../proto/bus/provision.ts";
import { createLogger, type Logger } from "../runtime/log.ts";
import { createOpsServer } from "../runtime/ops-server.ts";
import { createApi, createLiveHub, kubernetesAuth } from "./api/index.ts";
import { createEngine } from "./detect/index.ts";
import { findingName } from "./findings/names.ts";
import type { StatusFact } from "./findings/status.ts";
import { createFindingsWriter } from "./findings/writer.ts";
import { type Ingest, startIngest, watchTrust } from "./ingest/index.ts";
import type { StoredEvents } from "./model.ts";
import { loadCheckpoint, saveCheckpoint } from "./store/checkpoints.ts";
import { upsertFinding } from "./store/findings.ts";
import { startMaintenance } from "./store/maintenance.ts";
import { migrate } from "./store/migrate.ts";
import { createPool } from "./store/pool.ts";

export interface AnalyticsOptions {
  kubeconfig?: string;
  /** Where the operator publishes the trust ConfigMap (amoskys-trust). */
  operatorNamespace: string;
  nats: { url: string; user: string; passwordFile: string; caFile: string };
  postgres: { url: string; caFile?: string };
  /** Durable consumer name; replicas sharing it share the stream. */
  durable?: string;
  metricsPort: number;
  metricsHost?: string;
  /** How often the detection state is saved. Default 30 s. */
  checkpointIntervalMs?: number;
  /** Findings writer: flush interval (default 2 s) and apiserver write budget (default 20/s). */
  flushIntervalMs?: number;
  maxWritesPerSecond?: number;
  /** The HTTP API (analytics/api): port (0: any), host, and TLS files (HTTPS only when set). */
  api?: { port: number; host?: string; tls?: { certFile: string; keyFile: string } };
  logger?: Logger;
}

export interface Analytics {
  metricsPort: number;
  /** The API's port, when it is served. */
  apiPort?: number;
  stop(): Promise<void>;
}

const ENGINE_STATE = { namespace: "", name: "engine" };

export async function startAnalytics(o: AnalyticsOptions): Promise<Analytics> {
  const log = o.logger ?? createLogger("analytics");
  const ops = createOpsServer("amoskys_analytics");
  const kc = new KubeConfig();
  if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
  else kc.loadFromDefault();
  const kube = createKubeClient(kc, { registry: ops.registry, fieldManager: "amoskys-analytics" });

  const pool = createPool({
    url: o.postgres.url,
    ...(o.postgres.caFile && { caFile: o.postgres.caFile }),
  });
  await migrate(pool);
  const maintenance = startMaintenance(pool, { logger: log });

  const writer = createFindingsWriter({
    kube,
    logger: log,
    registry: ops.registry,
    ...(o.flushIntervalMs !== undefined && { flushIntervalMs: o.flushIntervalMs }),
    ...(o.maxWritesPerSecond !== undefined && { maxWritesPerSecond: o.maxWritesPerSecond }),
  });

  // Devices (for valuesFromDevice and device status) and rules, from informers.
  const devices: Informer<Device> = startInformer(kube, {
    ...(await kube.listWatchSource<Device>("amoskys.io/v1alpha1", "Device")),
    registry: ops.registry,
    logger: log,
  });
  const engine = createEngine({
    devices: (ns, name) => devices.get(ns, name)?.spec,
    onEvict: () => evicted.inc(),
  });
  let rulesChanged: NodeJS.Timeout | undefined;
  const rules: Informer<DetectionRule> = startInformer(kube, {
    ...(await kube.listWatchSource<DetectionRule>("amoskys.io/v1alpha1", "DetectionRule")),
    registry: ops.registry,
    logger: log,
    // Debounced: a `kubectl apply -f rules/` of many rules recompiles once.
    onEvent: () => {
      clearTimeout(rulesChanged);
      rulesChanged = setTimeout(applyRules, 200);
    },
  });
  const applyRules = () => {
    for (const s of engine.setRules(rules.list())) writer.ruleStatus(s);
  };
  await Promise.all([devices.synced, rules.synced]);
  const saved = await loadCheckpoint(pool, ENGINE_STATE, "all");
  applyRules();
  if (saved) {
    const r = engine.restore(saved);
    log.info("detection state restored", r.ok ? { keys: r.keys } : { reason: r.reason });
    applyRules(); // drops states of rules that are gone
  }

  const live = createLiveHub();
  const evicted = new Gauge({
    name: "amoskys_analytics_detection_evicted_states",
    help: "Detection states evicted because the state bound was reached (since start).",
    registers: [ops.registry],
  });
  new Gauge({
    name: "amoskys_analytics_detection_states",
    help: "Detection states held ((rule, device, key) windows and baselines).",
    registers: [ops.registry],
    collect() {
      this.set(engine.stats().keys);
    },
  });

  // Runs on stored events only, in stream order, before the ack: a crash
  // hands the batch over again (at least once); upserts are idempotent.
  const detect = async (s: StoredEvents) => {
    // Once per device and batch: the writer keeps only the latest time anyway.
    const seen = new Map<string, { ns: string; name: string; at: number; status: StatusFact[] }>();
    for (const e of s.events) {
      const d = e.device;
      if (!d?.namespace || !d.name) continue;
      const at = Number(e.collected?.seconds ?? 0) * 1000;
      const k = `${d.namespace}/${d.name}`;
      let x = seen.get(k);
      if (!x) {
        x = { ns: d.namespace, name: d.name, at, status: [] };
        seen.set(k, x);
      }
      if (at > x.at) x.at = at;
      if (e.status) x.status.push(e.status);
    }
    for (const x of seen.values())
      writer.deviceSeen(x.ns, x.name, x.at, x.status.length ? x.status : undefined);
    const updates = engine.process(s.events);
    for (const u of updates) {
      const stored = await upsertFinding(pool, u);
      writer.update(u);
      live.publish({ kind: "finding", finding: { ...u, id: stored.id, state: stored.state } });
    }
    if (updates.length > 0) for (const st of engine.ruleStatus()) writer.ruleStatus(st);
  };

  const trust = await watchTrust(kube, o.operatorNamespace, {
    logger: log,
    registry: ops.registry,
  });
  await trust.synced;
  const nc: NatsConnection = await connect({
    servers: o.nats.url,
    user: o.nats.user,
    pass: readFileSync(o.nats.passwordFile, "utf8").trim(),
    tls: { ca: readFileSync(o.nats.caFile, "utf8") },
    maxReconnectAttempts: -1,
    name: "amoskys-analytics",
  });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  const ingest: Ingest = await startIngest({
    nats: nc,
    jsm,
    pool,
    trust,
    durable: o.durable ?? "analytics",
    onStored: detect,
    onIntegrity: (p) => writer.integrity(p),
    logger: log,
    registry: ops.registry,
  });

  const checkpoint = async () => {
    try {
      await saveCheckpoint(pool, ENGINE_STATE, "all", Buffer.from(engine.checkpoint()));
    } catch (err) {
      log.warn("detection checkpoint failed", { err });
    }
  };
  const checkpointTimer = setInterval(checkpoint, o.checkpointIntervalMs ?? 30_000);

  // Acknowledge/resolve through the API: Postgres is the record; the Finding
  // follows (spec.state is the users' field: analytics applies never set it).
  const api = o.api
    ? createApi({
        pool,
        auth: kubernetesAuth({ kube, registry: ops.registry }),
        ...(o.api.tls && { tls: o.api.tls }),
        logger: log,
        registry: ops.registry,
        live,
        onFindingState: async (f, state) => {
          await kube.patchMerge(
            "amoskys.io/v1alpha1",
            "Finding",
            f.device.namespace,
            findingName(f.device.name, f.rule.name, f.key),
            {
              spec: { state },
            },
          );
        },
      })
    : undefined;
  const apiPort = api ? await api.listen(o.api?.port ?? 8443, o.api?.host ?? "0.0.0.0") : undefined;

  ops.addReadyCheck("devices", () => devices.check());
  ops.addReadyCheck("rules", () => rules.check());
  ops.addReadyCheck("findings-writer", () => writer.check());
  ops.addReadyCheck("nats", () => (nc.isClosed() ? "NATS connection closed" : true));
  ops.addHealthCheck("process", () => true);
  const metricsPort = await ops.listen(o.metricsPort, o.metricsHost ?? "0.0.0.0");
  log.info("started", { metricsPort, apiPort });

  let stopping: Promise<void> | undefined;
  return {
    metricsPort,
    ...(apiPort !== undefined && { apiPort }),
    stop() {
      stopping ??= (async () => {
        await api?.close();
        clearInterval(checkpointTimer);
        clearTimeout(rulesChanged);
        await ingest.stop();
        await checkpoint();
        await writer.flush().catch(() => {});
        await writer.stop();
        await Promise.all([devices.stop(), rules.stop(), trust.stop()]);
        await nc.close();
        await maintenance.stop();
        await pool.end();
        await ops.close();
      })();
      return stopping;
    },
  };
}
