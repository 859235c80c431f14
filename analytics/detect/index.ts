// Detection: DetectionRules compiled into matchers over TelemetryEvents.
export { type BaselineState, SAMPLE } from "./baseline.ts";
export { type Compiled, type CompiledRule, compileRule, parseDuration } from "./compile.ts";
export {
  createEngine,
  describe,
  type Engine,
  type EngineOptions,
  type EngineStats,
  MAX_EVIDENCE,
  MAX_NOVELTY_VALUES,
} from "./engine.ts";
export { bodyKind, compilePath, eventTimeMs, read } from "./fields.ts";
export { compileSelector, type DeviceLookup, RuleError } from "./selector.ts";
