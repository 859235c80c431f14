// Sparkplug B session state, per edge node and device: BIRTH/DEATH, alias
// resolution (aliases are defined in BIRTH and used in DATA), and sequence
// checking (seq 0..255 wrapping per edge node; bdSeq ties NDEATH to its
// NBIRTH). Pure: it turns decoded messages into readings, observations,
// status changes and problems; the collector turns those into events.
import {
  DataType,
  dataTypeName,
  LIMITS,
  type MetricValue,
  metricValue,
  type SpMetric,
  type SpPayload,
} from "./sparkplug-codec.ts";
import type { SparkplugTopic } from "./sparkplug-topic.ts";

export type CapabilityName = "REAL" | "DEGRADED" | "BLIND";

export type SpOutput =
  | {
      t: "metric";
      name: string;
      value: number;
      unit: string;
      labels: Record<string, string>;
      observedMs: number;
      /** Position in the payload, for a stable event id. */
      index: number;
    }
  | { t: "observation"; kind: string; detail: string; evidence: Record<string, string> }
  | {
      t: "status";
      /** spBv1.0/<group>/<node>[/<device>] */
      scope: string;
      reachable: boolean;
      capability: CapabilityName;
      reason: string;
    }
  | { t: "malformed"; label: string; reason: string }
  | { t: "skipped"; datatype: string };

export const SESSION_LIMITS = {
  maxNodes: 10_000,
  maxDevicesPerNode: 10_000,
  /** Characters of a String metric kept in the `value` label. */
  maxStringValue: 256,
  /** Characters of the metric list in a command observation. */
  maxCommandEvidence: 1024,
};

interface Definition {
  name: string;
  datatype: number;
}

interface Scope {
  born: boolean;
  aliases: Map<number, Definition>;
  byName: Map<string, number>;
  reachable?: boolean;
  capability?: CapabilityName;
}

interface NodeState extends Scope {
  bdSeq?: number;
  lastSeq?: number;
  devices: Map<string, Scope>;
}

const newScope = (): Scope => ({ born: false, aliases: new Map(), byName: new Map() });

// Year 9999 in ms: a later (or negative) timestamp is not a time.
const MAX_TIME_MS = 253_402_300_800_000;
const validTime = (ms: number | undefined): ms is number =>
  ms !== undefined && Number.isFinite(ms) && ms > 0 && ms < MAX_TIME_MS;

export class SparkplugSessions {
  private readonly nodes = new Map<string, NodeState>();

  /** Edge nodes seen (for tests and metrics). */
  get size(): number {
    return this.nodes.size;
  }

