// A spec the CRD schema accepts but the operator cannot render. Terminal: the
// profile gets Ready=False reason InvalidSpec with the message, and nothing is
// retried until the object changes.

/** One problem, at the field it concerns (a path into the object, e.g. spec.listeners.flows). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}

/** Every problem of one object; the message lists them all. */
export class InvalidSpecError extends Error {
  override readonly name = "InvalidSpecError";
  readonly errors: readonly ConfigError[];
  constructor(errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
}
