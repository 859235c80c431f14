// The Modbus/TCP poller: every interval it reads the configured registers in
// as few requests as possible (plan.ts), turns each into a gauge, reports
// exception responses and unparsable answers, and says how well it sees the
// device (Status). It only ever reads: FC 1-4, never a write.
import { Counter, Histogram, type Registry } from "prom-client";
import type { AgentDevice, Collector, CollectorContext, TelemetryEvent } from "../../collector.ts";
import { Capability, event, MetricKind, Source, sample } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import { ModbusTcpClient, type ReadResult } from "./client.ts";
import { exceptionName } from "./frame.ts";
import { type PlannedRead, type PlanOptions, planReads, validateModbus } from "./plan.ts";
import { decodeValue } from "./value.ts";

const PROTOCOL = "modbus";
const STATUS_EVERY_MS = 5 * 60_000;
const FUNCTION_NAMES: Record<number, string> = {
  1: "read coils",
  2: "read discrete inputs",
  3: "read holding registers",
  4: "read input registers",
};

export interface ModbusPollerOptions {
  plan?: PlanOptions;
}

interface ModbusMetrics {
  requests: Counter<"function" | "result">;
  latency: Histogram<"function">;
}

const metricsByRegistry = new WeakMap<Registry, ModbusMetrics>();

