// The NetFlow v5/v9/IPFIX UDP listener: one socket for every exporter. A
// datagram from an address no Device claims is counted and dropped before it
// is decoded (its templates never enter the cache); the events of the
// datagrams read in one event-loop turn go to the sink in one emit.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type {
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../../collector.ts";
import { IdHasher } from "../../hash128.ts";
import { collectorMetrics } from "../../metrics.ts";
import { decodeNetflow } from "./decode.ts";
import { flowEvents, malformedEvent, protocolLabel, statusEvent } from "./events.ts";
import { flowMetrics } from "./metrics.ts";
import { TemplateCache, type TemplateCacheOptions } from "./templates.ts";

export interface FlowListenerOptions {
  port: number;
  /** Address to bind (default 0.0.0.0; an IPv6 address binds udp6). */
  host?: string;
  /** Template cache bounds (count, lifetime, buffering of early data). */
  templates?: Omit<TemplateCacheOptions, "onEvict" | "onPendingDropped">;
  /** Malformed events per datagram at most (each error is still counted). Default 4. */
  maxMalformedPerDatagram?: number;
  /** Kernel receive buffer (bytes) asked for; exporters send in bursts. Default 16 MiB (capped by net.core.rmem_max). */
  recvBufferSize?: number;
}

export interface FlowListener extends Collector {
  /** The bound port (useful with port 0). */
  port(): number;
  /** The template cache (read-only use: size, tests). */
  readonly templates: TemplateCache;
}

const SWEEP_MS = 60_000;
/** Events per sink.emit at most (a burst is split). */
const MAX_BATCH = 4096;
/** SO_RCVBUF asked for by default: exporters send in bursts (Linux caps it at net.core.rmem_max). */
const DEFAULT_RCVBUF = 16 << 20;

function newCounts() {
  return { missing: 0, flow: 0, options: 0, other: 0 };
}

export function createFlowListener(
  opts: FlowListenerOptions,
  directory: DeviceDirectory,
  ctx: CollectorContext,
): FlowListener {
  const shared = collectorMetrics(ctx.registry);
  const m = flowMetrics(ctx.registry);
  const log = ctx.logger.child({ collector: "flows-listener" });
  const templates = new TemplateCache({
    ...opts.templates,
    onEvict: (reason, n) => m.templateEvictions.inc({ reason }, n),
    onPendingDropped: (n) => m.pendingDropped.inc(n),
  });
  const maxMalformed = opts.maxMalformedPerDatagram ?? 4;
  const seen = new Set<string>(); // devices that already got their Status event
  const inFlight = new Set<Promise<void>>();
  let socket: Socket | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  const hasher = new IdHasher();
  // Events of the datagrams read in one event-loop turn go to the sink in one
  // emit (libuv reads up to 32 datagrams per turn): the runtime batches and
  // signs anyway, and a promise per datagram was a large share of the cost.
  let queue: TelemetryEvent[] = [];
  let queued = { netflow: 0, ipfix: 0 };
  let counts = { netflow: newCounts(), ipfix: newCounts() };
  let flushScheduled = false;

  function flush(): void {
    flushScheduled = false;
    for (const protocol of ["netflow", "ipfix"] as const) {
      const c = counts[protocol];
      if (c.missing) m.missingTemplateSets.inc({ protocol }, c.missing);
      if (c.flow) m.records.inc({ protocol, kind: "flow" }, c.flow);
      if (c.options) m.records.inc({ protocol, kind: "options" }, c.options);
      if (c.other) m.records.inc({ protocol, kind: "other" }, c.other);
    }
    counts = { netflow: newCounts(), ipfix: newCounts() };
    m.templates.set(templates.size);
    if (!queue.length) return;
    const events = queue;
    const n = queued;
    queue = [];
    queued = { netflow: 0, ipfix: 0 };
    const p = ctx.sink
      .emit(events)
      .then(() => {
        if (n.netflow) shared.events.inc({ protocol: "netflow" }, n.netflow);
        if (n.ipfix) shared.events.inc({ protocol: "ipfix" }, n.ipfix);
      })
      .catch((err: unknown) => {
        log.error("sink rejected flow events", { err, n: events.length });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  function onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const exporter = rinfo.address.startsWith("::ffff:") ? rinfo.address.slice(7) : rinfo.address;
    const version = msg.length >= 2 ? msg.readUInt16BE(0) : 0;
    const protocol = protocolLabel(version);
    const device = directory.bySource("flows", exporter);
    if (!device) {
      shared.unknownSource.inc({ protocol });
      return;
    }
    const now = ctx.now();
    const r = decodeNetflow(msg, exporter, templates, now);
    const c = counts[protocol];
    c.missing += r.missingTemplateSets;
    c.flow += r.flows.length;
    c.options += r.optionsRecords;
    c.other += r.otherRecords;

    const before = queue.length;
    const deviceKey = `${device.namespace}/${device.name}`;
    if (!seen.has(deviceKey)) {
      seen.add(deviceKey);
      queue.push(statusEvent(device, exporter, version, now));
    }
    flowEvents(hasher, device, exporter, version, r.flows, r.exportMs, now, queue);
    for (const [i, err] of r.errors.entries()) {
      shared.malformed.inc({ protocol, reason: err.reason });
      if (i < maxMalformed) queue.push(malformedEvent(device, exporter, version, err, msg, now));
    }
    if (r.errors.length) {
      log.debug("malformed datagram", {
        exporter,
        reason: r.errors[0]?.reason,
        n: r.errors.length,
      });
    }
    queued[protocol] += queue.length - before;
    if (queue.length >= MAX_BATCH) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }

  return {
    name: "flows-listener",
    templates,
    port() {
      const a = socket?.address();
      return a ? a.port : opts.port;
    },
    start() {
      if (socket) return Promise.resolve();
      const host = opts.host ?? "0.0.0.0";
      const s = createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
      socket = s;
      return new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => {
          socket = undefined;
          s.close();
          reject(err);
        };
        s.once("error", onError);
        s.bind(opts.port, host, () => {
          s.off("error", onError);
          s.on("error", (err) => log.error("flow socket error", { err }));
          const want = opts.recvBufferSize ?? DEFAULT_RCVBUF;
          try {
            s.setRecvBufferSize(want);
          } catch (err) {
            log.warn("could not set the flow socket receive buffer", { err, bytes: want });
          }
          // Linux reports twice the usable size; less than asked means rmem_max capped it.
          const got = s.getRecvBufferSize();
          if (got < want) {
            log.info("flow socket receive buffer capped (raise net.core.rmem_max)", { want, got });
          }
          s.on("message", onMessage);
          sweeper = setInterval(() => {
            templates.sweep(ctx.now());
            m.templates.set(templates.size);
          }, SWEEP_MS);
          sweeper.unref();
          log.info("listening for NetFlow/IPFIX", { host, port: s.address().port });
          resolve();
        });
      });
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      const s = socket;
      socket = undefined;
      if (s) await new Promise<void>((res) => s.close(() => res()));
      flush(); // what was read before the close
      await Promise.allSettled([...inFlight]);
    },
  };
}
