// Builders for TelemetryEvents, so every collector fills device, timestamps,
// source and a stable id the same way.
import { createHash } from "node:crypto";
import { v1 } from "../proto/codec.ts";
import type { AgentDevice, TelemetryEvent } from "./collector.ts";

export const Source = v1.SourceProtocol;
export const MetricKind = v1.MetricKind;
export const Capability = v1.Capability;
export const SyslogFormat = v1.SyslogFormat;

export type SourceProtocol = (typeof v1.SourceProtocol)[keyof typeof v1.SourceProtocol];

/** A google.protobuf.Timestamp from milliseconds since the epoch. */
export function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/**
 * A stable event id: the same source facts give the same id, so a resent
 * event is recognisably the same (analytics stores each id once). Pass what
 * identifies the reading: device, protocol, object, observation time.
 */
export function eventId(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22);
}

export interface EventInit {
  device: Pick<AgentDevice, "namespace" | "name" | "address">;
  source: SourceProtocol;
  /** Where the data came from if not the device's configured address (ip, ip:port, topic). */
  address?: string;
  observedMs: number;
  collectedMs: number;
  /** Parts of the stable id after device and source (see eventId). */
  idParts: (string | number)[];
}

type Body = Pick<
  TelemetryEvent,
  "metric" | "log" | "trap" | "flow" | "status" | "security" | "clinical" | "malformed" | "wire"
>;

export function event(init: EventInit, body: Body): TelemetryEvent {
  const { device } = init;
  return {
    id: eventId(device.namespace, device.name, init.source, ...init.idParts),
    device: {
      namespace: device.namespace,
      name: device.name,
      address: init.address ?? device.address,
    },
    observed: timestamp(init.observedMs),
    collected: timestamp(init.collectedMs),
    source: init.source,
    ...body,
  };
}

/** At most 256 bytes of hostile input, for a Malformed event. */
export function sample(bytes: Uint8Array | string): { sample: Uint8Array; length: number } {
  const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  return { sample: b.subarray(0, 256), length: b.length };
}
