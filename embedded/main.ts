// `amoskys up -f <files|dirs> [--data <dir>] [--port <n>]`: AMOSKYS in one
// process, without Kubernetes or servers. The manifests are read from files
// (checked as the apiserver checks them), the collectors run in-process
// (agents/runtime.ts) and ship over the in-process bus (proto/bus/memory.ts)
// to the same ingest, store (embedded Postgres: PGlite behind a local
// wire-protocol socket, the same migrations) and detection as the cluster
// analytics. The files are watched; the analytics API listens on 127.0.0.1.
import { randomBytes } from "node:crypto";
import { type FSWatcher, watch } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type pg from "pg";
import { Registry } from "prom-client";
import { defaultFactories } from "../agents/collectors/index.ts";
import { type Agent, type CollectorState, startAgent } from "../agents/runtime.ts";
import { createEngine } from "../analytics/detect/index.ts";
import { type Ingest, startIngest } from "../analytics/ingest/ingest.ts";
import type { StoredEvents } from "../analytics/model.ts";
import { loadCheckpoint, saveCheckpoint } from "../analytics/store/checkpoints.ts";
import { upsertFinding } from "../analytics/store/findings.ts";
import { startMaintenance } from "../analytics/store/maintenance.ts";
import { migrate } from "../analytics/store/migrate.ts";
import { createPool } from "../analytics/store/pool.ts";
import type { Device } from "../crds/index.ts";
import { TELEMETRY_STREAM } from "../proto/bus/conventions.ts";
import { memoryBus } from "../proto/bus/memory.ts";
import { TrustStore } from "../proto/trust.ts";
import { createLogger, type Logger } from "../runtime/log.ts";
import { type EmbeddedApi, startApi } from "./api.ts";
import {
  formatProblem,
  loadManifests,
  loadSchemas,
  type ManifestProblem,
  type Manifests,
} from "./manifests.ts";
import { type PodPlan, trustOf, writePods } from "./pods.ts";
import { writeDeviceSnapshot } from "./snapshot.ts";

export const DEFAULT_PORT = 8470;
const HOST = "127.0.0.1";
const ENGINE_STATE = { namespace: "", name: "engine" };

export interface EmbeddedOptions {
  /** Manifest files and directories. */
  paths: string[];
  dataDir: string;
  /** API port (0: any free port). */
  port: number;
  logger?: Logger;
  /** Told about every manifest problem (default: logged). */
  onProblem?: (p: ManifestProblem) => void;
  /** Debounce of the manifest watch. Default 300 ms. */
  watchDebounceMs?: number;
  /** Detection checkpoint interval. Default 30 s. */
  checkpointIntervalMs?: number;
  /**
   * Told when a listener (a collector or the API) fails to start, e.g. its
   * port is in use, and when a retry brings it up. Failed listeners are
   * retried with backoff (first and longest wait: `retryBackoffMs`, default 1 s, 30 s).
   */
  onListenerState?: (s: ListenerState) => void;
  retryBackoffMs?: { initial: number; max: number };
}

/** A collector of a profile (`profile` "<ns>/<name>") or the API (`profile` "", collector "api"). */
export type ListenerState = CollectorState & { profile: string };

