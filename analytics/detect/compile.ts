// DetectionRule → CompiledRule, or the reason it cannot run (naming the field).
// Pure; one bad rule never affects another.
import { createHash } from "node:crypto";
import type { DetectionRule, DetectionRuleSpec } from "../../crds/index.ts";
import type { Severity } from "../model.ts";
import type { FieldPath } from "./fields.ts";
import {
  compileSelector,
  type DeviceLookup,
  type Predicate,
  pathOrThrow,
  RuleError,
} from "./selector.ts";

export type RuleType = DetectionRuleSpec["type"];

export interface CompiledRule {
  namespace: string;
  name: string;
  generation: number;
  /** Hash of what decides matching and counting; state survives reloads while it is unchanged. */
  fingerprint: string;
  type: RuleType;
  severity: Severity;
  title: string;
  mitre: string[];
  select: Predicate;
  groupBy: FieldPath[];
  windowMs: number;
  suppressionMs: number;
  threshold?: { count: number };
  distinct?: { field: FieldPath; count: number };
  sequence?: { steps: Predicate[] };
  anomaly?: {
    model: "baseline" | "novelty";
    /** baseline: a metric.name, or a numeric event field (flow.bytes, clinical.numericValue). */
    metric?: { name: string } | { path: FieldPath };
    field?: FieldPath;
    learningMs: number;
    minSamples: number;
    /** Robust z-score beyond which a value is anomalous: 4, 3 or 2. */
    k: number;
  };
  posture?: { kind: string };
}

export type Compiled = { accepted: true; rule: CompiledRule } | { accepted: false; reason: string };

const SEVERITIES = new Set(["info", "low", "medium", "high", "critical"]);
const TYPES = new Set(["match", "threshold", "distinct", "sequence", "anomaly", "posture"]);
const POSTURE_KINDS = new Set([
  "snmp.default_community",
  "snmp.v1v2c_enabled",
  "mqtt.anonymous_allowed",
  "mqtt.cleartext_credentials",
  "cleartext_protocol",
  "telnet.open",
  "modbus.writable",
]);
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Longest duration a rule may use (windows, suppression, learning): 400 days. */
export const MAX_DURATION_MS = 400 * 24 * 3_600_000;

/** "1h30m" → 5400000; throws a RuleError naming `at`. */
export function parseDuration(text: unknown, at: string): number {
  if (typeof text !== "string" || !/^([0-9]+(ms|s|m|h))+$/.test(text) || text.length > 32)
    throw new RuleError(`${at}: "${String(text)}" is not a duration such as 30s, 5m or 1h30m`);
  let ms = 0;
  for (const m of text.matchAll(/([0-9]+)(ms|s|m|h)/g))
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  if (ms <= 0) throw new RuleError(`${at}: must be longer than 0`);
  if (ms > MAX_DURATION_MS) throw new RuleError(`${at}: at most 400 days`);
  return ms;
}

function int(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new RuleError(`${at}: must be an integer from ${min} to ${max}`);
  return v;
}

