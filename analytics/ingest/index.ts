// Durable ingest of signed telemetry from JetStream into Postgres.
export * from "./gaps.ts";
export * from "./ingest.ts";
export * from "./trust.ts";
