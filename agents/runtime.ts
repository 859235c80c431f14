// The agent: reads agent.yaml, runs the collectors it lists, and moves their
// events through batcher → outbox (fsync) → shipper → JetStream. NATS being
// down only fills the outbox. A changed config file (the ConfigMap update) is
// re-planned and applied without touching the pipeline, so nothing in flight
// is lost. stop() is the SIGTERM path: stop collectors, store what is
// batched, ship what it can within the grace period, exit.
import { createHash } from "node:crypto";
import { type FSWatcher, readFileSync, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { Counter, Gauge } from "prom-client";
import { natsPublisher } from "../proto/bus/nats.ts";
import type { Publisher } from "../proto/bus/types.ts";
import { type TelemetryEvent, v1 } from "../proto/codec.ts";
import { BatchSigner } from "../proto/sign-batch.ts";
import { Compression, privateKeyFromSeed } from "../proto/signing.ts";
import { createLogger, type Logger } from "../runtime/log.ts";
import { createOpsServer, type OpsServer } from "../runtime/ops-server.ts";
import type {
  AgentDevice,
  Collector,
  CollectorContext,
  DeviceDirectory,
  EmitOptions,
} from "./collector.ts";
import { type AgentConfig, loadAgentConfig } from "./config.ts";
import { createDirectory } from "./directory.ts";
import { Batcher } from "./pipeline/batcher.ts";
import { loadChain, saveChain } from "./pipeline/chain-file.ts";
import { Outbox } from "./pipeline/outbox.ts";
import { Shipper } from "./pipeline/shipper.ts";
import {
  type CollectorSpec,
  diffCollectors,
  heardDevices,
  type ListenProtocol,
  type PollProtocol,
  planCollectors,
  servedDevices,
} from "./plan.ts";

export type CaptureConfig = NonNullable<AgentConfig["capture"]>;

export interface CollectorFactories {
  capture?: (opts: CaptureConfig, dir: DeviceDirectory, ctx: CollectorContext) => Collector;
  poll: Partial<Record<PollProtocol, (device: AgentDevice, ctx: CollectorContext) => Collector>>;
  listen: Partial<
    Record<
      ListenProtocol,
      (
        opts: { port: number; host: string },
        dir: DeviceDirectory,
        ctx: CollectorContext,
      ) => Collector
    >
  >;
}

export interface AgentOptions {
  configPath: string;
  /** Outside a container: the directory standing in for / (see rebaseConfig). */
  root?: string;
  factories: (ctx: CollectorContext) => CollectorFactories;
  logger?: Logger;
  /** Names a fresh producer `<namespace>/<profile>/<pod>`; default AMOSKYS_POD_NAME or the host name. */
  podName?: string;
  nodeName?: string;
  shard?: number;
  /** Address the ops server and the listeners bind (default all interfaces). */
  host?: string;
  /** Overrides ops.port (tests: 0 for any free port). */
  opsPort?: number;
  /** Overrides the listener ports (tests). */
  listenerPorts?: Partial<Record<ListenProtocol, number>>;
  /** Payloads above this are split into more batches (below NATS max_payload). */
  maxBatchBytes?: number;
  /**
   * Ship to this publisher instead of connecting to NATS (`bus` in the config
   * is then ignored): the in-process bus of `amoskys up`. The agent closes it
   * on stop().
   */
  publisher?: Publisher;
  /**
   * Told when a collector fails to start (a port in use, say) and when a
   * retry brings it up. A failed collector is retried with backoff until it
   * starts or the config no longer asks for it.
   */
  onCollectorState?: (s: CollectorState) => void;
  /** Retry backoff of a collector that failed to start: first and longest wait. Default 1 s, 30 s. */
  retryBackoffMs?: { initial: number; max: number };
}

/** A collector that failed to start (state "failing"), or one that started after failing. */
export interface CollectorState {
  /** The collector's key, e.g. "syslog-listener", "snmp/default/ups-1". */
  collector: string;
  state: "failing" | "running";
  /** Why the last start failed (failing only). */
  error?: string;
  /** Failed starts so far. */
  attempts: number;
  /** When the next attempt is (failing only). */
  retryInMs?: number;
}

export interface Agent {
  readonly ops: OpsServer;
  readonly opsPort: number;
  readonly producerId: string;
  /** Keys of the collectors running now. */
  collectors(): string[];
  /** Collectors the config asks for that failed to start, retried with backoff. */
  failing(): CollectorState[];
  /** Re-reads the config file (also done on file change). */
  reload(): Promise<void>;
  /** SIGTERM: stop collectors, store and ship what is pending within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  outbox: Outbox;
}

interface Running {
  hash: string;
  collector: Collector;
}

/**
 * The pod part of the producer id: `<pod name>@<first 8 of the pod UID>`. A pod
 * recreated under the same name (a StatefulSet's) has a fresh outbox and starts
 * its chain at 1: with the name alone, analytics took its batches for replays of
 * the old pod's (and JetStream dropped them as duplicate message ids).
 */
export function podIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.AMOSKYS_POD_NAME ?? hostname();
  const uid = env.AMOSKYS_POD_UID?.replaceAll("-", "").slice(0, 8);
  return uid ? `${name}@${uid}` : name;
}

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const logger = o.logger ?? createLogger("agent");
  const host = o.host ?? "0.0.0.0";
  let cfg = await loadAgentConfig(o.configPath, o.root);
  let configText = readFileSync(o.configPath, "utf8");
  const ops = createOpsServer("amoskys_agent");
  const m = agentMetrics(ops);

  const outbox = await Outbox.open(cfg.outbox.dir, {
    maxBytes: cfg.outbox.maxBytes,
    onDrop: (n) => {
      m.dropped.inc(n);
      logger.warn("outbox full: dropped the oldest batches", { batches: n });
    },
  });
  const tail =
    outbox.lastSeq > outbox.shipped
      ? (await outbox.next(Number.MAX_SAFE_INTEGER)).at(-1)
      : undefined;
  const pod = o.podName ?? podIdentity();
  const chain = await loadChain(cfg.outbox.dir, `${cfg.producer.id}/${pod}`, tail);
  const producerId = chain.producerId;
  let signer = newSigner(cfg, producerId, chain.state);
  let keyHash = fileDigest(cfg.producer.keyFile);
  let nc: NatsConnection | undefined;
  let publisher: Publisher | undefined;
  let shipper: Shipper | undefined;
  let busKey = "";

  const batcher = new Batcher({
    maxEvents: cfg.batching.maxEvents,
    maxDelayMs: cfg.batching.maxDelayMs,
    maxBatchBytes: o.maxBatchBytes ?? 768 << 10,
    producerId,
    signer: () => signer,
    store: async (records) => {
      await outbox.append(records);
      await saveChain(cfg.outbox.dir, { producerId, state: signer.state });
      m.batches.inc(records.length);
      shipper?.wake();
    },
  });

  const directory = createDirectory([]);
  const subjects = new Map<string, string>();
  const simulated = new Set<string>();
  const sink = {
    async emit(events: TelemetryEvent[], opts?: EmitOptions): Promise<void> {
      const bySubject = new Map<string, TelemetryEvent[]>();
      for (const e of events) {
        const id = `${e.device?.namespace}/${e.device?.name}`;
        const subject = subjects.get(id);
        if (!subject) {
          m.unattributed.inc();
          continue;
        }
        // A simulator's answers are real answers of a simulator: say so.
        if (e.status && simulated.has(id)) {
          e.status.capability = v1.Capability.CAPABILITY_SIMULATED;
          e.status.reason = `simulated device${e.status.reason ? `; ${e.status.reason}` : ""}`;
        }
        const list = bySubject.get(subject);
        if (list) list.push(e);
        else bySubject.set(subject, [e]);
      }
      m.events.inc(events.length);
      await Promise.all([...bySubject].map(([s, es]) => batcher.add(s, es, opts?.urgent)));
    },
  };
  const ctx: CollectorContext = {
    sink,
    logger,
    registry: ops.registry,
    readSecret: async (path) => (await readFile(path, "utf8")).replace(/\r?\n$/, ""),
    now: Date.now,
  };
  const factories = o.factories(ctx);

  const newShipper = (p: Publisher) =>
    new Shipper({
      outbox,
      publisher: p,
      logger,
      onShipped: (n, bytes) => {
        m.published.inc(n);
        m.publishedBytes.inc(bytes);
      },
      onError: () => m.publishErrors.inc(),
    });

  // The bus: connect in the background; until then batches wait in the outbox.
  const connectBus = async () => {
    if (o.publisher) {
      if (shipper || busKey === "closed") return;
      publisher = o.publisher;
      shipper = newShipper(publisher);
      shipper.start();
      return;
    }
    const key = JSON.stringify(cfg.bus);
    if (key === busKey) return;
    busKey = key;
    await shipper?.stop();
    await publisher?.close().catch(() => {});
    await nc?.close().catch(() => {});
    shipper = undefined;
    const b = cfg.bus;
    const read = (f?: string) => (f ? readFileSync(f, "utf8").replace(/\r?\n$/, "") : undefined);
    // The first connection is retried here rather than by nats.js
    // (waitOnFirstConnect), so a stop() while NATS is unreachable ends it.
    let conn: NatsConnection | undefined;
    for (let backoff = 500; !conn; backoff = Math.min(backoff * 2, 10_000)) {
      if (key !== busKey) return;
      try {
        conn = await connect({
          servers: b.url,
          name: producerId,
          user: read(b.usernameFile),
          pass: read(b.passwordFile),
          tls:
            b.url.startsWith("tls://") || b.caFile
              ? { ca: read(b.caFile), cert: read(b.certFile), key: read(b.keyFile) }
              : undefined,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1_000,
        });
      } catch (err) {
        m.publishErrors.inc();
        logger.warn("NATS unreachable; batches wait in the outbox", {
          err: err instanceof Error ? err.message : String(err),
          retryInMs: backoff,
        });
        await sleep(backoff);
      }
    }
    if (key !== busKey) {
      await conn.close();
      return;
    }
    nc = conn;
    publisher = natsPublisher(jetstream(conn), { maxInFlight: 1 });
    shipper = newShipper(publisher);
    shipper.start();
    logger.info("connected to NATS", { url: b.url });
  };
  const busReady = connectBus().catch((err) => {
    busKey = "";
    logger.error("cannot connect to NATS", { err });
  });

  const running = new Map<string, Running>();
  // Reloads and collector retries, one at a time.
  let reloading = Promise.resolve();
  // Collectors that failed to start, retried with backoff (on the reload chain,
  // so never alongside an apply). A new plan replaces them.
  const backoff = o.retryBackoffMs ?? { initial: 1_000, max: 30_000 };
  const failed = new Map<
    string,
    { spec: CollectorSpec; error: string; attempts: number; at: number; timer: NodeJS.Timeout }
  >();
  let stopped = false;
  const startOne = async (s: CollectorSpec): Promise<void> => {
    const c =
      s.kind === "poll"
        ? factories.poll[s.protocol]?.(s.device, ctx)
        : s.kind === "listen"
          ? factories.listen[s.protocol]?.({ port: s.port, host }, directory, ctx)
          : factories.capture?.(s.capture, directory, ctx);
    const protocol = s.kind === "capture" ? "capture" : s.protocol;
    if (!c) {
      logger.warn("no collector for this protocol in this agent", { collector: s.key });
      m.unsupported.inc({ protocol });
      return;
    }
    const before = failed.get(s.key);
    if (before) clearTimeout(before.timer);
    failed.delete(s.key);
    try {
      await c.start();
    } catch (err) {
      await c.stop().catch(() => {}); // whatever it bound before failing
      m.startErrors.inc({ protocol });
      const attempts = (before?.spec.hash === s.hash ? before.attempts : 0) + 1;
      const wait = Math.min(backoff.initial * 2 ** (attempts - 1), backoff.max);
      const error = err instanceof Error ? err.message : String(err);
      logger.error("collector failed to start; retrying", {
        collector: s.key,
        err,
        attempts,
        retryInMs: wait,
      });
      const timer = setTimeout(() => {
        reloading = reloading.then(async () => {
          if (stopped || failed.get(s.key)?.timer !== timer || running.has(s.key)) return;
          await startOne(s);
          m.collectors.set(running.size);
          m.failing.set(failed.size);
        });
      }, wait);
      timer.unref?.();
      failed.set(s.key, { spec: s, error, attempts, at: Date.now() + wait, timer });
      o.onCollectorState?.({
        collector: s.key,
        state: "failing",
        error,
        attempts,
        retryInMs: wait,
      });
      return;
    }
    running.set(s.key, { hash: s.hash, collector: c });
    if (before) {
      logger.info("collector started after failing", {
        collector: s.key,
        attempts: before.attempts,
      });
      o.onCollectorState?.({ collector: s.key, state: "running", attempts: before.attempts });
    }
  };
  const apply = async (next: AgentConfig) => {
    const devices = servedDevices(next, {
      shard: o.shard ?? envShard(),
      nodeName: o.nodeName ?? process.env.AMOSKYS_NODE_NAME,
    });
    const heard = heardDevices(next, devices);
    directory.replace(heard);
    subjects.clear();
    simulated.clear();
    for (const d of heard) {
      subjects.set(`${d.namespace}/${d.name}`, d.subject);
      if (d.simulated) simulated.add(`${d.namespace}/${d.name}`);
    }
    const plan = planCollectors(next, devices, heard).map((s) =>
      s.kind === "listen" && o.listenerPorts?.[s.protocol] !== undefined
        ? {
            ...s,
            port: o.listenerPorts[s.protocol] as number,
            hash: String(o.listenerPorts[s.protocol]),
          }
        : s,
    );
    const { stop, start } = diffCollectors(
      new Map([...running].map(([k, r]) => [k, r.hash])),
      plan,
    );
    await Promise.all(
      stop.map(async (k) => {
        const r = running.get(k);
        running.delete(k);
        await r?.collector
          .stop()
          .catch((err) => logger.warn("collector stop failed", { collector: k, err }));
      }),
    );
    // A failing collector the plan no longer asks for (or asks for differently) stops retrying.
    const planned = new Map(plan.map((s) => [s.key, s.hash]));
    for (const [k, f] of failed) {
      if (planned.get(k) === f.spec.hash) continue;
      clearTimeout(f.timer);
      failed.delete(k);
    }
    for (const s of start) await startOne(s);
    m.collectors.set(running.size);
    m.failing.set(failed.size);
    m.devices.set(devices.length);
  };

  await apply(cfg);
  const opsPort = await ops.listen(o.opsPort ?? cfg.ops.port, host);
  ops.addReadyCheck("config", () => true);
  ops.addReadyCheck("outbox", () =>
    outbox.bytes < cfg.outbox.maxBytes ? true : "outbox is full: NATS has been unreachable",
  );
  ops.addHealthCheck("event-loop", () => true);
  new Gauge({
    name: "amoskys_agent_outbox_bytes",
    help: "Bytes in the on-disk outbox.",
    registers: [ops.registry],
    collect() {
      this.set(outbox.bytes);
    },
  });
  new Gauge({
    name: "amoskys_agent_outbox_batches",
    help: "Batches waiting in the outbox.",
    registers: [ops.registry],
    collect() {
      this.set(outbox.pending);
    },
  });

  const reload = () => {
    reloading = reloading.then(async () => {
      let text: string;
      try {
        text = await readFile(o.configPath, "utf8");
      } catch (err) {
        logger.warn("config file unreadable; keeping the running config", { err });
        return;
      }
      const keyChanged = fileDigest(cfg.producer.keyFile) !== keyHash;
      if (text === configText && !keyChanged) return;
      try {
        const next = await loadAgentConfig(o.configPath, o.root);
        configText = text;
        if (next.producer.keyId !== cfg.producer.keyId || keyChanged) {
          // Key rotation: the chain continues under the new key.
          await batcher.flush();
          signer = newSigner(next, producerId, signer.state);
          keyHash = fileDigest(next.producer.keyFile);
        }
        cfg = next;
        await apply(next);
        void connectBus().catch((err) => {
          busKey = "";
          logger.error("cannot connect to NATS", { err });
        });
        m.reloads.inc({ result: "applied" });
        logger.info("config reloaded", { collectors: running.size });
      } catch (err) {
        m.reloads.inc({ result: "rejected" });
        logger.error("new config rejected; keeping the running one", { err });
      }
    });
    return reloading;
  };
  // A ConfigMap volume swaps a symlink: watch the directory, not the file.
  let debounce: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [dirname(o.configPath)].map((d) =>
    watch(d, () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void reload(), 200);
    }),
  );
  logger.info("agent started", {
    producer: producerId,
    // What runs where: an arm64 DaemonSet's pods must say arm64 here.
    arch: process.arch,
    node: process.version,
    collectors: running.size,
    config: basename(o.configPath),
    opsPort,
  });

  return {
    ops,
    opsPort,
    producerId,
    outbox,
    collectors: () => [...running.keys()],
    failing: () =>
      [...failed.entries()].map(([collector, f]) => ({
        collector,
        state: "failing" as const,
        error: f.error,
        attempts: f.attempts,
        retryInMs: Math.max(0, f.at - Date.now()),
      })),
    reload,
    async stop(graceMs = 20_000) {
      stopped = true;
      for (const w of watchers) w.close();
      clearTimeout(debounce);
      await reloading;
      for (const f of failed.values()) clearTimeout(f.timer);
      failed.clear();
      await Promise.all([...running.values()].map((r) => r.collector.stop().catch(() => {})));
      running.clear();
      await batcher.close();
      await Promise.race([busReady, sleep(Math.min(graceMs, 2_000))]);
      const left = shipper ? !(await shipper.drained(graceMs)) : outbox.pending > 0;
      if (left)
        logger.warn("stopping with batches in the outbox; they ship on restart", {
          batches: outbox.pending,
        });
      busKey = "closed";
      await shipper?.stop();
      await publisher?.close().catch(() => {});
      await nc?.close().catch(() => {});
      await outbox.close();
      await ops.close();
    },
  };
}

