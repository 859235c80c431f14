// Polls a FHIR R4 server for one device's resources: searches each configured
// type with _lastUpdated=gt<cursor>&_sort=_lastUpdated, follows next links on
// the base URL's origin only (a bounded number of pages), maps the results and
// moves the cursor only after the sink has stored them.
import { readFile } from "node:fs/promises";
import { Counter } from "prom-client";
import type { AgentDevice, Collector, CollectorContext, TelemetryEvent } from "../../collector.ts";
import { Capability, type EventInit, event, Source, SyslogFormat, sample } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import { get } from "./fhir-http.ts";
import {
  type ClinicalFacts,
  type LogFacts,
  lastUpdated,
  type MalformedFacts,
  mapResource,
  parseFhirTime,
  parseSearchPage,
} from "./fhir-map.ts";

export interface FhirPollerOptions {
  /** Pages followed per resource type and poll; the rest waits for the next poll. Default 10. */
  maxPages?: number;
  /** _count asked for. Default 100. */
  pageSize?: number;
  /** Largest response body accepted. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Deadline of one request. Default 30 s. */
  timeoutMs?: number;
  /** Cursors persisted by the runtime (from cursors()). */
  cursors?: Record<string, string>;
}

export interface FhirPoller extends Collector {
  /** Runs one poll now (tests, or a runtime that schedules polls itself). */
  pollNow(): Promise<void>;
  /** meta.lastUpdated of the newest stored resource, per resource type: persist and pass back as opts.cursors. */
  cursors(): Record<string, string>;
}

const PROTOCOL = "fhir";
const STATUS_EVERY_MS = 5 * 60_000;

/** Search parameter that ties each resource type to the device's identifier. */
const DEVICE_PARAM: Record<string, string> = {
  Observation: "device.identifier",
  Device: "identifier",
  DeviceMetric: "source.identifier",
  AuditEvent: "source.identifier",
};

type Cap = (typeof Capability)[keyof typeof Capability];

/** What one poll sends: read from the mounted Secret files, never logged. */
interface Creds {
  token?: string;
  basic?: { username: string; password: string };
  ca?: Buffer;
}

const pollCounters = new WeakMap<object, Counter<"result">>();
function pollsTotal(ctx: CollectorContext): Counter<"result"> {
  let c = pollCounters.get(ctx.registry);
  if (!c) {
    c = new Counter({
      name: "amoskys_agent_fhir_requests_total",
      help: "FHIR search requests, by result (ok, http_<status>, transport, too_large, malformed, foreign_next).",
      labelNames: ["result"],
      registers: [ctx.registry],
    });
    pollCounters.set(ctx.registry, c);
  }
  return c;
}

function newer(a: string | undefined, b: string): boolean {
  if (a === undefined) return true;
  const ma = parseFhirTime(a) ?? 0;
  const mb = parseFhirTime(b) ?? 0;
  return mb > ma || (mb === ma && b > a);
}

