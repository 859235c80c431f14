// Passive capture collectors: live (`tcpdump -U -w -` on an interface, no
// native addon) or a pcap file replayed through the same pipeline. Flow
// records and wire events are attributed to the Device at either end of the
// packet (directory.byAddress); traffic between two unknown hosts is counted
// and dropped.
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { Counter, type Registry } from "prom-client";
import type {
  AgentDevice,
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../collector.ts";
import { Capability, event, Source, type SourceProtocol, sample, timestamp } from "../events.ts";
import { collectorMetrics } from "../metrics.ts";
import type { FlowRecord } from "./flow-table.ts";
import { readPcap } from "./pcap.ts";
import { type MalformedOut, Pipeline, type PipelineOptions, type WireEventOut } from "./wire.ts";

export interface CaptureOptions extends PipelineOptions {
  /** Interface to capture on, e.g. "eth0" or "lo". */
  interface: string;
  /** The capture command; default ["tcpdump", "-U", "-w", "-", "-n", "-i", <interface>]. */
  command?: string[];
  /** A BPF filter appended to the command, e.g. "tcp port 502". */
  bpf?: string;
}

const MALFORMED_SOURCE: Record<MalformedOut["protocol"], SourceProtocol> = {
  pcap: Source.SOURCE_PROTOCOL_PCAP,
  packet: Source.SOURCE_PROTOCOL_PCAP,
  modbus: Source.SOURCE_PROTOCOL_MODBUS,
  snmp: Source.SOURCE_PROTOCOL_SNMP,
  mqtt: Source.SOURCE_PROTOCOL_MQTT,
  syslog: Source.SOURCE_PROTOCOL_SYSLOG,
  telnet: Source.SOURCE_PROTOCOL_PCAP,
  ftp: Source.SOURCE_PROTOCOL_PCAP,
};

const PROTOCOL = "pcap";

interface CaptureMetrics {
  packets: Counter;
  flowsEvicted: Counter;
  unattributed: Counter<"kind">;
}
const captureMetricsBy = new WeakMap<Registry, CaptureMetrics>();
function captureMetrics(registry: Registry): CaptureMetrics {
  let m = captureMetricsBy.get(registry);
  if (!m) {
    const registers = [registry];
    m = {
      packets: new Counter({
        name: "amoskys_agent_capture_packets_total",
        help: "Packets read from capture streams.",
        registers,
      }),
      flowsEvicted: new Counter({
        name: "amoskys_agent_capture_flows_evicted_total",
        help: "Flows exported early because the flow table was full.",
        registers,
      }),
      unattributed: new Counter({
        name: "amoskys_agent_capture_unattributed_total",
        help: "Flows and wire events with no Device at either end (dropped), by kind.",
        labelNames: ["kind"],
        registers,
      }),
    };
    captureMetricsBy.set(registry, m);
  }
  return m;
}

/** Low-cardinality label from a reason: numbers and hex replaced. */
const reasonLabel = (r: string) => r.replace(/0x[0-9a-f]+|\d+/gi, "N").slice(0, 80);

/**
 * Turns pipeline output into TelemetryEvents for the devices at either end,
 * batching emits. Shared by the live and the file collectors.
 */
class Emitter {
  private pending: TelemetryEvent[] = [];
  private readonly seenDevices = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private seq = new Map<string, number>();
  readonly pipeline: Pipeline;
  private readonly ctx: CollectorContext;
  private readonly directory: DeviceDirectory;
  private readonly origin: string;
  private evictedSeen = 0;

  constructor(
    ctx: CollectorContext,
    directory: DeviceDirectory,
    origin: string,
    opts: PipelineOptions,
  ) {
    this.ctx = ctx;
    this.directory = directory;
    this.origin = origin;
    this.pipeline = new Pipeline(
      {
        flow: (f) => this.flow(f),
        wire: (w) => this.wire(w),
        malformed: (m) => this.malformed(m),
      },
      opts,
    );
  }

  /** A per-(packet time, kind) counter, so several events of one packet get distinct stable ids. */
  private nth(key: string): number {
    const n = this.seq.get(key) ?? 0;
    this.seq.set(key, n + 1);
    if (this.seq.size > 10_000) this.seq.clear();
    return n;
  }

  private pick(...candidates: string[]): AgentDevice | undefined {
    for (const ip of candidates) {
      const d = this.directory.byAddress(ip);
      if (d) return d;
    }
    return undefined;
  }

  private push(device: AgentDevice, e: TelemetryEvent, observedMs: number): void {
    const key = `${device.namespace}/${device.name}`;
    if (!this.seenDevices.has(key)) {
      // Listener convention: one Status per device when its first traffic is seen.
      this.seenDevices.add(key);
      this.pending.push(
        event(
          {
            device,
            source: Source.SOURCE_PROTOCOL_PCAP,
            observedMs,
            collectedMs: this.ctx.now(),
            idParts: ["status", this.origin, observedMs],
          },
          {
            status: {
              protocol: Source.SOURCE_PROTOCOL_PCAP,
              reachable: true,
              latencyMs: 0,
              capability: Capability.CAPABILITY_REAL,
              reason: "",
            },
          },
        ),
      );
    }
    this.pending.push(e);
  }

  private flow(f: FlowRecord): void {
    const m = captureMetrics(this.ctx.registry);
    const evicted = this.pipeline.flowTable.evicted;
    if (evicted > this.evictedSeen) {
      m.flowsEvicted.inc(evicted - this.evictedSeen);
      this.evictedSeen = evicted;
    }
    // The service end (lower port) first, so both directions of an exchange
    // usually land on the same device.
    const ends =
      f.srcPort < f.dstPort ? [f.srcAddress, f.dstAddress] : [f.dstAddress, f.srcAddress];
    const device = this.pick(...ends);
    if (!device) {
      m.unattributed.inc({ kind: "flow" });
      collectorMetrics(this.ctx.registry).unknownSource.inc({ protocol: PROTOCOL });
      return;
    }
    this.push(
      device,
      event(
        {
          device,
          source: Source.SOURCE_PROTOCOL_PCAP,
          address: f.srcAddress,
          observedMs: f.endMs,
          collectedMs: this.ctx.now(),
          idParts: [
            "flow",
            f.vlan,
            f.protocol,
            f.srcAddress,
            f.srcPort,
            f.dstAddress,
            f.dstPort,
            f.startMs,
          ],
        },
        {
          flow: {
            srcAddress: f.srcAddress,
            dstAddress: f.dstAddress,
            srcPort: f.srcPort,
            dstPort: f.dstPort,
            protocol: f.protocol,
            bytes: f.bytes,
            packets: f.packets,
            start: timestamp(f.startMs),
            end: timestamp(f.endMs),
            tcpFlags: f.tcpFlags,
            exporter: this.origin,
            observationDomain: f.vlan,
            exportVersion: 0,
          },
        },
      ),
      f.endMs,
    );
    collectorMetrics(this.ctx.registry).events.inc({ protocol: PROTOCOL });
  }

  private wire(w: WireEventOut): void {
    const device = this.pick(w.server.address, w.client.address);
    if (!device) {
      captureMetrics(this.ctx.registry).unattributed.inc({ kind: "wire" });
      collectorMetrics(this.ctx.registry).unknownSource.inc({ protocol: PROTOCOL });
      return;
    }
    const n = this.nth(`w|${w.tsMs}|${w.srcAddress}|${w.srcPort}`);
    this.push(
      device,
      event(
        {
          device,
          source: Source.SOURCE_PROTOCOL_PCAP,
          address: w.srcAddress,
          observedMs: w.tsMs,
          collectedMs: this.ctx.now(),
          idParts: [
            "wire",
            w.protocol,
            w.action,
            w.srcAddress,
            w.srcPort,
            w.dstAddress,
            w.dstPort,
            w.tsMs,
            n,
          ],
        },
        {
          wire: {
            protocol: w.protocol,
            action: w.action,
            srcAddress: w.srcAddress,
            srcPort: w.srcPort,
            dstAddress: w.dstAddress,
            dstPort: w.dstPort,
            fields: w.fields,
          },
        },
      ),
      w.tsMs,
    );
    collectorMetrics(this.ctx.registry).events.inc({ protocol: PROTOCOL });
  }

  private malformed(m: MalformedOut): void {
    collectorMetrics(this.ctx.registry).malformed.inc({
      protocol: m.protocol === "packet" ? PROTOCOL : m.protocol,
      reason: reasonLabel(m.reason),
    });
    // Malformed input is reported against the device it concerns, if any.
    const device =
      m.src !== undefined || m.dst !== undefined ? this.pick(m.dst ?? "", m.src ?? "") : undefined;
    if (!device) return;
    const n = this.nth(`m|${m.tsMs}`);
    this.push(
      device,
      event(
        {
          device,
          source: Source.SOURCE_PROTOCOL_PCAP,
          address: m.src,
          observedMs: m.tsMs,
          collectedMs: this.ctx.now(),
          idParts: ["malformed", m.protocol, m.reason, m.tsMs, n],
        },
        {
          malformed: {
            protocol: MALFORMED_SOURCE[m.protocol],
            reason: m.reason,
            ...sample(m.sample),
          },
        },
      ),
      m.tsMs,
    );
  }

  /** Hands queued events to the sink; resolves when they are stored. */
  flushEvents(): Promise<void> {
    if (this.pending.length === 0) return this.chain;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(() => this.ctx.sink.emit(batch));
    return this.chain;
  }

  get queued(): number {
    return this.pending.length;
  }
}

export interface ReplayStats {
  packets: number;
  flows: number;
  wireEvents: number;
  malformed: number;
  skipped: number;
}

/** Runs a pcap stream through the pipeline; resolves when it is read and emitted. */
async function run(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  em: Emitter,
  ctx: CollectorContext,
  onPacket?: () => void,
): Promise<void> {
  const m = captureMetrics(ctx.registry);
  for await (const pkt of readPcap(source, (p) => em.pipeline.pcapProblem(p.reason, p.sample))) {
    m.packets.inc();
    em.pipeline.packet(pkt);
    onPacket?.();
    // Backpressure: wait for the sink now and then rather than queueing without bound.
    if (em.queued >= 500) await em.flushEvents();
  }
}

/** Replays a capture (file path or stream) through the pipeline; flushes every flow at the end. */
export async function replayPcap(
  source: string | AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  directory: DeviceDirectory,
  ctx: CollectorContext,
  opts: PipelineOptions = {},
): Promise<ReplayStats> {
  const origin = typeof source === "string" ? `file:${source}` : "stream";
  const em = new Emitter(ctx, directory, origin, opts);
  await run(typeof source === "string" ? createReadStream(source) : source, em, ctx);
  em.pipeline.flush();
  await em.flushEvents();
  const { packets, flows, wireEvents, malformed, skipped } = em.pipeline.stats;
  return { packets, flows, wireEvents, malformed, skipped };
}

/** A collector that replays one pcap file when started; `done` resolves with its stats. */
export function createPcapFileCollector(
  path: string,
  directory: DeviceDirectory,
  ctx: CollectorContext,
  opts: PipelineOptions = {},
): Collector & { done: Promise<ReplayStats> } {
  let resolveDone: (s: ReplayStats) => void = () => {};
  let rejectDone: (e: unknown) => void = () => {};
  const done = new Promise<ReplayStats>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => {});
  return {
    name: `pcap-file/${path}`,
    done,
    async start() {
      replayPcap(path, directory, ctx, opts).then(resolveDone, (err) => {
        ctx.logger.error("pcap replay failed", { path, err });
        rejectDone(err);
      });
    },
    async stop() {
      await done.catch(() => {});
    },
  };
}

