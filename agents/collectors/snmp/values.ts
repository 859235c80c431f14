// Pure conversions of net-snmp varbind values: SNMP type names, numbers (with
// Counter64 as bigint) and text. No I/O.

/** SNMP/ASN.1 type names by BER tag, as the Trap proto's Varbind.type spells them. */
export const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "Boolean",
  2: "Integer",
  3: "BitString",
  4: "OctetString",
  5: "Null",
  6: "ObjectIdentifier",
  64: "IpAddress",
  65: "Counter32",
  66: "Gauge32",
  67: "TimeTicks",
  68: "Opaque",
  70: "Counter64",
  128: "NoSuchObject",
  129: "NoSuchInstance",
  130: "EndOfMibView",
};

export const T = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

export function typeName(type: number | undefined): string {
  return (type !== undefined && TYPE_NAMES[type]) || `Unknown(${type})`;
}

/** True for the v2 exception values (the object or instance does not exist, end of view). */
export function isException(type: number | undefined): boolean {
  return type === T.NoSuchObject || type === T.NoSuchInstance || type === T.EndOfMibView;
}

/** Big-endian unsigned integer of at most 9 bytes (a Counter64 with its sign octet). */
export function bufferToBigInt(b: Uint8Array): bigint | undefined {
  if (b.length === 0 || b.length > 9) return undefined;
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  return v & 0xffff_ffff_ffff_ffffn;
}

/**
 * The numeric value of an integer-typed varbind (Integer, Counter32, Gauge32,
 * TimeTicks, Counter64), or undefined for anything else. Counter64 is a bigint
 * so wrap arithmetic stays exact.
 */
export function numericValue(
  type: number | undefined,
  value: unknown,
): number | bigint | undefined {
  switch (type) {
    case T.Integer:
    case T.Counter32:
    case T.Gauge32:
    case T.TimeTicks:
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case T.Counter64:
      if (typeof value === "bigint") return value;
      if (typeof value === "number") return BigInt(Math.trunc(value));
      return value instanceof Uint8Array ? bufferToBigInt(value) : undefined;
    default:
      return undefined;
  }
}

/** True when the bytes are valid UTF-8 text without control characters other than tab/CR/LF. */
function isPrintable(b: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

/** At most this many characters of text per value (hostile agents send long strings). */
export const MAX_TEXT = 1024;

/** Octet strings as UTF-8 when printable, else lower-case hex; numbers in decimal. */
export function textValue(type: number | undefined, value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = "";
  else if (value instanceof Uint8Array) {
    if (type === T.Counter64) s = (bufferToBigInt(value) ?? 0n).toString();
    else if (isPrintable(value)) s = Buffer.from(value).toString("utf8");
    else s = Buffer.from(value).toString("hex");
  } else if (typeof value === "string") s = value;
  else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
    s = String(value);
  else s = "";
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}

/**
 * A number at the start of a text value, with a unit word some vendors append
 * ("52 PERCENT", "512 MB", "0.0 GB"); MB/GB/KB become bytes.
 */
export function parseLeadingNumber(text: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]*)/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  const unit = (m[2] ?? "").toUpperCase();
  const mult: Record<string, number> = { KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
  return n * (mult[unit] ?? 1);
}

/** True if `oid` lies strictly under `base` (dotted numeric strings). */
export function oidUnder(base: string, oid: string): boolean {
  return oid.length > base.length + 1 && oid.startsWith(base) && oid[base.length] === ".";
}

/** A dotted numeric OID of at most 128 arcs (what the CRD and the BER allow). */
export function isOid(s: string): boolean {
  return /^[0-2](\.(0|[1-9]\d{0,9})){1,127}$/.test(s);
}
