// The SNMP collectors: a poller per Device with spec.snmp, one trap receiver,
// and the shared scheduler that bounds polls in flight.
export {
  createSnmpPoller,
  type PollResult,
  type SnmpPoller,
  type SnmpPollerOptions,
  validateSnmp,
} from "./poller.ts";
export { buildPlan, PROFILES } from "./profiles.ts";
export { createSnmpScheduler, type SnmpScheduler } from "./scheduler.ts";
export { createTrapReceiver, type TrapReceiver, type TrapReceiverOptions } from "./traps.ts";
