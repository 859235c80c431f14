// The SNMP poller: one per Device with spec.snmp. Every intervalSeconds it
// takes a slot of the shared scheduler, GETs the plan's scalars, walks its
// tables (GETBULK for v2c/v3, GETNEXT for v1), and emits metrics, a Status
// when (reachable, capability) changes or every 5 minutes, and posture
// observations (v1/v2c in use, a default community that works).
import { createHash } from "node:crypto";
import { Counter, type Registry } from "prom-client";
import type { AgentDevice } from "../../../operator/manifests/agent-config.ts";
import type { Collector, CollectorContext, TelemetryEvent } from "../../collector.ts";
import { Capability, event, MetricKind, Source } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import type { CounterState } from "./counters.ts";
import { buildPlan, type Plan, SYS_UPTIME } from "./profiles.ts";
import { evaluate, type PollData, type Reading } from "./readings.ts";
import { createSnmpScheduler, type SnmpScheduler } from "./scheduler.ts";
import {
  authProtocol,
  openSession,
  privProtocol,
  readCredentials,
  type Session,
  SnmpFailure,
  type Vb,
  walkColumns,
} from "./session.ts";
import { isOid } from "./values.ts";

export interface SnmpPollerOptions {
  /** The shared limiter; without one the poller gets its own (maxInFlight 1). */
  scheduler?: SnmpScheduler;
  /** Retries per request after the first try (default 1). */
  retries?: number;
  /** GETBULK max-repetitions per request, shared by the columns walked together (default 32). */
  maxRepetitions?: number;
  /** Rows per table at most (default 10,000). */
  maxRows?: number;
  /** Scalars per GET request (default 16). */
  oidsPerGet?: number;
  /** A Status at least this often (default 5 minutes). */
  statusEveryMs?: number;
  /** Delay of the first poll; default a stable per-device offset within the interval, to spread load. */
  startDelayMs?: number;
}

type CapabilityValue = (typeof Capability)[keyof typeof Capability];

export interface PollResult {
  reachable: boolean;
  capability: CapabilityValue;
  reason: string;
  latencyMs: number;
  /** Every event this poll emitted. */
  events: TelemetryEvent[];
}

export interface SnmpPoller extends Collector {
  /** Polls now (through the scheduler) and emits; for tests, the bench and on-demand refresh. */
  pollOnce(): Promise<PollResult>;
}

const DEFAULT_COMMUNITIES = new Set(["public", "private"]);
const STATUS_EVERY_MS = 5 * 60_000;
const pollCounters = new WeakMap<Registry, Counter<"capability">>();

function pollsTotal(registry: Registry): Counter<"capability"> {
  let c = pollCounters.get(registry);
  if (!c) {
    c = new Counter({
      name: "amoskys_agent_snmp_polls_total",
      help: "SNMP polls by resulting capability (real, degraded, blind).",
      labelNames: ["capability"],
      registers: [registry],
    });
    pollCounters.set(registry, c);
  }
  return c;
}

/** Checks what start() rejects on: a config the poller cannot use at all. */
export function validateSnmp(device: AgentDevice): string[] {
  const s = device.snmp;
  if (!s) return ["device has no snmp section"];
  const errs: string[] = [];
  if (!["v1", "v2c", "v3"].includes(s.version)) errs.push(`unknown version ${s.version}`);
  if (!(s.port > 0 && s.port < 65536)) errs.push(`bad port ${s.port}`);
  if (!(s.intervalSeconds > 0)) errs.push(`bad intervalSeconds ${s.intervalSeconds}`);
  if (!(s.timeoutSeconds > 0)) errs.push(`bad timeoutSeconds ${s.timeoutSeconds}`);
  for (const o of s.oids) if (!isOid(o.oid)) errs.push(`oids[${o.name}]: bad OID ${o.oid}`);
  for (const t of s.tables)
    if (!isOid(t.baseOid)) errs.push(`tables[${t.name}]: bad OID ${t.baseOid}`);
  if (s.version === "v3") {
    const level = s.v3?.securityLevel ?? "authPriv";
    if (level !== "noAuthNoPriv" && authProtocol(s.v3?.authProtocol ?? "SHA") === undefined)
      errs.push(`unsupported authProtocol ${s.v3?.authProtocol}`);
    if (level === "authPriv" && privProtocol(s.v3?.privProtocol ?? "AES") === undefined)
      errs.push(`unsupported privProtocol ${s.v3?.privProtocol} (net-snmp has DES, AES, AES256)`);
  }
  return errs;
}

