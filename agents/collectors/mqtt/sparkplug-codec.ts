// Sparkplug B payloads (the protobuf in sparkplug_b.proto, loaded by
// protobufjs reflection), decoded from hostile bytes: size and count bounded,
// never throwing; failures come back as a reason. Also the encoder, which the
// tests use to turn the specification's example payloads into wire bytes.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";

/** Sparkplug B metric datatypes (specification chapter 6, and the proto's comment). */
export const DataType = {
  Unknown: 0,
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  DataSet: 16,
  Bytes: 17,
  File: 18,
  Template: 19,
} as const;
export type DataTypeName = keyof typeof DataType;

export function dataTypeName(n: number): string {
  for (const [k, v] of Object.entries(DataType)) if (v === n) return k;
  return `type${n}`;
}

/** One metric as decoded; value fields as protobufjs sets them (only the one sent). */
export interface SpMetric {
  name?: string;
  alias?: number;
  timestamp?: number;
  datatype?: number;
  isHistorical?: boolean;
  isTransient?: boolean;
  isNull?: boolean;
  intValue?: number;
  longValue?: number;
  floatValue?: number;
  doubleValue?: number;
  booleanValue?: boolean;
  stringValue?: string;
  bytesValue?: Uint8Array;
  datasetValue?: unknown;
  templateValue?: unknown;
  extensionValue?: unknown;
}

export interface SpPayload {
  timestamp?: number;
  metrics: SpMetric[];
  seq?: number;
  uuid?: string;
  body?: Uint8Array;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export const LIMITS = {
  /** Bytes of one payload; a Sparkplug payload is rarely more than a few kB. */
  maxPayloadBytes: 1 << 20,
  /** Metrics in one payload (a BIRTH of a large edge node has a few thousand). */
  maxMetrics: 10_000,
  /** Characters of a metric name. */
  maxNameLength: 1024,
};

// Metric.long_value is uint64 on the wire, but Int64 metrics carry negative
// numbers there in two's complement. Decoded as uint64 into a plain number
// (proto/schema.ts turns Long off) -1 would become 2^64 and lose its sign, so
// the field is read as int64 (the same varint encoding): exact for Int64,
// and UInt64 values >= 2^63 are shifted back up by 2^64 in metricValue().
const PROTO_TEXT = readFileSync(new URL("./sparkplug_b.proto", import.meta.url), "utf8");
const LONG_VALUE_FIELD = /uint64(\s+long_value\s+=\s+11;)/;
if (!LONG_VALUE_FIELD.test(PROTO_TEXT))
  throw new Error("sparkplug_b.proto: Metric.long_value not found");
const root = protobuf.parse(PROTO_TEXT.replace(LONG_VALUE_FIELD, "int64$1"), {
  keepCase: false,
}).root;
const PayloadType = root.lookupType("org.eclipse.tahu.protobuf.Payload");
// The encoder uses the proto exactly as published.
const PayloadTypeAsPublished = protobuf
  .parse(PROTO_TEXT, { keepCase: false })
  .root.lookupType("org.eclipse.tahu.protobuf.Payload");

/** A 64-bit value as protobufjs returns it (a number, or a Long when Long is on) as a number. */
function num(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return v;
  if (typeof v === "object" && typeof (v as { toNumber?: unknown }).toNumber === "function")
    return (v as { toNumber(): number }).toNumber();
  return undefined;
}

export function decodePayload(bytes: Uint8Array): Decoded<SpPayload> {
  if (bytes.length > LIMITS.maxPayloadBytes)
    return {
      ok: false,
      reason: `payload of ${bytes.length} bytes exceeds ${LIMITS.maxPayloadBytes}`,
    };
  let msg: protobuf.Message;
  try {
    msg = PayloadType.decode(bytes);
  } catch (err) {
    // protobufjs throws on truncated or mis-typed fields; deep nesting is a RangeError.
    return { ok: false, reason: `not a Sparkplug B payload: ${(err as Error)?.message ?? err}` };
  }
  const raw = msg as unknown as Record<string, unknown>;
  const rawMetrics = Array.isArray(raw.metrics) ? (raw.metrics as Record<string, unknown>[]) : [];
  if (rawMetrics.length > LIMITS.maxMetrics)
    return { ok: false, reason: `${rawMetrics.length} metrics exceed ${LIMITS.maxMetrics}` };
  const metrics: SpMetric[] = [];
  for (const m of rawMetrics) {
    // proto2 optional fields: only what was on the wire is an own property
    // (absent ones read the prototype's default, e.g. alias 0, which is a valid alias).
    const has = (k: string) => Object.hasOwn(m, k) && m[k] !== undefined && m[k] !== null;
    const out: SpMetric = {};
    if (has("name") && typeof m.name === "string") {
      if (m.name.length > LIMITS.maxNameLength)
        return { ok: false, reason: `metric name of ${m.name.length} characters` };
      out.name = m.name;
    }
    if (has("alias")) out.alias = num(m.alias) as number;
    if (has("timestamp")) out.timestamp = num(m.timestamp) as number;
    if (has("datatype")) out.datatype = m.datatype as number;
    if (has("isHistorical")) out.isHistorical = m.isHistorical as boolean;
    if (has("isTransient")) out.isTransient = m.isTransient as boolean;
    if (has("isNull")) out.isNull = m.isNull as boolean;
    if (has("intValue")) out.intValue = m.intValue as number;
    if (has("longValue")) out.longValue = num(m.longValue) as number;
    if (has("floatValue")) out.floatValue = m.floatValue as number;
    if (has("doubleValue")) out.doubleValue = m.doubleValue as number;
    if (has("booleanValue")) out.booleanValue = m.booleanValue as boolean;
    if (has("stringValue")) out.stringValue = m.stringValue as string;
    if (has("bytesValue")) out.bytesValue = m.bytesValue as Uint8Array;
    if (has("datasetValue")) out.datasetValue = m.datasetValue;
    if (has("templateValue")) out.templateValue = m.templateValue;
    if (has("extensionValue")) out.extensionValue = m.extensionValue;
    metrics.push(out);
  }
  const has = (k: string) => Object.hasOwn(raw, k) && raw[k] !== undefined && raw[k] !== null;
  const payload: SpPayload = { metrics };
  if (has("timestamp")) payload.timestamp = num(raw.timestamp) as number;
  if (has("seq")) payload.seq = num(raw.seq) as number;
  if (has("uuid") && typeof raw.uuid === "string") payload.uuid = raw.uuid;
  if (has("body") && raw.body instanceof Uint8Array) payload.body = raw.body;
  return { ok: true, value: payload };
}

export function encodePayload(p: SpPayload): Uint8Array {
  return PayloadTypeAsPublished.encode(PayloadTypeAsPublished.fromObject(p)).finish();
}

/** float32 to the shortest decimal that is the same float32 (12.1f -> 12.1, not 12.100000381…). */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}

