// Test helper: a small HTTPS FHIR R4 server (node:https) that serves real
// example resources. Like a real server it assigns id (if missing),
// meta.versionId and meta.lastUpdated on store, requires a bearer token or,
// when given, HTTP Basic credentials (401 without either), filters by _lastUpdated=gt…, sorts by _lastUpdated and pages with
// next links. It does not evaluate the device filter parameters (the example
// resources name no device); it records them so tests can check them.
import { mkdir, readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { CertificateAuthority } from "../../../e2e/env/pki.ts";

type Resource = Record<string, unknown> & {
  resourceType: string;
  id?: string;
  meta?: Record<string, unknown>;
};

export interface FhirTestServer {
  /** e.g. https://127.0.0.1:PORT/fhir */
  baseUrl: string;
  port: number;
  /** The CA that signed the server certificate (PEM file). */
  caFile: string;
  /** Stores a resource as the server would (id, versionId, lastUpdated). */
  add(resource: Resource): Resource;
  /** Every request: path, query, whether it carried the right credentials and which scheme. */
  requests: {
    path: string;
    query: URLSearchParams;
    authorized: boolean;
    scheme: "bearer" | "basic" | "";
    host: string;
  }[];
  /** Largest page the server returns (it caps _count). */
  pageSize: number;
  /** Make next links point at another origin (https://localhost:PORT, same server). */
  hostileNext: boolean;
  close(): Promise<void>;
}

export async function startFhirTestServer(
  dir: string,
  token: string,
  basic?: { username: string; password: string },
): Promise<FhirTestServer> {
  await mkdir(join(dir, "fhir-ca"), { recursive: true });
  const ca = await CertificateAuthority.create(join(dir, "fhir-ca"), "FHIR test CA");
  const pair = await ca.issue({
    file: "fhir-server",
    cn: "127.0.0.1",
    ips: ["127.0.0.1"],
    dns: ["localhost"],
    usage: "server",
  });
  const [cert, key] = await Promise.all([readFile(pair.cert), readFile(pair.key)]);
  const store = new Map<string, Resource[]>();
  // The server's clock: strictly increasing, one second per write.
  let clock = Math.floor(Date.now() / 1000) * 1000;
  let ids = 0;
  const requests: FhirTestServer["requests"] = [];

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": "application/fhir+json", ...extra });
    res.end(JSON.stringify(body));
  };

  const self: FhirTestServer = {
    baseUrl: "",
    port: 0,
    caFile: ca.cert,
    requests,
    pageSize: 2,
    hostileNext: false,
    add(resource) {
      const r = structuredClone(resource);
      r.id ??= `srv-${++ids}`;
      clock += 1000;
      const list = store.get(r.resourceType) ?? [];
      const previous = list.findIndex((x) => x.id === r.id);
      const version = previous >= 0 ? Number(list[previous]?.meta?.versionId ?? 1) + 1 : 1;
      r.meta = {
        ...r.meta,
        versionId: String(version),
        lastUpdated: new Date(clock).toISOString(),
      };
      if (previous >= 0) list.splice(previous, 1);
      list.push(r);
      store.set(r.resourceType, list);
      return r;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        // Clients keep connections alive; do not wait for them to go idle.
        server.closeAllConnections();
      }),
  };

  const server: Server = createServer({ cert, key }, (req, res) => {
    const host = req.headers.host ?? "";
    const url = new URL(req.url ?? "/", `https://${host}`);
    const header = req.headers.authorization ?? "";
    const scheme = /^Bearer /.test(header) ? "bearer" : /^Basic /.test(header) ? "basic" : "";
    // Decoded as a server would (RFC 7617: split at the first colon).
    const decoded =
      scheme === "basic" ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    const authorized =
      header === `Bearer ${token}` ||
      (basic !== undefined &&
        colon >= 0 &&
        decoded.slice(0, colon) === basic.username &&
        decoded.slice(colon + 1) === basic.password);
    requests.push({ path: url.pathname, query: url.searchParams, authorized, scheme, host });
    if (!authorized) {
      send(
        res,
        401,
        {
          resourceType: "OperationOutcome",
          issue: [{ severity: "error", code: "login", diagnostics: "credentials required" }],
        },
        {
          "WWW-Authenticate": basic
            ? 'Bearer realm="fhir", Basic realm="fhir"'
            : 'Bearer realm="fhir"',
        },
      );
      return;
    }
    const m = /^\/fhir\/([A-Za-z]+)$/.exec(url.pathname);
    if (req.method !== "GET" || !m) {
      send(res, 404, {
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: "not-found" }],
      });
      return;
    }
    const type = m[1] as string;
    const q = url.searchParams;
    let list = [...(store.get(type) ?? [])];
    const lu = q.get("_lastUpdated");
    if (lu) {
      if (!lu.startsWith("gt")) {
        send(res, 400, {
          resourceType: "OperationOutcome",
          issue: [{ severity: "error", code: "not-supported" }],
        });
        return;
      }
      const since = Date.parse(lu.slice(2));
      list = list.filter((r) => Date.parse(String(r.meta?.lastUpdated)) > since);
    }
    if (q.get("_sort") === "_lastUpdated") {
      list.sort(
        (a, b) => Date.parse(String(a.meta?.lastUpdated)) - Date.parse(String(b.meta?.lastUpdated)),
      );
    }
    const count = Math.min(
      Number(q.get("_count") ?? self.pageSize) || self.pageSize,
      self.pageSize,
    );
    const offset = Number(q.get("_offset") ?? 0) || 0;
    const page = list.slice(offset, offset + count);
    const link = [{ relation: "self", url: url.toString() }];
    if (offset + count < list.length) {
      const next = new URL(url);
      next.searchParams.set("_offset", String(offset + count));
      if (self.hostileNext) next.hostname = "localhost";
      link.push({ relation: "next", url: next.toString() });
    }
    send(res, 200, {
      resourceType: "Bundle",
      type: "searchset",
      total: list.length,
      link,
      entry: page.map((r) => ({
        fullUrl: `${url.origin}/fhir/${type}/${r.id}`,
        resource: r,
        search: { mode: "match" },
      })),
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  self.port = (server.address() as AddressInfo).port;
  self.baseUrl = `https://127.0.0.1:${self.port}/fhir`;
  return self;
}
