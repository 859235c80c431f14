// Decoded flow records and decode errors -> TelemetryEvents. Pure: the
// listener supplies the device, the datagram and the clock.
import { createHash } from "node:crypto";
import type { AgentDevice, TelemetryEvent } from "../../../collector.ts";
import {
  Capability,
  event,
  Source,
  type SourceProtocol,
  sample,
  timestamp,
} from "../../../events.ts";
import type { DecodeError, FlowRecord } from "./decode.ts";

export function sourceFor(version: number): SourceProtocol {
  return version === 10 ? Source.SOURCE_PROTOCOL_IPFIX : Source.SOURCE_PROTOCOL_NETFLOW;
}

/** Metric label of a datagram's protocol. */
export function protocolLabel(version: number): "ipfix" | "netflow" {
  return version === 10 ? "ipfix" : "netflow";
}

export function flowEvent(
  device: AgentDevice,
  rec: FlowRecord,
  exportMs: number,
  collectedMs: number,
): TelemetryEvent {
  return event(
    {
      device,
      source: sourceFor(rec.exportVersion),
      address: rec.exporter,
      observedMs: rec.endMs ?? (exportMs || collectedMs),
      collectedMs,
      // Exporter, domain, export sequence and the record's place and facts:
      // a retransmitted datagram gives the same ids, a new export new ones.
      idParts: [
        "flow",
        rec.exporter,
        rec.observationDomain,
        rec.exportVersion,
        rec.sequence,
        rec.templateId,
        rec.position,
        rec.srcAddress,
        rec.srcPort,
        rec.dstAddress,
        rec.dstPort,
        rec.protocol,
        rec.bytes,
        rec.packets,
        rec.startMs ?? "",
        rec.endMs ?? "",
      ],
    },
    {
      flow: {
        srcAddress: rec.srcAddress,
        dstAddress: rec.dstAddress,
        srcPort: rec.srcPort,
        dstPort: rec.dstPort,
        protocol: rec.protocol,
        bytes: rec.bytes,
        packets: rec.packets,
        start: rec.startMs === undefined ? null : timestamp(rec.startMs),
        end: rec.endMs === undefined ? null : timestamp(rec.endMs),
        tcpFlags: rec.tcpFlags,
        exporter: rec.exporter,
        observationDomain: rec.observationDomain,
        exportVersion: rec.exportVersion,
      },
    },
  );
}

export function malformedEvent(
  device: AgentDevice,
  exporter: string,
  version: number,
  err: DecodeError,
  datagram: Uint8Array,
  collectedMs: number,
): TelemetryEvent {
  const digest = createHash("sha256").update(datagram).digest("hex").slice(0, 32);
  return event(
    {
      device,
      source: sourceFor(version),
      address: exporter,
      observedMs: collectedMs,
      collectedMs,
      idParts: ["malformed", exporter, err.reason, err.detail, digest],
    },
    {
      malformed: {
        protocol: sourceFor(version),
        reason: `${err.reason}: ${err.detail}`,
        ...sample(datagram),
      },
    },
  );
}

/** The first datagram from an exporter: it is there and talking. */
export function statusEvent(
  device: AgentDevice,
  exporter: string,
  version: number,
  collectedMs: number,
): TelemetryEvent {
  return event(
    {
      device,
      source: sourceFor(version),
      address: exporter,
      observedMs: collectedMs,
      collectedMs,
      idParts: ["status", exporter, collectedMs],
    },
    {
      status: {
        protocol: sourceFor(version),
        reachable: true,
        latencyMs: 0,
        capability: Capability.CAPABILITY_REAL,
        reason: "",
      },
    },
  );
}