/** Stable JSON (sorted keys) for fingerprints. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

export function compileRule(r: DetectionRule, devices: DeviceLookup): Compiled {
  try {
    return { accepted: true, rule: compile(r, devices) };
  } catch (err) {
    if (err instanceof RuleError) return { accepted: false, reason: err.message };
    return { accepted: false, reason: `spec: ${(err as Error)?.message ?? String(err)}` };
  }
}

function compile(r: DetectionRule, devices: DeviceLookup): CompiledRule {
  const spec = r?.spec;
  if (!spec || typeof spec !== "object") throw new RuleError("spec: required");
  const type = spec.type;
  if (!TYPES.has(type)) throw new RuleError(`spec.type: unknown type "${String(type)}"`);
  const blocks = ["threshold", "distinct", "sequence", "anomaly", "posture"] as const;
  for (const b of blocks) {
    if ((type === b) !== (spec[b] !== undefined))
      throw new RuleError(
        `spec.${b}: type ${b} needs spec.${b}, and spec.${b} is only valid with type ${b}`,
      );
  }
  if (type !== "sequence" && type !== "posture" && spec.selector === undefined)
    throw new RuleError(
      "spec.selector: types match, threshold, distinct and anomaly need a selector",
    );
  const severity = spec.severity ?? "medium";
  if (!SEVERITIES.has(severity)) throw new RuleError(`spec.severity: unknown "${severity}"`);
  const mitre = spec.mitre ?? [];
  mitre.forEach((m, i) => {
    if (!/^T[0-9]{4}(\.[0-9]{3})?$/.test(m))
      throw new RuleError(`spec.mitre[${i}]: "${m}" is not a technique id like T1110 or T0855`);
  });
  const name = r.metadata?.name ?? "";
  const namespace = r.metadata?.namespace ?? "";
  if (!name) throw new RuleError("metadata.name: required");

  let select = compileSelector(spec.selector, "spec.selector", devices);
  const groupBy = (spec.groupBy ?? []).map((g, i) => pathOrThrow(g, `spec.groupBy[${i}]`));
  if (groupBy.length > 4) throw new RuleError("spec.groupBy: at most 4 fields");
  const windowMs = parseDuration(spec.window ?? "5m", "spec.window");
  const suppressionMs = parseDuration(spec.suppression?.window ?? "15m", "spec.suppression.window");

  const out: CompiledRule = {
    namespace,
    name,
    generation: r.metadata?.generation ?? 0,
    fingerprint: createHash("sha256")
      .update(
        stable({
          type,
          selector: spec.selector,
          groupBy: spec.groupBy,
          window: spec.window,
          threshold: spec.threshold,
          distinct: spec.distinct,
          sequence: spec.sequence,
          anomaly: spec.anomaly,
          posture: spec.posture,
        }),
      )
      .digest("hex")
      .slice(0, 16),
    type,
    severity,
    title: (spec.title ?? name).slice(0, 256),
    mitre: [...new Set(mitre)],
    select,
    groupBy,
    windowMs,
    suppressionMs,
  };

  switch (type) {
    case "threshold":
      out.threshold = { count: int(spec.threshold?.count, "spec.threshold.count", 1, 1_000_000) };
      break;
    case "distinct":
      out.distinct = {
        field: pathOrThrow(spec.distinct?.field, "spec.distinct.field"),
        count: int(spec.distinct?.count, "spec.distinct.count", 2, 100_000),
      };
      break;
    case "sequence": {
      const steps = spec.sequence?.steps;
      if (!Array.isArray(steps) || steps.length < 2 || steps.length > 8)
        throw new RuleError("spec.sequence.steps: a sequence needs 2 to 8 steps");
      out.sequence = {
        steps: steps.map((s, i) => compileSelector(s, `spec.sequence.steps[${i}]`, devices)),
      };
      break;
    }
    case "anomaly": {
      const a = spec.anomaly ?? {};
      const model = a.model ?? "baseline";
      if (model !== "baseline" && model !== "novelty")
        throw new RuleError(`spec.anomaly.model: unknown model "${String(model)}"`);
      if (model === "baseline" && (a.metric === undefined || a.field !== undefined))
        throw new RuleError("spec.anomaly.metric: model baseline needs metric (and no field)");
      if (model === "novelty" && (a.field === undefined || a.metric !== undefined))
        throw new RuleError("spec.anomaly.field: model novelty needs field (and no metric)");
      const sens = a.sensitivity ?? "medium";
      const k = { low: 4, medium: 3, high: 2 }[sens];
      if (k === undefined) throw new RuleError(`spec.anomaly.sensitivity: unknown "${sens}"`);
      out.anomaly = {
        model,
        learningMs: parseDuration(a.learningPeriod ?? "24h", "spec.anomaly.learningPeriod"),
        minSamples: int(a.minSamples ?? 100, "spec.anomaly.minSamples", 10, 1_000_000),
        k,
      };
      if (model === "baseline") {
        const m = a.metric as string;
        if (typeof m !== "string" || m === "" || m.length > 128)
          throw new RuleError("spec.anomaly.metric: a metric name of 1 to 128 characters");
        // A numeric event field (flow.bytes) reads that field; anything else is a metric.name.
        const p = /^(flow|status|clinical|wire|trap|log)\./.test(m)
          ? pathOrThrow(m, "spec.anomaly.metric")
          : undefined;
        out.anomaly.metric = p ? { path: p } : { name: m };
        if (!p) {
          const base = select;
          select = (ev, kind) => kind === "metric" && ev.metric?.name === m && base(ev, kind);
        }
      } else out.anomaly.field = pathOrThrow(a.field, "spec.anomaly.field");
      break;
    }
    case "posture": {
      const kind = spec.posture?.kind;
      if (typeof kind !== "string" || !POSTURE_KINDS.has(kind))
        throw new RuleError(`spec.posture.kind: unknown kind "${String(kind)}"`);
      out.posture = { kind };
      const base = select;
      select = (ev, k) => k === "security" && ev.security?.kind === kind && base(ev, k);
      break;
    }
  }
  out.select = select;
  return out;
}
