// The HL7 v2 MLLP listener: accepts TCP connections, unframes messages,
// parses them, hands ClinicalObservations to the sink and acknowledges.
// AA is sent only after the sink has durably queued the events; AE when the
// message is malformed; AR when it cannot be accepted (unknown source,
// sending facility/application of no device, storage failed, oversize).
import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Counter, Gauge } from "prom-client";
import type {
  AgentDevice,
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../../collector.ts";
import { Capability, type EventInit, event, Source, sample } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import { type AckCode, buildAck, ErrorCode } from "./hl7-ack.ts";
import { type Hl7Observation, interpret } from "./hl7-observations.ts";
import { type Hl7Header, parseHl7, parseMsh } from "./hl7-parse.ts";
import { MllpDecoder, type MllpItem, mllpFrame } from "./mllp.ts";

export interface MllpListenerOptions {
  port: number;
  host?: string;
  /** Largest message accepted, in bytes; longer frames get AR. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Open connections at once; more are closed on accept. Default 64. */
  maxConnections?: number;
  /** Open connections from one address. Default 8. */
  maxConnectionsPerSource?: number;
  /** A connection silent for this long is closed. Default 5 minutes. */
  idleTimeoutMs?: number;
}

export interface MllpListener extends Collector {
  /** The bound port (useful with port 0). */
  readonly port: number;
}

const PROTOCOL = "hl7";
/** Frames queued per connection before the socket is paused (backpressure). */
const MAX_QUEUED = 4;

interface Metrics {
  messages: Counter<"ack">;
  connections: Gauge;
  rejected: Counter<"reason">;
}

const metricsByRegistry = new WeakMap<object, Metrics>();

function listenerMetrics(ctx: CollectorContext): Metrics {
  let m = metricsByRegistry.get(ctx.registry);
  if (!m) {
    const registers = [ctx.registry];
    m = {
      messages: new Counter({
        name: "amoskys_agent_hl7_messages_total",
        help: "HL7 v2 messages received over MLLP, by the acknowledgement code sent.",
        labelNames: ["ack"],
        registers,
      }),
      connections: new Gauge({
        name: "amoskys_agent_hl7_connections",
        help: "Open MLLP connections.",
        registers,
      }),
      rejected: new Counter({
        name: "amoskys_agent_hl7_connections_rejected_total",
        help: "MLLP connections closed on accept or dropped, by reason.",
        labelNames: ["reason"],
        registers,
      }),
    };
    metricsByRegistry.set(ctx.registry, m);
  }
  return m;
}

/** "::ffff:127.0.0.1" → "127.0.0.1". */
function normalizeIp(ip: string | undefined): string {
  if (!ip) return "";
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

function sourcesOf(d: AgentDevice): string[] {
  const s = d.hl7?.sourceAddresses ?? [];
  return s.length ? s : [d.address];
}

/** Devices that may send from `ip`: every HL7 device listing it (an interface engine serves many). */
export function candidates(directory: DeviceDirectory, ip: string): AgentDevice[] {
  const all = directory.all().filter((d) => d.hl7 && sourcesOf(d).includes(ip));
  if (all.length) return all;
  const one = directory.bySource("hl7", ip);
  return one ? [one] : [];
}

function hdMatches(
  want: string | undefined,
  got: { namespaceId: string; universalId: string; raw: string },
) {
  if (want === undefined || want === "") return true;
  return want === got.namespaceId || want === got.universalId || want === got.raw;
}

/**
 * The device whose configured MSH-3/MSH-4 match; a device that sets them is
 * preferred over one that accepts anything from the address.
 */
export function matchDevice(
  devices: AgentDevice[],
  app: { namespaceId: string; universalId: string; raw: string },
  facility: { namespaceId: string; universalId: string; raw: string },
): AgentDevice | undefined {
  const matching = devices.filter(
    (d) => hdMatches(d.hl7?.sendingFacility, facility) && hdMatches(d.hl7?.sendingApplication, app),
  );
  const specificity = (d: AgentDevice) =>
    (d.hl7?.sendingFacility ? 2 : 0) + (d.hl7?.sendingApplication ? 1 : 0);
  return matching.sort((a, b) => specificity(b) - specificity(a))[0];
}

/** The first line only: a sample of a bad message without the patient segments after MSH. */
function firstLine(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cr = b.indexOf(0x0d);
  const lf = b.indexOf(0x0a);
  const ends = [cr, lf].filter((x) => x >= 0);
  return ends.length ? b.subarray(0, Math.min(...ends)) : b;
}

function clinical(obs: Hl7Observation, controlId: string): NonNullable<TelemetryEvent["clinical"]> {
  return {
    codeSystem: obs.codeSystem,
    code: obs.code,
    display: obs.display,
    value: obs.value,
    numericValue: obs.numericValue ?? 0,
    isNumeric: obs.numericValue !== undefined,
    unit: obs.unit,
    referenceRange: obs.referenceRange,
    abnormalFlag: obs.abnormalFlag,
    resultStatus: obs.resultStatus,
    sourceId: controlId,
  };
}

interface Outcome {
  code: AckCode;
  reason?: string;
  errorCode?: string;
  header?: Hl7Header;
}

export function createMllpListener(
  opts: MllpListenerOptions,
  directory: DeviceDirectory,
  ctx: CollectorContext,
): MllpListener {
  const maxBytes = opts.maxMessageBytes ?? 1024 * 1024;
  const maxConnections = opts.maxConnections ?? 64;
  const perSource = opts.maxConnectionsPerSource ?? 8;
  const idleMs = opts.idleTimeoutMs ?? 5 * 60_000;
  const shared = collectorMetrics(ctx.registry);
  const m = listenerMetrics(ctx);
  const log = ctx.logger.child({ collector: "hl7-listener" });
  const sockets = new Set<Socket>();
  const bySource = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  /** Devices that already got their first-message Status. */
  const announced = new Set<string>();
  let server: Server | undefined;
  let boundPort = 0;
  const startedMs = ctx.now();

  const base = (
    device: AgentDevice,
    ip: string,
    observedMs: number,
    idParts: (string | number)[],
  ): EventInit => ({
    device,
    source: Source.SOURCE_PROTOCOL_HL7,
    address: ip,
    observedMs,
    collectedMs: ctx.now(),
    idParts,
  });

  function malformedEvent(
    device: AgentDevice,
    ip: string,
    reason: string,
    bytes: Uint8Array,
    idParts: (string | number)[],
  ): TelemetryEvent {
    const s = sample(firstLine(bytes));
    return event(base(device, ip, ctx.now(), ["malformed", reason, ...idParts]), {
      malformed: {
        protocol: Source.SOURCE_PROTOCOL_HL7,
        reason,
        sample: s.sample,
        length: bytes.length,
      },
    });
  }

  /** Emits; false if the sink rejected (the caller answers AR). */
  async function store(events: TelemetryEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await ctx.sink.emit(events, { urgent: true }); // the ACK waits on it
      shared.events.inc({ protocol: PROTOCOL }, events.length);
      return true;
    } catch (err) {
      log.warn("sink rejected HL7 events", { error: err as Error, events: events.length });
      return false;
    }
  }

  async function onMessage(payload: Buffer, ip: string): Promise<Outcome> {
    const digest = createHash("sha256");
    const text = new TextDecoder("utf-8", { fatal: false }).decode(payload);
    const parsed = parseHl7(text);
    const header = parsed.header;
    const devices = candidates(directory, ip);
    if (devices.length === 0) {
      shared.unknownSource.inc({ protocol: PROTOCOL });
      log.warn("HL7 message from an address no Device claims", { source: ip });
      return {
        code: "AR",
        reason: `unknown source ${ip}`,
        errorCode: ErrorCode.internal,
        ...(header && { header }),
      };
    }
    if (!parsed.ok) {
      shared.malformed.inc({ protocol: PROTOCOL, reason: parsed.reason });
      const id = digest.update(payload).digest("hex").slice(0, 32);
      const dev = devices[0] as AgentDevice;
      // The AE answers the message; a failed store of the Malformed event does not change it.
      await store([malformedEvent(dev, ip, parsed.reason, payload, [id])]);
      const errorCode = parsed.reason.startsWith("missing")
        ? ErrorCode.requiredFieldMissing
        : parsed.reason === "bad_encoding_characters"
          ? ErrorCode.dataType
          : ErrorCode.segmentSequence;
      return { code: "AE", reason: parsed.detail, errorCode, ...(header && { header }) };
    }
    const { message } = parsed;
    const interp = interpret(message);
    const { info } = interp;
    const device = matchDevice(devices, info.sendingApplication, info.sendingFacility);
    if (!device) {
      shared.unknownSource.inc({ protocol: PROTOCOL });
      log.warn("HL7 sending application/facility matches no Device at this address", {
        source: ip,
        sendingApplication: info.sendingApplication.raw,
        sendingFacility: info.sendingFacility.raw,
      });
      return {
        code: "AR",
        reason: `sending application/facility ${info.sendingApplication.namespaceId}/${info.sendingFacility.namespaceId} is not configured for ${ip}`,
        errorCode: ErrorCode.internal,
        header,
      };
    }
    // Same message, same ids: the hash is over the normalised text, so a
    // resend with other line endings is still recognisably the same.
    const hash = digest.update(message.normalized).digest("hex").slice(0, 32);
    const nowMs = ctx.now();
    const events: TelemetryEvent[] = [];
    const key = `${device.namespace}/${device.name}`;
    const firstFromDevice = !announced.has(key);
    if (firstFromDevice) {
      events.push(
        event(base(device, ip, nowMs, ["status", startedMs]), {
          status: {
            protocol: Source.SOURCE_PROTOCOL_HL7,
            reachable: true,
            latencyMs: 0,
            capability: Capability.CAPABILITY_REAL,
            reason: "",
          },
        }),
      );
    }
    for (const obs of interp.observations) {
      events.push(
        event(base(device, ip, obs.observedMs ?? nowMs, ["obx", hash, obs.ordinal]), {
          clinical: clinical(obs, info.controlId),
        }),
      );
    }
    for (const [i, issue] of interp.issues.entries()) {
      shared.malformed.inc({ protocol: PROTOCOL, reason: issue.reason });
      events.push(malformedEvent(device, ip, issue.reason, Buffer.from(issue.segment), [hash, i]));
    }
    if (!(await store(events))) {
      return {
        code: "AR",
        reason: "the message could not be stored; resend later",
        errorCode: ErrorCode.internal,
        header,
      };
    }
    if (firstFromDevice) announced.add(key);
    return { code: "AA", header };
  }

  async function onItem(item: MllpItem, ip: string, socket: Socket): Promise<void> {
    let outcome: Outcome | undefined;
    switch (item.kind) {
      case "message":
        outcome = await onMessage(item.payload, ip).catch((err: unknown) => {
          // Nothing in onMessage should throw; if it does, the sender must resend.
          log.error("HL7 message handling failed", { error: err as Error });
          return { code: "AR" as const, reason: "internal error", errorCode: ErrorCode.internal };
        });
        break;
      case "oversize": {
        shared.malformed.inc({ protocol: PROTOCOL, reason: "oversize" });
        const text = new TextDecoder().decode(firstLine(item.head)).replace(/^\uFEFF/, "");
        const h = parseMsh(text);
        const header = "encoding" in h ? h : undefined;
        const dev = candidates(directory, ip)[0];
        if (dev) {
          const id = createHash("sha256").update(item.head).digest("hex").slice(0, 32);
          await store([
            {
              ...malformedEvent(dev, ip, "oversize", item.head, [id, item.length]),
            },
          ]);
        } else {
          shared.unknownSource.inc({ protocol: PROTOCOL });
        }
        outcome = {
          code: "AR",
          reason: `message of ${item.length} bytes exceeds the limit of ${maxBytes} bytes`,
          errorCode: ErrorCode.internal,
          ...(header && { header }),
        };
        break;
      }
      case "outside_frame":
      case "aborted": {
        const reason = item.kind === "aborted" ? "mllp_frame_aborted" : "mllp_outside_frame";
        shared.malformed.inc({ protocol: PROTOCOL, reason });
        const dev = candidates(directory, ip)[0];
        if (dev) {
          const id = createHash("sha256").update(item.sample).digest("hex").slice(0, 32);
          await store([malformedEvent(dev, ip, reason, item.sample, [id, item.length])]);
        }
        return; // nothing to acknowledge
      }
      case "runaway":
        shared.malformed.inc({ protocol: PROTOCOL, reason: "mllp_runaway" });
        m.rejected.inc({ reason: "runaway" });
        socket.destroy();
        return;
    }
    m.messages.inc({ ack: outcome.code });
    if (outcome.code !== "AA") {
      log.info("HL7 message not accepted", {
        source: ip,
        ack: outcome.code,
        reason: outcome.reason,
      });
    }
    const ack = buildAck({ ...outcome, nowMs: ctx.now() });
    if (!socket.destroyed) socket.write(mllpFrame(Buffer.from(ack, "utf8")));
  }

  function onConnection(socket: Socket) {
    const ip = normalizeIp(socket.remoteAddress);
    const open = bySource.get(ip) ?? 0;
    if (sockets.size >= maxConnections || open >= perSource) {
      m.rejected.inc({
        reason: sockets.size >= maxConnections ? "max_connections" : "max_per_source",
      });
      socket.destroy();
      return;
    }
    sockets.add(socket);
    bySource.set(ip, open + 1);
    m.connections.set(sockets.size);
    socket.setTimeout(idleMs, () => {
      m.rejected.inc({ reason: "idle" });
      socket.destroy();
    });
    const decoder = new MllpDecoder(maxBytes);
    const queue: MllpItem[] = [];
    let draining = false;
    // One message at a time per connection: MLLP peers wait for each ACK, and
    // the order of ACKs must follow the order of messages.
    const drain = async () => {
      if (draining) return;
      draining = true;
      while (queue.length && !socket.destroyed) {
        const item = queue.shift() as MllpItem;
        await onItem(item, ip, socket);
        if (queue.length < MAX_QUEUED && socket.isPaused()) socket.resume();
      }
      draining = false;
    };
    const track = () => {
      const p = drain();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    socket.on("data", (chunk: Buffer) => {
      queue.push(...decoder.push(chunk));
      if (queue.length >= MAX_QUEUED) socket.pause();
      track();
    });
    socket.on("end", () => {
      queue.push(...decoder.end());
      track();
      socket.end();
    });
    socket.on("error", (err) => log.debug("MLLP connection error", { source: ip, error: err }));
    socket.on("close", () => {
      sockets.delete(socket);
      const n = (bySource.get(ip) ?? 1) - 1;
      if (n > 0) bySource.set(ip, n);
      else bySource.delete(ip);
      m.connections.set(sockets.size);
    });
  }

  return {
    name: "hl7-listener",
    get port() {
      return boundPort;
    },
    start() {
      return new Promise<void>((resolve, reject) => {
        const srv = createServer({ pauseOnConnect: false }, onConnection);
        srv.once("error", reject);
        srv.listen(opts.port, opts.host ?? "0.0.0.0", () => {
          srv.off("error", reject);
          srv.on("error", (err) => log.error("MLLP server error", { error: err }));
          const a = srv.address();
          boundPort = typeof a === "object" && a ? a.port : opts.port;
          server = srv;
          log.info("HL7 MLLP listener started", { port: boundPort });
          resolve();
        });
      });
    },
    async stop() {
      const srv = server;
      server = undefined;
      const closed = srv ? new Promise<void>((r) => srv.close(() => r())) : Promise.resolve();
      // Let messages being stored finish and be acknowledged, then hang up.
      await Promise.allSettled([...inFlight]);
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
