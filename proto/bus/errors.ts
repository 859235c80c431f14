// Typed errors of the bus. Each carries a name and the value at fault, so a
// caller can branch on the class and a log line says what was wrong.

/** A bus configuration value is invalid; `path` names the field. */
export class BusConfigError extends Error {
  override readonly name = "BusConfigError";
  readonly path: string;
  readonly value: unknown;
  constructor(path: string, value: unknown, reason: string) {
    super(`${path}: ${reason} (got ${JSON.stringify(value)})`);
    this.path = path;
    this.value = value;
  }
}

/** A namespace or device name that cannot be put into a telemetry subject. */
export class SubjectNameError extends Error {
  override readonly name = "SubjectNameError";
  readonly part: "namespace" | "device";
  readonly value: string;
  constructor(part: "namespace" | "device", value: string, reason: string) {
    super(`${part} ${JSON.stringify(value)}: ${reason}`);
    this.part = part;
    this.value = value;
  }
}

/** A subject that is not `amoskys.telemetry.<namespace>.<device>`. */
export class TelemetrySubjectError extends Error {
  override readonly name = "TelemetrySubjectError";
  readonly subject: string;
  constructor(subject: string, reason: string, options?: ErrorOptions) {
    super(`subject ${JSON.stringify(subject)}: ${reason}`, options);
    this.subject = subject;
  }
}

/** A producer id or sequence number that cannot form a message id. */
export class MsgIdError extends Error {
  override readonly name = "MsgIdError";
  readonly value: unknown;
  constructor(value: unknown, reason: string) {
    super(`message id part ${JSON.stringify(String(value))}: ${reason}`);
    this.value = value;
  }
}

/** An existing stream or consumer differs from the wanted one in a field that cannot be updated. */
export class ConfigConflictError extends Error {
  override readonly name = "ConfigConflictError";
  /** "stream NAME" or "consumer STREAM/DURABLE". */
  readonly resource: string;
  readonly field: string;
  readonly wanted: unknown;
  readonly actual: unknown;
  constructor(resource: string, field: string, wanted: unknown, actual: unknown) {
    super(
      `${resource}: ${field} is ${JSON.stringify(actual)}, wanted ${JSON.stringify(wanted)}, and cannot be updated`,
    );
    this.resource = resource;
    this.field = field;
    this.wanted = wanted;
    this.actual = actual;
  }
}

/** The server refused a publish for a reason a retry cannot fix. */
export class PublishRejectedError extends Error {
  override readonly name = "PublishRejectedError";
  readonly subject: string;
  readonly msgId: string;
  readonly attempts: number;
  constructor(subject: string, msgId: string, attempts: number, options?: ErrorOptions) {
    super(`publish ${msgId} to ${subject} rejected: ${reasonOf(options)}`, options);
    this.subject = subject;
    this.msgId = msgId;
    this.attempts = attempts;
  }
}

/** Transient failures went on past the publisher's retry deadline. */
export class PublishDeadlineError extends Error {
  override readonly name = "PublishDeadlineError";
  readonly subject: string;
  readonly msgId: string;
  readonly attempts: number;
  readonly elapsedMs: number;
  constructor(
    subject: string,
    msgId: string,
    attempts: number,
    elapsedMs: number,
    options?: ErrorOptions,
  ) {
    super(
      `publish ${msgId} to ${subject} not stored after ${attempts} attempts in ${Math.round(elapsedMs)} ms: ${reasonOf(options)}`,
      options,
    );
    this.subject = subject;
    this.msgId = msgId;
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/** publish() after close(). */
export class PublisherClosedError extends Error {
  override readonly name = "PublisherClosedError";
  readonly subject: string;
  readonly msgId: string;
  constructor(subject: string, msgId: string) {
    super(`publish ${msgId} to ${subject}: publisher is closed`);
    this.subject = subject;
    this.msgId = msgId;
  }
}

/** ack/nak/term on a delivery that was already settled. */
export class DeliverySettledError extends Error {
  override readonly name = "DeliverySettledError";
  readonly streamSeq: number;
  readonly msgId: string;
  readonly settledAs: string;
  constructor(streamSeq: number, msgId: string, settledAs: string) {
    super(`delivery ${msgId} (stream seq ${streamSeq}) is already settled (${settledAs})`);
    this.streamSeq = streamSeq;
    this.msgId = msgId;
    this.settledAs = settledAs;
  }
}

/**
 * The server did not confirm an ack. The message may or may not count as
 * acknowledged; if not, it is redelivered after the ack wait.
 */
export class AckFailedError extends Error {
  override readonly name = "AckFailedError";
  readonly streamSeq: number;
  readonly msgId: string;
  constructor(streamSeq: number, msgId: string, options?: ErrorOptions) {
    super(`ack of ${msgId} (stream seq ${streamSeq}) not confirmed: ${reasonOf(options)}`, options);
    this.streamSeq = streamSeq;
    this.msgId = msgId;
  }
}

function reasonOf(options?: ErrorOptions): string {
  const c = options?.cause;
  return c instanceof Error ? c.message : String(c ?? "unknown");
}
