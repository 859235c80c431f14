// TelemetryEvents as table rows: pure, no I/O. The input is signed by a
// trusted collector but still comes from devices, so every value is made
// storable rather than trusted: NUL characters (which Postgres text and jsonb
// refuse) are removed, 64-bit integers are clamped to bigint, timestamps to
// years 1970..9999. A value Postgres would refuse would block the whole batch
// forever (it would come back on every redelivery).
import { type TelemetryEvent, v1 } from "../../proto/codec.ts";

export type ColumnType = "text" | "timestamptz" | "bigint" | "float8" | "bool" | "jsonb" | "bytea";
export type Cell = string | number | boolean | Buffer | null;

export interface TableSpec {
  table: string;
  /** Body field of TelemetryEvent stored in this table. */
  body: BodyName;
  columns: readonly (readonly [string, ColumnType])[];
  /** Appends the body-specific cells to `row`, in the order of `columns` after the common ones. */
  cells(e: TelemetryEvent, row: Cell[]): void;
  /** Range-partitioned by observed (one partition per UTC day). */
  partitioned: boolean;
}

export type BodyName =
  | "metric"
  | "log"
  | "trap"
  | "flow"
  | "status"
  | "security"
  | "clinical"
  | "malformed"
  | "wire";

/** The columns every event table starts with. */
export const COMMON_COLUMNS = [
  ["id", "text"],
  ["observed", "timestamptz"],
  ["collected", "timestamptz"],
  ["device_namespace", "text"],
  ["device_name", "text"],
  ["address", "text"],
  ["source", "text"],
  ["producer", "text"],
  ["batch_seq", "bigint"],
] as const;

/** Longest event id stored; longer ones are refused (a collector's ids are 22 characters). */
export const MAX_ID_LENGTH = 256;

const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/** Text without NUL characters. */
export function str(v: unknown): string {
  if (typeof v !== "string") return v === undefined || v === null ? "" : String(v);
  return v.includes("\u0000") ? v.replaceAll("\u0000", "") : v;
}

/** A string map (protobuf map<string,string>) as JSON text, NULs removed. */
export function json(v: unknown): string {
  return JSON.stringify(clean(v ?? {}));
}

function clean(v: unknown): unknown {
  if (typeof v === "string") return str(v);
  if (Array.isArray(v)) return v.map(clean);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[str(k)] = clean(x);
    return out;
  }
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/** A 64-bit integer clamped to Postgres bigint (as a string when past 2^53). */
export function int8(v: unknown): number | string {
  const n = Math.trunc(Number(v ?? 0));
  if (Number.isNaN(n)) return 0;
  // 2^63 is the first double past bigint's range (doubles near it are 2048 apart).
  if (n >= 2 ** 63) return "9223372036854775807";
  if (n < -(2 ** 63)) return "-9223372036854775808";
  return Number.isSafeInteger(n) ? n : BigInt(n).toString();
}

export function float8(v: unknown): number {
  return typeof v === "number" ? v : Number(v ?? 0);
}

type Ts = { seconds?: unknown; nanos?: unknown } | null | undefined;

/** Milliseconds since the epoch of a protobuf Timestamp, clamped to 1970..9999; undefined if absent. */
export function tsMs(t: Ts): number | undefined {
  if (!t) return undefined;
  const s = Math.min(Math.max(Math.trunc(Number(t.seconds ?? 0)) || 0, 0), MAX_SECONDS);
  const ns = Math.min(Math.max(Math.trunc(Number(t.nanos ?? 0)) || 0, 0), 999_999_999);
  return s * 1000 + ns / 1e6;
}

/** A protobuf Timestamp as ISO text with microseconds (Postgres' precision), clamped to 1970..9999. */
export function tsText(t: Ts): string | null {
  if (!t) return null;
  const s = Math.min(Math.max(Math.trunc(Number(t.seconds ?? 0)) || 0, 0), MAX_SECONDS);
  const ns = Math.min(Math.max(Math.trunc(Number(t.nanos ?? 0)) || 0, 0), 999_999_999);
  const micros = String(Math.floor(ns / 1000)).padStart(6, "0");
  return `${secondText(s)}.${micros}Z`;
}