function modbusMetrics(registry: Registry): ModbusMetrics {
  let m = metricsByRegistry.get(registry);
  if (!m) {
    m = {
      requests: new Counter({
        name: "amoskys_agent_modbus_requests_total",
        help: "Modbus read requests sent, by function code and result (ok, exception, malformed, transport).",
        labelNames: ["function", "result"],
        registers: [registry],
      }),
      latency: new Histogram({
        name: "amoskys_agent_modbus_request_duration_seconds",
        help: "Round trip of Modbus read requests that got an answer, by function code.",
        labelNames: ["function"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    };
    metricsByRegistry.set(registry, m);
  }
  return m;
}

type Cap = (typeof Capability)[keyof typeof Capability];

/** Polls `device.modbus`. start() rejects if the configuration is invalid. */
export function createModbusPoller(
  device: AgentDevice,
  ctx: CollectorContext,
  opts: ModbusPollerOptions = {},
): Collector {
  const name = `modbus/${device.namespace}/${device.name}`;
  const log = ctx.logger.child({ collector: name });
  const cfg = device.modbus;
  const shared = collectorMetrics(ctx.registry);
  const own = modbusMetrics(ctx.registry);

  let plan: PlannedRead[] = [];
  let client: ModbusTcpClient | undefined;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;
  let last: { reachable: boolean; capability: Cap; atMs: number } | undefined;
  // Malformed input seen outside a request (a stray frame); reported with the next poll.
  let strays: TelemetryEvent[] = [];

  const base = (observedMs: number, idParts: (string | number)[]) => ({
    device,
    source: Source.SOURCE_PROTOCOL_MODBUS,
    observedMs,
    collectedMs: ctx.now(),
    idParts,
  });

  function malformed(reason: string, bytes: Uint8Array, idParts: (string | number)[]) {
    shared.malformed.inc({ protocol: PROTOCOL, reason });
    return event(base(ctx.now(), ["malformed", reason, ...idParts]), {
      malformed: { protocol: Source.SOURCE_PROTOCOL_MODBUS, reason, ...sample(bytes) },
    });
  }

  async function poll(): Promise<void> {
    if (!cfg || !client) return;
    const pollMs = ctx.now();
    const events: TelemetryEvent[] = strays;
    strays = [];
    const failures: string[] = [];
    let ok = 0;
    let reachable = true;
    let latencyMs = 0;

    if (!client.connected) {
      try {
        latencyMs = (await client.connect()).latencyMs;
      } catch (err) {
        if (stopped) return;
        reachable = false;
        failures.push(`connect ${device.address}:${cfg.port}: ${(err as Error).message}`);
      }
    }

    // Reads one block; on an address error for a block of several registers,
    // reads each register alone from then on, so one bad address costs only itself.
    const readBlock = async (block: PlannedRead): Promise<"stop" | PlannedRead[] | undefined> => {
      const c = client as ModbusTcpClient;
      const fn = String(block.functionCode);
      const r: ReadResult = await c.read(block.functionCode, block.address, block.quantity);
      latencyMs = r.latencyMs;
      own.requests.inc({
        function: fn,
        result: r.kind === "words" || r.kind === "bits" ? "ok" : r.kind,
      });
      if (r.kind !== "transport") own.latency.observe({ function: fn }, r.latencyMs / 1000);
      const range = `${block.table} ${block.address}${block.quantity > 1 ? `..${block.address + block.quantity - 1}` : ""}`;
      switch (r.kind) {
        case "transport":
          reachable = ok > 0; // answered earlier in this poll: still reachable
          failures.push(`FC ${fn} ${range}: ${r.reason}`);
          return "stop";
        case "malformed":
          failures.push(`FC ${fn} ${range}: malformed response (${r.reason})`);
          events.push(malformed(r.reason, r.raw, [pollMs, block.table, block.address]));
          return undefined;
        case "other":
          return undefined; // unreachable: decodeResponsePdu checks the function code
        case "exception": {
          if ((r.exceptionCode === 2 || r.exceptionCode === 3) && block.registers.length > 1) {
            return block.registers.map((reg) => planReads([reg])[0] as PlannedRead);
          }
          const what = exceptionName(r.exceptionCode);
          failures.push(`FC ${fn} ${range}: exception ${r.exceptionCode} (${what})`);
          events.push(
            event(base(ctx.now(), ["exception", pollMs, fn, block.address, block.quantity]), {
              security: {
                kind: "modbus.exception",
                detail: `${FUNCTION_NAMES[block.functionCode]} ${range} (FC ${fn}) answered exception ${r.exceptionCode}: ${what}`,
                evidence: {
                  functionCode: fn,
                  exceptionCode: String(r.exceptionCode),
                  exception: what,
                  unitId: String(cfg.unitId),
                  table: block.table,
                  address: String(block.address),
                  quantity: String(block.quantity),
                  registers: block.registers.map((x) => x.name).join(","),
                },
              },
            }),
          );
          return undefined;
        }
      }
      const observedMs = ctx.now();
      const data = r.kind === "words" ? r.words : r.bits;
      ok++;
      for (const reg of block.registers) {
        const value = decodeValue(data.slice(reg.address - block.address), reg);
        // NaN/infinite floats are what the device holds, but not a reading.
        if (value === undefined || !Number.isFinite(value)) continue;
        events.push(
          event(base(observedMs, ["metric", reg.name, pollMs]), {
            metric: {
              name: reg.name,
              value,
              unit: reg.unit ?? "",
              kind: MetricKind.METRIC_KIND_GAUGE,
              labels: { table: reg.table, address: String(reg.address) },
            },
          }),
        );
      }
      return undefined;
    };

    if (reachable) {
      const next: PlannedRead[] = [];
      let i = 0;
      for (; i < plan.length; i++) {
        const block = plan[i] as PlannedRead;
        const res = await readBlock(block);
        if (stopped) return;
        if (res === "stop") break;
        if (res) {
          log.info("block answered an address error; reading its registers one by one", {
            table: block.table,
            address: block.address,
            quantity: block.quantity,
          });
          next.push(...res);
          let stop = false;
          for (const b of res) {
            const r2 = await readBlock(b);
            if (stopped) return;
            if (r2 === "stop") {
              stop = true;
              break;
            }
          }
          if (stop) break;
        } else next.push(block);
      }
      plan = [...next, ...plan.slice(i)];
    }

    if (plan.length === 0 && reachable) failures.push("no registers configured");
    // REAL: every read answered; DEGRADED: some did; BLIND: none did (not
    // reachable, or every read refused with an exception: nothing usable).
    const capability: Cap =
      failures.length === 0
        ? Capability.CAPABILITY_REAL
        : ok > 0
          ? Capability.CAPABILITY_DEGRADED
          : Capability.CAPABILITY_BLIND;
    const nowMs = ctx.now();
    if (
      !last ||
      last.reachable !== reachable ||
      last.capability !== capability ||
      nowMs - last.atMs >= STATUS_EVERY_MS
    ) {
      last = { reachable, capability, atMs: nowMs };
      const reason =
        failures.length > 3
          ? `${failures.slice(0, 3).join("; ")}; and ${failures.length - 3} more`
          : failures.join("; ");
      events.push(
        event(base(pollMs, ["status", pollMs]), {
          status: {
            protocol: Source.SOURCE_PROTOCOL_MODBUS,
            reachable,
            latencyMs: Math.round(latencyMs * 1000) / 1000,
            capability,
            reason,
          },
        }),
      );
    }
    if (events.length === 0) return;
    try {
      await ctx.sink.emit(events, { urgent: true }); // the next poll waits on it
      shared.events.inc({ protocol: PROTOCOL }, events.length);
    } catch (err) {
      log.error("could not queue events", { err, count: events.length });
    }
  }

  const intervalMs = () => (cfg?.intervalSeconds ?? 60) * 1000;
  let nextAt = 0;
  const loop = () => {
    if (stopped) return;
    inflight = poll()
      .catch((err) => log.error("poll failed", { err }))
      .finally(() => {
        inflight = undefined;
        if (stopped) return;
        // Fixed rate; a poll that overran skips the slots it missed.
        const now = performance.now();
        nextAt += intervalMs();
        if (nextAt < now) nextAt = now + intervalMs() - ((now - nextAt) % intervalMs());
        timer = setTimeout(loop, nextAt - now);
      });
  };

  return {
    name,
    async start() {
      if (!cfg) throw new Error(`${name}: device has no modbus configuration`);
      const errs = validateModbus(cfg);
      if (errs.length) throw new Error(`${name}: invalid modbus configuration: ${errs.join("; ")}`);
      if (!stopped) return;
      plan = planReads(cfg.registers, opts.plan);
      client = new ModbusTcpClient({
        host: device.address,
        port: cfg.port,
        unitId: cfg.unitId,
        timeoutMs: cfg.timeoutSeconds * 1000,
        onStray: (reason, bytes) => {
          log.warn("stray bytes from device", { reason, length: bytes.length });
          strays.push(malformed(reason, bytes, [ctx.now(), "stray"]));
        },
      });
      log.debug("starting", { reads: plan.length, registers: cfg.registers.length });
      stopped = false;
      nextAt = performance.now();
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      client?.close(); // ends a connect or read in flight at once
      await inflight;
      client?.close();
      client = undefined;
    },
  };
}
