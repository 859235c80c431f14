// Broker connections: configuration checks, client options (credentials and
// TLS from the mounted Secret files), what a failed attempt means, and the
// one-off anonymous probe.
import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import mqtt, { type IClientOptions } from "mqtt";
import type { AgentMqtt } from "../../../operator/manifests/agent-config.ts";
import type { CollectorContext } from "../../collector.ts";
import { type CompiledMapping, compileMappings, validTopicFilter } from "./json-mapping.ts";

export interface CheckedConfig {
  url: URL;
  /** host:port, the address status events carry. */
  address: string;
  tls: boolean;
  mappings: CompiledMapping[];
}

/** Throws an Error naming the field when the configuration cannot work. */
export function checkConfig(cfg: AgentMqtt | undefined): CheckedConfig {
  if (!cfg) throw new Error("device has no mqtt configuration");
  let url: URL;
  try {
    url = new URL(cfg.brokerUrl);
  } catch {
    throw new Error(`mqtt.brokerUrl ${JSON.stringify(cfg.brokerUrl)} is not a URL`);
  }
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:")
    throw new Error(`mqtt.brokerUrl must be mqtt:// or mqtts://, not ${url.protocol}//`);
  if (url.username || url.password)
    throw new Error("mqtt.brokerUrl must not carry credentials; use credentialsSecretRef");
  if (cfg.topics.length === 0) throw new Error("mqtt.topics is empty");
  for (const t of cfg.topics)
    if (!validTopicFilter(t))
      throw new Error(`mqtt.topics: ${JSON.stringify(t)} is not a topic filter`);
  if (![0, 1, 2].includes(cfg.qos)) throw new Error(`mqtt.qos ${cfg.qos} is not 0, 1 or 2`);
  if (cfg.payload !== "json" && cfg.payload !== "sparkplugB")
    throw new Error(`mqtt.payload ${JSON.stringify(cfg.payload)} is not json or sparkplugB`);
  const compiled = compileMappings(cfg.payload === "json" ? cfg.mappings : []);
  if (!compiled.ok) throw new Error(`mqtt.${compiled.reason}`);
  const tls = url.protocol === "mqtts:";
  const port = url.port || (tls ? "8883" : "1883");
  return { url, address: `${url.hostname}:${port}`, tls, mappings: compiled.value };
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * TLS options (verification always on; the CA from caFile when configured,
 * the system's otherwise; a client certificate only when both files exist)
 * and, when `withCredentials`, the username and password.
 */
export async function clientOptions(
  cfg: AgentMqtt,
  checked: CheckedConfig,
  ctx: Pick<CollectorContext, "readSecret">,
  withCredentials: boolean,
): Promise<IClientOptions> {
  const o: IClientOptions = {};
  if (checked.tls) {
    o.rejectUnauthorized = true;
    if (cfg.tls) {
      o.ca = await ctx.readSecret(cfg.tls.caFile);
      if ((await exists(cfg.tls.certFile)) && (await exists(cfg.tls.keyFile))) {
        o.cert = await ctx.readSecret(cfg.tls.certFile);
        o.key = await ctx.readSecret(cfg.tls.keyFile);
      }
    }
  }
  if (withCredentials && cfg.credentials) {
    o.username = await ctx.readSecret(cfg.credentials.usernameFile);
    o.password = await ctx.readSecret(cfg.credentials.passwordFile);
  }
  return o;
}

export type AttemptResult = "ok" | "auth" | "tls" | "unreachable" | "refused" | "config";

export interface Failure {
  result: AttemptResult;
  reachable: boolean;
  reason: string;
}

const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME|EPROTO|ECONNRESET_TLS/;

/** What a connection attempt that never got a CONNACK 0 means. */
export function classifyFailure(err: unknown): Failure {
  if (err === undefined)
    return {
      result: "unreachable",
      reachable: false,
      reason: "unreachable: no CONNACK before the timeout",
    };
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(err);
  if (typeof e.code === "number") {
    // CONNACK return codes: 4/5 in MQTT 3.1.1, 134/135 in MQTT 5.
    if ([4, 5, 134, 135].includes(e.code))
      return {
        result: "auth",
        reachable: true,
        reason: `broker refused the credentials (${message})`,
      };
    return {
      result: "refused",
      reachable: true,
      reason: `broker refused the connection (${message})`,
    };
  }
  const code = typeof e.code === "string" ? e.code : "";
  if (TLS_CODES.test(code) || /certificate|tls|ssl/i.test(message))
    return { result: "tls", reachable: true, reason: `TLS handshake failed: ${code || message}` };
  return { result: "unreachable", reachable: false, reason: `unreachable: ${code || message}` };
}

/**
 * Connects once without a username (and without a client certificate) and
 * disconnects at once: "allowed" when the broker accepts it.
 */
export function probeAnonymous(
  url: URL,
  tlsOptions: IClientOptions,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ result: "allowed" | "refused" | "error"; reason: string }> {
  return new Promise((resolve) => {
    const { cert: _c, key: _k, username: _u, password: _p, ...tls } = tlsOptions;
    const client = mqtt.connect(url.toString(), {
      ...tls,
      clientId: `amoskys-probe-${randomBytes(6).toString("hex")}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      protocolVersion: 4,
    });
    let lastErr: unknown;
    let done = false;
    const finish = (result: "allowed" | "refused" | "error", reason: string) => {
      if (done) return;
      done = true;
      client.end(true);
      resolve({ result, reason });
    };
    client.on("connect", () => finish("allowed", "CONNACK 0 without a username"));
    client.on("error", (err) => {
      lastErr = err;
    });
    client.on("close", () => {
      const f = classifyFailure(lastErr);
      finish(f.result === "auth" ? "refused" : "error", f.reason);
    });
    signal?.addEventListener("abort", () => finish("error", "aborted"), { once: true });
  });
}
