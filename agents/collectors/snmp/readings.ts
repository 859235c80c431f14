// Pure: turns what one poll read (scalar varbinds, table columns) into
// metrics, following the plan, and says which requested objects did not
// answer. Counters become COUNTER metrics and, against the previous poll's
// readings, RATE metrics.
import { type CounterReading, type CounterState, counterRate } from "./counters.ts";
import type { GroupSpec, Plan, Row, TableSpec } from "./profiles.ts";
import { SYS_UPTIME } from "./profiles.ts";
import type { Vb } from "./session.ts";
import { isException, numericValue, parseLeadingNumber, T, textValue } from "./values.ts";

export type Kind = "gauge" | "counter" | "rate";

export interface Reading {
  metric: string;
  value: number;
  unit: string;
  kind: Kind;
  labels: Record<string, string>;
  /** Stable identity of the object read (OID, or OID of the row's column). */
  oid: string;
}

export interface PollData {
  /** Answers to scalar GETs, by requested OID (exceptions included). */
  scalars: Map<string, Vb>;
  /** Scalars that got no answer, with why (v1 noSuchName, timeout). */
  scalarErrors: Map<string, string>;
  /** Per table (by entryOid), per column number: index suffix to varbind. */
  tables: Map<string, Map<number, Map<string, Vb>>>;
  /** Tables whose walk failed (timeout, error), with why. */
  tableErrors: Map<string, string>;
  atMs: number;
}

export interface Evaluation {
  readings: Reading[];
  /** Requested objects that did not answer, as "<group>: <oid> (<why>)". */
  missing: string[];
  /** Profiles none of whose MIBs answered. */
  absentProfiles: string[];
  /** Counter readings to keep for the next poll. */
  counters: CounterState;
  /** Rates not computed, and why (reset, type change). */
  rateSkips: string[];
  uptime: number | undefined;
}

/** At most this many table rows turn into metrics per table. */
export const MAX_ROWS = 10_000;

function answered(vb: Vb | undefined): boolean {
  return vb !== undefined && !isException(vb.type) && vb.type !== T.Null;
}

function groupPresent(g: GroupSpec, d: PollData): boolean {
  if (g.custom) return true;
  if (g.scalars.some((s) => answered(d.scalars.get(s.oid)))) return true;
  return g.tables.some((t) =>
    [...(d.tables.get(t.entryOid)?.values() ?? [])].some((c) => c.size > 0),
  );
}

function rowsOf(t: TableSpec, d: PollData): Row[] {
  const cols = d.tables.get(t.entryOid);
  if (!cols) return [];
  const byIndex = new Map<string, Row>();
  for (const [column, cells] of cols) {
    for (const [index, vb] of cells) {
      let row = byIndex.get(index);
      if (!row) {
        if (byIndex.size >= MAX_ROWS) continue;
        row = { index, cells: new Map() };
        byIndex.set(index, row);
      }
      row.cells.set(column, { type: vb.type, value: vb.value });
    }
  }
  return [...byIndex.values()];
}

function counterKey(metric: string, labels: Record<string, string>): string {
  return `${metric}\u0000${labels.index ?? ""}`;
}