// Events of a batch share their seconds: formatting a Date for each was a
// visible share of ingest's CPU.
let lastSecond = -1;
let lastSecondText = "";
function secondText(s: number): string {
  if (s !== lastSecond) {
    lastSecondText = new Date(s * 1000).toISOString().slice(0, 19);
    lastSecond = s;
  }
  return lastSecondText;
}

function enumNames(e: Record<string, number>, prefix: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(e))
    if (k.startsWith(prefix)) m.set(v, k.slice(prefix.length).toLowerCase());
  return m;
}

const SOURCES = enumNames(
  v1.SourceProtocol as unknown as Record<string, number>,
  "SOURCE_PROTOCOL_",
);
const KINDS = enumNames(v1.MetricKind as unknown as Record<string, number>, "METRIC_KIND_");
const CAPABILITIES = enumNames(v1.Capability as unknown as Record<string, number>, "CAPABILITY_");
const FORMATS = enumNames(v1.SyslogFormat as unknown as Record<string, number>, "SYSLOG_FORMAT_");

const name = (m: Map<number, string>, v: unknown) =>
  m.get(Number(v ?? 0)) ?? String(Number(v ?? 0));

/** "snmp", "snmp_trap", "mqtt", ... ("unspecified" for 0). */
export const sourceName = (v: unknown): string => name(SOURCES, v);
export const capabilityName = (v: unknown): string => name(CAPABILITIES, v);

