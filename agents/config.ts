// Reads agent.yaml, the AgentConfig the operator renders, and checks it. The
// operator applies every default, so nothing is defaulted here: a missing or
// wrong field is an error that names it (`devices[3].snmp.port: must be ...`).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { AgentConfig } from "../operator/manifests/agent-config.ts";
import { AGENT_CONFIG_API_VERSION, AGENT_CONFIG_KIND } from "../operator/manifests/agent-config.ts";

export type { AgentConfig };

export class AgentConfigError extends Error {
  override readonly name = "AgentConfigError";
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown, at: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new AgentConfigError(at, "must be a map");
  return v as Obj;
}

function str(
  o: Obj,
  k: string,
  at: string,
  opts: { optional?: boolean; oneOf?: readonly string[] } = {},
): void {
  const v = o[k];
  if (v === undefined && opts.optional) return;
  if (typeof v !== "string" || v === "")
    throw new AgentConfigError(`${at}.${k}`, "must be a non-empty string");
  if (opts.oneOf && !opts.oneOf.includes(v))
    throw new AgentConfigError(`${at}.${k}`, `must be one of ${opts.oneOf.join(", ")}`);
}

function int(o: Obj, k: string, at: string, min: number, max: number, optional = false): void {
  const v = o[k];
  if (v === undefined && optional) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new AgentConfigError(`${at}.${k}`, `must be an integer from ${min} to ${max}`);
}

function list(o: Obj, k: string, at: string, optional = false): unknown[] {
  const v = o[k];
  if (v === undefined && optional) return [];
  if (!Array.isArray(v)) throw new AgentConfigError(`${at}.${k}`, "must be a list");
  return v;
}

const PORT = [1, 65535] as const;