export function evaluate(plan: Plan, d: PollData, previous: CounterState | undefined): Evaluation {
  const readings: Reading[] = [];
  const missing: string[] = [];
  const rateSkips: string[] = [];
  const upVb = d.scalars.get(SYS_UPTIME);
  const up = upVb && answered(upVb) ? numericValue(upVb.type, upVb.value) : undefined;
  const uptime = up === undefined ? undefined : Number(up);
  const counters: CounterState = { atMs: d.atMs, uptime, values: new Map() };

  const push = (
    metric: string,
    kind: "gauge" | "counter",
    type: number | undefined,
    value: unknown,
    unit: string,
    scale: number,
    labels: Record<string, string>,
    oid: string,
    parse?: "leadingNumber",
  ): boolean => {
    const n =
      parse === "leadingNumber"
        ? parseLeadingNumber(textValue(type, value))
        : numericValue(type, value);
    if (n === undefined) return false;
    if (kind === "gauge") {
      // toPrecision: 41 x 0.01 should read 0.41, not 0.41000000000000003.
      const v = scale === 1 ? Number(n) : Number((Number(n) * scale).toPrecision(12));
      readings.push({ metric, value: v, unit, kind: "gauge", labels, oid });
      return true;
    }
    const cur: CounterReading = {
      value: typeof n === "bigint" ? n : BigInt(Math.trunc(n)),
      bits: type === T.Counter64 ? 64 : 32,
      atMs: d.atMs,
      ...(uptime !== undefined && { uptime }),
    };
    readings.push({ metric, value: Number(cur.value), unit, kind: "counter", labels, oid });
    const key = counterKey(metric, labels);
    counters.values.set(key, cur.bits === 64 ? cur.value : Number(cur.value));
    const before = previous?.values.get(key);
    if (previous && before !== undefined) {
      const prev: CounterReading = {
        value: BigInt(before),
        bits: typeof before === "bigint" ? 64 : 32,
        atMs: previous.atMs,
        ...(previous.uptime !== undefined && { uptime: previous.uptime }),
      };
      const r = counterRate(prev, cur);
      if ("rate" in r)
        readings.push({ metric, value: r.rate, unit: `${unit}/s`, kind: "rate", labels, oid });
      else rateSkips.push(`${metric}: ${r.skipped}`);
    }
    return true;
  };

  const present = new Set<string>();
  const requested = new Set<string>();
  // Label columns of joined tables (ifTable + ifXTable), by joinKey and row index.
  const joined = new Map<string, Map<string, Record<string, string>>>();
  for (const g of plan.groups) {
    if (!groupPresent(g, d)) continue;
    for (const t of g.tables) {
      if (!t.joinKey) continue;
      const byIndex = joined.get(t.joinKey) ?? new Map<string, Record<string, string>>();
      joined.set(t.joinKey, byIndex);
      for (const row of rowsOf(t, d)) {
        const labels = byIndex.get(row.index) ?? {};
        for (const c of t.columns) {
          const cell = row.cells.get(c.column);
          if (c.kind === "label" && cell && !isException(cell.type))
            labels[c.metric] = textValue(cell.type, cell.value);
        }
        byIndex.set(row.index, labels);
      }
    }
  }

  for (const g of plan.groups) {
    requested.add(g.profile);
    if (!groupPresent(g, d)) continue;
    present.add(g.profile);
    const info: Record<string, string> = {};
    let infoOid = "";
    for (const s of g.scalars) {
      const vb = d.scalars.get(s.oid);
      if (!vb || !answered(vb)) {
        missing.push(
          `${g.name}: ${s.oid} (${vb ? typeName(vb.type) : (d.scalarErrors.get(s.oid) ?? "no answer")})`,
        );
        continue;
      }
      if (s.kind === "label") {
        info[s.metric] = textValue(vb.type, vb.value);
        infoOid ||= s.oid;
      } else if (s.kind === "gauge" || s.kind === "counter") {
        if (
          !push(s.metric, s.kind, vb.type, vb.value, s.unit ?? "", s.scale ?? 1, {}, s.oid, s.parse)
        )
          missing.push(`${g.name}: ${s.oid} (not a number)`);
      }
    }
    if (g.infoMetric && infoOid)
      readings.push({
        metric: g.infoMetric,
        value: 1,
        unit: "1",
        kind: "gauge",
        labels: info,
        oid: infoOid,
      });

    for (const t of g.tables) {
      const err = d.tableErrors.get(t.entryOid);
      if (err) {
        missing.push(`${g.name}: ${t.entryOid} (${err})`);
        continue;
      }
      const rows = rowsOf(t, d);
      if (rows.length === 0) {
        missing.push(`${g.name}: ${t.entryOid} (no rows)`);
        continue;
      }
      for (const c of t.columns) {
        if (!rows.some((r) => r.cells.has(c.column)))
          missing.push(`${g.name}: ${t.entryOid}.${c.column} (no rows)`);
      }
      const shared = t.joinKey ? joined.get(t.joinKey) : undefined;
      for (const row of rows) {
        const labels: Record<string, string> = {
          ...(shared?.get(row.index) ?? {}),
          index: row.index,
        };
        for (const c of t.columns) {
          const cell = row.cells.get(c.column);
          if (c.kind === "label" && cell && !isException(cell.type))
            labels[c.metric] = textValue(cell.type, cell.value);
        }
        for (const c of t.columns) {
          const cell = row.cells.get(c.column);
          if (!cell || (c.kind !== "gauge" && c.kind !== "counter")) continue;
          push(
            c.metric,
            c.kind,
            cell.type,
            cell.value,
            c.unit ?? "",
            c.scale ?? 1,
            labels,
            `${t.entryOid}.${c.column}.${row.index}`,
          );
        }
        if (t.derive) {
          const num = (column: number) => {
            const cell = row.cells.get(column);
            const n = cell ? numericValue(cell.type, cell.value) : undefined;
            return n === undefined ? undefined : Number(n);
          };
          for (const m of t.derive(row, num))
            readings.push({ ...m, kind: "gauge", labels, oid: `${t.entryOid}.${row.index}` });
        }
      }
    }
  }
  const absentProfiles = [...requested].filter((p) => !present.has(p));
  return { readings, missing, absentProfiles, counters, rateSkips, uptime };
}

function typeName(type: number | undefined): string {
  return type === T.NoSuchObject
    ? "noSuchObject"
    : type === T.NoSuchInstance
      ? "noSuchInstance"
      : type === T.EndOfMibView
        ? "endOfMibView"
        : "null";
}
