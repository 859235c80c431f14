// The analytics HTTP API: devices, findings (read, acknowledge, resolve),
// telemetry (downsampled metrics, logs) and a live stream (SSE), on Fastify,
// with an OpenAPI 3 document built from the route schemas (/openapi.json) and
// its docs UI (/docs). Every /api/v1 route needs a bearer token.
import { readFileSync } from "node:fs";
import type { Server as HttpsServer } from "node:https";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type pg from "pg";
import type { Registry } from "prom-client";
import { counter, gauge, histogram } from "../../operator/kube/metrics.ts";
import type { Logger } from "../../runtime/log.ts";
import { type FindingState, setFindingState } from "../store/findings.ts";
import type { Access, Authenticator, Identity } from "./auth.ts";
import {
  eventJson,
  findingJson,
  type LiveFeed,
  type LiveItem,
  SseClient,
  type StreamFilter,
  selects,
  sseMessage,
} from "./live.ts";
import { ApiError, badInput, PROBLEM_SCHEMA, problem, validationErrors } from "./problem.ts";
import {
  decodeCursor,
  type FindingRow,
  getDevice,
  getFinding,
  listDevices,
  listFindings,
  listLogs,
  metricSeries,
  parseDuration,
} from "./queries.ts";
import { routeSchemas, SHARED } from "./schemas.ts";

export interface ApiLimits {
  /** Largest page of devices and findings. Default 500. */
  maxPageSize: number;
  /** Most log records in one answer. Default 1000. */
  maxLogLimit: number;
  /** Most buckets of one metric series. Default 1000. */
  maxPoints: number;
  /** Widest time range of a telemetry query. Default 31 days. */
  maxRangeMs: number;
  /** Concurrent /stream clients; beyond, 503. Default 100. */
  maxStreamClients: number;
  /** Concurrent /stream connections of one caller (authenticated user); beyond, 429. Default 10. */
  maxStreamClientsPerClient: number;
  /** What one stream client may have waiting (beyond the socket's buffers) before it is dropped. Default 4 MiB. */
  streamQueueBytes: number;
  /** Heartbeat comment interval of /stream. Default 15 s. */
  heartbeatMs: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxPageSize: 500,
  maxLogLimit: 1000,
  maxPoints: 1000,
  maxRangeMs: 31 * 86_400_000,
  maxStreamClients: 100,
  maxStreamClientsPerClient: 10,
  streamQueueBytes: 4 * 1024 * 1024,
  heartbeatMs: 15_000,
};

export interface ApiOptions {
  pool: pg.Pool;
  auth: Authenticator;
  /** HTTPS only when given (PEM files; re-read every reloadMs, default 60 s, so renewed certificates apply). */
  tls?: { certFile: string; keyFile: string; reloadMs?: number };
  logger: Logger;
  registry: Registry;
  live?: LiveFeed;
  /**
   * Called after acknowledge/resolve changed the finding in Postgres (so the
   * runtime can mirror it to the Kubernetes Finding). Postgres is the record:
   * if this fails, the answer is still 200 and the failure is logged and counted.
   */
  onFindingState?: (finding: FindingRow, state: FindingState) => Promise<void> | void;
  limits?: Partial<ApiLimits>;
}

export interface Api {
  app: FastifyInstance;
  /** Resolves to the bound port. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

declare module "fastify" {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

const PG_UNAVAILABLE = new Set(["57014", "57P01", "57P03", "53300", "08000", "08003", "08006"]);

/**
 * The first string of a request part holding a NUL (U+0000), which no
 * Postgres text value can hold: `[field, ...]` in the naming of
 * validationErrors (`label.0`), or undefined. Looked at before the schemas, so
 * every parameter of every route, present or future, is covered.
 */
function nulField(v: unknown, path = "", depth = 0): string | undefined {
  if (typeof v === "string") return v.includes("\u0000") ? path || "(root)" : undefined;
  if (depth > 8 || v === null || typeof v !== "object") return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k.includes("\u0000")) return path ? `${path}.${k}` : k;
    const f = nulField(x, path ? `${path}.${k}` : k, depth + 1);
    if (f) return f;
  }
  return undefined;
}

