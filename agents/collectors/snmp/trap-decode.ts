// Pure decoding for the trap receiver: a bounded look at a datagram's SNMP
// header (version, community) before net-snmp parses it, and the mapping of
// a decoded notification PDU to the Trap message (RFC 3584 for v1).
import { isException, T, textValue, typeName } from "./values.ts";

export type SnmpVersion = "v1" | "v2c" | "v3";

export type Header =
  | { ok: true; version: SnmpVersion; community?: string; pduTag?: number }
  | { ok: false; reason: string };

/** Largest datagram we look at; SNMP over UDP is well under this. */
export const MAX_DATAGRAM = 65_507;
const MAX_COMMUNITY = 255;

export const PDU_TRAP_V1 = 0xa4;
export const PDU_INFORM = 0xa6;
export const PDU_TRAP_V2 = 0xa7;

/** Reads a BER tag and definite length at `at`; the content must fit in `b`. */
function tlv(b: Uint8Array, at: number): { tag: number; start: number; end: number } | string {
  if (at + 2 > b.length) return "truncated header";
  const tag = b[at] as number;
  let len = b[at + 1] as number;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) return "indefinite length";
    if (n > 3) return "length field too long";
    if (start + n > b.length) return "truncated length";
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[start + i] as number);
    start += n;
  }
  if (start + len > b.length) return "length beyond datagram";
  return { tag, start, end: start + len };
}

/** Version and community of an SNMP message, without trusting any length in it. */
export function peekHeader(b: Uint8Array): Header {
  if (b.length === 0) return { ok: false, reason: "empty datagram" };
  if (b.length > MAX_DATAGRAM) return { ok: false, reason: "datagram too large" };
  if (b[0] !== 0x30) return { ok: false, reason: "not an SNMP message (no SEQUENCE)" };
  const msg = tlv(b, 0);
  if (typeof msg === "string") return { ok: false, reason: msg };
  const ver = tlv(b, msg.start);
  if (typeof ver === "string") return { ok: false, reason: ver };
  if (ver.tag !== 0x02 || ver.end - ver.start < 1 || ver.end - ver.start > 4)
    return { ok: false, reason: "bad version field" };
  let v = 0;
  for (let i = ver.start; i < ver.end; i++) v = v * 256 + (b[i] as number);
  if (v === 3) return { ok: true, version: "v3" };
  if (v !== 0 && v !== 1) return { ok: false, reason: `unsupported SNMP version ${v}` };
  const com = tlv(b, ver.end);
  if (typeof com === "string") return { ok: false, reason: com };
  if (com.tag !== 0x04) return { ok: false, reason: "bad community field" };
  if (com.end - com.start > MAX_COMMUNITY) return { ok: false, reason: "community too long" };
  const community = Buffer.from(b.subarray(com.start, com.end)).toString("latin1");
  const pduTag = com.end < b.length ? (b[com.end] as number) : undefined;
  if (pduTag === undefined) return { ok: false, reason: "no PDU" };
  return { ok: true, version: v === 0 ? "v1" : "v2c", community, pduTag };
}

export interface TrapVarbind {
  oid: string;
  type: string;
  value: string;
}

export interface TrapFields {
  version: SnmpVersion;
  inform: boolean;
  trapOid: string;
  enterprise: string;
  agentAddress: string;
  genericTrap: number;
  specificTrap: number;
  uptime: number;
  securityName: string;
  varbinds: TrapVarbind[];
}

/** Varbinds kept per notification; the rest are dropped (counted in the reason of none: they are just cut). */
export const MAX_VARBINDS = 128;

const SYS_UPTIME_0 = "1.3.6.1.2.1.1.3.0";
const SNMP_TRAP_OID_0 = "1.3.6.1.6.3.1.1.4.1.0";
const SNMP_TRAP_ENTERPRISE_0 = "1.3.6.1.6.3.1.1.4.3.0";
const SNMP_TRAP_ADDRESS_0 = "1.3.6.1.6.3.18.1.3.0";
/** RFC 3584 3.1: generic traps 0..5 are snmpTraps.(generic+1). */
const SNMP_TRAPS = "1.3.6.1.6.3.1.1.5";

