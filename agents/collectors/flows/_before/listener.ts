// The NetFlow v5/v9/IPFIX UDP listener: one socket for every exporter. A
// datagram from an address no Device claims is counted and dropped before it
// is decoded (its templates never enter the cache); the rest become one
// sink.emit per datagram.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type {
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../../../collector.ts";
import { collectorMetrics } from "../../../metrics.ts";
import { decodeNetflow } from "./decode.ts";
import { flowEvent, malformedEvent, protocolLabel, statusEvent } from "./events.ts";
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
  /** Kernel receive buffer (bytes); exporters send in bursts. Default: the OS default. */
  recvBufferSize?: number;
}

export interface FlowListener extends Collector {
  /** The bound port (useful with port 0). */
  port(): number;
  /** The template cache (read-only use: size, tests). */
  readonly templates: TemplateCache;
}

const SWEEP_MS = 60_000;

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
    m.templates.set(templates.size);
    if (r.missingTemplateSets) m.missingTemplateSets.inc({ protocol }, r.missingTemplateSets);
    if (r.flows.length) m.records.inc({ protocol, kind: "flow" }, r.flows.length);
    if (r.optionsRecords) m.records.inc({ protocol, kind: "options" }, r.optionsRecords);
    if (r.otherRecords) m.records.inc({ protocol, kind: "other" }, r.otherRecords);

    const events: TelemetryEvent[] = [];
    const deviceKey = `${device.namespace}/${device.name}`;
    if (!seen.has(deviceKey)) {
      seen.add(deviceKey);
      events.push(statusEvent(device, exporter, version, now));
    }
    for (const rec of r.flows) events.push(flowEvent(device, rec, r.exportMs, now));
    for (const [i, err] of r.errors.entries()) {
      shared.malformed.inc({ protocol, reason: err.reason });
      if (i < maxMalformed) events.push(malformedEvent(device, exporter, version, err, msg, now));
    }
    if (r.errors.length) {
      log.debug("malformed datagram", {
        exporter,
        reason: r.errors[0]?.reason,
        n: r.errors.length,
      });
    }
    if (!events.length) return;
    const p = ctx.sink
      .emit(events)
      .then(() => {
        shared.events.inc({ protocol }, events.length);
      })
      .catch((err: unknown) => {
        log.error("sink rejected flow events", { err, n: events.length });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
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
          if (opts.recvBufferSize) s.setRecvBufferSize(opts.recvBufferSize);
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
      await Promise.allSettled([...inFlight]);
    },
  };
}
