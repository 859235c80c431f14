// What to poll: the built-in profiles (named in Device.spec.snmp.profiles)
// and the device's own oids/tables, as a plan of scalar GETs and table walks.
// Pure data and functions; OIDs were checked against the recordings in
// ../shared/testdata/snmp (see README.md for which device answers which).
import type { AgentSnmp } from "../../../operator/manifests/agent-config.ts";

/** gauge and counter become metrics; label is text that labels them; raw is read for derive only. */
export type ObjKind = "gauge" | "counter" | "label" | "raw";

export interface ScalarSpec {
  /** Metric name (gauge, counter) or label name (label). */
  metric: string;
  /** Full OID with the instance suffix. */
  oid: string;
  kind: ObjKind;
  unit?: string;
  /** Multiplier to the unit (tenths of a volt: 0.1). */
  scale?: number;
  /** Text with a number first ("52 PERCENT", "512 MB"). */
  parse?: "leadingNumber";
}

export interface ColumnSpec {
  metric: string;
  column: number;
  kind: ObjKind;
  unit?: string;
  scale?: number;
}

export interface RowCell {
  type: number | undefined;
  value: unknown;
}

export interface Row {
  index: string;
  cells: Map<number, RowCell>;
}

export interface DerivedMetric {
  metric: string;
  value: number;
  unit: string;
}

export interface TableSpec {
  /** The ...Entry OID; column c is entryOid.c. */
  entryOid: string;
  columns: ColumnSpec[];
  /** Tables with the same joinKey share row indexes, so their label columns label each other's rows (ifTable + ifXTable). */
  joinKey?: string;
  /** Metrics computed from several columns of a row (storage bytes = units x size). */
  derive?: (row: Row, num: (col: number) => number | undefined) => DerivedMetric[];
}

/** A MIB (or vendor variant) within a profile. A device that answers none of its objects does not implement it. */
export interface GroupSpec {
  profile: string;
  name: string;
  /** Metric (value 1) that carries the group's label scalars as labels. */
  infoMetric?: string;
  scalars: ScalarSpec[];
  tables: TableSpec[];
  /** Objects the user configured: missing ones always count (never "not implemented"). */
  custom?: boolean;
}

export interface Plan {
  groups: GroupSpec[];
  unknownProfiles: string[];
}

export const SYS_UPTIME = "1.3.6.1.2.1.1.3.0";

const g = (metric: string, oid: string, unit = "", scale?: number): ScalarSpec => ({
  metric,
  oid,
  kind: "gauge",
  unit,
  ...(scale !== undefined && { scale }),
});
const c = (metric: string, oid: string, unit = "1"): ScalarSpec => ({
  metric,
  oid,
  kind: "counter",
  unit,
});
const l = (label: string, oid: string): ScalarSpec => ({ metric: label, oid, kind: "label" });
const col = (
  metric: string,
  column: number,
  kind: ObjKind = "gauge",
  unit = "",
  scale?: number,
): ColumnSpec => ({ metric, column, kind, unit, ...(scale !== undefined && { scale }) });

// ENTITY-SENSOR-MIB entPhySensorScale: 9 = units, each step a factor 1000 (yocto 1 .. yotta 17).
function entitySensorValue(_row: Row, num: (col: number) => number | undefined): DerivedMetric[] {
  const value = num(4);
  const scale = num(2);
  const precision = num(3);
  if (value === undefined || scale === undefined || scale < 1 || scale > 17) return [];
  const p = precision !== undefined && precision >= -8 && precision <= 9 ? precision : 0;
  return [{ metric: "sensor.value", value: value * 1000 ** (scale - 9) * 10 ** -p, unit: "" }];
}

// HOST-RESOURCES-MIB hrStorage: sizes are in hrStorageAllocationUnits (column 4).
function hrStorageBytes(_row: Row, num: (col: number) => number | undefined): DerivedMetric[] {
  const units = num(4);
  const out: DerivedMetric[] = [];
  if (units === undefined || units <= 0) return out;
  const size = num(5);
  const used = num(6);
  if (size !== undefined) out.push({ metric: "hr.storage.size", value: size * units, unit: "By" });
  if (used !== undefined) out.push({ metric: "hr.storage.used", value: used * units, unit: "By" });
  return out;
}

const IF_ENTRY = "1.3.6.1.2.1.2.2.1";
const IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1";
const UPS = "1.3.6.1.2.1.33.1";
const XUPS = "1.3.6.1.4.1.534.1";
const RPDU = "1.3.6.1.4.1.318.1.1.12";

