// Decoded flow records and decode errors -> TelemetryEvents. Pure: the
// listener supplies the device, the datagram and the clock.
import { createHash } from "node:crypto";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, event, Source, type SourceProtocol, sample, timestamp } from "../../events.ts";
import type { IdHasher } from "../../hash128.ts";
import type { DecodeError, FlowRecord, RecordSource } from "./decode.ts";

export function sourceFor(version: number): SourceProtocol {
  return version === 10 ? Source.SOURCE_PROTOCOL_IPFIX : Source.SOURCE_PROTOCOL_NETFLOW;
}

/** Metric label of a datagram's protocol. */
export function protocolLabel(version: number): "ipfix" | "netflow" {
  return version === 10 ? "ipfix" : "netflow";
}

/**
 * Flow events of one datagram. The id is a 128-bit hash (agents/hash128.ts) of the
 * device, source, exporter, domain, version, export sequence, template id,
 * the set's offset, the header times and the set's bytes as exported, hashed
 * once per set, then ".<record number in the set>": a retransmitted datagram
 * gives the same ids, a new export (or any other record) new ones. The device
 * and `collected` objects are shared by the events of a datagram (read-only).
 */
export function flowEvents(
  hasher: IdHasher,
  device: AgentDevice,
  exporter: string,
  version: number,
  flows: readonly FlowRecord[],
  exportMs: number,
  collectedMs: number,
  out: TelemetryEvent[],
): void {
  if (!flows.length) return;
  const source = sourceFor(version);
  const prefix = hasher
    .str(device.namespace)
    .str(device.name)
    .word(source)
    .str("flow")
    .str(exporter)
    .words();
  const ref = { namespace: device.namespace, name: device.name, address: exporter };
  const collected = timestamp(collectedMs);
  let lastSource: RecordSource | undefined;
  let setId = "";
  for (const rec of flows) {
    if (rec.source !== lastSource) {
      lastSource = rec.source;
      setId = hasher
        .words4(prefix)
        .num(rec.observationDomain)
        .word(rec.exportVersion)
        .num(rec.sequence)
        .word(rec.templateId)
        .num(Math.floor(rec.position / 65536))
        .num(rec.source.exportMs)
        .num(rec.source.sysUptime)
        .bytes(rec.source.body)
        .id();
    }
    const start = rec.startMs === undefined ? null : timestamp(rec.startMs);
    const end = rec.endMs === undefined ? null : timestamp(rec.endMs);
    out.push({
      id: `${setId}.${rec.position % 65536}`,
      device: ref,
      observed: end ?? timestamp(exportMs || collectedMs),
      collected,
      source,
      flow: {
        srcAddress: rec.srcAddress,
        dstAddress: rec.dstAddress,
        srcPort: rec.srcPort,
        dstPort: rec.dstPort,
        protocol: rec.protocol,
        bytes: rec.bytes,
        packets: rec.packets,
        start,
        end,
        tcpFlags: rec.tcpFlags,
        exporter: rec.exporter,
        observationDomain: rec.observationDomain,
        exportVersion: rec.exportVersion,
      },
    });
  }
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
