// The webhook response: the finding as an Alertmanager webhook payload
// (version 4, what Alertmanager itself POSTs to receivers, so existing
// receivers - SOARs, chat bridges, PagerDuty adapters - take it unchanged),
// signed with HMAC-SHA256 of the exact body bytes in X-Amoskys-Signature,
// POSTed over HTTPS (http:// only for loopback, which the CRD enforces) with
// retries and backoff. Payload and signature are pure; postWebhook does I/O.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { rootCertificates } from "node:tls";
import type { FindingUpdate } from "../model.ts";
import { rfc3339 } from "./names.ts";

export const SIGNATURE_HEADER = "X-Amoskys-Signature";

export interface AlertmanagerAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: "4";
  groupKey: string;
  truncatedAlerts: number;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** One firing alert for one finding. `finding` is the Finding's name in the device's namespace. */
export function alertmanagerPayload(
  u: FindingUpdate,
  finding: string,
  opts: { receiver?: string; externalURL?: string } = {},
): AlertmanagerPayload {
  const labels: Record<string, string> = {
    alertname: u.rule.name,
    severity: u.severity,
    namespace: u.device.namespace,
    device: u.device.name,
    rule: u.rule.name,
    finding,
    ...(u.key && { key: u.key }),
  };
  const annotations: Record<string, string> = {
    summary: u.title,
    description: u.evidence.summary,
    count: String(u.count),
    ...(u.mitre.length > 0 && { mitre: u.mitre.join(",") }),
    ...(u.evidence.eventIds.length > 0 && { eventIds: u.evidence.eventIds.join(",") }),
  };
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(Object.entries(labels).sort()))
    .digest("hex")
    .slice(0, 16);
  return {
    version: "4",
    groupKey: `{}:{namespace="${u.device.namespace}",rule="${u.rule.name}"}`,
    truncatedAlerts: 0,
    status: "firing",
    receiver: opts.receiver ?? `${u.rule.namespace}/${u.rule.name}`,
    groupLabels: { namespace: u.device.namespace, rule: u.rule.name },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: opts.externalURL ?? "",
    alerts: [
      {
        status: "firing",
        labels,
        annotations,
        startsAt: rfc3339(u.firstSeenMs),
        // Alertmanager's zero time: the alert has no known end.
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "",
        fingerprint,
      },
    ],
  };
}

/** `sha256=<hex HMAC-SHA256 of body>`, as the DetectionRule CRD documents. */
export function signature(body: Uint8Array | string, secret: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Receivers' side, in constant time (used by the tests; handy for receivers written in TS). */
export function verifySignature(
  body: Uint8Array | string,
  secret: Uint8Array | string,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const want = Buffer.from(signature(body, secret));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface WebhookOptions {
  /** HMAC key; unset: the request is not signed. */
  secret?: Uint8Array | string | undefined;
  /** PEM CA bundle(s) trusted for https, in addition to the system's. */
  ca?: string | string[] | undefined;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Attempts after the first, for network errors, 408, 429 and 5xx. Default 3. */
  retries?: number;
  /** First backoff; doubles per retry, ±20 % jitter. Default 500 ms. */
  backoffMs?: number;
  signal?: AbortSignal;
}

export interface WebhookResult {
  ok: boolean;
  /** HTTP status of the last attempt (0: no response). */
  status: number;
  attempts: number;
  /** For Finding status.responses[].message: the status, or why it failed. */
  message: string;
}

const RETRY_STATUS = (s: number) => s === 408 || s === 429 || s >= 500;

export async function postWebhook(
  url: string,
  body: string,
  opts: WebhookOptions = {},
): Promise<WebhookResult> {
  const retries = opts.retries ?? 3;
  const base = opts.backoffMs ?? 500;
  let last: WebhookResult = { ok: false, status: 0, attempts: 0, message: "not sent" };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const r = await postOnce(url, body, opts);
    last = { ...r, attempts: attempt };
    if (r.ok || (r.status !== 0 && !RETRY_STATUS(r.status))) break;
    if (attempt <= retries) {
      const delay = base * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
      try {
        await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
      } catch {
        break; // stopping
      }
    }
  }
  return last;
}

function postOnce(
  url: string,
  body: string,
  opts: WebhookOptions,
): Promise<Omit<WebhookResult, "attempts">> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve({ ok: false, status: 0, message: "invalid url" });
      return;
    }
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "user-agent": "amoskys-analytics",
    };
    if (opts.secret !== undefined) headers[SIGNATURE_HEADER] = signature(body, opts.secret);
    const signal = opts.signal
      ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 10_000)])
      : AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    const common = { method: "POST", headers, signal };
    const done = (r: Omit<WebhookResult, "attempts">) => resolve(r);
    const onResponse = (res: import("node:http").IncomingMessage) => {
      const status = res.statusCode ?? 0;
      res.resume(); // the body is not used; redirects are not followed
      res.on("end", () =>
        done({
          ok: status >= 200 && status < 300,
          status,
          message: `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`.slice(
            0,
            1024,
          ),
        }),
      );
      res.on("error", (err) => done({ ok: false, status, message: err.message.slice(0, 1024) }));
    };
    let req: import("node:http").ClientRequest;
    if (u.protocol === "https:") {
      const ca = opts.ca === undefined ? undefined : [opts.ca].flat();
      req = httpsRequest(
        u,
        {
          ...common,
          // Extra CAs are added to, not instead of, the system's roots.
          ...(ca && { ca: [...rootCertificates, ...ca] }),
        },
        onResponse,
      );
    } else if (u.protocol === "http:") {
      req = httpRequest(u, common, onResponse);
    } else {
      resolve({ ok: false, status: 0, message: `unsupported scheme ${u.protocol}` });
      return;
    }
    req.on("error", (err) => {
      const code = (err as { code?: string }).code;
      done({
        ok: false,
        status: 0,
        message:
          `${err.name === "AbortError" ? "timeout or aborted" : err.message}${code ? ` (${code})` : ""}`.slice(
            0,
            1024,
          ),
      });
    });
    req.end(body);
  });
}