export const PROFILES: Readonly<Record<string, GroupSpec[]>> = {
  // SNMPv2-MIB system group.
  system: [
    {
      profile: "system",
      name: "SNMPv2-MIB",
      infoMetric: "sys.info",
      scalars: [
        l("sysDescr", "1.3.6.1.2.1.1.1.0"),
        l("sysObjectID", "1.3.6.1.2.1.1.2.0"),
        g("sys.uptime", SYS_UPTIME, "s", 0.01),
        l("sysContact", "1.3.6.1.2.1.1.4.0"),
        l("sysName", "1.3.6.1.2.1.1.5.0"),
        l("sysLocation", "1.3.6.1.2.1.1.6.0"),
      ],
      tables: [],
    },
  ],
  // IF-MIB: ifTable (32-bit counters) and ifXTable (names, 64-bit counters).
  "if-mib": [
    {
      profile: "if-mib",
      name: "ifTable",
      scalars: [],
      tables: [
        {
          entryOid: IF_ENTRY,
          joinKey: "ifIndex",
          columns: [
            col("ifDescr", 2, "label"),
            col("if.speed", 5, "gauge", "bit/s"),
            col("if.admin_status", 7),
            col("if.oper_status", 8),
            col("if.in.octets", 10, "counter", "By"),
            col("if.in.ucast_pkts", 11, "counter", "1"),
            col("if.in.discards", 13, "counter", "1"),
            col("if.in.errors", 14, "counter", "1"),
            col("if.out.octets", 16, "counter", "By"),
            col("if.out.ucast_pkts", 17, "counter", "1"),
            col("if.out.discards", 19, "counter", "1"),
            col("if.out.errors", 20, "counter", "1"),
          ],
        },
      ],
    },
    {
      profile: "if-mib",
      name: "ifXTable",
      scalars: [],
      tables: [
        {
          entryOid: IFX_ENTRY,
          joinKey: "ifIndex",
          columns: [
            col("ifName", 1, "label"),
            col("if.hc.in.octets", 6, "counter", "By"),
            col("if.hc.in.ucast_pkts", 7, "counter", "1"),
            col("if.hc.out.octets", 10, "counter", "By"),
            col("if.hc.out.ucast_pkts", 11, "counter", "1"),
            col("if.high_speed", 15, "gauge", "Mbit/s"),
          ],
        },
      ],
    },
  ],
  // HOST-RESOURCES-MIB: uptime, users, processes, CPU load, storage.
  "host-resources": [
    {
      profile: "host-resources",
      name: "hrSystem",
      scalars: [
        g("hr.system.uptime", "1.3.6.1.2.1.25.1.1.0", "s", 0.01),
        g("hr.system.users", "1.3.6.1.2.1.25.1.5.0", "1"),
        g("hr.system.processes", "1.3.6.1.2.1.25.1.6.0", "1"),
      ],
      tables: [],
    },
    {
      profile: "host-resources",
      name: "hrProcessorTable",
      scalars: [],
      tables: [
        { entryOid: "1.3.6.1.2.1.25.3.3.1", columns: [col("hr.processor.load", 2, "gauge", "%")] },
      ],
    },
    {
      profile: "host-resources",
      name: "hrStorageTable",
      scalars: [],
      tables: [
        {
          entryOid: "1.3.6.1.2.1.25.2.3.1",
          columns: [
            col("storage", 3, "label"),
            col("units", 4, "raw"),
            col("size", 5, "raw"),
            col("used", 6, "raw"),
          ],
          derive: hrStorageBytes,
        },
      ],
    },
  ],
  // UPS-MIB (RFC 1628) and Eaton's XUPS-MIB (the Eaton 9PX recording), to the same metric names.
  ups: [
    {
      profile: "ups",
      name: "UPS-MIB",
      scalars: [
        g("ups.battery.status", `${UPS}.2.1.0`),
        g("ups.battery.on_battery", `${UPS}.2.2.0`, "s"),
        g("ups.battery.runtime", `${UPS}.2.3.0`, "s", 60),
        g("ups.battery.charge", `${UPS}.2.4.0`, "%"),
        g("ups.battery.voltage", `${UPS}.2.5.0`, "V", 0.1),
        g("ups.battery.current", `${UPS}.2.6.0`, "A", 0.1),
        g("ups.battery.temperature", `${UPS}.2.7.0`, "Cel"),
        c("ups.input.line_bads", `${UPS}.3.1.0`),
        g("ups.output.source", `${UPS}.4.1.0`),
        g("ups.output.frequency", `${UPS}.4.2.0`, "Hz", 0.1),
        g("ups.alarms.present", `${UPS}.6.1.0`, "1"),
      ],
      tables: [
        {
          entryOid: `${UPS}.3.3.1`,
          columns: [
            col("ups.input.frequency", 2, "gauge", "Hz", 0.1),
            col("ups.input.voltage", 3, "gauge", "V"),
            col("ups.input.current", 4, "gauge", "A", 0.1),
            col("ups.input.power", 5, "gauge", "W"),
          ],
        },
        {
          entryOid: `${UPS}.4.4.1`,
          columns: [
            col("ups.output.voltage", 2, "gauge", "V"),
            col("ups.output.current", 3, "gauge", "A", 0.1),
            col("ups.output.power", 4, "gauge", "W"),
            col("ups.output.load", 5, "gauge", "%"),
          ],
        },
      ],
    },
    {
      profile: "ups",
      name: "XUPS-MIB",
      scalars: [
        g("ups.battery.runtime", `${XUPS}.2.1.0`, "s"),
        g("ups.battery.voltage", `${XUPS}.2.2.0`, "V"),
        g("ups.battery.current", `${XUPS}.2.3.0`, "A"),
        g("ups.battery.charge", `${XUPS}.2.4.0`, "%"),
        g("ups.input.frequency", `${XUPS}.3.1.0`, "Hz", 0.1),
        c("ups.input.line_bads", `${XUPS}.3.2.0`),
        g("ups.output.load", `${XUPS}.4.1.0`, "%"),
        g("ups.output.frequency", `${XUPS}.4.2.0`, "Hz", 0.1),
        g("ups.ambient.temperature", `${XUPS}.6.1.0`, "Cel"),
      ],
      tables: [
        {
          entryOid: `${XUPS}.3.4.1`,
          columns: [
            col("ups.input.voltage", 2, "gauge", "V"),
            col("ups.input.current", 3, "gauge", "A"),
            col("ups.input.power", 4, "gauge", "W"),
          ],
        },
        {
          entryOid: `${XUPS}.4.4.1`,
          columns: [
            col("ups.output.voltage", 2, "gauge", "V"),
            col("ups.output.current", 3, "gauge", "A"),
            col("ups.output.power", 4, "gauge", "W"),
          ],
        },
      ],
    },
  ],
  // APC PowerNet-MIB rPDU (the AP7902B recording): device power, bank/phase load, outlet state.
  pdu: [
    {
      profile: "pdu",
      name: "PowerNet-MIB-rPDU",
      infoMetric: "pdu.info",
      scalars: [
        l("name", `${RPDU}.1.1.0`),
        l("model", `${RPDU}.1.5.0`),
        g("pdu.rating.current", `${RPDU}.1.7.0`, "A"),
        g("pdu.outlets", `${RPDU}.1.8.0`, "1"),
        g("pdu.line_voltage", `${RPDU}.1.15.0`, "V"),
        g("pdu.power", `${RPDU}.1.16.0`, "W"),
        g("pdu.apparent_power", `${RPDU}.1.18.0`, "VA"),
      ],
      tables: [
        {
          entryOid: `${RPDU}.2.3.1.1`,
          columns: [
            col("pdu.load.current", 2, "gauge", "A", 0.1),
            col("pdu.load.state", 3),
            col("phase", 4, "label"),
            col("bank", 5, "label"),
          ],
        },
        {
          entryOid: `${RPDU}.3.5.1.1`,
          columns: [col("outlet", 2, "label"), col("pdu.outlet.state", 4)],
        },
      ],
    },
  ],
  // ENTITY-SENSOR-MIB (scaled to units) and Geist's WATCHDOG sensors (the Geist recording).
  sensor: [
    {
      profile: "sensor",
      name: "ENTITY-SENSOR-MIB",
      scalars: [],
      tables: [
        {
          entryOid: "1.3.6.1.2.1.99.1.1.1",
          columns: [
            col("type", 1, "label"),
            col("scale", 2, "raw"),
            col("precision", 3, "raw"),
            col("value", 4, "raw"),
            col("sensor.oper_status", 5),
            col("units", 6, "label"),
          ],
          derive: entitySensorValue,
        },
      ],
    },
    {
      profile: "sensor",
      name: "GEIST-WATCHDOG",
      scalars: [],
      tables: [
        {
          entryOid: "1.3.6.1.4.1.21239.5.1.2.1",
          columns: [
            col("sensor", 3, "label"),
            col("sensor.temperature", 5, "gauge", "Cel", 0.1),
            col("sensor.humidity", 6, "gauge", "%"),
          ],
        },
        {
          entryOid: "1.3.6.1.4.1.21239.5.1.4.1",
          columns: [col("sensor", 3, "label"), col("sensor.temperature", 5, "gauge", "Cel", 0.1)],
        },
      ],
    },
  ],
  // Hikvision HIK-DEVICE-MIB (the Hikvision recording): text values with units.
  camera: [
    {
      profile: "camera",
      name: "HIK-DEVICE-MIB",
      infoMetric: "camera.info",
      scalars: [
        l("model", "1.3.6.1.4.1.39165.1.1.0"),
        l("firmware", "1.3.6.1.4.1.39165.1.3.0"),
        l("manufacturer", "1.3.6.1.4.1.39165.1.6.0"),
        { ...g("camera.cpu.utilization", "1.3.6.1.4.1.39165.1.7.0", "%"), parse: "leadingNumber" },
        { ...g("camera.disk.size", "1.3.6.1.4.1.39165.1.8.0", "By"), parse: "leadingNumber" },
        { ...g("camera.disk.utilization", "1.3.6.1.4.1.39165.1.9.0", "%"), parse: "leadingNumber" },
        { ...g("camera.memory.size", "1.3.6.1.4.1.39165.1.10.0", "By"), parse: "leadingNumber" },
        {
          ...g("camera.memory.utilization", "1.3.6.1.4.1.39165.1.11.0", "%"),
          parse: "leadingNumber",
        },
      ],
      tables: [],
    },
  ],
  // BRIDGE-MIB basics, plus Cisco CPU and memory pools (the Catalyst 3560 recording).
  switch: [
    {
      profile: "switch",
      name: "BRIDGE-MIB",
      infoMetric: "bridge.info",
      scalars: [
        l("bridgeAddress", "1.3.6.1.2.1.17.1.1.0"),
        g("bridge.ports", "1.3.6.1.2.1.17.1.2.0", "1"),
        g("bridge.type", "1.3.6.1.2.1.17.1.3.0"),
      ],
      tables: [],
    },
    {
      profile: "switch",
      name: "CISCO-PROCESS-MIB",
      scalars: [],
      tables: [
        {
          entryOid: "1.3.6.1.4.1.9.9.109.1.1.1.1",
          columns: [
            col("cpu.utilization.5s", 6, "gauge", "%"),
            col("cpu.utilization.1m", 7, "gauge", "%"),
            col("cpu.utilization.5m", 8, "gauge", "%"),
          ],
        },
      ],
    },
    {
      profile: "switch",
      name: "CISCO-MEMORY-POOL-MIB",
      scalars: [],
      tables: [
        {
          entryOid: "1.3.6.1.4.1.9.9.48.1.1.1",
          columns: [
            col("pool", 2, "label"),
            col("memory.pool.used", 5, "gauge", "By"),
            col("memory.pool.free", 6, "gauge", "By"),
          ],
        },
      ],
    },
  ],
};

/** The groups to poll for a device: its profiles in order, then its own oids and tables. */
export function buildPlan(snmp: Pick<AgentSnmp, "profiles" | "oids" | "tables">): Plan {
  const groups: GroupSpec[] = [];
  const unknownProfiles: string[] = [];
  for (const p of new Set(snmp.profiles)) {
    const gs = PROFILES[p];
    if (gs) groups.push(...gs);
    else unknownProfiles.push(p);
  }
  if (snmp.oids.length) {
    groups.push({
      profile: "custom",
      name: "oids",
      custom: true,
      scalars: snmp.oids.map((o) => ({
        metric: o.name,
        oid: o.oid,
        kind: o.type,
        unit: o.unit ?? "",
      })),
      tables: [],
    });
  }
  for (const t of snmp.tables) {
    groups.push({
      profile: "custom",
      name: t.name,
      custom: true,
      scalars: [],
      tables: [
        {
          entryOid: t.baseOid,
          columns: t.columns.map((x) => ({
            metric: x.type === "label" ? x.name : `${t.name}.${x.name}`,
            column: x.column,
            kind: x.type,
            unit: x.unit ?? "",
          })),
        },
      ],
    });
  }
  return { groups, unknownProfiles };
}
