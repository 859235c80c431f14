// Which Device a pushed message belongs to, by the address it came from.
import type { AgentDevice, DeviceDirectory } from "./collector.ts";

type Pushed = Parameters<DeviceDirectory["bySource"]>[0];

function sources(d: AgentDevice, protocol: Pushed): string[] | undefined {
  switch (protocol) {
    case "syslog":
      return d.syslog && (d.syslog.sourceAddresses.length ? d.syslog.sourceAddresses : [d.address]);
    case "hl7":
      return d.hl7 && (d.hl7.sourceAddresses.length ? d.hl7.sourceAddresses : [d.address]);
    case "flows":
      return d.flows && [d.flows.exporterAddress];
    case "snmpTraps":
      return d.snmp && [d.address];
  }
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1, as dual-stack sockets report) is the IPv4 address. */
export function normalizeIp(ip: string): string {
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

/** A directory over a device list; `replace` swaps the list on a config reload. */
export function createDirectory(initial: readonly AgentDevice[]): DeviceDirectory & {
  replace(devices: readonly AgentDevice[]): void;
} {
  let devices = initial;
  let index = new Map<string, AgentDevice>();
  const build = () => {
    index = new Map();
    for (const d of devices) {
      for (const p of ["syslog", "hl7", "flows", "snmpTraps"] as const) {
        for (const ip of sources(d, p) ?? []) {
          const k = `${p} ${normalizeIp(ip)}`;
          if (!index.has(k)) index.set(k, d);
        }
      }
      const k = `addr ${normalizeIp(d.address)}`;
      if (!index.has(k)) index.set(k, d);
    }
  };
  build();
  return {
    bySource: (protocol, ip) => index.get(`${protocol} ${normalizeIp(ip)}`),
    byAddress: (ip) => index.get(`addr ${normalizeIp(ip)}`),
    all: () => devices,
    replace(next) {
      devices = next;
      build();
    },
  };
}
