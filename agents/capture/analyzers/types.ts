// What a passive protocol analyzer reports: application events (one line of a
// Zeek log each) and input it could not parse. Analyzers are pure: bytes in,
// findings out through `Report`; they never throw and bound every buffer.

export interface WireFinding {
  /** e.g. "request", "response", "exception", "connect", "publish", "login". */
  action: string;
  /** Sent by the client (the side that talks to the service port)? */
  fromClient: boolean;
  /** Protocol fields, lowerCamel keys, string values. */
  fields: Record<string, string>;
}

export interface Report {
  event(finding: WireFinding): void;
  malformed(reason: string, sample: Uint8Array): void;
}

/** A TCP application analyzer fed one connection's two reassembled byte streams. */
export interface StreamAnalyzer {
  /** The connection was first seen (before any data). */
  open?(): void;
  data(fromClient: boolean, bytes: Uint8Array): void;
  /** Bytes of this direction were lost: drop any partial message and resync. */
  gap(fromClient: boolean): void;
}

/** A UDP analyzer: one datagram at a time. */
export type DatagramAnalyzer = (payload: Uint8Array, fromClient: boolean, report: Report) => void;

export interface Collected extends Report {
  events: WireFinding[];
  problems: { reason: string; sample: Uint8Array }[];
}

/** Collects findings into arrays (tests, fuzzing). */
export function collect(): Collected {
  const events: WireFinding[] = [];
  const problems: { reason: string; sample: Uint8Array }[] = [];
  return {
    events,
    problems,
    event: (f) => events.push(f),
    malformed: (reason, sample) => problems.push({ reason, sample: sample.subarray(0, 256) }),
  };
}

/** Appends `b` to `a` (a new array; `a` may be empty). */
export function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
