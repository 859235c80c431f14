// What analytics writes into Device and DetectionRule status, and the
// Finding object it applies: pure functions from what it knows to the exact
// object, so "changed?" is a comparison of two values and the writer makes no
// write when nothing changed.

import { v1 } from "../../proto/codec.ts";
import type { amoskys } from "../../proto/schema.ts";
import type { FindingUpdate, RuleStatusUpdate } from "../model.ts";
import { bounded, labelValue, mitreIds, rfc3339, rfc3339Seconds } from "./names.ts";
import { type Criticality, type FindingFacts, openFindings, riskScore } from "./risk.ts";

export const FIELD_MANAGER = "amoskys-analytics";
export const MANAGED_BY = "amoskys-analytics";
export const LABEL_DEVICE = "amoskys.io/device";
export const LABEL_RULE = "amoskys.io/rule";
export const LABEL_QUARANTINE = "amoskys.io/quarantine";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * The condition as it should be now: lastTransitionTime is kept from `prev`
 * unless the status flips (metav1.Condition semantics), so rewriting the same
 * state is a no-op.
 */
export function condition(
  prev: Condition | undefined,
  next: Omit<Condition, "lastTransitionTime">,
  nowMs: number,
): Condition {
  const lastTransitionTime =
    prev && prev.status === next.status ? prev.lastTransitionTime : rfc3339Seconds(nowMs);
  return {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration !== undefined && { observedGeneration: next.observedGeneration }),
    lastTransitionTime,
    reason: next.reason,
    message: bounded(next.message, 32768),
  };
}

// ---- Finding ---------------------------------------------------------------

export interface FindingSpecOut {
  device: string;
  rule: string;
  key?: string;
  severity: FindingUpdate["severity"];
  title: string;
  mitre?: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  evidence: { summary: string; samples?: string[] };
}

/** The spec analytics applies: every field but `state`, which people own. */
export function findingSpec(u: FindingUpdate): FindingSpecOut {
  const mitre = mitreIds(u.mitre);
  const lastSeenMs = Math.max(u.lastSeenMs, u.firstSeenMs);
  // The model carries event ids, not sample lines: the ids (newest first) point
  // at the full evidence in analytics' database.
  const samples = u.evidence.eventIds
    .slice(-5)
    .reverse()
    .map((id) => bounded(`event ${id}`, 512));
  return {
    device: u.device.name,
    rule: u.rule.name,
    ...(u.key !== "" && { key: bounded(u.key, 256) }),
    severity: u.severity,
    title: bounded(u.title || u.rule.name, 256),
    ...(mitre.length > 0 && { mitre }),
    count: Math.max(1, Math.floor(u.count)),
    firstSeen: rfc3339(u.firstSeenMs),
    lastSeen: rfc3339(lastSeenMs),
    evidence: {
      summary: bounded(u.evidence.summary, 1024),
      ...(samples.length > 0 && { samples }),
    },
  };
}

export interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/**
 * When analytics last received an event of the finding. The risk score ages
 * a finding from this, not from `lastSeen` (the device's own clock, which may
 * be wrong or, for a replayed message, years old).
 */
export const RECEIVED_ANNOTATION = "amoskys.io/received";

export function findingObject(
  namespace: string,
  name: string,
  spec: FindingSpecOut,
  owner: Owner,
  receivedMs?: number,
): Record<string, unknown> {
  const labels: Record<string, string> = { "app.kubernetes.io/managed-by": MANAGED_BY };
  const d = labelValue(spec.device);
  const r = labelValue(spec.rule);
  if (d) labels[LABEL_DEVICE] = d;
  if (r) labels[LABEL_RULE] = r;
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Finding",
    metadata: {
      name,
      namespace,
      labels,
      ...(receivedMs !== undefined && {
        annotations: { [RECEIVED_ANNOTATION]: new Date(receivedMs).toISOString() },
      }),
      // The owner's deletion garbage-collects the finding. No
      // blockOwnerDeletion: that would need update on <owner>/finalizers.
      ownerReferences: [{ ...owner, controller: true }],
    },
    spec,
  };
}

/** Facts the risk score needs, read from a stored Finding. */
export function factsOf(f: {
  metadata?: { annotations?: Record<string, string> };
  spec?: { severity?: string; state?: string; lastSeen?: string };
}): FindingFacts | undefined {
  const sev = f.spec?.severity;
  if (sev !== "info" && sev !== "low" && sev !== "medium" && sev !== "high" && sev !== "critical")
    return undefined;
  const st = f.spec?.state;
  const state = st === "acknowledged" || st === "resolved" ? st : "open";
  // The later of the device's time and the time of receipt: a device with a
  // wrong clock must not drop out of the score.
  const seen = Math.max(
    ...[f.spec?.lastSeen, f.metadata?.annotations?.[RECEIVED_ANNOTATION]]
      .map((t) => Date.parse(t ?? ""))
      .filter(Number.isFinite),
    0,
  );
  return { severity: sev, state, lastSeenMs: seen };
}

