// The collectors this agent has, by protocol. A protocol missing here is
// reported (amoskys_agent_unsupported_collectors_total) and skipped.
import { createCaptureCollector } from "../capture/collector.ts";
import type { Service } from "../capture/wire.ts";
import type { CollectorContext } from "../collector.ts";
import type { CollectorFactories } from "../runtime.ts";
import { createFhirPoller } from "./fhir/fhir-poller.ts";
import { createFlowListener } from "./flows/index.ts";
import { createMllpListener } from "./hl7/mllp-listener.ts";
import { createModbusPoller } from "./modbus/index.ts";
import { createMqttCollector } from "./mqtt/index.ts";
import { createSnmpPoller, createSnmpScheduler, createTrapReceiver } from "./snmp/index.ts";
import { createSyslogListener } from "./syslog/index.ts";

export function defaultFactories(ctx: CollectorContext): CollectorFactories {
  // One bound on SNMP requests in flight for all of the agent's devices.
  const scheduler = createSnmpScheduler({ registry: ctx.registry });
  return {
    poll: {
      snmp: (d, c) => createSnmpPoller(d, c, { scheduler }),
      modbus: (d, c) => createModbusPoller(d, c),
      mqtt: (d, c) => createMqttCollector(d, c),
      fhir: (d, c) => createFhirPoller(d, c),
    },
    listen: {
      syslog: (o, dir, c) => createSyslogListener(o, dir, c),
      hl7: (o, dir, c) => createMllpListener(o, dir, c),
      flows: (o, dir, c) => createFlowListener(o, dir, c),
      snmpTraps: (o, dir, c) => createTrapReceiver(o, dir, c),
    },
    capture: (o, dir, c) => {
      const services: Service[] = [];
      const transport = { modbus: "tcp", mqtt: "tcp", syslog: "udp", snmp: "udp" } as const;
      for (const [protocol, ports] of Object.entries(o.ports ?? {}) as [
        keyof typeof transport,
        number[],
      ][]) {
        for (const port of ports) services.push({ protocol, transport: transport[protocol], port });
      }
      return createCaptureCollector(
        { interface: o.interface, ...(o.bpf && { bpf: o.bpf }), services },
        dir,
        c,
      );
    },
  };
}