function checkDevice(d: Obj, at: string): void {
  for (const k of ["namespace", "name", "address", "type", "subject"]) str(d, k, at);
  int(d, "shard", at, 0, 1 << 16, true);
  if (d.snmp !== undefined) {
    const s = obj(d.snmp, `${at}.snmp`);
    str(s, "version", `${at}.snmp`, { oneOf: ["v1", "v2c", "v3"] });
    int(s, "port", `${at}.snmp`, ...PORT);
    int(s, "intervalSeconds", `${at}.snmp`, 1, 86_400);
    int(s, "timeoutSeconds", `${at}.snmp`, 1, 600);
    list(s, "profiles", `${at}.snmp`);
    list(s, "oids", `${at}.snmp`).forEach((x, i) => {
      const o = obj(x, `${at}.snmp.oids[${i}]`);
      str(o, "name", `${at}.snmp.oids[${i}]`);
      str(o, "oid", `${at}.snmp.oids[${i}]`);
    });
    list(s, "tables", `${at}.snmp`);
    const c = obj(s.credentials, `${at}.snmp.credentials`);
    if (s.version === "v3") str(c, "usernameFile", `${at}.snmp.credentials`);
    else str(c, "communityFile", `${at}.snmp.credentials`);
  }
  if (d.modbus !== undefined) {
    const m = obj(d.modbus, `${at}.modbus`);
    int(m, "port", `${at}.modbus`, ...PORT);
    int(m, "unitId", `${at}.modbus`, 0, 255);
    int(m, "intervalSeconds", `${at}.modbus`, 1, 86_400);
    int(m, "timeoutSeconds", `${at}.modbus`, 1, 600);
    list(m, "registers", `${at}.modbus`).forEach((x, i) => {
      const r = obj(x, `${at}.modbus.registers[${i}]`);
      const rat = `${at}.modbus.registers[${i}]`;
      str(r, "name", rat);
      str(r, "table", rat, { oneOf: ["coil", "discrete", "holding", "input"] });
      int(r, "address", rat, 0, 65535);
      str(r, "type", rat, { oneOf: ["bool", "int16", "uint16", "int32", "uint32", "float32"] });
    });
  }
  if (d.mqtt !== undefined) {
    const m = obj(d.mqtt, `${at}.mqtt`);
    str(m, "brokerUrl", `${at}.mqtt`);
    if (!/^(mqtts?|wss?):\/\//.test(String(m.brokerUrl)))
      throw new AgentConfigError(
        `${at}.mqtt.brokerUrl`,
        "must be an mqtt://, mqtts://, ws:// or wss:// URL",
      );
    list(m, "topics", `${at}.mqtt`);
    str(m, "payload", `${at}.mqtt`, { oneOf: ["json", "sparkplugB"] });
  }
  if (d.syslog !== undefined)
    list(obj(d.syslog, `${at}.syslog`), "sourceAddresses", `${at}.syslog`);
  if (d.hl7 !== undefined) list(obj(d.hl7, `${at}.hl7`), "sourceAddresses", `${at}.hl7`);
  if (d.fhir !== undefined) {
    const f = obj(d.fhir, `${at}.fhir`);
    str(f, "baseUrl", `${at}.fhir`);
    if (!String(f.baseUrl).startsWith("https://"))
      throw new AgentConfigError(`${at}.fhir.baseUrl`, "must be an https:// URL");
    list(f, "resources", `${at}.fhir`);
    int(f, "intervalSeconds", `${at}.fhir`, 1, 86_400);
  }
  if (d.flows !== undefined) str(obj(d.flows, `${at}.flows`), "exporterAddress", `${at}.flows`);
}

/** Parses and checks agent.yaml; throws AgentConfigError naming the field. */
export function parseAgentConfig(text: string): AgentConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new AgentConfigError("(document)", `is not YAML: ${(err as Error).message}`);
  }
  const c = obj(doc, "(document)");
  if (c.apiVersion !== AGENT_CONFIG_API_VERSION)
    throw new AgentConfigError("apiVersion", `must be ${AGENT_CONFIG_API_VERSION}`);
  if (c.kind !== AGENT_CONFIG_KIND)
    throw new AgentConfigError("kind", `must be ${AGENT_CONFIG_KIND}`);
  const col = obj(c.collector, "collector");
  str(col, "namespace", "collector");
  str(col, "profile", "collector");
  str(col, "mode", "collector", { oneOf: ["deployment", "daemonset"] });
  int(col, "shards", "collector", 1, 1 << 16);
  const p = obj(c.producer, "producer");
  for (const k of ["id", "keyId", "keyFile"]) str(p, k, "producer");
  if (!/^[^/\s]+\/[^/\s]+$/.test(String(p.id)))
    throw new AgentConfigError("producer.id", "must be <namespace>/<profile>");
  const bus = obj(c.bus, "bus");
  str(bus, "url", "bus");
  str(bus, "stream", "bus");
  for (const k of ["caFile", "usernameFile", "passwordFile", "certFile", "keyFile"])
    str(bus, k, "bus", { optional: true });
  const b = obj(c.batching, "batching");
  int(b, "maxEvents", "batching", 1, 100_000);
  int(b, "maxDelayMs", "batching", 1, 600_000);
  const o = obj(c.outbox, "outbox");
  str(o, "dir", "outbox");
  int(o, "maxBytes", "outbox", 1 << 20, Number.MAX_SAFE_INTEGER);
  const l = obj(c.listeners, "listeners");
  for (const k of ["syslog", "hl7", "flows", "snmpTraps"]) int(l, k, "listeners", 0, 65535);
  const iv = obj(c.intervals, "intervals");
  for (const k of ["snmp", "modbus", "fhir"]) int(iv, k, "intervals", 1, 86_400);
  int(obj(c.ops, "ops"), "port", "ops", 0, 65535);
  list(c, "devices", "(document)").forEach((d, i) => {
    checkDevice(obj(d, `devices[${i}]`), `devices[${i}]`);
  });
  return c as unknown as AgentConfig;
}

export async function loadAgentConfig(path: string, root?: string): Promise<AgentConfig> {
  const cfg = parseAgentConfig(await readFile(path, "utf8"));
  return root ? rebaseConfig(cfg, root) : cfg;
}

/**
 * Outside a container (tests, `amoskys up`), the files the pod would mount
 * under /etc/amoskys and /var/lib/amoskys live below `root`: every absolute
 * `*File` path and the outbox dir are taken relative to it.
 */
export function rebaseConfig(cfg: AgentConfig, root: string): AgentConfig {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === "string") {
      return (key.endsWith("File") || key === "dir") && v.startsWith("/") ? join(root, v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(cfg, "") as AgentConfig;
}