function newSigner(cfg: AgentConfig, producerId: string, state: BatchSigner["state"]): BatchSigner {
  const seed = readFileSync(cfg.producer.keyFile);
  return new BatchSigner({
    producerId,
    keyId: cfg.producer.keyId,
    privateKey: privateKeyFromSeed(seed),
    compression: Compression.COMPRESSION_ZSTD,
    state,
  });
}

function fileDigest(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return "unreadable";
  }
}

function envShard(): number | undefined {
  const s = process.env.AMOSKYS_SHARD;
  return s === undefined || s === "" ? undefined : Number(s);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

function agentMetrics(ops: OpsServer) {
  const registers = [ops.registry];
  return {
    events: new Counter({
      name: "amoskys_agent_events_total",
      help: "Events the pipeline accepted from collectors.",
      registers,
    }),
    unattributed: new Counter({
      name: "amoskys_agent_unattributed_events_total",
      help: "Events for a device this agent does not serve (dropped).",
      registers,
    }),
    batches: new Counter({
      name: "amoskys_agent_batches_sealed_total",
      help: "Signed batches written to the outbox.",
      registers,
    }),
    published: new Counter({
      name: "amoskys_agent_batches_published_total",
      help: "Batches JetStream stored.",
      registers,
    }),
    publishedBytes: new Counter({
      name: "amoskys_agent_published_bytes_total",
      help: "Bytes of batches JetStream stored.",
      registers,
    }),
    publishErrors: new Counter({
      name: "amoskys_agent_publish_errors_total",
      help: "Failed publish attempts (retried).",
      registers,
    }),
    dropped: new Counter({
      name: "amoskys_agent_outbox_dropped_batches_total",
      help: "Unshipped batches dropped because the outbox was full.",
      registers,
    }),
    collectors: new Gauge({
      name: "amoskys_agent_collectors",
      help: "Collectors running.",
      registers,
    }),
    devices: new Gauge({
      name: "amoskys_agent_devices",
      help: "Devices this agent serves.",
      registers,
    }),
    reloads: new Counter({
      name: "amoskys_agent_config_reloads_total",
      help: "Config file changes, by result (applied, rejected).",
      labelNames: ["result"],
      registers,
    }),
    unsupported: new Counter({
      name: "amoskys_agent_unsupported_collectors_total",
      help: "Collectors the config asks for that this agent does not have.",
      labelNames: ["protocol"],
      registers,
    }),
    startErrors: new Counter({
      name: "amoskys_agent_collector_start_errors_total",
      help: "Failed collector starts, retries included (bad config, port in use).",
      labelNames: ["protocol"],
      registers,
    }),
    failing: new Gauge({
      name: "amoskys_agent_collectors_failing",
      help: "Collectors the config asks for that failed to start (retried with backoff).",
      registers,
    }),
  };
}
