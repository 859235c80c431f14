// Field paths into a TelemetryEvent, in its protobuf JSON form (lowerCamel),
// checked against the schema when a rule is compiled and read from the
// in-memory event (a decoded protobufjs message or a plain object) without
// converting it first: enums read as their names, absent scalars as the
// proto3 default, 64-bit ints as numbers, Timestamps as RFC 3339 text.
//
// The table mirrors proto/amoskys/v1/telemetry.proto; fields.test.ts checks it
// against the .proto through protobufjs reflection, so it cannot drift.
import { v1 } from "../../proto/codec.ts";
import type { TelemetryEvent } from "../model.ts";

type Scalar = "string" | "number" | "bool" | "bytes";
export type FieldType =
  | { t: Scalar }
  | { t: "enum"; name: string; values: Record<string, number> }
  | { t: "message"; msg: string }
  | { t: "map" }
  | { t: "timestamp" };
type Field = FieldType & { repeated?: boolean };

const s: Field = { t: "string" };
const n: Field = { t: "number" };
const b: Field = { t: "bool" };
const ts: Field = { t: "timestamp" };
const map: Field = { t: "map" };
const msg = (m: string, repeated = false): Field => ({ t: "message", msg: m, repeated });
const en = (name: string, values: Record<string, number>): Field => ({ t: "enum", name, values });

/** Name → number of a generated enum (its own keys are the names). */
export function enumValues(e: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(e)) if (typeof v === "number") out[k] = v;
  return out;
}

const SourceProtocol = en("SourceProtocol", enumValues(v1.SourceProtocol));

export const SCHEMA: Record<string, Record<string, Field>> = {
  TelemetryEvent: {
    id: s,
    device: msg("DeviceRef"),
    observed: ts,
    collected: ts,
    source: SourceProtocol,
    metric: msg("Metric"),
    log: msg("LogRecord"),
    trap: msg("Trap"),
    flow: msg("Flow"),
    status: msg("Status"),
    security: msg("SecurityObservation"),
    clinical: msg("ClinicalObservation"),
    malformed: msg("Malformed"),
    wire: msg("WireEvent"),
  },
  DeviceRef: { namespace: s, name: s, address: s },
  Metric: {
    name: s,
    value: n,
    unit: s,
    kind: en("MetricKind", enumValues(v1.MetricKind)),
    labels: map,
  },
  LogRecord: {
    format: en("SyslogFormat", enumValues(v1.SyslogFormat)),
    facility: n,
    severity: n,
    hostname: s,
    appName: s,
    procId: s,
    msgId: s,
    structuredData: msg("StructuredDataElement", true),
    message: s,
  },
  StructuredDataElement: { id: s, params: map },
  Varbind: { oid: s, type: s, value: s },
  Trap: {
    version: s,
    inform: b,
    trapOid: s,
    enterprise: s,
    agentAddress: s,
    genericTrap: n,
    specificTrap: n,
    uptime: n,
    securityName: s,
    varbinds: msg("Varbind", true),
  },
  Flow: {
    srcAddress: s,
    dstAddress: s,
    srcPort: n,
    dstPort: n,
    protocol: n,
    bytes: n,
    packets: n,
    start: ts,
    end: ts,
    tcpFlags: n,
    exporter: s,
    observationDomain: n,
    exportVersion: n,
  },
  Status: {
    protocol: SourceProtocol,
    reachable: b,
    latencyMs: n,
    capability: en("Capability", enumValues(v1.Capability)),
    reason: s,
  },
  SecurityObservation: { kind: s, detail: s, evidence: map },
  ClinicalObservation: {
    codeSystem: s,
    code: s,
    display: s,
    value: s,
    numericValue: n,
    isNumeric: b,
    unit: s,
    referenceRange: s,
    abnormalFlag: s,
    resultStatus: s,
    sourceId: s,
  },
  Malformed: { protocol: SourceProtocol, reason: s, sample: { t: "bytes" }, length: n },
  WireEvent: {
    protocol: s,
    action: s,
    srcAddress: s,
    srcPort: n,
    dstAddress: s,
    dstPort: n,
    fields: map,
  },
};

/** The body kinds (the TelemetryEvent oneof), in field order. */
export const BODY_KINDS = [
  "metric",
  "log",
  "trap",
  "flow",
  "status",
  "security",
  "clinical",
  "malformed",
  "wire",
] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** The body kind of an event, or undefined when it has none. */
export function bodyKind(ev: TelemetryEvent): BodyKind | undefined {
  const e = ev as Record<string, unknown>;
  for (const k of BODY_KINDS) if (e[k] != null) return k;
  return undefined;
}

type Step =
  | { k: "field"; name: string }
  | { k: "index"; i: number }
  | { k: "key"; name: string }
  | { k: "any" };

/** A compiled path: the steps to walk and the type of what it ends on. */
export interface FieldPath {
  text: string;
  steps: Step[];
  leaf: FieldType;
  /** The path ends on a map entry (absent unless the key is there). */
  mapEntry: boolean;
}

