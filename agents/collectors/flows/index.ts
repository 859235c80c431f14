// NetFlow v5 / v9 / IPFIX collector: what the agent runtime wires.
export { type DecodeError, type DecodeResult, decodeNetflow, type FlowRecord } from "./decode.ts";
export { createFlowListener, type FlowListener, type FlowListenerOptions } from "./listener.ts";
export { TemplateCache, type TemplateCacheOptions } from "./templates.ts";
