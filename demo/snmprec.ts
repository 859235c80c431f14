// The snmpsim recording format (.snmprec): one `OID|TAG|VALUE` per line, tags
// from the BER types (2 Integer, 4 OctetString, 4x hex OctetString, 5 Null,
// 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque,
// 70 Counter64). Variation modules (`TAG:module|params`) are snmpsim's own
// simulation; the demo serves their `initial=` value (or skips the line).
import snmp from "net-snmp";

export interface SnmprecEntry {
  oid: string;
  type: snmp.ObjectType;
  value: number | string | Buffer | null;
}

const OID = /^\d+(\.\d+)+$/;
const MAX_LINES = 100_000;

/** Parses a recording; lines it cannot read are counted in `skipped`, never thrown. */
export function parseSnmprec(text: string): { entries: SnmprecEntry[]; skipped: number } {
  const entries: SnmprecEntry[] = [];
  let skipped = 0;
  const lines = text.split(/\r?\n/);
  for (const line of lines.slice(0, MAX_LINES)) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [oid = "", rawTag = "", ...rest] = line.split("|");
    let value = rest.join("|");
    const [tag = "", variation] = rawTag.split(":");
    if (!OID.test(oid)) {
      skipped++;
      continue;
    }
    if (variation) {
      const initial = /(?:^|,)initial=([^,]*)/.exec(value)?.[1];
      if (initial === undefined) {
        skipped++;
        continue;
      }
      value = initial;
    }
    const e = entry(oid, tag, value);
    if (e) entries.push(e);
    else skipped++;
  }
  return { entries, skipped: skipped + Math.max(0, lines.length - MAX_LINES) };
}

function entry(oid: string, tag: string, value: string): SnmprecEntry | undefined {
  const hex = tag.endsWith("x");
  const base = hex ? tag.slice(0, -1) : tag;
  const bytes = () => (hex ? Buffer.from(value, "hex") : Buffer.from(value, "utf8"));
  const int = (min: number, max: number) => {
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const T = snmp.ObjectType;
  const num = (type: snmp.ObjectType, min: number, max: number) => {
    const n = int(min, max);
    return n === undefined ? undefined : { oid, type, value: n };
  };
  switch (base) {
    case "2":
      return num(T.Integer, -(2 ** 31), 2 ** 31 - 1);
    case "4":
      return { oid, type: T.OctetString, value: bytes() };
    case "5":
      return { oid, type: T.Null, value: null };
    case "6":
      return OID.test(value) ? { oid, type: T.OID, value } : undefined;
    case "64": {
      const ip = hex ? [...Buffer.from(value, "hex")].join(".") : value;
      return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? { oid, type: T.IpAddress, value: ip } : undefined;
    }
    case "65":
      return num(T.Counter, 0, 2 ** 32 - 1);
    case "66":
      return num(T.Gauge, 0, 2 ** 32 - 1);
    case "67":
      return num(T.TimeTicks, 0, 2 ** 32 - 1);
    case "68":
      return { oid, type: T.Opaque, value: bytes() };
    case "70":
      return num(T.Counter64, 0, Number.MAX_SAFE_INTEGER);
    default:
      return undefined;
  }
}