export function createApi(o: ApiOptions): Api {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const log = o.logger;
  const tls = o.tls
    ? { cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile) }
    : undefined;
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    routerOptions: { maxParamLength: 512 },
    ...(tls && { https: { ...tls, minVersion: "TLSv1.2" as const } }),
    // Unknown query parameters are an error (a typo must not widen a query).
    ajv: { customOptions: { removeAdditional: false } },
    // /stream connections are closed by close(); idle keep-alive ones at once.
    forceCloseConnections: "idle",
  }) as unknown as FastifyInstance;

  const requests = counter(
    o.registry,
    "amoskys_analytics_api_requests_total",
    "API requests by route, method and status code.",
    ["route", "method", "code"],
  );
  const duration = histogram(
    o.registry,
    "amoskys_analytics_api_request_duration_seconds",
    "API request duration by route.",
    ["route"],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const authResults = counter(
    o.registry,
    "amoskys_analytics_api_auth_total",
    "Authentication and authorization outcomes (ok, missing, invalid, forbidden, error).",
    ["result"],
  );
  const streamClients = gauge(
    o.registry,
    "amoskys_analytics_api_stream_clients",
    "Connected /stream clients.",
    [],
  );
  const streamRefused = counter(
    o.registry,
    "amoskys_analytics_api_stream_refused_total",
    "Stream requests refused by reason (per_client: that caller's cap; server_full: every slot taken).",
    ["reason"],
  );
  const streamDropped = counter(
    o.registry,
    "amoskys_analytics_api_stream_dropped_total",
    "Stream clients dropped because they did not read fast enough.",
    [],
  );
  const streamSent = counter(
    o.registry,
    "amoskys_analytics_api_stream_messages_total",
    "Messages queued to stream clients, by kind.",
    ["kind"],
  );
  const mirrorFailures = counter(
    o.registry,
    "amoskys_analytics_api_state_mirror_failures_total",
    "onFindingState callbacks that failed (the Postgres state was changed).",
    [],
  );

  // ---- errors: problem details everywhere
  app.addSchema(PROBLEM_SCHEMA);
  for (const s of SHARED) app.addSchema(s);
  app.setErrorHandler((err: Error & Record<string, unknown>, req, reply) => {
    const send = (status: number, detail: string, errors?: ReturnType<typeof validationErrors>) =>
      reply
        .code(status)
        .type("application/problem+json")
        .send(problem(status, detail, req.url.split("?")[0], errors));
    if (Array.isArray(err.validation)) {
      const errors = validationErrors(err.validationContext as string | undefined, err.validation);
      return send(400, errors.map((e) => `${e.in}/${e.field} ${e.message}`).join("; "), errors);
    }
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) reply.header(k, v);
      if (err.status >= 500) log.warn("api unavailable", { route: routeOf(req), err: err.message });
      return send(err.status, err.message, err.errors);
    }
    const code = typeof err.code === "string" ? err.code : "";
    // Class 22, data exception: Postgres refused a value, and every value of a
    // query is a parameter of the request. The checks above should have said
    // which field; this keeps any they miss a 400, not a 500.
    if (/^22[0-9A-Z]{3}$/.test(code) && typeof err.severity === "string") {
      log.warn("request value refused by the database", {
        route: routeOf(req),
        code,
        err: err.message,
      });
      return send(400, `a value of the request is not valid here: ${err.message}`);
    }
    if (
      PG_UNAVAILABLE.has(code) ||
      /ECONNREFUSED|timeout exceeded|Connection terminated/i.test(err.message)
    ) {
      log.warn("database unavailable", { route: routeOf(req), err: err.message, code });
      return send(503, "database unavailable or query took too long; retry later");
    }
    const status = typeof err.statusCode === "number" ? err.statusCode : 500;
    if (status >= 400 && status < 500) return send(status, err.message);
    log.error("api request failed", { route: routeOf(req), err });
    return send(500, "internal error");
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type("application/problem+json")
      .send(problem(404, `no route ${req.method} ${req.url.split("?")[0]}`, req.url.split("?")[0])),
  );
  app.addHook("onResponse", async (req, reply) => {
    const route = routeOf(req);
    requests.inc({ route, method: req.method, code: String(reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
  });

  // ---- OpenAPI document and docs UI (assets from node_modules: no network)
  void app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "AMOSKYS analytics API",
        version: "1.0.0",
        description:
          "Devices, findings, downsampled telemetry and a live stream of the AMOSKYS analytics store. Errors are RFC 9457 problem details.",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
      security: [{ bearerAuth: [] }],
      tags: [{ name: "devices" }, { name: "findings" }, { name: "telemetry" }, { name: "stream" }],
    },
    // Keep the $id names (components/schemas/Problem, …) instead of def-N.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
  });
  void app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    // No calls to the public validator: the docs work offline.
    uiConfig: { validatorUrl: null },
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // ---- /api/v1
  const schemas = routeSchemas(limits);
  app.decorateRequest("identity", null);

  const authorize = async (req: FastifyRequest, access: Access) => {
    const id = req.identity;
    if (!id) throw new ApiError(401, "authentication required");
    let ok: boolean;
    try {
      ok = await o.auth.authorize(id, access);
    } catch (err) {
      authResults.inc({ result: "error" });
      throw new ApiError(503, `cannot check authorization: ${(err as Error).message}`);
    }
    if (!ok) {
      authResults.inc({ result: "forbidden" });
      const where = access.namespace ? ` in namespace ${access.namespace}` : " in all namespaces";
      throw new ApiError(
        403,
        `${id.user} may not ${access.verb} ${access.resource}.amoskys.io${where}`,
      );
    }
  };

  void app.register(
    async (api) => {
      // NUL in any parameter: 400 naming it, before the schemas and the store see it.
      api.addHook("preValidation", async (req) => {
        for (const [where, part] of [
          ["params", req.params],
          ["querystring", req.query],
          ["body", req.body],
        ] as const) {
          const field = nulField(part);
          if (field) throw badInput(where, field, "must not contain NUL (U+0000)");
        }
      });

      api.addHook("onRequest", async (req) => {
        const header = req.headers.authorization ?? "";
        const m = /^Bearer ([^\s]{1,8192})$/i.exec(header);
        if (!m?.[1]) {
          authResults.inc({ result: "missing" });
          throw new ApiError(401, "a bearer token is required (Authorization: Bearer <token>)", {
            headers: { "www-authenticate": 'Bearer realm="amoskys"' },
          });
        }
        let id: Identity | undefined;
        try {
          id = await o.auth.authenticate(m[1]);
        } catch (err) {
          authResults.inc({ result: "error" });
          throw new ApiError(503, `cannot check the token: ${(err as Error).message}`);
        }
        if (!id) {
          authResults.inc({ result: "invalid" });
          throw new ApiError(401, "the token is not valid", {
            headers: { "www-authenticate": 'Bearer realm="amoskys", error="invalid_token"' },
          });
        }
        authResults.inc({ result: "ok" });
        req.identity = id;
      });

      api.get("/devices", { schema: schemas.listDevices }, async (req) => {
        const q = req.query as { namespace?: string; limit: number; cursor?: string };
        await authorize(req, { verb: "get", resource: "devices", namespace: q.namespace });
        const after = q.cursor ? decodeCursor(q.cursor, ["string", "string"]) : undefined;
        if (q.cursor && !after) throw badInput("querystring", "cursor", "is not a valid cursor");
        return listDevices(o.pool, {
          ...(q.namespace !== undefined && { namespace: q.namespace }),
          ...(after && { after: after as [string, string] }),
          limit: q.limit,
        });
      });

      api.get("/devices/:namespace/:name", { schema: schemas.getDevice }, async (req) => {
        const p = req.params as { namespace: string; name: string };
        await authorize(req, {
          verb: "get",
          resource: "devices",
          namespace: p.namespace,
          name: p.name,
        });
        const d = await getDevice(o.pool, p.namespace, p.name);
        if (!d) throw new ApiError(404, `no device ${p.namespace}/${p.name}`);
        return d;
      });

      api.get("/findings", { schema: schemas.listFindings }, async (req) => {
        const q = req.query as {
          namespace?: string;
          device?: string;
          ruleNamespace?: string;
          rule?: string;
          severity?: string[];
          state?: string[];
          since?: string;
          limit: number;
          cursor?: string;
        };
        await authorize(req, { verb: "get", resource: "findings", namespace: q.namespace });
        const before = q.cursor ? decodeCursor(q.cursor, ["number"]) : undefined;
        if (q.cursor && !before) throw badInput("querystring", "cursor", "is not a valid cursor");
        if (q.since !== undefined) instant(q.since, "since");
        const { cursor: _c, ...filter } = q;
        return listFindings(o.pool, {
          ...filter,
          ...(before && { beforeId: before[0] as number }),
        });
      });

      // The finding is read first: its namespace is what authorization is about.
      const authorizedFinding = async (req: FastifyRequest, verb: "get" | "patch") => {
        const { id } = req.params as { id: number };
        const f = await getFinding(o.pool, id);
        if (!f) {
          // Unauthorized callers learn nothing from 404 vs 403 about other namespaces' ids:
          // they need the cluster-wide right to be told that an id does not exist.
          await authorize(req, { verb, resource: "findings" });
          throw new ApiError(404, `no finding ${id}`);
        }
        await authorize(req, { verb, resource: "findings", namespace: f.device.namespace });
        return f;
      };

      api.get("/findings/:id", { schema: schemas.getFinding }, async (req) =>
        authorizedFinding(req, "get"),
      );

      const changeState = (state: FindingState) => async (req: FastifyRequest) => {
        const f = await authorizedFinding(req, "patch");
        if (state === "acknowledged" && f.state === "resolved") {
          throw new ApiError(409, `finding ${f.id} is resolved; it reopens when it fires again`);
        }
        if (f.state !== state) {
          if (!(await setFindingState(o.pool, f.id, state))) {
            throw new ApiError(404, `no finding ${f.id}`);
          }
        }
        const now = (await getFinding(o.pool, f.id)) ?? { ...f, state };
        log.info("finding state set", {
          id: f.id,
          state,
          previous: f.state,
          user: req.identity?.user,
        });
        if (o.onFindingState) {
          try {
            await o.onFindingState(now, state);
          } catch (err) {
            mirrorFailures.inc();
            log.error("onFindingState failed", { id: f.id, state, err });
          }
        }
        return now;
      };
      api.post(
        "/findings/:id/acknowledge",
        { schema: schemas.setState("acknowledged") },
        changeState("acknowledged"),
      );
      api.post(
        "/findings/:id/resolve",
        { schema: schemas.setState("resolved") },
        changeState("resolved"),
      );

      api.get("/telemetry/metrics", { schema: schemas.metrics }, async (req) => {
        const q = req.query as {
          namespace: string;
          device: string;
          metric: string;
          from?: string;
          to?: string;
          step?: string;
          label?: string[];
        };
        await authorize(req, {
          verb: "get",
          resource: "devices",
          namespace: q.namespace,
          name: q.device,
        });
        const { fromMs, toMs } = range(q.from, q.to, "from", "to", limits.maxRangeMs);
        let stepMs: number;
        if (q.step !== undefined) {
          stepMs = parseDuration(q.step) ?? 0;
          if (stepMs < 1000) throw badInput("querystring", "step", "must be at least 1s");
          // Wider than any range is one bucket at best, and beyond Postgres' interval at worst.
          if (stepMs > limits.maxRangeMs) {
            throw badInput(
              "querystring",
              "step",
              `must be at most ${Math.floor(limits.maxRangeMs / 1000)}s (the widest range)`,
            );
          }
          const buckets = Math.ceil((toMs - fromMs) / stepMs);
          if (buckets > limits.maxPoints) {
            const min = Math.ceil((toMs - fromMs) / limits.maxPoints / 1000);
            throw badInput(
              "querystring",
              "step",
              `gives ${buckets} buckets, more than ${limits.maxPoints}: use at least ${min}s`,
            );
          }
        } else {
          stepMs = Math.max(1000, Math.ceil((toMs - fromMs) / 300 / 1000) * 1000);
        }
        const labels = q.label
          ? Object.fromEntries(
              q.label.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
            )
          : undefined;
        const from = new Date(fromMs).toISOString();
        const to = new Date(toMs).toISOString();
        const s = await metricSeries(o.pool, {
          namespace: q.namespace,
          device: q.device,
          metric: q.metric,
          from,
          to,
          stepMs,
          ...(labels && { labels }),
        });
        return {
          device: { namespace: q.namespace, name: q.device },
          metric: q.metric,
          unit: s.unit,
          from,
          to,
          stepMs,
          points: s.points,
        };
      });

      api.get("/telemetry/logs", { schema: schemas.logs }, async (req) => {
        const q = req.query as {
          namespace: string;
          device?: string;
          since?: string;
          until?: string;
          q?: string;
          maxSeverity?: number;
          limit: number;
        };
        await authorize(req, {
          verb: "get",
          resource: "devices",
          namespace: q.namespace,
          ...(q.device && { name: q.device }),
        });
        const { fromMs, toMs } = range(q.since, q.until, "since", "until", limits.maxRangeMs);
        const items = await listLogs(o.pool, {
          namespace: q.namespace,
          ...(q.device !== undefined && { device: q.device }),
          since: new Date(fromMs).toISOString(),
          until: new Date(toMs).toISOString(),
          ...(q.q !== undefined && { text: q.q }),
          ...(q.maxSeverity !== undefined && { maxSeverity: q.maxSeverity }),
          limit: q.limit,
        });
        return { items };
      });

      api.get("/stream", { schema: schemas.stream }, async (req, reply) => {
        const q = req.query as {
          namespace?: string;
          device?: string;
          kind: ("finding" | "event")[];
          body?: StreamFilter["bodies"] extends Set<infer B> ? B[] : never;
        };
        await authorize(req, { verb: "get", resource: "findings", namespace: q.namespace });
        if (q.kind.includes("event")) {
          await authorize(req, { verb: "get", resource: "devices", namespace: q.namespace });
        }
        if (!o.live) throw new ApiError(503, "no live feed is configured");
        // Per caller first: one token cannot take every slot from the others.
        const client = clientKey(req.identity);
        const held = streamsOf.get(client) ?? 0;
        if (held >= limits.maxStreamClientsPerClient) {
          streamRefused.inc({ reason: "per_client" });
          throw new ApiError(
            429,
            `${req.identity?.user} already has ${held} /stream connections (at most ${limits.maxStreamClientsPerClient} per client); close one`,
            { headers: { "retry-after": "5" } },
          );
        }
        if (streams.size >= limits.maxStreamClients) {
          streamRefused.inc({ reason: "server_full" });
          throw new ApiError(503, `too many stream clients (${limits.maxStreamClients})`, {
            headers: { "retry-after": "5" },
          });
        }
        startStream(req, reply, client, {
          kinds: new Set(q.kind),
          ...(q.namespace !== undefined && { namespace: q.namespace }),
          ...(q.device !== undefined && { device: q.device }),
          bodies: new Set(q.body ?? []),
        });
      });
    },
    { prefix: "/api/v1" },
  );

  // ---- the live stream
  interface Stream {
    client: SseClient;
    filter: StreamFilter;
    end(): void;
  }
  const streams = new Set<Stream>();
  /** Open streams per caller (clientKey). */
  const streamsOf = new Map<string, number>();
  let seq = 0;

  const startStream = (
    req: FastifyRequest,
    reply: FastifyReply,
    client: string,
    filter: StreamFilter,
  ) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    });
    const stream: Stream = {
      filter,
      client: new SseClient(raw, limits.streamQueueBytes, () => {
        streamDropped.inc();
        log.warn("stream client dropped: not reading", {
          user: req.identity?.user,
          remote: req.ip,
        });
        raw.destroy();
      }),
      end: () => {
        if (!streams.delete(stream)) return;
        const left = (streamsOf.get(client) ?? 1) - 1;
        if (left > 0) streamsOf.set(client, left);
        else streamsOf.delete(client);
        streamClients.set(streams.size);
        stream.client.closed = true;
        if (!raw.destroyed) raw.end();
      },
    };
    streams.add(stream);
    streamsOf.set(client, (streamsOf.get(client) ?? 0) + 1);
    streamClients.set(streams.size);
    raw.on("close", () => stream.end());
    stream.client.send(`retry: 5000\n: connected\n\n`);
    requests.inc({ route: "/api/v1/stream", method: "GET", code: "200" });
  };

  const unsubscribe = o.live?.subscribe((item: LiveItem) => {
    let msg: string | undefined;
    for (const s of streams) {
      if (!selects(s.filter, item)) continue;
      if (msg === undefined) {
        const data = item.kind === "finding" ? findingJson(item.finding) : eventJson(item.event);
        msg = sseMessage(item.kind, ++seq, data);
      }
      s.client.send(msg);
      streamSent.inc({ kind: item.kind });
    }
  });
  const heartbeat = setInterval(() => {
    for (const s of streams) s.client.send(": ping\n\n");
  }, limits.heartbeatMs);
  heartbeat.unref();

  // Renewed certificates (cert-manager) apply without a restart.
  let tlsReload: NodeJS.Timeout | undefined;
  if (o.tls && tls) {
    const files = o.tls;
    let current = Buffer.concat([tls.cert, tls.key]);
    tlsReload = setInterval(() => {
      try {
        const cert = readFileSync(files.certFile);
        const key = readFileSync(files.keyFile);
        const next = Buffer.concat([cert, key]);
        if (next.equals(current)) return;
        (app.server as unknown as HttpsServer).setSecureContext({ cert, key });
        current = next;
        log.info("api certificate reloaded", { certFile: files.certFile });
      } catch (err) {
        log.warn("api certificate reload failed; keeping the current one", { err });
      }
    }, files.reloadMs ?? 60_000);
    tlsReload.unref();
  }

  app.addHook("preClose", async () => {
    clearInterval(heartbeat);
    if (tlsReload) clearInterval(tlsReload);
    unsubscribe?.();
    for (const s of [...streams]) s.end();
  });

  return {
    app,
    async listen(port, host = "0.0.0.0") {
      await app.listen({ port, host });
      const addr = app.server.address();
      const bound = typeof addr === "object" && addr ? addr.port : port;
      log.info("api listening", { port: bound, host, tls: Boolean(o.tls), auth: o.auth.mode });
      return bound;
    },
    close: () => app.close(),
  };
}

