// The syslog listener: UDP (RFC 5426) and TCP (RFC 6587) on one port number,
// optionally TLS (RFC 5425) on another. It maps each source address to a
// Device, frames and parses what it hears (framing.ts, parse.ts, decode.ts)
// and hands events to the sink. Sources no Device claims are dropped and
// counted; connections are limited so that a flood cannot exhaust the process.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { isIPv6, type Server, type Socket, createServer as tcpServer } from "node:net";
import { type TLSSocket, createServer as tlsServer } from "node:tls";
import { Counter, Gauge, type Registry } from "prom-client";
import type {
  AgentDevice,
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../../collector.ts";
import { collectorMetrics } from "../../metrics.ts";
import {
  decodeMessage,
  firstContactStatus,
  malformedEvent,
  PROTOCOL,
  type Reception,
} from "./decode.ts";
import { createFramer, type FrameItem } from "./framing.ts";
import { udpDrops, udpInodesOnPort } from "./procnet.ts";

export interface SyslogListenerOptions {
  /** UDP and TCP port (the same number for both; 0 picks a free TCP port and binds UDP to it). */
  port: number;
  /** Address to listen on; default 0.0.0.0. */
  host?: string;
  /** RFC 5425 listener. With caFile, clients must present a certificate it signed (mutual TLS). */
  tls?: { port: number; certFile: string; keyFile: string; caFile?: string };
  /** Longest message accepted, in bytes (default 8192); longer ones become Malformed frame_too_large / too_large. */
  maxMessageBytes?: number;
  /** Open TCP+TLS connections at most (default 512); more are closed at once and counted. */
  maxConnections?: number;
  /** Open connections per source address at most (default 32). */
  maxConnectionsPerSource?: number;
  /** A connection silent this long is closed (default 30 min; 0: never). */
  idleTimeoutMs?: number;
  /**
   * Events handed to the sink and not yet stored, at most (default 50000): then TCP is paused and UDP dropped.
   * Most of them are sealed already and wait for the outbox fsync (a few bytes each), so the bound
   * is what one slow fsync may gather: 10000 dropped bursts while the disk was busy.
   */
  maxPendingEvents?: number;
  /** Zone of RFC 3164 timestamps (they carry none): "local" (default, like rsyslog) or "utc". */
  rfc3164Zone?: "local" | "utc";
  /**
   * UDP socket receive buffer asked for (default 16 MiB): it absorbs bursts while
   * the event loop is busy. Linux grants at most net.core.rmem_max (and reports
   * double that); see `udpReceiveBufferBytes` for what was granted.
   */
  udpReceiveBufferBytes?: number;
  /** Longest wait before queued events go to the sink (default 2 ms); 1000 events go at once. */
  batchDelayMs?: number;
}

export interface SyslogListener extends Collector {
  /** The ports actually bound (after start), e.g. when port 0 was asked for. */
  readonly ports: { udp: number; tcp: number; tls?: number };
  /** The UDP receive buffer the kernel granted (after start; 0 before). */
  readonly udpReceiveBufferBytes: number;
}

interface ListenerMetrics {
  connections: Gauge<"transport">;
  closed: Counter<"reason">;
  dropped: Counter<"reason">;
  kernelDrops: Gauge;
  /** Inodes of the live UDP sockets whose kernel drops the gauge sums. */
  udpInodes: Set<number>;
}

/** Kernel drops of the sockets with these inodes (Linux /proc; 0 elsewhere). */
function readKernelDrops(inodes: Set<number>): number {
  let total = 0;
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "latin1");
    } catch {
      continue; // not Linux, or no IPv6
    }
    for (const inode of inodes) total += udpDrops(text, inode) ?? 0;
  }
  return total;
}

const byRegistry = new WeakMap<Registry, ListenerMetrics>();

function listenerMetrics(registry: Registry): ListenerMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    const registers = [registry];
    m = {
      connections: new Gauge({
        name: "amoskys_agent_syslog_connections",
        help: "Open syslog TCP and TLS connections.",
        labelNames: ["transport"],
        registers,
      }),
      closed: new Counter({
        name: "amoskys_agent_syslog_connections_closed_total",
        help: "Syslog connections the listener refused or closed, by reason (limit, source_limit, unknown_source, octet_count_too_large, idle, tls_handshake).",
        labelNames: ["reason"],
        registers,
      }),
      dropped: new Counter({
        name: "amoskys_agent_syslog_dropped_total",
        help: "Syslog messages received but not handed on, by reason (backpressure: the sink is behind; sink_error: it failed).",
        labelNames: ["reason"],
        registers,
      }),
      kernelDrops: new Gauge({
        name: "amoskys_agent_syslog_udp_drops",
        help: "Syslog UDP datagrams the kernel dropped (receive buffer full) on the live listener sockets, as /proc/net/udp counts them.",
        registers,
        collect() {
          this.set(inodes.size ? readKernelDrops(inodes) : 0);
        },
      }),
      udpInodes: new Set(),
    };
    const inodes = m.udpInodes;
    byRegistry.set(registry, m);
  }
  return m;
}

