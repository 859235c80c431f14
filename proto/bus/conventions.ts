// The JetStream conventions of AMOSKYS: stream names and limits, subjects,
// message ids. Pure data and functions, shared by the NATS and the in-process bus.
import { BusConfigError, MsgIdError, SubjectNameError, TelemetrySubjectError } from "./errors.ts";

export const TELEMETRY_STREAM = "AMOSKYS_TELEMETRY";
export const TELEMETRY_PREFIX = "amoskys.telemetry";
export const FINDINGS_STREAM = "AMOSKYS_FINDINGS";
export const FINDINGS_PREFIX = "amoskys.findings";

/** A stream, independent of the bus that implements it. Limits use NATS conventions. */
export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
  /** workqueue: a message is removed once a consumer acks (or terms) it; limits: only by limits. */
  retention: "workqueue" | "limits";
  storage: "file" | "memory";
  /** When a limit is reached: "new" refuses the publish (backpressure), "old" drops the oldest. */
  discard: "new" | "old";
  limits: StreamLimits;
}

export interface StreamLimits {
  /** Total stored bytes; -1 unlimited. */
  maxBytes: number;
  /** Stored messages; -1 unlimited. */
  maxMsgs: number;
  /** Age after which a message is removed, acked or not; 0 unlimited. */
  maxAgeMs: number;
  /** Largest accepted message; -1 unlimited (the server's max_payload still applies). */
  maxMsgSize: number;
  /** How long a msgId is remembered to drop duplicates. */
  duplicateWindowMs: number;
  /** Copies in a JetStream cluster (1 on a single server). */
  replicas: number;
}

const MiB = 1024 * 1024;
const DAY = 24 * 3600 * 1000;

export const TELEMETRY_LIMITS: Readonly<StreamLimits> = Object.freeze({
  maxBytes: 1024 * MiB,
  maxMsgs: -1,
  maxAgeMs: 7 * DAY,
  maxMsgSize: 1 * MiB,
  duplicateWindowMs: 2 * 60 * 1000,
  replicas: 1,
});

export const FINDINGS_LIMITS: Readonly<StreamLimits> = Object.freeze({
  maxBytes: 256 * MiB,
  maxMsgs: -1,
  maxAgeMs: 30 * DAY,
  maxMsgSize: 1 * MiB,
  duplicateWindowMs: 2 * 60 * 1000,
  replicas: 1,
});

/** Signed telemetry batches, one subject per device; nothing leaves before a consumer acks it. */
export function telemetryStream(limits: Partial<StreamLimits> = {}): StreamSpec {
  return {
    name: TELEMETRY_STREAM,
    subjects: [`${TELEMETRY_PREFIX}.>`],
    description: "AMOSKYS signed telemetry batches (work queue)",
    retention: "workqueue",
    storage: "file",
    discard: "new",
    limits: checkLimits(TELEMETRY_STREAM, { ...TELEMETRY_LIMITS, ...limits }),
  };
}

/** Findings, kept by limits for any number of readers. */
export function findingsStream(limits: Partial<StreamLimits> = {}): StreamSpec {
  return {
    name: FINDINGS_STREAM,
    subjects: [`${FINDINGS_PREFIX}.>`],
    description: "AMOSKYS findings",
    retention: "limits",
    storage: "file",
    discard: "old",
    limits: checkLimits(FINDINGS_STREAM, { ...FINDINGS_LIMITS, ...limits }),
  };
}

export interface BusStreamsConfig {
  telemetry?: Partial<StreamLimits>;
  findings?: Partial<StreamLimits>;
}

/** Every stream AMOSKYS uses. */
export function busStreams(cfg: BusStreamsConfig = {}): StreamSpec[] {
  return [telemetryStream(cfg.telemetry), findingsStream(cfg.findings)];
}