export const TABLES: readonly TableSpec[] = [
  {
    table: "metrics",
    body: "metric",
    partitioned: true,
    columns: [
      ["name", "text"],
      ["value", "float8"],
      ["unit", "text"],
      ["kind", "text"],
      ["labels", "jsonb"],
    ],
    cells: ({ metric: m }, row) =>
      row.push(str(m?.name), float8(m?.value), str(m?.unit), name(KINDS, m?.kind), json(m?.labels)),
  },
  {
    table: "logs",
    body: "log",
    partitioned: true,
    columns: [
      ["format", "text"],
      ["facility", "bigint"],
      ["severity", "bigint"],
      ["hostname", "text"],
      ["app_name", "text"],
      ["proc_id", "text"],
      ["msg_id", "text"],
      ["structured_data", "jsonb"],
      ["message", "text"],
    ],
    cells: ({ log: l }, row) =>
      row.push(
        name(FORMATS, l?.format),
        int8(l?.facility),
        int8(l?.severity),
        str(l?.hostname),
        str(l?.appName),
        str(l?.procId),
        str(l?.msgId),
        json((l?.structuredData ?? []).map((d) => ({ id: d.id ?? "", params: d.params ?? {} }))),
        str(l?.message),
      ),
  },
  {
    table: "traps",
    body: "trap",
    partitioned: false,
    columns: [
      ["version", "text"],
      ["inform", "bool"],
      ["trap_oid", "text"],
      ["enterprise", "text"],
      ["agent_address", "text"],
      ["generic_trap", "bigint"],
      ["specific_trap", "bigint"],
      ["uptime", "bigint"],
      ["security_name", "text"],
      ["varbinds", "jsonb"],
    ],
    cells: ({ trap: t }, row) =>
      row.push(
        str(t?.version),
        t?.inform === true,
        str(t?.trapOid),
        str(t?.enterprise),
        str(t?.agentAddress),
        int8(t?.genericTrap),
        int8(t?.specificTrap),
        int8(t?.uptime),
        str(t?.securityName),
        json(
          (t?.varbinds ?? []).map((b) => ({
            oid: b.oid ?? "",
            type: b.type ?? "",
            value: b.value ?? "",
          })),
        ),
      ),
  },
  {
    table: "flows",
    body: "flow",
    partitioned: true,
    columns: [
      ["src_address", "text"],
      ["dst_address", "text"],
      ["src_port", "bigint"],
      ["dst_port", "bigint"],
      ["protocol", "bigint"],
      ["bytes", "bigint"],
      ["packets", "bigint"],
      ["flow_start", "timestamptz"],
      ["flow_end", "timestamptz"],
      ["tcp_flags", "bigint"],
      ["exporter", "text"],
      ["observation_domain", "bigint"],
      ["export_version", "bigint"],
    ],
    cells: ({ flow: f }, row) =>
      row.push(
        str(f?.srcAddress),
        str(f?.dstAddress),
        int8(f?.srcPort),
        int8(f?.dstPort),
        int8(f?.protocol),
        int8(f?.bytes),
        int8(f?.packets),
        tsText(f?.start),
        tsText(f?.end),
        int8(f?.tcpFlags),
        str(f?.exporter),
        int8(f?.observationDomain),
        int8(f?.exportVersion),
      ),
  },
  {
    table: "status",
    body: "status",
    partitioned: false,
    columns: [
      ["protocol", "text"],
      ["reachable", "bool"],
      ["latency_ms", "float8"],
      ["capability", "text"],
      ["reason", "text"],
    ],
    cells: ({ status: s }, row) =>
      row.push(
        sourceName(s?.protocol),
        s?.reachable === true,
        float8(s?.latencyMs),
        capabilityName(s?.capability),
        str(s?.reason),
      ),
  },
  {
    table: "security_observations",
    body: "security",
    partitioned: false,
    columns: [
      ["kind", "text"],
      ["detail", "text"],
      ["evidence", "jsonb"],
    ],
    cells: ({ security: s }, row) => row.push(str(s?.kind), str(s?.detail), json(s?.evidence)),
  },
  {
    table: "clinical_observations",
    body: "clinical",
    partitioned: false,
    columns: [
      ["code_system", "text"],
      ["code", "text"],
      ["display", "text"],
      ["value", "text"],
      ["numeric_value", "float8"],
      ["unit", "text"],
      ["reference_range", "text"],
      ["abnormal_flag", "text"],
      ["result_status", "text"],
      ["source_id", "text"],
    ],
    cells: ({ clinical: c }, row) =>
      row.push(
        str(c?.codeSystem),
        str(c?.code),
        str(c?.display),
        str(c?.value),
        c?.isNumeric ? float8(c.numericValue) : null,
        str(c?.unit),
        str(c?.referenceRange),
        str(c?.abnormalFlag),
        str(c?.resultStatus),
        str(c?.sourceId),
      ),
  },
  {
    table: "malformed",
    body: "malformed",
    partitioned: false,
    columns: [
      ["protocol", "text"],
      ["reason", "text"],
      ["sample", "bytea"],
      ["length", "bigint"],
    ],
    cells: ({ malformed: m }, row) =>
      row.push(
        sourceName(m?.protocol),
        str(m?.reason),
        Buffer.from(m?.sample ?? new Uint8Array()).subarray(0, 256),
        int8(m?.length),
      ),
  },
  {
    table: "wire_events",
    body: "wire",
    partitioned: true,
    columns: [
      ["protocol", "text"],
      ["action", "text"],
      ["src_address", "text"],
      ["src_port", "bigint"],
      ["dst_address", "text"],
      ["dst_port", "bigint"],
      ["fields", "jsonb"],
    ],
    cells: ({ wire: w }, row) =>
      row.push(
        str(w?.protocol),
        str(w?.action),
        str(w?.srcAddress),
        int8(w?.srcPort),
        str(w?.dstAddress),
        int8(w?.dstPort),
        json(w?.fields),
      ),
  },
];

export const PARTITIONED_TABLES = TABLES.filter((t) => t.partitioned).map((t) => t.table);

/** Rows of one table, column by column (for unnest) and row by row (for VALUES). */
export interface TableRows {
  spec: TableSpec;
  rows: Cell[][];
}