function stableOffsetMs(key: string, rangeMs: number): number {
  if (rangeMs <= 0) return 0;
  return createHash("sha256").update(key).digest().readUInt32BE(0) % Math.floor(rangeMs);
}

interface Outcome {
  reachable: boolean;
  capability: CapabilityValue;
  reason: string;
  data?: PollData;
}

export function createSnmpPoller(
  device: AgentDevice,
  ctx: CollectorContext,
  opts: SnmpPollerOptions = {},
): SnmpPoller {
  const name = `snmp/${device.namespace}/${device.name}`;
  const cfg = device.snmp;
  const scheduler = opts.scheduler ?? createSnmpScheduler({ maxInFlight: 1 });
  const retries = opts.retries ?? 1;
  const maxRepetitions = opts.maxRepetitions ?? 32;
  const maxRows = opts.maxRows ?? 10_000;
  const oidsPerGet = Math.max(1, opts.oidsPerGet ?? 16);
  const statusEveryMs = opts.statusEveryMs ?? STATUS_EVERY_MS;
  const metrics = collectorMetrics(ctx.registry);
  const polls = pollsTotal(ctx.registry);
  const log = ctx.logger.child({ collector: name });
  const plan: Plan = cfg ? buildPlan(cfg) : { groups: [], unknownProfiles: [] };

  let counters: CounterState | undefined;
  let lastStatus: { reachable: boolean; capability: CapabilityValue; atMs: number } | undefined;
  let postureSent = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  // Settles with the running poll; never its result (a resolved promise keeps
  // its value, and a poll's events are ~0.3 MB for a big switch).
  let current: Promise<void> | undefined;
  const emits = new Set<Promise<void>>();

  const base = (atMs: number, idParts: (string | number)[]) => ({
    device,
    source: Source.SOURCE_PROTOCOL_SNMP,
    observedMs: atMs,
    collectedMs: ctx.now(),
    idParts,
  });

  async function read(
    session: Session,
    version: "v1" | "v2c" | "v3",
    atMs: number,
  ): Promise<Outcome> {
    const scalars = new Map<string, Vb>();
    const scalarErrors = new Map<string, string>();
    const tables = new Map<string, Map<number, Map<string, Vb>>>();
    const tableErrors = new Map<string, string>();
    let answeredAny = false;
    // The first failure before any answer decides reachability; later ones only degrade.
    const fatal = (err: unknown): Outcome | undefined => {
      const f = err instanceof SnmpFailure ? err : new SnmpFailure("error", String(err));
      if (f.kind === "auth")
        return {
          reachable: true,
          capability: Capability.CAPABILITY_BLIND,
          reason: `authentication failed: ${f.message}`,
        };
      if (!answeredAny && f.kind === "timeout")
        return {
          reachable: false,
          capability: Capability.CAPABILITY_BLIND,
          reason: `no answer within ${cfg?.timeoutSeconds}s x ${retries + 1} tries (unreachable, or wrong community/credentials)`,
        };
      return undefined;
    };

    const oids = [
      ...new Set([SYS_UPTIME, ...plan.groups.flatMap((g) => g.scalars.map((s) => s.oid))]),
    ];
    for (let i = 0; i < oids.length; i += oidsPerGet) {
      let chunk = oids.slice(i, i + oidsPerGet);
      // v1 fails a whole GET on the first missing object: drop it and ask again.
      while (chunk.length) {
        try {
          const vbs = await session.get(chunk);
          answeredAny = true;
          for (const [k, vb] of vbs.entries()) scalars.set(chunk[k] as string, vb);
          break;
        } catch (err) {
          const stop = fatal(err);
          if (stop) return stop;
          if (
            err instanceof SnmpFailure &&
            err.kind === "noSuchName" &&
            err.oid &&
            chunk.includes(err.oid)
          ) {
            answeredAny = true;
            scalarErrors.set(err.oid, "noSuchName");
            chunk = chunk.filter((o) => o !== err.oid);
            continue;
          }
          for (const o of chunk)
            scalarErrors.set(o, err instanceof SnmpFailure ? err.kind : "error");
          break;
        }
      }
    }
    for (const g of plan.groups) {
      for (const t of g.tables) {
        if (tables.has(t.entryOid) || tableErrors.has(t.entryOid)) continue;
        const cols = [...new Set(t.columns.map((c) => c.column))];
        try {
          const walked = await walkColumns(
            session,
            version,
            cols.map((c) => `${t.entryOid}.${c}`),
            { maxRepetitions, maxRows },
          );
          answeredAny = true;
          tables.set(t.entryOid, new Map(cols.map((c, k) => [c, walked[k] ?? new Map()])));
        } catch (err) {
          const stop = fatal(err);
          if (stop) return stop;
          tableErrors.set(t.entryOid, err instanceof SnmpFailure ? err.kind : "error");
        }
      }
    }
    return {
      reachable: true,
      capability: Capability.CAPABILITY_REAL,
      reason: "",
      data: { scalars, scalarErrors, tables, tableErrors, atMs },
    };
  }

  function metricEvent(r: Reading, atMs: number): TelemetryEvent {
    const kind =
      r.kind === "gauge"
        ? MetricKind.METRIC_KIND_GAUGE
        : r.kind === "counter"
          ? MetricKind.METRIC_KIND_COUNTER
          : MetricKind.METRIC_KIND_RATE;
    return event(base(atMs, ["metric", r.metric, r.kind, r.oid, atMs]), {
      metric: { name: r.metric, value: r.value, unit: r.unit, kind, labels: r.labels },
    });
  }

  async function poll(): Promise<PollResult> {
    const atMs = ctx.now();
    const t0 = performance.now();
    let outcome: Outcome;
    let latencyMs = 0;
    let community: string | undefined;
    if (!cfg) {
      outcome = {
        reachable: false,
        capability: Capability.CAPABILITY_BLIND,
        reason: "device has no snmp section",
      };
    } else {
      let session: Session | undefined;
      try {
        const creds = await readCredentials(cfg, ctx.readSecret);
        community = creds.community;
        session = openSession({ host: device.address, snmp: cfg, creds, retries });
        outcome = await read(session, cfg.version, atMs);
        latencyMs = session.lastLatencyMs;
      } catch (err) {
        outcome = {
          reachable: false,
          capability: Capability.CAPABILITY_BLIND,
          reason: `cannot poll: ${(err as Error)?.message ?? err}`,
        };
      } finally {
        session?.close();
      }
    }
    const events: TelemetryEvent[] = [];
    if (outcome.data) {
      const ev = evaluate(plan, outcome.data, counters);
      counters = ev.counters;
      for (const r of ev.readings) events.push(metricEvent(r, atMs));
      const problems = [
        ...plan.unknownProfiles.map((p) => `unknown profile ${p}`),
        ...ev.absentProfiles.map((p) => `profile ${p}: no supported MIB answered`),
        ...ev.missing,
      ];
      if (problems.length) {
        outcome.capability = Capability.CAPABILITY_DEGRADED;
        outcome.reason = `${problems.length} requested object(s) missing: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? "; ..." : ""}`;
      }
      if (ev.rateSkips.length) log.debug("rates skipped", { skipped: ev.rateSkips.slice(0, 5) });
    } else {
      // A device that stops answering restarts its counters' history.
      counters = undefined;
    }
    if (!latencyMs) latencyMs = performance.now() - t0;

    const changed =
      !lastStatus ||
      lastStatus.reachable !== outcome.reachable ||
      lastStatus.capability !== outcome.capability ||
      atMs - lastStatus.atMs >= statusEveryMs;
    if (changed) {
      lastStatus = { reachable: outcome.reachable, capability: outcome.capability, atMs };
      events.push(
        event(base(atMs, ["status", atMs]), {
          status: {
            protocol: Source.SOURCE_PROTOCOL_SNMP,
            reachable: outcome.reachable,
            latencyMs: Math.round(latencyMs * 1000) / 1000,
            capability: outcome.capability,
            reason: outcome.reason,
          },
        }),
      );
    }
    // Posture: what we just proved works. Ids depend only on the facts, so repeats are one fact.
    const worked = outcome.data !== undefined;
    if (worked && !postureSent && cfg && cfg.version !== "v3") {
      postureSent = true;
      events.push(
        event(base(atMs, ["security", "snmp.v1v2c_enabled", cfg.version, cfg.port]), {
          security: {
            kind: "snmp.v1v2c_enabled",
            detail: `SNMP ${cfg.version} answers on udp/${cfg.port}: the community travels in cleartext`,
            evidence: { version: cfg.version, port: String(cfg.port) },
          },
        }),
      );
      if (community !== undefined && DEFAULT_COMMUNITIES.has(community)) {
        events.push(
          event(
            base(atMs, ["security", "snmp.default_community", cfg.version, cfg.port, community]),
            {
              security: {
                kind: "snmp.default_community",
                detail: `the default community "${community}" is accepted (SNMP ${cfg.version}, udp/${cfg.port})`,
                evidence: { version: cfg.version, port: String(cfg.port), community },
              },
            },
          ),
        );
      }
    }
    if (!worked) postureSent = false;

    polls.inc({
      capability:
        outcome.capability === Capability.CAPABILITY_REAL
          ? "real"
          : outcome.capability === Capability.CAPABILITY_DEGRADED
            ? "degraded"
            : "blind",
    });
    if (events.length) {
      const p = ctx.sink
        .emit(events, { urgent: true }) // the scheduler slot is held until stored
        .then(() => {
          metrics.events.inc({ protocol: "snmp" }, events.length);
        })
        .catch((err) => log.warn("emit failed", { err }));
      emits.add(p);
      void p.finally(() => emits.delete(p));
      await p;
    }
    return {
      reachable: outcome.reachable,
      capability: outcome.capability,
      reason: outcome.reason,
      latencyMs,
      events,
    };
  }

  const pollOnce = (): Promise<PollResult> => {
    const p = scheduler.run(poll);
    current = p.then(
      () => {},
      () => {},
    );
    return p;
  };

  const schedule = (delayMs: number) => {
    if (stopped || !cfg) return;
    timer = setTimeout(async () => {
      const started = Date.now();
      try {
        await pollOnce();
      } catch (err) {
        log.error("poll failed", { err });
      }
      const interval = cfg.intervalSeconds * 1000;
      schedule(Math.max(0, interval - (Date.now() - started)));
    }, delayMs);
  };

  return {
    name,
    pollOnce,
    async start() {
      const errs = validateSnmp(device);
      if (errs.length) throw new Error(`${name}: ${errs.join("; ")}`);
      if (!stopped) return;
      stopped = false;
      const interval = (cfg?.intervalSeconds ?? 60) * 1000;
      schedule(opts.startDelayMs ?? stableOffsetMs(name, interval));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current;
      await Promise.allSettled([...emits]);
    },
  };
}