  handle(topic: SparkplugTopic, payload: SpPayload, receivedMs: number): SpOutput[] {
    const out: SpOutput[] = [];
    if (topic.kind === "state") return out;
    const nodeKey = `${topic.group}/${topic.node}`;
    let node = this.nodes.get(nodeKey);
    // A node first heard from after the collector started may well have been
    // born before: its DATA is still flagged, with firstContact, so analytics
    // can tell a collector restart from a node that skipped its BIRTH.
    const firstContact = !node;
    if (!node) {
      if (this.nodes.size >= SESSION_LIMITS.maxNodes) {
        out.push({
          t: "malformed",
          label: "sparkplug_too_many_nodes",
          reason: `more than ${SESSION_LIMITS.maxNodes} edge nodes; ${nodeKey} ignored`,
        });
        return out;
      }
      node = { ...newScope(), devices: new Map() };
      this.nodes.set(nodeKey, node);
    }
    const nodeScope = `spBv1.0/${nodeKey}`;
    const base: Record<string, string> = { group: topic.group, edgeNode: topic.node };
    const ctx: Ctx = { out, payload, receivedMs, type: topic.type, labels: base };

    switch (topic.type) {
      case "NBIRTH": {
        this.checkSeqPresent(ctx);
        node.born = true;
        node.lastSeq = validSeq(payload.seq) ? payload.seq : undefined;
        node.bdSeq = bdSeqOf(payload);
        node.devices.clear(); // a new session: devices must be born again
        define(node, ctx);
        emitMetrics(node, ctx, true);
        setStatus(node, nodeScope, true, "REAL", "NBIRTH", out);
        return out;
      }
      case "NDEATH": {
        const bdSeq = bdSeqOf(payload);
        if (node.born && node.bdSeq !== undefined && bdSeq !== undefined && bdSeq !== node.bdSeq) {
          // A stale will from an earlier session: the spec says to ignore it.
          out.push({
            t: "observation",
            kind: "sparkplug.bdseq_mismatch",
            detail: `NDEATH of ${nodeKey} with bdSeq ${bdSeq}, but its NBIRTH had ${node.bdSeq}; ignored`,
            evidence: { ...base, expected: String(node.bdSeq), received: String(bdSeq) },
          });
          return out;
        }
        node.born = false;
        node.lastSeq = undefined;
        for (const [id, dev] of node.devices) {
          if (dev.born)
            setStatus(dev, `${nodeScope}/${id}`, false, "BLIND", "edge node sent NDEATH", out);
          dev.born = false;
        }
        setStatus(
          node,
          nodeScope,
          false,
          "BLIND",
          `NDEATH${bdSeq === undefined ? "" : ` (bdSeq ${bdSeq})`}`,
          out,
        );
        return out;
      }
      case "NCMD":
      case "DCMD": {
        const target =
          topic.kind === "device" ? (node.devices.get(topic.device) ?? newScope()) : node;
        const shown: string[] = [];
        for (const m of payload.metrics) {
          const def = resolve(target, m);
          const v = def ? metricValue(m, def.datatype) : undefined;
          shown.push(`${def?.name ?? m.name ?? `alias ${m.alias}`}=${showValue(v)}`);
        }
        const list = shown.join("; ").slice(0, SESSION_LIMITS.maxCommandEvidence);
        const who =
          topic.kind === "device" ? `device ${nodeKey}/${topic.device}` : `edge node ${nodeKey}`;
        out.push({
          t: "observation",
          kind: "sparkplug.command",
          detail: `${topic.type} to ${who}: ${list}`,
          evidence: {
            ...base,
            ...(topic.kind === "device" && { device: topic.device }),
            messageType: topic.type,
            metrics: list,
          },
        });
        return out;
      }
    }

    // NDATA, DBIRTH, DDATA, DDEATH carry the edge node's sequence number.
    if (!node.born) {
      out.push({
        t: "observation",
        kind: "sparkplug.data_before_birth",
        detail: `${topic.type} from edge node ${nodeKey} before its NBIRTH`,
        evidence: { ...base, messageType: topic.type, firstContact: String(firstContact) },
      });
      setStatus(node, nodeScope, true, "DEGRADED", `${topic.type} before NBIRTH`, out);
    }
    if (this.checkSeqPresent(ctx)) {
      const seq = payload.seq as number;
      if (node.lastSeq !== undefined) {
        const expected = (node.lastSeq + 1) % 256;
        if (seq !== expected) {
          out.push({
            t: "observation",
            kind: "sparkplug.sequence_gap",
            detail: `${topic.type} from edge node ${nodeKey} has seq ${seq}, expected ${expected}`,
            evidence: {
              ...base,
              messageType: topic.type,
              expected: String(expected),
              received: String(seq),
            },
          });
          // Stays DEGRADED until the node is born again (a host would ask for a rebirth).
          setStatus(
            node,
            nodeScope,
            true,
            "DEGRADED",
            `sequence gap: expected seq ${expected}, got ${seq}`,
            out,
          );
        }
      }
      node.lastSeq = seq;
    }

    if (topic.kind === "node") {
      // NDATA
      emitMetrics(node, ctx, false);
      return out;
    }
    const devKey = topic.device;
    const devScope = `${nodeScope}/${devKey}`;
    ctx.labels = { ...base, device: devKey };
    let dev = node.devices.get(devKey);
    if (!dev) {
      if (node.devices.size >= SESSION_LIMITS.maxDevicesPerNode) {
        out.push({
          t: "malformed",
          label: "sparkplug_too_many_devices",
          reason: `edge node ${nodeKey} has more than ${SESSION_LIMITS.maxDevicesPerNode} devices`,
        });
        return out;
      }
      dev = newScope();
      node.devices.set(devKey, dev);
    }
    switch (topic.type) {
      case "DBIRTH":
        dev.born = true;
        dev.aliases = new Map();
        dev.byName = new Map();
        define(dev, ctx);
        emitMetrics(dev, ctx, true);
        setStatus(dev, devScope, true, "REAL", "DBIRTH", out);
        break;
      case "DDATA":
        if (!dev.born) {
          out.push({
            t: "observation",
            kind: "sparkplug.data_before_birth",
            detail: `DDATA from device ${nodeKey}/${devKey} before its DBIRTH`,
            evidence: { ...ctx.labels, messageType: "DDATA", firstContact: String(firstContact) },
          });
          setStatus(dev, devScope, true, "DEGRADED", "DDATA before DBIRTH", out);
        }
        emitMetrics(dev, ctx, false);
        break;
      case "DDEATH":
        dev.born = false;
        setStatus(dev, devScope, false, "BLIND", "DDEATH", out);
        break;
    }
    return out;
  }

  /** Whether the payload has a usable seq; reports it when not. */
  private checkSeqPresent(ctx: Ctx): boolean {
    if (validSeq(ctx.payload.seq)) return true;
    ctx.out.push({
      t: "malformed",
      label: "sparkplug_seq_invalid",
      reason:
        ctx.payload.seq === undefined
          ? `${ctx.type} without seq`
          : `${ctx.type} seq ${ctx.payload.seq} outside 0..255`,
    });
    return false;
  }
}