function checkLimits(stream: string, l: StreamLimits): StreamLimits {
  const at = (f: keyof StreamLimits) => `streams.${stream}.${f}`;
  for (const f of ["maxBytes", "maxMsgs", "maxMsgSize"] as const) {
    if (!Number.isSafeInteger(l[f]) || (l[f] < 1 && l[f] !== -1))
      throw new BusConfigError(at(f), l[f], "must be a positive integer or -1 (unlimited)");
  }
  if (!Number.isSafeInteger(l.maxAgeMs) || l.maxAgeMs < 0)
    throw new BusConfigError(at("maxAgeMs"), l.maxAgeMs, "must be ≥ 0 (0: unlimited)");
  if (!Number.isSafeInteger(l.duplicateWindowMs) || l.duplicateWindowMs < 1)
    throw new BusConfigError(at("duplicateWindowMs"), l.duplicateWindowMs, "must be ≥ 1");
  if (l.maxAgeMs > 0 && l.duplicateWindowMs > l.maxAgeMs)
    throw new BusConfigError(at("duplicateWindowMs"), l.duplicateWindowMs, "must be ≤ maxAgeMs");
  if (!Number.isSafeInteger(l.replicas) || l.replicas < 1 || l.replicas > 5)
    throw new BusConfigError(at("replicas"), l.replicas, "must be 1 to 5");
  return l;
}

// Kubernetes names: a namespace is a DNS-1123 label, a device name a DNS-1123
// subdomain (labels joined by '.'). A NATS subject splits tokens on '.', so the
// device's dots travel as '~', which neither kind of name can contain.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkNamespace(ns: string): void {
  if (typeof ns !== "string" || ns.length === 0 || ns.length > 63 || !DNS_LABEL.test(ns))
    throw new SubjectNameError("namespace", String(ns), "must be a DNS-1123 label");
}

function checkDevice(device: string): void {
  if (
    typeof device !== "string" ||
    device.length === 0 ||
    device.length > 253 ||
    !DNS_SUBDOMAIN.test(device)
  )
    throw new SubjectNameError("device", String(device), "must be a DNS-1123 subdomain");
}

/** `amoskys.telemetry.<namespace>.<device with '.' as '~'>` */
export function telemetrySubject(namespace: string, device: string): string {
  checkNamespace(namespace);
  checkDevice(device);
  return `${TELEMETRY_PREFIX}.${namespace}.${device.replaceAll(".", "~")}`;
}

/** The inverse of telemetrySubject; throws TelemetrySubjectError for anything it did not make. */
export function parseTelemetrySubject(subject: string): { namespace: string; device: string } {
  const tokens = subject.split(".");
  if (tokens.length !== 4 || `${tokens[0]}.${tokens[1]}` !== TELEMETRY_PREFIX)
    throw new TelemetrySubjectError(subject, `must be ${TELEMETRY_PREFIX}.<namespace>.<device>`);
  const namespace = tokens[2] as string;
  const device = (tokens[3] as string).replaceAll("~", ".");
  try {
    checkNamespace(namespace);
    checkDevice(device);
  } catch (err) {
    throw new TelemetrySubjectError(subject, (err as Error).message, { cause: err });
  }
  return { namespace, device };
}

// The producer id may itself contain ':' (e.g. a service account name); the
// sequence never does, so the last ':' separates them.
const PRODUCER = /^[\x21-\x7e]+$/; // printable ASCII, no spaces: safe in a header value

/** The Nats-Msg-Id of a producer's batch: `${producer}:${seq}`. */
export function msgId(producer: string, seq: number): string {
  if (typeof producer !== "string" || !PRODUCER.test(producer))
    throw new MsgIdError(producer, "producer must be non-empty printable ASCII without spaces");
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw new MsgIdError(seq, "seq must be a non-negative safe integer");
  return `${producer}:${seq}`;
}

/** The inverse of msgId. */
export function parseMsgId(id: string): { producer: string; seq: number } {
  const at = id.lastIndexOf(":");
  const producer = id.slice(0, at);
  const seq = Number(id.slice(at + 1));
  if (at < 1 || !PRODUCER.test(producer) || !/^(0|[1-9][0-9]*)$/.test(id.slice(at + 1)))
    throw new MsgIdError(id, "must be <producer>:<seq>");
  if (!Number.isSafeInteger(seq)) throw new MsgIdError(id, "seq is beyond 2^53");
  return { producer, seq };
}