/** Live capture with tcpdump on an interface. */
export function createCaptureCollector(
  opts: CaptureOptions,
  directory: DeviceDirectory,
  ctx: CollectorContext,
): Collector {
  const log = ctx.logger.child({ collector: "capture", interface: opts.interface });
  let child: ChildProcess | undefined;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let em: Emitter | undefined;
  let stopping = false;
  return {
    name: `capture/${opts.interface}`,
    async start() {
      if (!/^[\w.:@-]{1,64}$/.test(opts.interface))
        throw new Error(`bad interface name ${opts.interface}`);
      const cmd = [
        ...(opts.command ?? ["tcpdump", "-U", "-w", "-", "-n", "-i", opts.interface]),
        ...(opts.bpf ? [opts.bpf] : []),
      ];
      const e = new Emitter(ctx, directory, `capture:${opts.interface}`, opts);
      em = e;
      stopping = false;
      const c = spawn(cmd[0] as string, cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
      child = c;
      // Ready once tcpdump says it is listening; fail if it exits first (bad interface, filter).
      let stderr = "";
      await new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          stderr = (stderr + d.toString("utf8")).slice(-4096);
          if (/listening on/.test(stderr)) resolve();
        };
        c.stderr?.on("data", onData);
        c.once("error", (err) =>
          reject(new Error(`capture: cannot start ${cmd[0]}: ${err.message}`)),
        );
        c.once("exit", (code) =>
          reject(new Error(`capture: ${cmd[0]} exited (${code}): ${stderr.trim()}`)),
        );
      });
      c.stderr?.on("data", (d: Buffer) => {
        const line = d.toString("utf8").trim();
        if (line && !stopping) log.debug("tcpdump", { line: line.slice(0, 512) });
      });
      // Packet time drives expiry; while the wire is quiet, advance it by the wall clock.
      let lastPacketWall = Date.now();
      timer = setInterval(() => {
        const p = e.pipeline;
        if (p.lastTsMs > 0) p.tick(p.lastTsMs + (Date.now() - lastPacketWall));
        e.flushEvents().catch((err) => log.error("emit failed", { err }));
      }, 1000);
      timer.unref();
      loop = (async () => {
        try {
          if (!c.stdout) return;
          await run(c.stdout, e, ctx, () => {
            lastPacketWall = Date.now();
          });
        } catch (err) {
          if (!stopping) log.error("capture stream failed", { err });
        }
      })();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((res) => c.once("exit", res));
        c.kill("SIGTERM");
        // tcpdump flushes and exits on SIGTERM; escalate if it does not.
        const t = setTimeout(() => c.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
      await loop;
      if (em) {
        em.pipeline.flush();
        await em.flushEvents().catch((err) => log.error("emit failed", { err }));
      }
      child = undefined;
      loop = undefined;
    },
  };
}