export interface Embedded {
  apiUrl: string;
  apiKind: EmbeddedApi["kind"];
  /** The API token; never printed. */
  token: string;
  /** Where the token is (0600): what `amoskys get` and curl read. */
  tokenFile: string;
  dataDir: string;
  /** Listeners that failed to start and are being retried (none: everything is up). */
  failing(): ListenerState[];
  /** Postgres (PGlite) on 127.0.0.1 while running. */
  postgresUrl: string;
  /** Re-reads the manifests and applies them (also done on file change). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** The API token: generated once into <data>/token (0600) and kept. */
async function apiToken(dataDir: string): Promise<{ token: string; file: string }> {
  const file = join(dataDir, "token");
  try {
    const t = (await readFile(file, "utf8")).trim();
    if (t) return { token: t, file };
  } catch {
    // first start
  }
  const token = randomBytes(24).toString("base64url");
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

export async function startEmbedded(o: EmbeddedOptions): Promise<Embedded> {
  const log = o.logger ?? createLogger("amoskys-up");
  const dataDir = resolve(o.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { token, file: tokenFile } = await apiToken(dataDir);
  const registry = new Registry();
  const schemas = await loadSchemas();
  const problem =
    o.onProblem ??
    ((p: ManifestProblem) => log.warn("manifest refused", { problem: formatProblem(p) }));

  // Postgres: PGlite on <data>/pg, served on a loopback port so the store code (pg.Pool) runs unchanged.
  const db = await PGlite.create(join(dataDir, "pg"));
  // PGlite is one session: one connection, one pool client, so transactions never interleave.
  const pgServer = new PGLiteSocketServer({ db, host: HOST, port: 0, maxConnections: 1 });
  await pgServer.start();
  const pgPort = Number(pgServer.getServerConn().split(":").at(-1));
  const postgresUrl = `postgresql://postgres:postgres@${HOST}:${pgPort}/postgres?sslmode=disable`;
  const pool: pg.Pool = createPool({
    url: postgresUrl,
    max: 1,
    applicationName: "amoskys-up",
    idleTimeoutMs: 0,
  });
  // The PGlite session outlives a pool client: a reconnecting client would find
  // its named prepared statements already there ("already exists"). Start clean.
  pool.on("connect", (client) => {
    client.query("DEALLOCATE ALL").catch(() => {});
  });
  const applied = await migrate(pool);
  if (applied.length > 0) log.info("database migrated", { applied });
  const maintenance = startMaintenance(pool, { logger: log });

  let manifests: Manifests = await loadManifests(o.paths, schemas);
  for (const p of manifests.problems) problem(p);
  // For `amoskys get devices`: every Device, telemetry or not.
  const snapshot = (list: readonly Device[]) =>
    writeDeviceSnapshot(dataDir, list).catch((err) =>
      log.warn("cannot write the devices snapshot", { err }),
    );
  await snapshot(manifests.devices);
  const deviceIndex = (list: readonly Device[]) =>
    new Map(list.map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d.spec]));
  let devices = deviceIndex(manifests.devices);
  const engine = createEngine({ devices: (ns, name) => devices.get(`${ns}/${name}`) });
  const applyRules = () => {
    for (const s of engine.setRules(manifests.rules))
      if (!s.accepted)
        problem({
          file: "(detection)",
          object: `DetectionRule ${s.rule.namespace}/${s.rule.name}`,
          message: `not accepted: ${s.reason ?? "invalid"}`,
        });
  };
  applyRules();
  const saved = await loadCheckpoint(pool, ENGINE_STATE, "all");
  if (saved) {
    const r = engine.restore(saved);
    log.info("detection state restored", r.ok ? { keys: r.keys } : { reason: r.reason });
    applyRules();
  }

  // Keys stay trusted for the life of the process, so batches of a profile
  // that was just removed still verify.
  let trustDoc = { producers: {} } as ReturnType<typeof trustOf>;
  let trust = new TrustStore();
  const bus = memoryBus();
  // Detection after the store: the same order as the cluster analytics.
  let api: EmbeddedApi | undefined;
  const detect = async (s: StoredEvents) => {
    if (api?.publish) for (const event of s.events) api.publish({ kind: "event", event });
    for (const u of engine.process(s.events)) {
      const stored = await upsertFinding(pool, u);
      api?.publish?.({ kind: "finding", finding: { ...u, id: stored.id, state: stored.state } });
    }
  };
  const ingest: Ingest = await startIngest({
    source: bus.consumer(TELEMETRY_STREAM, "analytics", { maxWaitMs: 1_000, ackWaitMs: 30_000 }),
    pool,
    trust: () => trust,
    durable: "analytics",
    onStored: detect,
    onIntegrity: (p) => log.warn("integrity problem", { ...p }),
    logger: log,
    registry,
  });

  const agents = new Map<string, Agent>();
  let applying = Promise.resolve();
  const apply = () => {
    applying = applying.then(async () => {
      let plans: PodPlan[];
      try {
        plans = await writePods(dataDir, manifests.profiles, manifests.devices, manifests.secrets);
      } catch (err) {
        log.error("cannot write the collectors' files", { err });
        return;
      }
      const doc = trustOf(plans);
      trustDoc = { producers: { ...trustDoc.producers, ...doc.producers } };
      trust = TrustStore.fromDocument(trustDoc);
      const want = new Set(plans.map((p) => `${p.namespace}/${p.profile}`));
      for (const [id, agent] of agents) {
        if (want.has(id)) continue;
        agents.delete(id);
        log.info("collector removed", { profile: id });
        await agent.stop(5_000).catch((err) => log.warn("collector stop failed", { err }));
      }
      for (const p of plans) {
        const id = `${p.namespace}/${p.profile}`;
        for (const s of p.missingSecrets)
          problem({
            file: "(collector)",
            object: `CollectorProfile ${id}`,
            message: `Secret key ${p.namespace}/${s} is referenced by a Device but defined in no manifest`,
          });
        const running = agents.get(id);
        if (running) {
          await running.reload(); // also done by its own file watch; this makes it prompt
          continue;
        }
        try {
          const agent = await startAgent({
            configPath: p.configPath,
            root: p.root,
            factories: defaultFactories,
            logger: log.child({ collector: id }),
            podName: "embedded",
            host: HOST,
            opsPort: 0,
            publisher: bus.publisher(),
            onCollectorState: (s) => o.onListenerState?.({ ...s, profile: id }),
            ...(o.retryBackoffMs && { retryBackoffMs: o.retryBackoffMs }),
          });
          agents.set(id, agent);
          log.info("collector started", {
            profile: id,
            devices: p.devices,
            collectors: agent.collectors(),
            opsPort: agent.opsPort,
          });
        } catch (err) {
          log.error("collector failed to start", { profile: id, err });
        }
      }
    });
    return applying;
  };
  await apply();

  const reload = async () => {
    const next = await loadManifests(o.paths, schemas);
    for (const p of next.problems) problem(p);
    manifests = next;
    devices = deviceIndex(next.devices);
    await snapshot(next.devices);
    applyRules();
    await apply();
    log.info("manifests applied", {
      devices: next.devices.length,
      profiles: next.profiles.length,
      rules: next.rules.length,
      problems: next.problems.length,
    });
    rewatch();
  };

  // Watch the directories (editors replace files; a file's own watch would go stale).
  let watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  let reloading = Promise.resolve();
  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      reloading = reloading.then(reload).catch((err) => log.error("reload failed", { err }));
    }, o.watchDebounceMs ?? 300);
  };
  function rewatch() {
    for (const w of watchers) w.close();
    const dirs = new Map<string, Set<string> | undefined>();
    for (const p of o.paths.map((x) => resolve(x))) {
      const isDir = manifests.files.every((f) => resolve(f) !== p);
      if (isDir) dirs.set(p, undefined);
      else {
        const d = dirname(p);
        if (dirs.has(d) && dirs.get(d) === undefined) continue;
        dirs.set(d, new Set([...(dirs.get(d) ?? []), basename(p)]));
      }
    }
    watchers = [];
    for (const [d, names] of dirs) {
      try {
        watchers.push(
          watch(d, (_e, f) => {
            const name = f?.toString() ?? "";
            if (names && !names.has(name)) return;
            if (!names && !/\.ya?ml$/.test(name)) return;
            changed();
          }),
        );
      } catch (err) {
        log.warn("cannot watch", { dir: d, err });
      }
    }
  }
  rewatch();

  const checkpoint = async () => {
    try {
      await saveCheckpoint(pool, ENGINE_STATE, "all", Buffer.from(engine.checkpoint()));
    } catch (err) {
      log.warn("detection checkpoint failed", { err });
    }
  };
  const checkpointTimer = setInterval(checkpoint, o.checkpointIntervalMs ?? 30_000);
  checkpointTimer.unref();

  // The API: a port in use is retried with backoff, like a collector's.
  const backoff = o.retryBackoffMs ?? { initial: 1_000, max: 30_000 };
  const apiOptions = { pool, tokenFile, token, host: HOST, port: o.port, logger: log, registry };
  let apiFailing: ListenerState | undefined;
  let apiRetry: NodeJS.Timeout | undefined;
  let stopped = false;
  const listenApi = async (): Promise<void> => {
    try {
      api = await startApi(apiOptions);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EADDRINUSE" && code !== "EACCES") throw err;
      const attempts = (apiFailing?.attempts ?? 0) + 1;
      const wait = Math.min(backoff.initial * 2 ** (attempts - 1), backoff.max);
      apiFailing = {
        profile: "",
        collector: "api",
        state: "failing",
        error: (err as Error).message,
        attempts,
        retryInMs: wait,
      };
      log.error("API failed to listen; retrying", { port: o.port, err, attempts, retryInMs: wait });
      o.onListenerState?.(apiFailing);
      apiRetry = setTimeout(() => {
        if (!stopped) listenApi().catch((e) => log.error("API failed", { err: e }));
      }, wait);
      apiRetry.unref();
      return;
    }
    if (stopped) {
      await api.close().catch(() => {});
      return;
    }
    if (apiFailing) {
      const attempts = apiFailing.attempts;
      apiFailing = undefined;
      log.info("API listening after failing", { port: api.port, attempts });
      o.onListenerState?.({ profile: "", collector: "api", state: "running", attempts });
    }
  };
  await listenApi();

  let stopping: Promise<void> | undefined;
  return {
    // With port 0 the port is known once bound; a fixed one is known either way.
    apiUrl: `http://${HOST}:${api?.port ?? o.port}`,
    apiKind: api?.kind ?? "analytics",
    token,
    tokenFile,
    dataDir,
    failing: () => [
      ...(apiFailing ? [apiFailing] : []),
      ...[...agents].flatMap(([profile, a]) => a.failing().map((f) => ({ ...f, profile }))),
    ],
    postgresUrl,
    reload: () => {
      reloading = reloading.then(reload);
      return reloading;
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(apiRetry);
        for (const w of watchers) w.close();
        clearTimeout(debounce);
        clearInterval(checkpointTimer);
        await reloading.catch(() => {});
        await applying.catch(() => {});
        // Collectors first: what they batched goes to the outbox and over the bus.
        await Promise.all([...agents.values()].map((a) => a.stop(5_000).catch(() => {})));
        agents.clear();
        // Then let ingest store what is on the bus (it does not survive the process).
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          const s = bus.consumerState(TELEMETRY_STREAM, "analytics");
          if (s.numPending === 0 && s.numAckPending === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await ingest.stop();
        await checkpoint();
        await api?.close().catch(() => {});
        await maintenance.stop();
        await pool.end();
        await pgServer.stop();
        await db.close();
        bus.close();
      })();
      return stopping;
    },
  };
}