// ---- Device ------------------------------------------------------------------

export type CapabilityKey = "snmp" | "modbus" | "mqtt" | "syslog" | "hl7" | "fhir" | "flows";
type Cap = "REAL" | "DEGRADED" | "BLIND";

const SP = v1.SourceProtocol;
const CAPABILITY_KEY: Partial<Record<number, CapabilityKey>> = {
  [SP.SOURCE_PROTOCOL_SNMP]: "snmp",
  [SP.SOURCE_PROTOCOL_SNMP_TRAP]: "snmp",
  [SP.SOURCE_PROTOCOL_MQTT]: "mqtt",
  [SP.SOURCE_PROTOCOL_SPARKPLUG_B]: "mqtt",
  [SP.SOURCE_PROTOCOL_MODBUS]: "modbus",
  [SP.SOURCE_PROTOCOL_SYSLOG]: "syslog",
  [SP.SOURCE_PROTOCOL_HL7]: "hl7",
  [SP.SOURCE_PROTOCOL_FHIR]: "fhir",
  [SP.SOURCE_PROTOCOL_NETFLOW]: "flows",
  [SP.SOURCE_PROTOCOL_IPFIX]: "flows",
  [SP.SOURCE_PROTOCOL_PCAP]: "flows",
};
const CAP: Partial<Record<number, Cap>> = {
  [v1.Capability.CAPABILITY_REAL]: "REAL",
  [v1.Capability.CAPABILITY_DEGRADED]: "DEGRADED",
  [v1.Capability.CAPABILITY_BLIND]: "BLIND",
};

/** A Status event's facts (amoskys.v1.IStatus fits). */
export type StatusFact = amoskys.v1.IStatus;

export interface ProtocolState {
  reachable: boolean;
  state: Cap;
  reason: string;
}

/** Folds Status facts into the per-protocol state (the latest fact per capability key wins). */
export function applyStatusFacts(
  into: Map<CapabilityKey, ProtocolState>,
  facts: readonly StatusFact[],
): boolean {
  let changed = false;
  for (const f of facts) {
    const key = CAPABILITY_KEY[f.protocol ?? 0];
    const state = CAP[f.capability ?? 0];
    if (!key || !state) continue; // agent/discovery status, or no capability: not a device protocol
    const next: ProtocolState = {
      reachable: f.reachable === true,
      state,
      reason: bounded(f.reason ?? "", 256),
    };
    const prev = into.get(key);
    if (
      !prev ||
      prev.reachable !== next.reachable ||
      prev.state !== next.state ||
      prev.reason !== next.reason
    ) {
      into.set(key, next);
      changed = true;
    }
  }
  return changed;
}

export interface DeviceKnowledge {
  generation?: number | undefined;
  criticality?: Criticality | undefined;
  findings: Iterable<FindingFacts>;
  /** When telemetry last arrived, as written (coarsened by the writer). */
  lastSeenMs?: number | undefined;
  /** When telemetry really last arrived (for Collecting). */
  seenMs?: number | undefined;
  protocols: Map<CapabilityKey, ProtocolState>;
  /** The conditions as last written or read, for lastTransitionTime. */
  prevConditions: Condition[];
}

export interface DeviceStatusOut {
  riskScore: number;
  openFindings: ReturnType<typeof openFindings>;
  lastSeen?: string;
  capabilities?: Partial<Record<CapabilityKey, { state: Cap; reason?: string }>>;
  conditions?: Condition[];
}