export type MetricValue =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "null" }
  /** Template, DataSet, Bytes, File and unknown types: not a reading we map. */
  | { kind: "skipped"; reason: string }
  | { kind: "invalid"; reason: string };

const U64 = 2 ** 64;

/** The value of `m` for `datatype` (the one from BIRTH when DATA omits it). */
export function metricValue(m: SpMetric, datatype: number): MetricValue {
  if (m.isNull) return { kind: "null" };
  const want = (field: keyof SpMetric) => ({
    kind: "invalid" as const,
    reason: `${dataTypeName(datatype)} metric without ${field}`,
  });
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32: {
      if (m.intValue === undefined) return want("intValue");
      const v = m.intValue >>> 0;
      // Signed types travel as two's complement in a uint32; senders differ in
      // whether they sign-extend to 32 bits, so only the type's width counts.
      if (datatype === DataType.Int8) return { kind: "number", value: (v << 24) >> 24 };
      if (datatype === DataType.Int16) return { kind: "number", value: (v << 16) >> 16 };
      if (datatype === DataType.Int32) return { kind: "number", value: v | 0 };
      return { kind: "number", value: v };
    }
    case DataType.Int64:
    case DataType.UInt64:
    case DataType.DateTime: {
      if (m.longValue === undefined) return want("longValue");
      const v = m.longValue;
      return { kind: "number", value: datatype !== DataType.Int64 && v < 0 ? v + U64 : v };
    }
    case DataType.Float:
      if (m.floatValue === undefined) return want("floatValue");
      return { kind: "number", value: shortestFloat32(m.floatValue) };
    case DataType.Double:
      if (m.doubleValue === undefined) return want("doubleValue");
      return { kind: "number", value: m.doubleValue };
    case DataType.Boolean:
      if (m.booleanValue === undefined) return want("booleanValue");
      return { kind: "number", value: m.booleanValue ? 1 : 0 };
    case DataType.String:
    case DataType.Text:
    case DataType.UUID:
      if (m.stringValue === undefined) return want("stringValue");
      return { kind: "string", value: m.stringValue };
    case DataType.DataSet:
    case DataType.Template:
    case DataType.Bytes:
    case DataType.File:
      return { kind: "skipped", reason: dataTypeName(datatype) };
    default:
      return { kind: "skipped", reason: `unknown datatype ${datatype}` };
  }
}
