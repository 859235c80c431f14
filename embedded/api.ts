// The HTTP API of `amoskys up`: the analytics API (analytics/api, createApi)
// with the embedded token; if that module cannot be loaded, a minimal
// read-only JSON API of its own (GET /api/v1/devices, /api/v1/findings, same
// token, same `{items}` shape) so the mode still answers.
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type pg from "pg";
import type { Registry } from "prom-client";
import type { Logger } from "../runtime/log.ts";

export interface EmbeddedApi {
  port: number;
  /** "analytics" (analytics/api) or "minimal" (the fallback). */
  kind: "analytics" | "minimal";
  /** Feed for the live stream (analytics API only). */
  publish?: (item: unknown) => void;
  close(): Promise<void>;
}

export async function startApi(o: {
  pool: pg.Pool;
  tokenFile: string;
  token: string;
  host: string;
  port: number;
  logger: Logger;
  registry: Registry;
}): Promise<EmbeddedApi> {
  let mod: typeof import("../analytics/api/index.ts") | undefined;
  try {
    mod = await import("../analytics/api/index.ts");
  } catch (err) {
    o.logger.warn("analytics API unavailable; serving the minimal read-only API", { err });
  }
  if (mod) {
    const live = mod.createLiveHub();
    const api = mod.createApi({
      pool: o.pool,
      auth: mod.embeddedAuth({ tokenFile: o.tokenFile }),
      logger: o.logger.child({ part: "api" }),
      registry: o.registry,
      live,
    });
    let port: number;
    try {
      port = await api.listen(o.port, o.host);
    } catch (err) {
      await api.close().catch(() => {}); // a retry starts afresh
      throw err;
    }
    return {
      port,
      kind: "analytics",
      publish: (item) => live.publish(item as Parameters<typeof live.publish>[0]),
      close: () => api.close(),
    };
  }
  return minimalApi(o);
}

const FINDINGS = `SELECT id, rule_namespace, rule_name, device_namespace, device_name, key, severity,
  title, mitre, count, suppressed, first_seen, last_seen, state, evidence, created_at, updated_at
  FROM findings ORDER BY id DESC LIMIT 500`;
const DEVICES = `SELECT namespace, name, address, first_seen, last_seen, status
  FROM devices ORDER BY namespace, name LIMIT 1000`;

async function minimalApi(o: Parameters<typeof startApi>[0]): Promise<EmbeddedApi> {
  const want = Buffer.from(o.token);
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const server = createServer(async (req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const got = Buffer.from(/^Bearer (\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "");
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return send(401, { title: "a valid bearer token is required", status: 401 });
    const path = (req.url ?? "").split("?")[0];
    try {
      if (req.method === "GET" && path === "/api/v1/findings") {
        const r = await o.pool.query(FINDINGS);
        return send(200, {
          items: r.rows.map((x) => ({
            id: Number(x.id),
            rule: { namespace: x.rule_namespace, name: x.rule_name },
            device: { namespace: x.device_namespace, name: x.device_name },
            key: x.key,
            severity: x.severity,
            title: x.title,
            mitre: x.mitre,
            count: Number(x.count),
            suppressed: Number(x.suppressed),
            firstSeen: iso(x.first_seen),
            lastSeen: iso(x.last_seen),
            state: x.state,
            evidence: x.evidence,
          })),
        });
      }
      if (req.method === "GET" && path === "/api/v1/devices") {
        const r = await o.pool.query(DEVICES);
        return send(200, {
          items: r.rows.map((x) => ({
            namespace: x.namespace,
            name: x.name,
            address: x.address,
            firstSeen: iso(x.first_seen),
            lastSeen: iso(x.last_seen),
            status: x.status,
          })),
        });
      }
      return send(404, { title: `no route ${req.method} ${path}`, status: 404 });
    } catch (err) {
      o.logger.warn("api request failed", { err });
      return send(503, { title: "database unavailable", status: 503 });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === "object" && addr ? addr.port : o.port,
    kind: "minimal",
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
