// The API's reads and writes of the store. Parameterized SQL only: every
// value a caller sends goes in as a $n parameter, never into the text.
import type pg from "pg";
import type { FindingState } from "../store/findings.ts";

type Q = Pick<pg.Pool, "query">;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Opaque pagination cursors: base64url of a JSON array of the last row's sort key. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The key, or undefined if the cursor is not one of ours of this shape. Only
 * values the store can compare are keys: "number" is a non-negative safe
 * integer (an id: not 1.5, 1e20 or 1e400, which JSON reads as Infinity),
 * "string" an object name (1 to 253 characters, no NUL, which Postgres text
 * cannot hold). A cursor is caller input like any other.
 */
export function decodeCursor(
  cursor: string,
  shape: ("string" | "number")[],
): unknown[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== shape.length) return undefined;
  const ok = v.every((x, i) =>
    shape[i] === "number"
      ? Number.isSafeInteger(x) && (x as number) >= 0
      : typeof x === "string" && x.length >= 1 && x.length <= 253 && !x.includes("\u0000"),
  );
  return ok ? v : undefined;
}

/** "90s", "5m", "1h", "250ms", "1d" → milliseconds. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(s);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as string] ?? 0;
  return Number(m[1]) * unit;
}

// ---- devices

export interface DeviceRow {
  namespace: string;
  name: string;
  address: string;
  firstSeen: string;
  lastSeen: string;
  status: Record<string, unknown>;
  openFindings: Record<"info" | "low" | "medium" | "high" | "critical" | "total", number>;
}

const DEVICE_SELECT = `
  SELECT d.namespace, d.name, d.address, d.first_seen, d.last_seen, d.status,
         coalesce(f.counts, '{}'::jsonb) AS open_findings
  FROM devices d
  LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(severity, n) AS counts FROM (
      SELECT severity, count(*) AS n FROM findings
      WHERE device_namespace = d.namespace AND device_name = d.name AND state = 'open'
      GROUP BY severity) s
  ) f ON true`;

function deviceRow(r: Record<string, unknown>): DeviceRow {
  const c = r.open_findings as Record<string, string | number>;
  const n = (k: string) => Number(c[k] ?? 0);
  const counts = {
    info: n("info"),
    low: n("low"),
    medium: n("medium"),
    high: n("high"),
    critical: n("critical"),
    total: 0,
  };
  counts.total = counts.info + counts.low + counts.medium + counts.high + counts.critical;
  return {
    namespace: r.namespace as string,
    name: r.name as string,
    address: r.address as string,
    firstSeen: iso(r.first_seen as Date) as string,
    lastSeen: iso(r.last_seen as Date) as string,
    status: r.status as Record<string, unknown>,
    openFindings: counts,
  };
}

export async function listDevices(
  q: Q,
  f: { namespace?: string; after?: [string, string]; limit: number },
): Promise<{ items: DeviceRow[]; nextCursor?: string }> {
  const r = await q.query(
    `${DEVICE_SELECT}
     WHERE ($1::text IS NULL OR d.namespace = $1)
       AND ($2::text IS NULL OR (d.namespace, d.name) > ($2::text, $3::text))
     ORDER BY d.namespace, d.name
     LIMIT $4`,
    [f.namespace ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
  );
  const items = r.rows.slice(0, f.limit).map(deviceRow);
  const last = items[items.length - 1];
  return {
    items,
    ...(r.rows.length > f.limit &&
      last && { nextCursor: encodeCursor([last.namespace, last.name]) }),
  };
}

export async function getDevice(
  q: Q,
  namespace: string,
  name: string,
): Promise<DeviceRow | undefined> {
  const r = await q.query(`${DEVICE_SELECT} WHERE d.namespace = $1 AND d.name = $2`, [
    namespace,
    name,
  ]);
  return r.rows[0] ? deviceRow(r.rows[0]) : undefined;
}

// ---- findings

export interface FindingRow {
  id: number;
  rule: { namespace: string; name: string };
  device: { namespace: string; name: string };
  key: string;
  severity: string;
  title: string;
  mitre: string[];
  count: number;
  suppressed: number;
  firstSeen: string;
  lastSeen: string;
  state: FindingState;
  evidence: { eventIds: string[]; summary: string };
  createdAt: string;
  updatedAt: string;
}

const FINDING_COLUMNS = `id, rule_namespace, rule_name, device_namespace, device_name, key, severity,
  title, mitre, count, suppressed, first_seen, last_seen, state, evidence, created_at, updated_at`;

function findingRow(r: Record<string, unknown>): FindingRow {
  const ev = (r.evidence ?? {}) as { eventIds?: string[]; summary?: string };
  return {
    id: Number(r.id),
    rule: { namespace: r.rule_namespace as string, name: r.rule_name as string },
    device: { namespace: r.device_namespace as string, name: r.device_name as string },
    key: r.key as string,
    severity: r.severity as string,
    title: r.title as string,
    mitre: (r.mitre as string[]) ?? [],
    count: Number(r.count),
    suppressed: Number(r.suppressed),
    firstSeen: iso(r.first_seen as Date) as string,
    lastSeen: iso(r.last_seen as Date) as string,
    state: r.state as FindingState,
    evidence: { eventIds: ev.eventIds ?? [], summary: ev.summary ?? "" },
    createdAt: iso(r.created_at as Date) as string,
    updatedAt: iso(r.updated_at as Date) as string,
  };
}

export interface FindingFilter {
  namespace?: string;
  device?: string;
  ruleNamespace?: string;
  rule?: string;
  severity?: string[];
  state?: string[];
  /** last_seen at or after */
  since?: string;
  /** ids below this (the cursor) */
  beforeId?: number;
  limit: number;
}