/** Compiles a dotted path, or says what is wrong with it. */
export function compilePath(text: string): FieldPath | { error: string } {
  const parts = text.split(".");
  if (parts.some((p) => p === "")) return { error: `"${text}" has an empty segment` };
  let msgName = "TelemetryEvent";
  const steps: Step[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const f = SCHEMA[msgName]?.[part];
    if (!f) {
      const known = Object.keys(SCHEMA[msgName] ?? {}).join(", ");
      return { error: `"${text}": ${msgName} has no field "${part}" (fields: ${known})` };
    }
    steps.push({ k: "field", name: part });
    const last = i === parts.length - 1;
    if (f.t === "map") {
      if (last) return { error: `"${text}" is a map: name a key, e.g. ${text}.<key>` };
      if (i + 2 !== parts.length) return { error: `"${text}": map values are text, not messages` };
      steps.push({ k: "key", name: parts[i + 1] as string });
      return { text, steps, leaf: { t: "string" }, mapEntry: true };
    }
    if (f.repeated) {
      // An index picks one element; otherwise the path ranges over all of them.
      const next = parts[i + 1];
      if (next !== undefined && /^[0-9]+$/.test(next)) {
        steps.push({ k: "index", i: Number(next) });
        i++;
      } else steps.push({ k: "any" });
      if (i === parts.length - 1) return { error: `"${text}" is a list of messages: name a field` };
    }
    if (f.t === "message") {
      if (last) return { text, steps, leaf: f, mapEntry: false };
      msgName = f.msg;
      continue;
    }
    if (!last) return { error: `"${text}": "${part}" is not a message` };
    return { text, steps, leaf: f, mapEntry: false };
  }
  return { error: `"${text}" is empty` };
}

const enumNames = new Map<Record<string, number>, Map<number, string>>();
function enumName(values: Record<string, number>, v: unknown): string {
  if (typeof v === "string") return v;
  let names = enumNames.get(values);
  if (!names) {
    names = new Map(Object.entries(values).map(([k, x]) => [x, k]));
    enumNames.set(values, names);
  }
  return names.get(Number(v ?? 0)) ?? String(v);
}

function tsText(v: unknown): string | undefined {
  if (!v || typeof v !== "object") return undefined;
  const { seconds, nanos } = v as { seconds?: unknown; nanos?: unknown };
  const ms = Number(seconds ?? 0) * 1000 + Math.floor(Number(nanos ?? 0) / 1e6);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A leaf value as the rule compares it: text (numbers in decimal) and whether it is set. */
export interface Leaf {
  text: string;
  /** Proto3 presence: set and not the default. */
  set: boolean;
}

function leafOf(type: FieldType, v: unknown): Leaf | undefined {
  switch (type.t) {
    case "string":
      return { text: typeof v === "string" ? v : v == null ? "" : String(v), set: !!v };
    case "number": {
      const x = v == null ? 0 : Number(v);
      return { text: String(x), set: x !== 0 };
    }
    case "bool":
      return { text: v ? "true" : "false", set: !!v };
    case "bytes": {
      const u = v instanceof Uint8Array ? v : new Uint8Array();
      return { text: Buffer.from(u).toString("base64"), set: u.length > 0 };
    }
    case "enum": {
      const name = enumName(type.values, v);
      return { text: name, set: v != null && v !== 0 && !name.endsWith("_UNSPECIFIED") };
    }
    case "timestamp": {
      const t = tsText(v);
      return t === undefined ? undefined : { text: t, set: true };
    }
    case "message":
      return v == null ? undefined : { text: "", set: true };
    case "map":
      return undefined;
  }
}

/**
 * The values a path yields on an event: none when a message on the way is
 * absent (another body kind) or a map key is missing; several when the path
 * ranges over a list.
 */
export function read(ev: TelemetryEvent, path: FieldPath, out: Leaf[] = []): Leaf[] {
  walk(ev, path, 0, out);
  return out;
}

function walk(cur: unknown, path: FieldPath, i: number, out: Leaf[]): void {
  if (i === path.steps.length) {
    if (path.mapEntry) {
      if (cur != null) out.push({ text: String(cur), set: true });
      return;
    }
    const l = leafOf(path.leaf, cur);
    if (l) out.push(l);
    return;
  }
  const step = path.steps[i] as Step;
  const last = i === path.steps.length - 1;
  switch (step.k) {
    case "field": {
      if (cur == null || typeof cur !== "object") return;
      const v = (cur as Record<string, unknown>)[step.name];
      // A message or list on the way that is absent: the path yields nothing.
      if (v == null && !last) return;
      walk(v, path, i + 1, out);
      return;
    }
    case "key": {
      if (cur == null || typeof cur !== "object") return;
      const m = cur as Record<string, unknown>;
      if (!Object.hasOwn(m, step.name)) return;
      walk(m[step.name], path, i + 1, out);
      return;
    }
    case "index": {
      if (!Array.isArray(cur)) return;
      walk(cur[step.i], path, i + 1, out);
      return;
    }
    case "any": {
      if (!Array.isArray(cur)) return;
      // Lists are bounded by the collectors (128 varbinds); cap anyway.
      for (const el of cur.slice(0, 1024)) walk(el, path, i + 1, out);
      return;
    }
  }
}

/** The first value of a path as text ("" when it yields none), for keys and distinct values. */
export function readText(ev: TelemetryEvent, path: FieldPath): string {
  const l = read(ev, path);
  return l[0]?.text ?? "";
}

/** Observed time of an event in ms (collected when it has none). */
export function eventTimeMs(ev: TelemetryEvent): number | undefined {
  const t = ev.observed ?? ev.collected;
  if (!t) return undefined;
  const ms = Number(t.seconds ?? 0) * 1000 + Math.floor(Number(t.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