/** The part of Device status analytics owns. */
export function deviceStatus(
  k: DeviceKnowledge,
  nowMs: number,
  opts: { halfLifeMs: number; staleAfterMs: number },
): DeviceStatusOut {
  const findings = [...k.findings];
  const out: DeviceStatusOut = {
    riskScore: riskScore(findings, k.criticality, nowMs, opts.halfLifeMs),
    openFindings: openFindings(findings),
  };
  const conditions: Condition[] = [];
  const prev = (type: string) => k.prevConditions.find((c) => c.type === type);
  const gen = k.generation !== undefined ? { observedGeneration: k.generation } : {};
  if (k.lastSeenMs !== undefined) out.lastSeen = rfc3339Seconds(k.lastSeenMs);
  if (k.protocols.size > 0) {
    const caps: NonNullable<DeviceStatusOut["capabilities"]> = {};
    for (const key of [...k.protocols.keys()].sort()) {
      const p = k.protocols.get(key);
      if (p) caps[key] = { state: p.state, ...(p.reason && { reason: p.reason }) };
    }
    out.capabilities = caps;
    const up = [...k.protocols].filter(([, p]) => p.reachable).map(([key]) => key);
    const down = [...k.protocols].filter(([, p]) => !p.reachable);
    conditions.push(
      condition(
        prev("Reachable"),
        up.length > 0
          ? {
              type: "Reachable",
              status: "True",
              ...gen,
              reason: "Reachable",
              message: `answers over ${up.sort().join(", ")}`,
            }
          : {
              type: "Reachable",
              status: "False",
              ...gen,
              reason: "Unreachable",
              message: down
                .map(([key, p]) => `${key}: ${p.reason || p.state}`)
                .sort()
                .join("; "),
            },
        nowMs,
      ),
    );
  }
  if (k.seenMs !== undefined) {
    const fresh = nowMs - k.seenMs <= opts.staleAfterMs;
    conditions.push(
      condition(
        prev("Collecting"),
        fresh
          ? {
              type: "Collecting",
              status: "True",
              ...gen,
              reason: "Receiving",
              message: "telemetry is reaching analytics",
            }
          : {
              type: "Collecting",
              status: "False",
              ...gen,
              reason: "Stale",
              message: `no telemetry since ${rfc3339Seconds(k.seenMs)}`,
            },
        nowMs,
      ),
    );
  }
  if (conditions.length > 0) out.conditions = conditions;
  return out;
}

/** The analytics-owned subset of a Device status read from the API (to seed after a restart). */
export function ownedDeviceStatus(status: Record<string, unknown> | undefined): {
  lastSeenMs?: number;
  protocols: Map<CapabilityKey, ProtocolState>;
  conditions: Condition[];
} {
  const protocols = new Map<CapabilityKey, ProtocolState>();
  const conditions = ((status?.conditions as Condition[] | undefined) ?? []).filter(
    (c) => c.type === "Reachable" || c.type === "Collecting",
  );
  const reachable = conditions.find((c) => c.type === "Reachable");
  const upList =
    reachable?.status === "True" ? reachable.message.replace(/^answers over /, "") : "";
  const up = new Set(upList.split(", ").filter(Boolean));
  const caps = (status?.capabilities ?? {}) as Record<string, { state?: Cap; reason?: string }>;
  for (const [key, c] of Object.entries(caps)) {
    if (!c.state) continue;
    protocols.set(key as CapabilityKey, {
      reachable: up.has(key),
      state: c.state,
      reason: c.reason ?? "",
    });
  }
  const last = Date.parse(String(status?.lastSeen ?? ""));
  return { ...(Number.isFinite(last) && { lastSeenMs: last }), protocols, conditions };
}

// ---- DetectionRule -------------------------------------------------------------

export interface RuleStatusOut {
  observedGeneration: number;
  conditions: Condition[];
  hits: number;
  suppressed: number;
  lastFired?: string;
  learning?: "Learning" | "Active";
}

export function ruleStatus(
  u: RuleStatusUpdate,
  prevConditions: Condition[],
  nowMs: number,
): RuleStatusOut {
  const accepted = condition(
    prevConditions.find((c) => c.type === "Accepted"),
    u.accepted
      ? {
          type: "Accepted",
          status: "True",
          observedGeneration: u.generation,
          reason: "Valid",
          message: `analytics runs generation ${u.generation}`,
        }
      : {
          type: "Accepted",
          status: "False",
          observedGeneration: u.generation,
          reason: "Invalid",
          message: u.reason || "invalid",
        },
    nowMs,
  );
  return {
    observedGeneration: u.generation,
    conditions: [accepted],
    hits: Math.max(0, Math.floor(u.hits)),
    suppressed: Math.max(0, Math.floor(u.suppressed)),
    ...(u.lastFiredMs !== undefined && { lastFired: rfc3339Seconds(u.lastFiredMs) }),
    ...(u.learning && { learning: u.learning }),
  };
}

/** The analytics-owned subset of a DetectionRule status read from the API. */
export function ownedRuleStatus(status: Record<string, unknown> | undefined): {
  conditions: Condition[];
} {
  return {
    conditions: ((status?.conditions as Condition[] | undefined) ?? []).filter(
      (c) => c.type === "Accepted",
    ),
  };
}

/** Stable JSON (sorted keys) for "did it change?". */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