interface Ctx {
  out: SpOutput[];
  payload: SpPayload;
  receivedMs: number;
  type: string;
  labels: Record<string, string>;
}

function validSeq(seq: number | undefined): seq is number {
  return seq !== undefined && Number.isInteger(seq) && seq >= 0 && seq <= 255;
}

function bdSeqOf(p: SpPayload): number | undefined {
  const m = p.metrics.find((x) => x.name === "bdSeq");
  if (!m) return undefined;
  const v = metricValue(m, m.datatype ?? DataType.UInt64);
  return v.kind === "number" ? v.value : undefined;
}

/** Records the names, aliases and datatypes a BIRTH defines. */
function define(scope: Scope, ctx: Ctx): void {
  for (const m of ctx.payload.metrics) {
    if (m.name === undefined || m.datatype === undefined) {
      ctx.out.push({
        t: "malformed",
        label: "sparkplug_birth_metric_incomplete",
        reason: `${ctx.type} metric ${m.name ?? `alias ${m.alias}`} without ${m.name === undefined ? "name" : "datatype"}`,
      });
      continue;
    }
    if (scope.byName.size < LIMITS.maxMetrics) scope.byName.set(m.name, m.datatype);
    if (m.alias === undefined) continue;
    const had = scope.aliases.get(m.alias);
    if (had && had.name !== m.name) {
      ctx.out.push({
        t: "malformed",
        label: "sparkplug_alias_duplicate",
        reason: `${ctx.type} gives alias ${m.alias} to both ${had.name} and ${m.name}`,
      });
      continue;
    }
    if (scope.aliases.size < LIMITS.maxMetrics)
      scope.aliases.set(m.alias, { name: m.name, datatype: m.datatype });
  }
}

/** Name and datatype of a metric: from itself, or from its BIRTH by alias or name. */
function resolve(scope: Scope, m: SpMetric): Definition | undefined {
  const byAlias = m.alias !== undefined ? scope.aliases.get(m.alias) : undefined;
  const name = m.name ?? byAlias?.name;
  if (name === undefined) return undefined;
  const datatype = m.datatype ?? byAlias?.datatype ?? scope.byName.get(name);
  return datatype === undefined ? undefined : { name, datatype };
}

function showValue(v: MetricValue | undefined): string {
  if (!v) return "?";
  switch (v.kind) {
    case "number":
      return String(v.value);
    case "string":
      return JSON.stringify(v.value.slice(0, 64));
    case "null":
      return "null";
    default:
      return `(${v.kind})`;
  }
}

function emitMetrics(scope: Scope, ctx: Ctx, birth: boolean): void {
  const { payload, out } = ctx;
  for (const [index, m] of payload.metrics.entries()) {
    const def = birth
      ? m.name !== undefined && m.datatype !== undefined
        ? { name: m.name, datatype: m.datatype }
        : undefined
      : resolve(scope, m);
    if (!def) {
      if (!birth)
        out.push({
          t: "malformed",
          label: "sparkplug_unknown_alias",
          reason:
            m.name === undefined
              ? `${ctx.type} metric alias ${m.alias ?? "(none)"} not defined by a BIRTH`
              : `${ctx.type} metric ${m.name} has no datatype and no BIRTH defines it`,
        });
      continue; // BIRTH: already reported by define()
    }
    const v = metricValue(m, def.datatype);
    const labels: Record<string, string> = {
      ...ctx.labels,
      datatype: dataTypeName(def.datatype),
      messageType: ctx.type,
    };
    if (m.isHistorical) labels.historical = "true";
    const observedMs = validTime(m.timestamp)
      ? m.timestamp
      : validTime(payload.timestamp)
        ? payload.timestamp
        : ctx.receivedMs;
    switch (v.kind) {
      case "number":
        out.push({
          t: "metric",
          name: def.name,
          value: v.value,
          unit: def.datatype === DataType.DateTime ? "ms" : "",
          labels,
          observedMs,
          index,
        });
        break;
      case "string":
        // A text fact as an info-style gauge: value 1, the text in a label.
        out.push({
          t: "metric",
          name: def.name,
          value: 1,
          unit: "",
          labels: { ...labels, value: v.value.slice(0, SESSION_LIMITS.maxStringValue) },
          observedMs,
          index,
        });
        break;
      case "null":
        break; // no reading, and the sender said so
      case "skipped":
        out.push({ t: "skipped", datatype: v.reason });
        break;
      case "invalid":
        out.push({ t: "malformed", label: "sparkplug_metric_value", reason: v.reason });
        break;
    }
  }
}

function setStatus(
  scope: Scope,
  path: string,
  reachable: boolean,
  capability: CapabilityName,
  reason: string,
  out: SpOutput[],
): void {
  if (scope.reachable === reachable && scope.capability === capability) return;
  scope.reachable = reachable;
  scope.capability = capability;
  out.push({ t: "status", scope: path, reachable, capability, reason });
}