const USAGE = `usage: amoskys up -f <file|dir> [-f ...] [--data <dir>] [--port <n>]

Runs AMOSKYS in one process: the manifests (Device, CollectorProfile,
DetectionRule, v1 Secret) from the files, collectors, analytics, an embedded
Postgres in --data (default ./amoskys-data), and the API on 127.0.0.1:--port
(default ${DEFAULT_PORT}). Ctrl-C stops it; starting again keeps the data.`;

/** "the API" or "collector syslog-listener of default/local". */
function listenerName(s: ListenerState): string {
  return s.profile ? `collector ${s.collector} of ${s.profile}` : "the API";
}

/**
 * What `amoskys up` prints once started: "up" only when every listener is
 * listening, else each one that is not and why (it is retried). The token
 * itself is never printed: where it is, is.
 */
export function banner(up: Embedded): string {
  const failing = up.failing();
  const apiDown = failing.some((f) => !f.profile);
  return [
    failing.length === 0
      ? `AMOSKYS is up (embedded mode): data in ${up.dataDir}`
      : `AMOSKYS started with ${failing.length} listener${failing.length === 1 ? "" : "s"} DOWN (embedded mode, retrying): data in ${up.dataDir}`,
    ...failing.map((f) => `  DOWN   ${listenerName(f)}: ${f.error}`),
    `  API    ${up.apiUrl}/api/v1${up.apiKind === "minimal" ? " (minimal read-only API)" : ""}${apiDown ? " (not listening yet)" : ""}`,
    `  token  in ${up.tokenFile} (0600; amoskys get reads it)`,
    `  try    curl -H "Authorization: Bearer $(cat ${up.tokenFile})" ${up.apiUrl}/api/v1/findings`,
    `         amoskys get findings --data ${up.dataDir}${up.apiUrl.endsWith(`:${DEFAULT_PORT}`) ? "" : ` --server ${up.apiUrl}`}`,
    "Ctrl-C to stop.",
  ].join("\n");
}