export interface DeviceRow {
  namespace: string;
  name: string;
  address: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** protocol -> latest status in the batch */
  status: Record<
    string,
    {
      reachable: boolean;
      capability: string;
      latencyMs: number;
      reason: string;
      observedMs: number;
    }
  >;
}

export interface BatchRows {
  tables: TableRows[];
  devices: DeviceRow[];
  /** Events not stored: no body, or no usable id. */
  skipped: number;
  /** Events stored (rows over all tables). */
  rows: number;
}

/** The events of one accepted batch. */
export interface BatchEvents {
  producerId: string;
  sequence: number;
  events: readonly TelemetryEvent[];
}

/** Splits the events of one or more batches into table rows and per-device summaries. */
export function batchRows(batches: readonly BatchEvents[]): BatchRows {
  const byBody = new Map<BodyName, TableRows>();
  for (const spec of TABLES) byBody.set(spec.body, { spec, rows: [] });
  const devices = new Map<string, DeviceRow>();
  let skipped = 0;
  let rows = 0;
  for (const { producerId, sequence, events } of batches) {
    const producer = str(producerId);
    for (const e of events) {
      const id = str(e.id);
      const body = bodyOf(e);
      const t = body && byBody.get(body);
      if (!t || id === "" || id.length > MAX_ID_LENGTH) {
        skipped++;
        continue;
      }
      const observed = tsText(e.observed ?? e.collected) ?? tsText({ seconds: 0 });
      const collected = tsText(e.collected ?? e.observed) ?? observed;
      const ns = str(e.device?.namespace);
      const dev = str(e.device?.name);
      const address = str(e.device?.address);
      const row: Cell[] = [
        id,
        observed,
        collected,
        ns,
        dev,
        address,
        sourceName(e.source),
        producer,
        sequence,
      ];
      t.spec.cells(e, row);
      t.rows.push(row);
      rows++;
      if (ns === "" || dev === "") continue;
      const seenMs = tsMs(e.collected ?? e.observed) ?? 0;
      const key = `${ns}/${dev}`;
      let d = devices.get(key);
      if (!d) {
        d = {
          namespace: ns,
          name: dev,
          address,
          firstSeenMs: seenMs,
          lastSeenMs: seenMs,
          status: {},
        };
        devices.set(key, d);
      }
      d.firstSeenMs = Math.min(d.firstSeenMs, seenMs);
      if (seenMs >= d.lastSeenMs && address !== "") d.address = address;
      d.lastSeenMs = Math.max(d.lastSeenMs, seenMs);
      if (e.status) {
        const protocol = sourceName(e.status.protocol);
        const observedMs = tsMs(e.observed) ?? seenMs;
        const prev = d.status[protocol];
        if (!prev || observedMs >= prev.observedMs) {
          d.status[protocol] = {
            reachable: e.status.reachable === true,
            capability: capabilityName(e.status.capability),
            latencyMs: Number.isFinite(e.status.latencyMs) ? Number(e.status.latencyMs) : 0,
            reason: str(e.status.reason),
            observedMs,
          };
        }
      }
    }
  }
  // Sorted, so concurrent writers lock device rows in the same order.
  const deviceRows = [...devices.values()].sort((a, b) =>
    a.namespace === b.namespace ? cmp(a.name, b.name) : cmp(a.namespace, b.namespace),
  );
  return {
    tables: [...byBody.values()].filter((t) => t.rows.length > 0),
    devices: deviceRows,
    skipped,
    rows,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function bodyOf(e: TelemetryEvent): BodyName | undefined {
  // protobufjs sets the oneof's name on decoded messages; built ones have only the field.
  const oneof = (e as { body?: unknown }).body;
  if (typeof oneof === "string" && oneof in BODY_SET && e[oneof as BodyName])
    return oneof as BodyName;
  for (const b of BODIES) if (e[b]) return b;
  return undefined;
}

const BODIES: readonly BodyName[] = TABLES.map((t) => t.body);
const BODY_SET = Object.fromEntries(BODIES.map((b) => [b, true]));
