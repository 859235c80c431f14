// operator/manifests: pure builders of what the operator wants to exist. No
// client, no clock, no randomness: inputs in, objects out.
export * from "./agent-config.ts";
export * from "./bus.ts";
export * from "./collector.ts";
export * from "./conditions.ts";
export * from "./errors.ts";
export * from "./names.ts";
export * from "./quantity.ts";
export * from "./selection.ts";
export * from "./signing-key.ts";
export * from "./trust.ts";
export * from "./validate.ts";
