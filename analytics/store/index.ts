// Durable storage of analytics in PostgreSQL.
export * from "./checkpoints.ts";
export * from "./findings.ts";
export * from "./maintenance.ts";
export * from "./migrate.ts";
export * from "./partitions.ts";
export * from "./pool.ts";
export { batchRows, PARTITIONED_TABLES, TABLES } from "./rows.ts";
export * from "./verifier-state.ts";
export * from "./write.ts";
