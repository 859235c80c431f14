// Readiness probes used by the service starters.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";

export interface TlsFiles {
  ca: string;
  cert?: string;
  key?: string;
}

/** GET a URL; for https, verify against `tls.ca` and present a client cert if given. */
export function httpGet(url: string, tls?: TlsFiles): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts = {
      timeout: 2000,
      ...(tls && {
        ca: readFileSync(tls.ca),
        ...(tls.cert && { cert: readFileSync(tls.cert) }),
        ...(tls.key && { key: readFileSync(tls.key) }),
      }),
    };
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, opts, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

export async function httpOk(url: string, tls?: TlsFiles): Promise<boolean> {
  return (await httpGet(url, tls)).status === 200;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
