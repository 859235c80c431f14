// Bytes of one syslog message (or a framing error) → one TelemetryEvent. Pure:
// the listener supplies the device, source and receive time.
//
// Event id. Syslog carries no message id, and two identical lines in the same
// second are two real events (a brute force sends exactly that), so the id
// cannot be a hash of the bytes alone. It is
//   device, source ip, receive time (ms), occurrence, raw bytes
// where occurrence numbers identical (ip, bytes) arrivals within the same
// millisecond (0, 1, …). The same reception always maps to the same id, so the
// runtime's retries of an event are recognisably the same; a sender's resend
// is a new reception and a new event (we cannot tell it from a repeat).
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, event, Source, sample } from "../../events.ts";
import { type ParseOptions, parseSyslog } from "./parse.ts";

export const PROTOCOL = "syslog";

export interface Reception {
  device: Pick<AgentDevice, "namespace" | "name" | "address">;
  /** Source IP the bytes came from. */
  ip: string;
  receivedMs: number;
  /** How many identical (ip, bytes) arrivals preceded this one in the same millisecond. */
  occurrence: number;
}

export type Decoded =
  | { ok: true; event: TelemetryEvent }
  | { ok: false; reason: string; event: TelemetryEvent };

export function decodeMessage(raw: Uint8Array, r: Reception, opts: ParseOptions = {}): Decoded {
  const p = parseSyslog(raw, { ...opts, now: opts.now ?? r.receivedMs });
  if (!p.ok)
    return { ok: false, reason: p.reason, event: malformedEvent(p.reason, raw, raw.length, r) };
  const ev = event(
    {
      device: r.device,
      source: Source.SOURCE_PROTOCOL_SYSLOG,
      address: r.ip,
      observedMs: r.receivedMs,
      collectedMs: r.receivedMs,
      idParts: idParts(r, raw),
    },
    {
      log: {
        format: p.format,
        facility: p.facility,
        severity: p.severity,
        hostname: p.hostname,
        appName: p.appName,
        procId: p.procId,
        msgId: p.msgId,
        structuredData: p.structuredData,
        message: p.message,
      },
    },
  );
  // The device's own time when it sent one, at its full (µs) precision.
  if (p.timestamp) ev.observed = p.timestamp;
  return { ok: true, event: ev };
}

/** A Malformed event for input that never became a message (framing, size). */
export function malformedEvent(
  reason: string,
  bytes: Uint8Array,
  length: number,
  r: Reception,
): TelemetryEvent {
  return event(
    {
      device: r.device,
      source: Source.SOURCE_PROTOCOL_SYSLOG,
      address: r.ip,
      observedMs: r.receivedMs,
      collectedMs: r.receivedMs,
      idParts: ["malformed", reason, ...idParts(r, bytes)],
    },
    {
      malformed: {
        protocol: Source.SOURCE_PROTOCOL_SYSLOG,
        reason,
        ...sample(bytes),
        length,
      },
    },
  );
}

/** The listener's one Status per device, when its first message arrives. */
export function firstContactStatus(r: Reception): TelemetryEvent {
  return event(
    {
      device: r.device,
      source: Source.SOURCE_PROTOCOL_SYSLOG,
      address: r.ip,
      observedMs: r.receivedMs,
      collectedMs: r.receivedMs,
      idParts: ["status", r.ip, r.receivedMs],
    },
    {
      status: {
        protocol: Source.SOURCE_PROTOCOL_SYSLOG,
        reachable: true,
        latencyMs: 0,
        capability: Capability.CAPABILITY_REAL,
        reason: "",
      },
    },
  );
}

function idParts(r: Reception, raw: Uint8Array): (string | number)[] {
  // latin1 maps each byte to one char, so distinct bytes stay distinct.
  return [r.ip, r.receivedMs, r.occurrence, Buffer.from(raw).toString("latin1")];
}
