// One MQTT message (topic + payload bytes) to TelemetryEvents, for a JSON or a
// Sparkplug B device. Pure apart from the Sparkplug session state it keeps;
// never throws: what it cannot read becomes a Malformed event and a label to
// count.
import { createHash } from "node:crypto";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import {
  Capability,
  event,
  MetricKind,
  Source,
  type SourceProtocol,
  sample,
} from "../../events.ts";
import { type CompiledMapping, mapJson } from "./json-mapping.ts";
import { decodePayload } from "./sparkplug-codec.ts";
import { SparkplugSessions, type SpOutput } from "./sparkplug-session.ts";
import { parseState, parseTopic } from "./sparkplug-topic.ts";

export type PayloadKind = "json" | "sparkplugB";

/** Protocol label of amoskys_agent_* counters for a payload kind. */
export const protocolLabel = (p: PayloadKind) => (p === "json" ? "mqtt" : "sparkplug_b");

export interface Handled {
  events: TelemetryEvent[];
  /** Labels of amoskys_agent_malformed_total to increment (one per Malformed event). */
  malformed: string[];
  /** Sparkplug metric datatypes skipped (Template, DataSet, Bytes, File, unknown). */
  skipped: string[];
  /** SecurityObservation kinds emitted (sequence gaps, data before birth, commands). */
  observations: string[];
  /** Sparkplug message type, "STATE", or "json". */
  messageType: string;
}

/** `hash`: messageHash(topic, payload), when the caller has it already. */
export type MessageHandler = (
  topic: string,
  payload: Uint8Array,
  receivedMs: number,
  hash?: string,
) => Handled;

/** What makes ids stable for the same message (a redelivery): its topic and payload. */
export function messageHash(topic: string, payload: Uint8Array): string {
  return createHash("sha256").update(topic).update("\u0000").update(payload).digest("hex");
}

const CAP = {
  REAL: Capability.CAPABILITY_REAL,
  DEGRADED: Capability.CAPABILITY_DEGRADED,
  BLIND: Capability.CAPABILITY_BLIND,
} as const;

type DeviceRef = Pick<AgentDevice, "namespace" | "name" | "address">;

export function createMessageHandler(
  device: DeviceRef,
  payloadKind: PayloadKind,
  mappings: readonly CompiledMapping[],
): MessageHandler {
  const source: SourceProtocol =
    payloadKind === "json" ? Source.SOURCE_PROTOCOL_MQTT : Source.SOURCE_PROTOCOL_SPARKPLUG_B;
  const sessions = new SparkplugSessions();

  const malformedEvent = (
    topic: string,
    payload: Uint8Array,
    hash: string,
    reason: string,
    receivedMs: number,
    n: number,
  ): TelemetryEvent =>
    event(
      {
        device,
        source,
        address: topic,
        observedMs: receivedMs,
        collectedMs: receivedMs,
        idParts: ["malformed", topic, hash, n],
      },
      { malformed: { protocol: source, reason, ...sample(payload) } },
    );

  return (topic, payload, receivedMs, hash = messageHash(topic, payload)) => {
    const h: Handled = {
      events: [],
      malformed: [],
      skipped: [],
      observations: [],
      messageType: "",
    };
    const bad = (label: string, reason: string) => {
      h.malformed.push(label);
      h.events.push(malformedEvent(topic, payload, hash, reason, receivedMs, h.malformed.length));
    };

    if (payloadKind === "json") {
      h.messageType = "json";
      const r = mapJson(topic, payload, mappings);
      for (const p of r.problems) bad(p.label, p.reason);
      for (const x of r.readings) {
        h.events.push(
          event(
            {
              device,
              source,
              address: topic,
              observedMs: receivedMs,
              collectedMs: receivedMs,
              // Plain JSON carries no time or sequence of its own: the arrival
              // time keeps two equal readings apart.
              idParts: [topic, hash, x.metric, x.jsonPath, receivedMs],
            },
            {
              metric: {
                name: x.metric,
                value: x.value,
                unit: x.unit ?? "",
                kind: MetricKind.METRIC_KIND_GAUGE,
                labels: { topic },
              },
            },
          ),
        );
      }
      return h;
    }

    const t = parseTopic(topic);
    if (!t.ok) {
      h.messageType = "unknown";
      bad("sparkplug_topic", t.reason);
      return h;
    }
    if (t.value.kind === "state") {
      h.messageType = "STATE";
      const s = parseState(payload);
      if (!s.ok) bad("sparkplug_state", s.reason);
      return h;
    }
    h.messageType = t.value.type;
    const decoded = decodePayload(payload);
    if (!decoded.ok) {
      bad("sparkplug_decode", decoded.reason);
      return h;
    }
    const outputs = sessions.handle(t.value, decoded.value, receivedMs);
    for (const o of outputs) convert(o);
    return h;

    function convert(o: SpOutput): void {
      switch (o.t) {
        case "metric":
          h.events.push(
            event(
              {
                device,
                source,
                address: topic,
                observedMs: o.observedMs,
                collectedMs: receivedMs,
                idParts: [topic, hash, o.index],
              },
              {
                metric: {
                  name: o.name,
                  value: o.value,
                  unit: o.unit,
                  kind: MetricKind.METRIC_KIND_GAUGE,
                  labels: o.labels,
                },
              },
            ),
          );
          break;
        case "observation":
          h.observations.push(o.kind);
          h.events.push(
            event(
              {
                device,
                source,
                address: topic,
                observedMs: receivedMs,
                collectedMs: receivedMs,
                idParts: ["security", o.kind, topic, hash],
              },
              { security: { kind: o.kind, detail: o.detail, evidence: o.evidence } },
            ),
          );
          break;
        case "status":
          h.events.push(
            event(
              {
                device,
                source,
                address: o.scope,
                observedMs: receivedMs,
                collectedMs: receivedMs,
                idParts: ["status", o.scope, hash],
              },
              {
                status: {
                  protocol: source,
                  reachable: o.reachable,
                  latencyMs: 0,
                  capability: CAP[o.capability],
                  reason: o.reason,
                },
              },
            ),
          );
          break;
        case "malformed":
          bad(o.label, o.reason);
          break;
        case "skipped":
          h.skipped.push(o.datatype);
          break;
      }
    }
  };
}
