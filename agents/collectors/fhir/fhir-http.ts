// One bounded HTTPS GET for the FHIR poller: bearer or basic credentials, the device's CA,
// certificate verification always on, no redirects followed, the body cut
// off at maxBytes, a deadline. Failures come back as values.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

export interface GetOptions {
  token?: string;
  /** HTTP Basic credentials (RFC 7617); the caller rejects a user name with a colon. */
  basic?: { username: string; password: string };
  /** PEM CA bundle; without it the system CAs are used. */
  ca?: Buffer;
  maxBytes: number;
  timeoutMs: number;
}

export type GetResult =
  | { ok: true; status: number; body: Buffer; latencyMs: number }
  | { ok: false; kind: "transport" | "too_large"; reason: string; latencyMs: number };

/** A short reason for people from a Node network/TLS error. */
function describe(err: NodeJS.ErrnoException): string {
  const code = err.code ?? "";
  if (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/.test(code) ||
    /certificate/i.test(err.message)
  ) {
    // Node appends advice about --use-system-ca that means nothing to an operator.
    const msg = err.message.replace(/; if the root CA is installed locally.*$/, "");
    return `TLS verification failed: ${msg} (${code || "TLS"})`;
  }
  return `${err.message}${code && !err.message.includes(code) ? ` (${code})` : ""}`;
}

export function get(url: URL, opts: GetOptions): Promise<GetResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise<GetResult>((resolve) => {
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    const done = (r: GetResult) => {
      clearTimeout(deadline);
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const headers: Record<string, string> = { Accept: "application/fhir+json" };
    if (opts.basic) {
      const { username, password } = opts.basic;
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
    } else if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > opts.maxBytes) {
        req.destroy();
        done({
          ok: false,
          kind: "too_large",
          reason: `response of ${declared} bytes exceeds ${opts.maxBytes}`,
          latencyMs: elapsed(),
        });
        return;
      }
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > opts.maxBytes) {
          req.destroy();
          done({
            ok: false,
            kind: "too_large",
            reason: `response exceeds ${opts.maxBytes} bytes`,
            latencyMs: elapsed(),
          });
          return;
        }
        chunks.push(c);
      });
      res.on("end", () =>
        done({
          ok: true,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          latencyMs: elapsed(),
        }),
      );
      res.on("error", (err) =>
        done({ ok: false, kind: "transport", reason: describe(err), latencyMs: elapsed() }),
      );
    };
    const common = { method: "GET", headers, timeout: opts.timeoutMs };
    const req =
      url.protocol === "https:"
        ? httpsRequest(
            url,
            { ...common, rejectUnauthorized: true, ...(opts.ca && { ca: opts.ca }) },
            onResponse,
          )
        : httpRequest(url, common, onResponse);
    const timeout = () =>
      req.destroy(
        Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: "ETIMEDOUT" }),
      );
    // The socket timeout catches silence; the deadline catches a slow drip.
    req.on("timeout", timeout);
    deadline = setTimeout(timeout, opts.timeoutMs);
    req.on("error", (err) =>
      done({ ok: false, kind: "transport", reason: describe(err), latencyMs: elapsed() }),
    );
    req.end();
  });
}