/** Newest first (by id); the cursor is the last id of the page. */
export async function listFindings(
  q: Q,
  f: FindingFilter,
): Promise<{ items: FindingRow[]; nextCursor?: string }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    values.push(v);
    where.push(sql(`$${values.length}`));
  };
  if (f.namespace !== undefined) add((p) => `device_namespace = ${p}`, f.namespace);
  if (f.device !== undefined) add((p) => `device_name = ${p}`, f.device);
  if (f.ruleNamespace !== undefined) add((p) => `rule_namespace = ${p}`, f.ruleNamespace);
  if (f.rule !== undefined) add((p) => `rule_name = ${p}`, f.rule);
  if (f.severity?.length) add((p) => `severity = ANY(${p}::text[])`, f.severity);
  if (f.state?.length) add((p) => `state = ANY(${p}::text[])`, f.state);
  if (f.since !== undefined) add((p) => `last_seen >= ${p}::timestamptz`, f.since);
  if (f.beforeId !== undefined) add((p) => `id < ${p}`, f.beforeId);
  values.push(f.limit + 1);
  const r = await q.query(
    `SELECT ${FINDING_COLUMNS} FROM findings
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
  const items = r.rows.slice(0, f.limit).map(findingRow);
  const last = items[items.length - 1];
  return { items, ...(r.rows.length > f.limit && last && { nextCursor: encodeCursor([last.id]) }) };
}

export async function getFinding(q: Q, id: number): Promise<FindingRow | undefined> {
  const r = await q.query(`SELECT ${FINDING_COLUMNS} FROM findings WHERE id = $1`, [id]);
  return r.rows[0] ? findingRow(r.rows[0]) : undefined;
}

// ---- telemetry

export interface MetricPoint {
  /** Bucket start. */
  t: string;
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

const finite = (v: unknown) => {
  const n = Number(v);
  return v === null || !Number.isFinite(n) ? null : n;
};

/**
 * avg/min/max/count per bucket of `stepMs`, buckets aligned on `from`
 * (date_bin), over from ≤ observed < to. Empty buckets are absent.
 */
export async function metricSeries(
  q: Q,
  f: {
    namespace: string;
    device: string;
    metric: string;
    from: string;
    to: string;
    stepMs: number;
    labels?: Record<string, string>;
  },
): Promise<{ unit: string; points: MetricPoint[] }> {
  const values = [
    f.namespace,
    f.device,
    f.metric,
    f.from,
    f.to,
    `${f.stepMs} milliseconds`,
    f.labels ? JSON.stringify(f.labels) : null,
  ];
  const where = `device_namespace = $1 AND device_name = $2 AND name = $3
    AND observed >= $4::timestamptz AND observed < $5::timestamptz
    AND ($7::jsonb IS NULL OR labels @> $7::jsonb)`;
  const r = await q.query(
    `SELECT date_bin($6::interval, observed, $4::timestamptz) AS bucket,
            avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n,
            (array_agg(unit ORDER BY observed DESC))[1] AS unit
     FROM metrics WHERE ${where}
     GROUP BY 1 ORDER BY 1`,
    values,
  );
  const last = r.rows[r.rows.length - 1] as { unit?: string } | undefined;
  return {
    unit: last?.unit ?? "",
    points: r.rows.map((row) => ({
      t: iso(row.bucket as Date) as string,
      avg: finite(row.avg),
      min: finite(row.min),
      max: finite(row.max),
      count: Number(row.n),
    })),
  };
}

export interface LogRow {
  id: string;
  observed: string;
  device: { namespace: string; name: string };
  address: string;
  format: string;
  facility: number;
  severity: number;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: unknown;
  message: string;
}

/** Newest first. `text` matches case-insensitively anywhere in the message (no pattern syntax). */
export async function listLogs(
  q: Q,
  f: {
    namespace: string;
    device?: string;
    since: string;
    until: string;
    text?: string;
    maxSeverity?: number;
    limit: number;
  },
): Promise<LogRow[]> {
  const r = await q.query(
    `SELECT id, observed, device_namespace, device_name, address, format, facility, severity,
            hostname, app_name, proc_id, msg_id, structured_data, message
     FROM logs
     WHERE device_namespace = $1 AND ($2::text IS NULL OR device_name = $2)
       AND observed >= $3::timestamptz AND observed < $4::timestamptz
       AND ($5::text IS NULL OR strpos(lower(message), lower($5)) > 0)
       AND ($6::bigint IS NULL OR severity <= $6)
     ORDER BY observed DESC, id
     LIMIT $7`,
    [
      f.namespace,
      f.device ?? null,
      f.since,
      f.until,
      f.text ?? null,
      f.maxSeverity ?? null,
      f.limit,
    ],
  );
  return r.rows.map((x) => ({
    id: x.id,
    observed: iso(x.observed) as string,
    device: { namespace: x.device_namespace, name: x.device_name },
    address: x.address,
    format: x.format,
    facility: Number(x.facility),
    severity: Number(x.severity),
    hostname: x.hostname,
    appName: x.app_name,
    procId: x.proc_id,
    msgId: x.msg_id,
    structuredData: x.structured_data,
    message: x.message,
  }));
}
