// Every component serves /metrics (Prometheus text), /healthz (the process
// works) and /readyz (it can do its job: caches synced, connections up) on one
// loopback-or-pod port. Readiness is a set of named checks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Registry } from "prom-client";

export type Check = () => boolean | string;

export interface OpsServer {
  readonly registry: Registry;
  /** A readiness check: true when ready, or a string saying why not. */
  addReadyCheck(name: string, check: Check): void;
  /** A liveness check; failing it makes /healthz 500 (the kubelet restarts the pod). */
  addHealthCheck(name: string, check: Check): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

function evaluate(checks: Map<string, Check>): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of checks) {
    let r: boolean | string;
    try {
      r = check();
    } catch (err) {
      r = String(err);
    }
    if (r === true) lines.push(`[+]${name} ok`);
    else {
      ok = false;
      lines.push(`[-]${name} failed${typeof r === "string" ? `: ${r}` : ""}`);
    }
  }
  return { ok, lines };
}

/** `prefix` names process metrics, e.g. amoskys_operator_process_cpu_seconds_total. */
export function createOpsServer(prefix: string): OpsServer {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
  const ready = new Map<string, Check>();
  const health = new Map<string, Check>();
  let server: Server | undefined;

  const handler = async (path: string): Promise<[number, string, string]> => {
    if (path === "/metrics") return [200, registry.contentType, await registry.metrics()];
    if (path === "/healthz" || path === "/readyz") {
      const { ok, lines } = evaluate(path === "/healthz" ? health : ready);
      return [ok ? 200 : 503, "text/plain", `${lines.join("\n")}\n${ok ? "ok" : "not ok"}\n`];
    }
    return [404, "text/plain", "not found\n"];
  };

  return {
    registry,
    addReadyCheck: (name, check) => void ready.set(name, check),
    addHealthCheck: (name, check) => void health.set(name, check),
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        const srv = createServer((req, res) => {
          const path = new URL(req.url ?? "/", "http://x").pathname;
          handler(path).then(
            ([status, type, body]) => {
              res.writeHead(status, { "content-type": type });
              res.end(body);
            },
            (err) => {
              res.writeHead(500);
              res.end(String(err));
            },
          );
        });
        server = srv;
        srv.once("error", reject);
        srv.listen(port, host, () => resolve((srv.address() as AddressInfo).port));
      });
    },
    close() {
      return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