/** Who a stream slot is counted against: the authenticated user (and uid when known). */
function clientKey(id: Identity | null): string {
  return id ? JSON.stringify([id.user, id.uid ?? ""]) : "";
}

function routeOf(req: FastifyRequest): string {
  return req.routeOptions?.url ?? "unmatched";
}

// 0001-01-01T00:00:00Z: the format allows year 0000, Postgres has no year 0.
const FIRST_INSTANT = -62_135_596_800_000;

/** An RFC 3339 time (the schema checked the format) as ms, within what Postgres can store. */
function instant(s: string, field: string): number {
  const ms = Date.parse(s);
  if (!(ms >= FIRST_INSTANT)) throw badInput("querystring", field, "must be a time from year 1 on");
  return ms;
}

/** A [from, to) range from optional ISO times: to defaults to now, from to an hour before to. */
function range(
  from: string | undefined,
  to: string | undefined,
  fromName: string,
  toName: string,
  maxRangeMs: number,
): { fromMs: number; toMs: number } {
  const toMs = to !== undefined ? instant(to, toName) : Date.now();
  const fromMs = from !== undefined ? instant(from, fromName) : toMs - 3_600_000;
  if (!(fromMs < toMs)) throw badInput("querystring", fromName, `must be before ${toName}`);
  if (toMs - fromMs > maxRangeMs) {
    throw badInput(
      "querystring",
      fromName,
      `range wider than ${Math.round(maxRangeMs / 3_600_000)}h; narrow ${fromName}..${toName}`,
    );
  }
  return { fromMs, toMs };
}
