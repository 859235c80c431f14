// The message bus: conventions, provisioning, and the JetStream and
// in-process implementations of one Publisher/Consumer contract.
export { CONSUMER_DEFAULTS, PUBLISHER_DEFAULTS } from "./config.ts";
export * from "./conventions.ts";
export * from "./errors.ts";
export * from "./memory.ts";
export { newBusMetrics, snapshotMetrics } from "./metrics.ts";
export * from "./nats.ts";
export * from "./provision.ts";
export type * from "./types.ts";