/** What net-snmp's receiver hands over (its pdu object), loosely typed: it is decoded hostile input. */
export interface RawPdu {
  type?: unknown;
  enterprise?: unknown;
  agentAddr?: unknown;
  generic?: unknown;
  specific?: unknown;
  upTime?: unknown;
  varbinds?: unknown;
}

function u32(x: unknown): number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffffffff ? x : 0;
}

function str(x: unknown, max = 256): string {
  return typeof x === "string" ? x.slice(0, max) : "";
}

/** RFC 3584 section 3.1: the SNMPv2 snmpTrapOID of an SNMPv1 trap. */
export function v1TrapOid(enterprise: string, generic: number, specific: number): string {
  if (generic >= 0 && generic <= 5) return `${SNMP_TRAPS}.${generic + 1}`;
  return `${enterprise}.0.${specific}`;
}

function varbindsOf(raw: unknown): TrapVarbind[] {
  if (!Array.isArray(raw)) return [];
  const out: TrapVarbind[] = [];
  for (const vb of raw.slice(0, MAX_VARBINDS + 3)) {
    if (!vb || typeof vb !== "object") continue;
    const { oid, type, value } = vb as { oid?: unknown; type?: unknown; value?: unknown };
    if (typeof oid !== "string") continue;
    const t = typeof type === "number" ? type : undefined;
    out.push({
      oid: oid.slice(0, 512),
      type: typeName(t),
      value: isException(t) ? "" : textValue(t, value),
    });
  }
  return out;
}

/**
 * The Trap fields of a notification PDU net-snmp decoded, or why it is not a
 * usable notification. `agentAddress` falls back to the datagram's source.
 */
export function toTrap(
  version: SnmpVersion,
  pdu: RawPdu,
  source: string,
  securityName: string,
): { ok: true; trap: TrapFields } | { ok: false; reason: string } {
  const type = pdu.type;
  if (type === PDU_TRAP_V1) {
    const enterprise = str(pdu.enterprise, 512);
    const generic = u32(pdu.generic);
    const specific = u32(pdu.specific);
    return {
      ok: true,
      trap: {
        version,
        inform: false,
        trapOid: v1TrapOid(enterprise, generic, specific),
        enterprise,
        agentAddress: str(pdu.agentAddr, 64) || source,
        genericTrap: generic,
        specificTrap: specific,
        uptime: u32(pdu.upTime),
        securityName,
        varbinds: varbindsOf(pdu.varbinds).slice(0, MAX_VARBINDS),
      },
    };
  }
  if (type !== PDU_TRAP_V2 && type !== PDU_INFORM)
    return { ok: false, reason: `not a notification (PDU type ${String(type)})` };
  const all = varbindsOf(pdu.varbinds);
  const rawVbs = Array.isArray(pdu.varbinds)
    ? (pdu.varbinds as { oid?: unknown; type?: unknown; value?: unknown }[])
    : [];
  const trapOidVb = rawVbs.find((v) => v?.oid === SNMP_TRAP_OID_0);
  if (!trapOidVb || trapOidVb.type !== T.OID || typeof trapOidVb.value !== "string")
    return { ok: false, reason: "no snmpTrapOID.0 varbind" };
  const upVb = rawVbs.find((v) => v?.oid === SYS_UPTIME_0);
  const entVb = all.find((v) => v.oid === SNMP_TRAP_ENTERPRISE_0);
  const addrVb = all.find((v) => v.oid === SNMP_TRAP_ADDRESS_0);
  return {
    ok: true,
    trap: {
      version,
      inform: type === PDU_INFORM,
      trapOid: trapOidVb.value.slice(0, 512),
      enterprise: entVb?.value ?? "",
      agentAddress: addrVb?.value || source,
      genericTrap: 0,
      specificTrap: 0,
      uptime: upVb?.type === T.TimeTicks ? u32(upVb.value) : 0,
      securityName,
      varbinds: all
        .filter((v) => v.oid !== SYS_UPTIME_0 && v.oid !== SNMP_TRAP_OID_0)
        .slice(0, MAX_VARBINDS),
    },
  };
}