export async function upCommand(argv: string[]): Promise<number> {
  let values: { filename?: string[]; data?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        filename: { type: "string", short: "f", multiple: true },
        data: { type: "string" },
        port: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`amoskys up: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const paths = values.filename ?? [];
  if (paths.length === 0) {
    console.error(`amoskys up: -f <file|dir> is required\n\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`amoskys up: --port must be a port number (0-65535), not ${values.port}`);
    return 2;
  }
  const logger = createLogger("amoskys-up");
  // A signal during startup stops right after it.
  let stopRequested = false;
  let wake: () => void = () => {};
  const onSignal = () => {
    stopRequested = true;
    wake();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let up: Embedded | undefined;
  let bannerShown = false;
  // After the banner: a listener that fails (a manifest change to a busy port) or comes up.
  const onListenerState = (s: ListenerState) => {
    if (!bannerShown || !up) return;
    if (s.state === "failing") {
      if (s.attempts === 1)
        console.error(
          `amoskys up: ${listenerName(s)} is DOWN: ${s.error}; retrying (every ${Math.round((s.retryInMs ?? 0) / 1000)} s at first, then less often)`,
        );
      return;
    }
    const left = up.failing();
    console.log(
      `amoskys up: ${listenerName(s)} is listening now (after ${s.attempts} failed starts)`,
    );
    if (left.length === 0) console.log("AMOSKYS is up: every listener is listening.");
  };
  try {
    up = await startEmbedded({
      paths,
      dataDir: values.data ?? "amoskys-data",
      port,
      logger,
      onProblem: (p) => console.error(`amoskys up: ${formatProblem(p)}`),
      onListenerState,
    });
  } catch (err) {
    console.error(`amoskys up: ${(err as Error).message}`);
    return 1;
  }
  console.log(banner(up));
  bannerShown = true;
  if (!stopRequested) await new Promise<void>((r) => (wake = r));
  logger.info("stopping");
  await up.stop();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  console.log("AMOSKYS stopped.");
  return 0;
}