export function createFhirPoller(
  device: AgentDevice,
  ctx: CollectorContext,
  opts: FhirPollerOptions = {},
): FhirPoller {
  const cfg = device.fhir;
  if (!cfg) throw new Error(`device ${device.namespace}/${device.name} has no fhir configuration`);
  const base = new URL(cfg.baseUrl.endsWith("/") ? cfg.baseUrl : `${cfg.baseUrl}/`);
  const maxPages = opts.maxPages ?? 10;
  const pageSize = opts.pageSize ?? 100;
  const maxBytes = opts.maxResponseBytes ?? 8 * 1024 * 1024;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const shared = collectorMetrics(ctx.registry);
  const requests = pollsTotal(ctx);
  const name = `fhir/${device.namespace}/${device.name}`;
  const log = ctx.logger.child({ collector: name });
  const cursor: Record<string, string> = { ...opts.cursors };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let last: { reachable: boolean; capability: Cap; atMs: number } | undefined;

  const init = (observedMs: number, idParts: (string | number)[]): EventInit => ({
    device,
    source: Source.SOURCE_PROTOCOL_FHIR,
    address: base.host,
    observedMs,
    collectedMs: ctx.now(),
    idParts,
  });

  function clinicalEvent(f: ClinicalFacts, pollMs: number): TelemetryEvent {
    return event(init(f.observedMs ?? pollMs, [f.resourceType, f.id, f.version, f.component]), {
      clinical: {
        codeSystem: f.codeSystem,
        code: f.code,
        display: f.display,
        value: f.value,
        numericValue: f.numericValue ?? 0,
        isNumeric: f.numericValue !== undefined,
        unit: f.unit,
        referenceRange: f.referenceRange,
        abnormalFlag: f.abnormalFlag,
        resultStatus: f.resultStatus,
        sourceId: f.id,
      },
    });
  }

  function logEvent(f: LogFacts, pollMs: number): TelemetryEvent {
    return event(init(f.observedMs ?? pollMs, [f.resourceType, f.id, f.version]), {
      log: {
        // Not syslog: no PRI and no facility; the severity is ours (see README).
        format: SyslogFormat.SYSLOG_FORMAT_UNSPECIFIED,
        facility: 0,
        severity: f.severity,
        hostname: base.host,
        appName: "fhir",
        procId: f.id,
        msgId: f.resourceType,
        structuredData: [{ id: f.resourceType.toLowerCase(), params: f.params }],
        message: f.message,
      },
    });
  }

  function malformedEvent(m: MalformedFacts, pollMs: number, where: string): TelemetryEvent {
    shared.malformed.inc({ protocol: PROTOCOL, reason: m.reason });
    const s = sample(m.sample);
    return event(init(pollMs, ["malformed", m.reason, where, pollMs]), {
      malformed: {
        protocol: Source.SOURCE_PROTOCOL_FHIR,
        reason: m.reason,
        sample: s.sample,
        length: m.length,
      },
    });
  }

  function searchUrl(type: string): URL {
    const u = new URL(type, base);
    const since = cursor[type];
    if (since) u.searchParams.set("_lastUpdated", `gt${since}`);
    u.searchParams.set("_sort", "_lastUpdated");
    u.searchParams.set("_count", String(pageSize));
    u.searchParams.set(DEVICE_PARAM[type] ?? "identifier", cfg?.deviceIdentifier ?? device.name);
    return u;
  }

  /** Reads the credentials and CA each poll, so rotated Secrets take effect. */
  async function credentials(): Promise<Creds | { error: string }> {
    const out: Creds = {};
    const auth = cfg?.auth;
    if (!auth) return out;
    // Error reasons name the file's role, never its content.
    const read = async (path: string, what: string): Promise<string | { error: string }> => {
      try {
        return await ctx.readSecret(path);
      } catch (err) {
        return {
          error: `cannot read the ${what} file (${(err as NodeJS.ErrnoException).code ?? "error"})`,
        };
      }
    };
    if ("usernameFile" in auth) {
      const username = await read(auth.usernameFile, "basic-auth user name");
      if (typeof username !== "string") return username;
      // RFC 7617: the user-id cannot contain a colon (it would split differently).
      if (username.includes(":")) return { error: "the basic-auth user name contains a colon" };
      const password = await read(auth.passwordFile, "basic-auth password");
      if (typeof password !== "string") return password;
      out.basic = { username, password };
    } else {
      const token = await read(auth.tokenFile, "bearer token");
      if (typeof token !== "string") return token;
      out.token = token;
    }
    try {
      out.ca = await readFile(auth.caFile);
    } catch (err) {
      // The CA key is optional in the Secret: without it the system CAs apply.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        return {
          error: `cannot read the CA file (${(err as NodeJS.ErrnoException).code ?? "error"})`,
        };
      }
    }
    return out;
  }

  interface TypeResult {
    ok: boolean;
    reachable: boolean;
    reason?: string;
    latencyMs?: number;
  }

  async function pollType(type: string, creds: Creds, pollMs: number): Promise<TypeResult> {
    let url: URL | undefined = searchUrl(type);
    let latencyMs: number | undefined;
    let reachable = false;
    for (let page = 0; url && page < maxPages && !stopped; page++) {
      const res = await get(url, { ...creds, maxBytes, timeoutMs });
      latencyMs ??= res.latencyMs;
      if (!res.ok) {
        requests.inc({ result: res.kind });
        if (res.kind === "too_large") {
          await store([
            malformedEvent(
              { reason: "response_too_large", detail: res.reason, sample: "", length: 0 },
              pollMs,
              type,
            ),
          ]);
          return { ok: false, reachable: true, reason: res.reason, latencyMs };
        }
        return { ok: false, reachable, reason: res.reason, latencyMs };
      }
      reachable = true;
      if (res.status !== 200) {
        requests.inc({ result: `http_${res.status}` });
        const why =
          res.status === 401
            ? creds.basic
              ? "the basic-auth user name or password was refused"
              : "the bearer token was refused"
            : res.status === 403
              ? "access denied"
              : "";
        return {
          ok: false,
          reachable,
          reason: `HTTP ${res.status}${why ? ` (${why})` : ""}`,
          latencyMs,
        };
      }
      const parsed = parseSearchPage(res.body, type);
      if (!parsed.ok) {
        requests.inc({ result: "malformed" });
        await store([malformedEvent(parsed.malformed, pollMs, `${type}:${page}`)]);
        return { ok: false, reachable, reason: parsed.malformed.detail, latencyMs };
      }
      requests.inc({ result: "ok" });
      const events: TelemetryEvent[] = parsed.malformed.map((m, i) =>
        malformedEvent(m, pollMs, `${type}:${page}:${i}`),
      );
      let newest = cursor[type];
      for (const r of parsed.resources) {
        const mapped = mapResource(r);
        if (mapped.kind === "clinical")
          events.push(...mapped.facts.map((f) => clinicalEvent(f, pollMs)));
        else if (mapped.kind === "log") events.push(logEvent(mapped.facts, pollMs));
        else events.push(malformedEvent(mapped.malformed, pollMs, `${type}:${page}`));
        const lu = lastUpdated(r);
        if (lu && newer(newest, lu)) newest = lu;
      }
      // The cursor moves only once the page is stored: a failed store is re-read next poll.
      if (!(await store(events))) {
        return {
          ok: false,
          reachable,
          reason: "the collector could not store the results",
          latencyMs,
        };
      }
      if (newest) cursor[type] = newest;
      url = undefined;
      if (parsed.next) {
        let next: URL | undefined;
        try {
          next = new URL(parsed.next, base);
        } catch {
          next = undefined;
        }
        if (next && next.origin === base.origin) {
          url = next;
        } else {
          // A server must not send us elsewhere (credentials would follow).
          requests.inc({ result: "foreign_next" });
          log.warn("FHIR next link to another origin ignored", { type });
          await store([
            malformedEvent(
              {
                reason: "foreign_next_link",
                detail: "next link not on the base URL's origin",
                sample: next?.origin ?? "",
                length: parsed.next.length,
              },
              pollMs,
              `${type}:${page}:next`,
            ),
          ]);
          return { ok: false, reachable, reason: "next link to another origin ignored", latencyMs };
        }
      }
    }
    return { ok: true, reachable, ...(latencyMs !== undefined && { latencyMs }) };
  }

  async function store(events: TelemetryEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await ctx.sink.emit(events, { urgent: true }); // the cursor moves after it
      shared.events.inc({ protocol: PROTOCOL }, events.length);
      return true;
    } catch (err) {
      log.warn("sink rejected FHIR events", { error: err as Error });
      return false;
    }
  }

  async function status(
    pollMs: number,
    reachable: boolean,
    capability: Cap,
    latencyMs: number,
    reason: string,
  ) {
    const changed = !last || last.reachable !== reachable || last.capability !== capability;
    if (!changed && last && pollMs - last.atMs < STATUS_EVERY_MS) return;
    const ok = await store([
      event(init(pollMs, ["status", pollMs]), {
        status: { protocol: Source.SOURCE_PROTOCOL_FHIR, reachable, latencyMs, capability, reason },
      }),
    ]);
    if (ok) last = { reachable, capability, atMs: pollMs };
  }

  async function poll(): Promise<void> {
    const pollMs = ctx.now();
    const creds = await credentials();
    if ("error" in creds) {
      await status(pollMs, false, Capability.CAPABILITY_BLIND, 0, creds.error);
      return;
    }
    const results: (TypeResult & { type: string })[] = [];
    for (const type of cfg?.resources ?? []) {
      if (stopped) return;
      results.push({ ...(await pollType(type, creds, pollMs)), type });
    }
    const okCount = results.filter((r) => r.ok).length;
    const capability =
      okCount === results.length && results.length > 0
        ? Capability.CAPABILITY_REAL
        : okCount > 0
          ? Capability.CAPABILITY_DEGRADED
          : Capability.CAPABILITY_BLIND;
    // "Observation, Device search: HTTP 401 (...)": one line per distinct reason.
    const byReason = new Map<string, string[]>();
    for (const r of results) {
      if (!r.ok) byReason.set(r.reason ?? "", [...(byReason.get(r.reason ?? "") ?? []), r.type]);
    }
    const reason = [...byReason]
      .map(([why, types]) => `${types.join(", ")} search: ${why}`)
      .join("; ");
    const latency = results.find((r) => r.latencyMs !== undefined)?.latencyMs ?? 0;
    await status(
      pollMs,
      results.some((r) => r.reachable),
      capability,
      Math.round(latency * 10) / 10,
      reason,
    );
  }

  function pollNow(): Promise<void> {
    // One poll at a time: a slow server must not stack polls up.
    running ??= poll()
      .catch((err: unknown) => log.error("FHIR poll failed", { error: err as Error }))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  return {
    name,
    pollNow: async () => {
      const was = stopped;
      stopped = false;
      try {
        await pollNow();
      } finally {
        if (was && !timer) stopped = true;
      }
    },
    cursors: () => ({ ...cursor }),
    async start() {
      // As the CRD says: https, or cleartext http to loopback only.
      const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(base.hostname);
      if (base.protocol !== "https:" && !(base.protocol === "http:" && loopback)) {
        throw new Error(`fhir.baseUrl must be https:// (http:// only on loopback): ${cfg.baseUrl}`);
      }
      stopped = false;
      const every = Math.max(1, cfg.intervalSeconds) * 1000;
      const tick = () => {
        if (stopped) return;
        void pollNow().finally(() => {
          if (!stopped) timer = setTimeout(tick, every);
        });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
