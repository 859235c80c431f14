// Bytes of one syslog message (or a framing error) → one TelemetryEvent. Pure:
// the listener supplies the device, source and receive time.
//
// Event id. Syslog carries no message id, and two identical lines in the same
// second are two real events (a brute force sends exactly that), so the id
// cannot be a hash of the bytes alone. It is
//   device, source ip, receive time (ms), occurrence, raw bytes
// where occurrence numbers the listener's receptions within the same
// millisecond (0, 1, …), so two arrivals in one millisecond — identical or
// not — never share an id. The same reception always maps to the same id, so
// the runtime's retries of an event are recognisably the same; a sender's
// resend is a new reception and a new event (we cannot tell it from a repeat).
//
// The id is MurmurHash3 x86_128 (agents/hash128.ts) over the UTF-8 of "namespace NUL
// name NUL source NUL ip NUL receivedMs NUL occurrence NUL" followed by the raw
// bytes (malformed events put "malformed NUL reason NUL" before the ip), as 22
// base64url characters — the shape of events.ts' eventId(). Kubernetes names
// and IPs hold no NUL, so the input is unambiguous. Not sha256 (eventId): that
// was the largest cost per message, and uniqueness here comes from the
// (receivedMs, occurrence) pair, not from collision resistance.
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, event, Source, sample, timestamp } from "../../events.ts";
import { murmur3x86_128 } from "../../hash128.ts";
import { type ParseOptions, parseSyslog } from "./parse.ts";

export const PROTOCOL = "syslog";

export interface Reception {
  device: Pick<AgentDevice, "namespace" | "name" | "address">;
  /** Source IP the bytes came from. */
  ip: string;
  receivedMs: number;
  /** How many receptions preceded this one in the same millisecond (per listener). */
  occurrence: number;
}

export type Decoded =
  | { ok: true; event: TelemetryEvent }
  | { ok: false; reason: string; event: TelemetryEvent };

export function decodeMessage(raw: Uint8Array, r: Reception, opts: ParseOptions = {}): Decoded {
  const p = parseSyslog(raw, opts.now === undefined ? { ...opts, now: r.receivedMs } : opts);
  if (!p.ok)
    return { ok: false, reason: p.reason, event: malformedEvent(p.reason, raw, raw.length, r) };
  // Built directly rather than with event(): same fields, fewer allocations.
  const { device } = r;
  return {
    ok: true,
    event: {
      id: messageId(r, raw),
      device: { namespace: device.namespace, name: device.name, address: r.ip },
      // The device's own time when it sent one, at its full (µs) precision.
      observed: p.timestamp ?? timestamp(r.receivedMs),
      collected: timestamp(r.receivedMs),
      source: Source.SOURCE_PROTOCOL_SYSLOG,
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
  };
}

let scratch = Buffer.allocUnsafe(16 * 1024);
const digest = Buffer.alloc(16);
// scratch starts with the hash input's head "namespace NUL name NUL source NUL
// head ip NUL" (headLen bytes) of the last reception, then its "receivedMs NUL"
// (up to msEnd): consecutive messages from one source in one millisecond
// write only their occurrence and raw bytes (serialising the head per
// message was most of the id's cost).
let key = { namespace: "", name: "", head: "", ip: "" };
let headLen = 0;
let msAt = Number.NaN;
let msEnd = 0;

/** Room for `need` bytes in scratch, keeping its first `keep`. */
function reserve(need: number, keep: number): void {
  if (need <= scratch.length) return;
  const next = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  scratch.copy(next, 0, 0, keep);
  scratch = next;
}

/** The event id of a reception (see the top of this file); `head` is "" or "malformed\0reason\0". */
export function messageId(r: Reception, raw: Uint8Array, head = ""): string {
  const d = r.device;
  if (
    headLen === 0 ||
    r.ip !== key.ip ||
    d.name !== key.name ||
    d.namespace !== key.namespace ||
    head !== key.head
  ) {
    const h = `${d.namespace}\u0000${d.name}\u0000${Source.SOURCE_PROTOCOL_SYSLOG}\u0000${head}${r.ip}\u0000`;
    reserve(Buffer.byteLength(h, "utf8"), 0);
    headLen = scratch.write(h, 0, "utf8");
    key = { namespace: d.namespace, name: d.name, head, ip: r.ip };
    msAt = Number.NaN;
  }
  if (r.receivedMs !== msAt) {
    const ms = `${r.receivedMs}\u0000`;
    reserve(headLen + ms.length, headLen);
    msEnd = headLen + scratch.write(ms, headLen, "latin1");
    msAt = r.receivedMs;
  }
  let n = msEnd;
  const occ = r.occurrence;
  if (Number.isSafeInteger(occ) && occ >= 0 && occ < 1e6) {
    reserve(n + 8 + raw.length, n);
    n += digits(occ, n);
  } else {
    const s = String(occ);
    reserve(n + s.length + 1 + raw.length, n);
    n += scratch.write(s, n, "latin1");
  }
  scratch[n++] = 0;
  scratch.set(raw, n);
  murmur3x86_128(scratch, n + raw.length, 0, digest);
  return digest.toString("base64url");
}

/** Writes v (0 ≤ v < 1e6) in decimal ASCII at scratch[at]; returns the digit count. */
function digits(v: number, at: number): number {
  const len = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : 6;
  for (let i = at + len - 1; i >= at; i--) {
    scratch[i] = 48 + (v % 10);
    v = (v / 10) | 0;
  }
  return len;
}

/** A Malformed event for input that never became a message (framing, size). */
export function malformedEvent(
  reason: string,
  bytes: Uint8Array,
  length: number,
  r: Reception,
): TelemetryEvent {
  const at = timestamp(r.receivedMs);
  return {
    id: messageId(r, bytes, `malformed\u0000${reason}\u0000`),
    device: { namespace: r.device.namespace, name: r.device.name, address: r.ip },
    observed: at,
    collected: { ...at },
    source: Source.SOURCE_PROTOCOL_SYSLOG,
    malformed: {
      protocol: Source.SOURCE_PROTOCOL_SYSLOG,
      reason,
      ...sample(bytes),
      length,
    },
  };
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
