// The syslog collector's public surface, for the agent runtime.
export { createFramer, type FrameItem, type Framer } from "./framing.ts";
export {
  createSyslogListener,
  type SyslogListener,
  type SyslogListenerOptions,
} from "./listener.ts";
export { type ParsedSyslog, type ParseOptions, parseSyslog, type SyslogParse } from "./parse.ts";