/** "::ffff:10.0.0.1" (dual-stack sockets) → "10.0.0.1". */
function normaliseIp(ip: string | undefined): string | undefined {
  return ip?.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

function validate(o: SyslogListenerOptions): string[] {
  const issues: string[] = [];
  const port = (n: number | undefined) =>
    Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535;
  if (!port(o.port)) issues.push(`port: ${o.port} is not a port number`);
  if (o.tls && !port(o.tls.port)) issues.push(`tls.port: ${o.tls.port} is not a port number`);
  if (o.tls && o.tls.port !== 0 && o.tls.port === o.port)
    issues.push("tls.port: must differ from port");
  const mm = o.maxMessageBytes;
  if (mm !== undefined && !(Number.isInteger(mm) && mm >= 480 && mm <= 1 << 20)) {
    issues.push(`maxMessageBytes: ${mm} must be 480 .. 1048576 (RFC 5426 §3.2: at least 480)`);
  }
  const bd = o.batchDelayMs;
  if (bd !== undefined && !(Number.isInteger(bd) && bd >= 0 && bd <= 1000))
    issues.push(`batchDelayMs: ${bd} must be 0 .. 1000`);
  for (const k of [
    "maxConnections",
    "maxConnectionsPerSource",
    "maxPendingEvents",
    "udpReceiveBufferBytes",
  ] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      issues.push(`${k}: ${v} must be a positive integer`);
  }
  return issues;
}

export function createSyslogListener(
  opts: SyslogListenerOptions,
  directory: DeviceDirectory,
  ctx: CollectorContext,
): SyslogListener {
  const host = opts.host ?? "0.0.0.0";
  const maxBytes = opts.maxMessageBytes ?? 8192;
  const maxConnections = opts.maxConnections ?? 512;
  const maxPerSource = opts.maxConnectionsPerSource ?? 32;
  const idleMs = opts.idleTimeoutMs ?? 30 * 60_000;
  const maxPending = opts.maxPendingEvents ?? 50_000;
  const recvBuffer = opts.udpReceiveBufferBytes ?? 16 * 1024 * 1024;
  const batchDelayMs = opts.batchDelayMs ?? 2;
  const parseOpts = { rfc3164Zone: opts.rfc3164Zone ?? "local", maxBytes } as const;
  const common = collectorMetrics(ctx.registry);
  const own = listenerMetrics(ctx.registry);
  const log = ctx.logger.child({ collector: "syslog-listener" });

  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  let tls: Server | undefined;
  const ports: { udp: number; tcp: number; tls?: number } = { udp: 0, tcp: 0 };
  const sockets = new Set<Socket>();
  const perSource = new Map<string, number>();
  const paused = new Set<Socket>();
  const seen = new Set<string>();
  // The device of the last reception, known to be in `seen` (skips building its key per message).
  let lastSeen: AgentDevice | undefined;
  let stopping: Promise<void> | undefined;
  let started = false;

  // Receptions within the current millisecond, numbered for the event id (see decode.ts).
  let occurrenceMs = -1;
  let occurrence = 0;

  // Events wait here up to batchDelayMs (or until there are BATCH of them), so
  // the sink — signing, outbox, NATS — works per batch, not per datagram.
  const BATCH = 1000;
  let queue: TelemetryEvent[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let udpBufferBytes = 0;
  let udpInode: number | undefined;
  let pending = 0; // queued + handed to the sink and not yet settled
  const inflight = new Set<Promise<void>>();

  // Source → Device answers, kept until the next flush (≤ batchDelayMs): a
  // datagram burst asks the directory once per source, and a reloaded
  // directory is seen from the next batch on.
  const sourceCache = new Map<string, AgentDevice | undefined>();
  function deviceFor(ip: string): AgentDevice | undefined {
    let d = sourceCache.get(ip);
    if (d === undefined && !sourceCache.has(ip)) {
      d = directory.bySource("syslog", ip);
      if (sourceCache.size >= 1024) sourceCache.clear();
      sourceCache.set(ip, d);
      // flush() clears the cache: make sure one comes even if nothing is queued.
      if (!flushTimer) flushTimer = setTimeout(flush, batchDelayMs);
    }
    return d;
  }

  function flush(): void {
    sourceCache.clear();
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    common.events.inc({ protocol: PROTOCOL }, batch.length);
    const p: Promise<void> = ctx.sink
      .emit(batch)
      .catch((err: unknown) => {
        own.dropped.inc({ reason: "sink_error" }, batch.length);
        log.error("sink rejected syslog events", { err: err as Error, events: batch.length });
      })
      .finally(() => {
        inflight.delete(p);
        pending -= batch.length;
        if (pending <= maxPending / 2 && paused.size) {
          for (const s of paused) s.resume();
          paused.clear();
        }
      });
    inflight.add(p);
  }

  function enqueue(ev: TelemetryEvent): void {
    queue.push(ev);
    pending++;
    if (queue.length >= BATCH) flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, batchDelayMs);
  }

  function reception(device: AgentDevice, ip: string): Reception {
    const now = ctx.now();
    if (now !== occurrenceMs) {
      occurrenceMs = now;
      occurrence = 0;
    }
    const r = { device, ip, receivedMs: now, occurrence: occurrence++ };
    if (device !== lastSeen) {
      const deviceKey = `${device.namespace}/${device.name}`;
      if (!seen.has(deviceKey)) {
        seen.add(deviceKey);
        enqueue(firstContactStatus(r));
      }
      lastSeen = device;
    }
    return r;
  }

  function onMessage(raw: Uint8Array, ip: string, device: AgentDevice): void {
    const r = reception(device, ip);
    const d = decodeMessage(raw, r, parseOpts);
    if (!d.ok) common.malformed.inc({ protocol: PROTOCOL, reason: d.reason });
    enqueue(d.event);
  }

  function onFramingError(
    item: Extract<FrameItem, { error: string }>,
    ip: string,
    device: AgentDevice,
  ): void {
    const r = reception(device, ip);
    common.malformed.inc({ protocol: PROTOCOL, reason: item.error });
    enqueue(malformedEvent(item.error, item.sample, item.length, r));
  }

  function onDatagram(msg: Buffer, ip: string): void {
    const device = deviceFor(ip);
    if (!device) {
      common.unknownSource.inc({ protocol: PROTOCOL });
      return;
    }
    if (pending >= maxPending) {
      own.dropped.inc({ reason: "backpressure" });
      return;
    }
    if (msg.length > maxBytes) {
      const r = reception(device, ip);
      common.malformed.inc({ protocol: PROTOCOL, reason: "too_large" });
      enqueue(malformedEvent("too_large", msg, msg.length, r));
      return;
    }
    onMessage(msg, ip, device);
  }

  /** Admission of a new TCP/TLS connection: the Device it belongs to, or undefined (then it is closed). */
  function admit(socket: Socket, transport: "tcp" | "tls"): AgentDevice | undefined {
    const ip = normaliseIp(socket.remoteAddress);
    const refuse = (reason: string) => {
      own.closed.inc({ reason });
      socket.destroy();
      return undefined;
    };
    if (!ip || stopping) return refuse("stopping");
    const device = directory.bySource("syslog", ip);
    if (!device) {
      common.unknownSource.inc({ protocol: PROTOCOL });
      return refuse("unknown_source");
    }
    if (sockets.size >= maxConnections) return refuse("limit");
    const fromSource = perSource.get(ip) ?? 0;
    if (fromSource >= maxPerSource) return refuse("source_limit");
    sockets.add(socket);
    perSource.set(ip, fromSource + 1);
    own.connections.inc({ transport });
    socket.once("close", () => {
      sockets.delete(socket);
      paused.delete(socket);
      const n = (perSource.get(ip) ?? 1) - 1;
      if (n > 0) perSource.set(ip, n);
      else perSource.delete(ip);
      own.connections.dec({ transport });
    });
    socket.on("error", (err) => log.debug("syslog connection error", { ip, err }));
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => {
        own.closed.inc({ reason: "idle" });
        socket.destroy();
      });
    }
    return device;
  }

  /** Reads frames from an admitted stream (plain TCP, or TLS after the handshake). */
  function serve(stream: Socket | TLSSocket, device: AgentDevice, ip: string): void {
    const framer = createFramer({ maxFrameBytes: maxBytes });
    const handle = (items: FrameItem[]) => {
      for (const item of items) {
        if ("frame" in item) onMessage(item.frame, ip, device);
        else {
          onFramingError(item, ip, device);
          if (item.fatal) {
            own.closed.inc({ reason: item.error });
            stream.destroy();
            return;
          }
        }
      }
      if (pending >= maxPending && !paused.has(stream)) {
        // TCP senders buffer and retry: slow them down instead of losing messages.
        stream.pause();
        paused.add(stream);
      }
    };
    stream.on("data", (chunk: Buffer) => handle(framer.push(chunk)));
    stream.on("end", () => {
      handle(framer.end());
      stream.end();
    });
    stream.once("close", () => paused.delete(stream));
  }

  async function start(): Promise<void> {
    if (started) return;
    const issues = validate(opts);
    if (issues.length) throw new Error(`syslog listener: ${issues.join("; ")}`);
    started = true;
    stopping = undefined;
    seen.clear();
    lastSeen = undefined;
    let tlsOptions: { cert: string; key: string; ca?: string } | undefined;
    if (opts.tls) {
      tlsOptions = {
        cert: await ctx.readSecret(opts.tls.certFile),
        key: await ctx.readSecret(opts.tls.keyFile),
        ca: opts.tls.caFile ? await ctx.readSecret(opts.tls.caFile) : undefined,
      };
    }
    try {
      tcp = tcpServer((socket) => {
        const device = admit(socket, "tcp");
        if (device) serve(socket, device, normaliseIp(socket.remoteAddress) as string);
      });
      ports.tcp = await listen(tcp, opts.port, host);

      udp = createSocket({ type: isIPv6(host) ? "udp6" : "udp4", recvBufferSize: recvBuffer });
      udp.on("message", (msg, rinfo) =>
        onDatagram(msg, normaliseIp(rinfo.address) ?? rinfo.address),
      );
      ports.udp = await bindUdp(udp, ports.tcp, host);
      udpBufferBytes = udp.getRecvBufferSize();
      udpInode = socketInode(ports.udp, isIPv6(host));
      if (udpInode !== undefined) own.udpInodes.add(udpInode);
      udp.on("error", (err) => log.warn("syslog UDP socket error", { err }));

      if (opts.tls && tlsOptions) {
        const mutual = tlsOptions.ca !== undefined;
        const srv = tlsServer({
          ...tlsOptions,
          requestCert: mutual,
          rejectUnauthorized: mutual,
          handshakeTimeout: 10_000,
          minVersion: "TLSv1.2",
        });
        // Before the handshake: unknown sources and floods never cost a TLS handshake.
        srv.on("connection", (raw: Socket) => admit(raw, "tls"));
        srv.on("secureConnection", (s: TLSSocket) => {
          const ip = normaliseIp(s.remoteAddress);
          const device = ip ? directory.bySource("syslog", ip) : undefined;
          if (!ip || !device) {
            s.destroy();
            return;
          }
          s.on("error", () => {});
          serve(s, device, ip);
        });
        srv.on("tlsClientError", (err, s) => {
          own.closed.inc({ reason: "tls_handshake" });
          log.debug("syslog TLS handshake failed", { ip: s?.remoteAddress, err });
        });
        tls = srv;
        ports.tls = await listen(srv, opts.tls.port, host);
      }
    } catch (err) {
      await closeAll();
      started = false;
      throw err;
    }
    log.info("syslog listener started", { host, ...ports, udpReceiveBufferBytes: udpBufferBytes });
  }

  async function closeAll(): Promise<void> {
    const closing: Promise<unknown>[] = [];
    if (udpInode !== undefined) own.udpInodes.delete(udpInode);
    udpInode = undefined;
    if (udp) {
      const u = udp;
      closing.push(new Promise<void>((res) => u.close(() => res())).catch(() => {}));
      udp = undefined;
    }
    for (const srv of [tcp, tls]) {
      if (srv?.listening) closing.push(new Promise((res) => srv.close(() => res(undefined))));
    }
    tcp = undefined;
    tls = undefined;
    for (const s of sockets) s.destroy();
    await Promise.all(closing);
  }

  return {
    name: "syslog-listener",
    get ports() {
      return { ...ports };
    },
    get udpReceiveBufferBytes() {
      return udpBufferBytes;
    },
    start,
    stop() {
      if (!started) return stopping ?? Promise.resolve();
      started = false;
      stopping = (async () => {
        try {
          await closeAll();
        } catch {
          // closing is best effort; the sockets are gone either way
        }
        flush();
        await Promise.allSettled([...inflight]);
        log.info("syslog listener stopped");
      })();
      return stopping;
    },
  };
}

function listen(srv: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    srv.once("error", onError);
    srv.listen(port, host, () => {
      srv.off("error", onError);
      const a = srv.address();
      resolve(typeof a === "object" && a ? a.port : port);
    });
  });
}

/**
 * The inode of our UDP socket on `port` (its line in /proc/net/udp): of the
 * sockets bound to that port, the one this process holds (/proc/self/fd).
 * Undefined off Linux or if it cannot be told.
 */
function socketInode(port: number, ipv6: boolean): number | undefined {
  try {
    const text = readFileSync(ipv6 ? "/proc/net/udp6" : "/proc/net/udp", "latin1");
    const onPort = new Set(udpInodesOnPort(text, port));
    for (const fd of readdirSync("/proc/self/fd")) {
      let link: string;
      try {
        link = readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && onPort.has(Number(m[1]))) return Number(m[1]);
    }
  } catch {
    // not Linux
  }
  return undefined;
}

function bindUdp(sock: UdpSocket, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    sock.once("error", onError);
    sock.bind(port, host, () => {
      sock.off("error", onError);
      resolve(sock.address().port);
    });
  });
}
