// The Modbus/TCP collector: what the agent runtime wires (poll.modbus).

export { decodeResponsePdu, decodeResponseStream, takeAdu } from "./frame.ts";
export { type PlannedRead, type PlanOptions, planReads, validateModbus } from "./plan.ts";
export { createModbusPoller, type ModbusPollerOptions } from "./poller.ts";
export { decodeValue, type ModbusRegister } from "./value.ts";
