// SNMP (UDP 161 requests/responses, 162 traps and informs), decoded from the
// BER of each datagram: version, community (v1/v2c), PDU type, request id,
// error status, the first OIDs; for v3 the message flags and, when the PDU
// is not encrypted, the user name and the PDU. Bounded: nesting, lengths,
// OID arcs and varbind count.
import type { Report } from "./types.ts";

export const MAX_OIDS = 32;
const MAX_OID_ARCS = 128;

interface Tlv {
  tag: number;
  /** Content bytes. */
  v: Uint8Array;
  /** Offset just after this TLV in the parent. */
  end: number;
}

/** Reads one TLV at `at`; definite lengths only (SNMP forbids indefinite ones). */
function tlv(b: Uint8Array, at: number): Tlv | string {
  if (at + 2 > b.length) return "BER: truncated header";
  const tag = b[at] as number;
  if ((tag & 0x1f) === 0x1f) return "BER: multi-byte tags are not SNMP";
  let len = b[at + 1] as number;
  let o = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return "BER: unsupported length form";
    if (o + n > b.length) return "BER: truncated length";
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[o + i] as number);
    o += n;
  }
  if (o + len > b.length) return "BER: length beyond datagram";
  return { tag, v: b.subarray(o, o + len), end: o + len };
}

/** Children of a constructed value, in order, bounded in count. */
function children(v: Uint8Array, max: number): Tlv[] | string {
  const out: Tlv[] = [];
  for (let at = 0; at < v.length; ) {
    if (out.length >= max) break;
    const t = tlv(v, at);
    if (typeof t === "string") return t;
    out.push(t);
    at = t.end;
  }
  return out;
}

function int(v: Uint8Array): number | string {
  if (v.length === 0 || v.length > 6) return "BER: integer size";
  let n = (v[0] as number) & 0x80 ? -1 : 0;
  for (const x of v) n = n * 256 + x;
  return n;
}

function unsigned(v: Uint8Array): number | string {
  if (v.length === 0 || v.length > 7) return "BER: integer size";
  let n = 0;
  for (const x of v) n = n * 256 + x;
  return n;
}

export function oidString(v: Uint8Array): string | undefined {
  if (v.length === 0) return undefined;
  const arcs: number[] = [];
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    n = n * 128 + (x & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 256) return undefined;
    if (x & 0x80) continue;
    if (arcs.length === 0) {
      const first = n < 40 ? 0 : n < 80 ? 1 : 2;
      arcs.push(first, n - first * 40);
    } else arcs.push(n);
    if (arcs.length > MAX_OID_ARCS) return undefined;
    n = 0;
  }
  if ((v[v.length - 1] as number) & 0x80) return undefined;
  return arcs.join(".");
}

const PDU_TYPES: Record<number, string> = {
  160: "get",
  161: "getnext",
  162: "response",
  163: "set",
  164: "trap",
  165: "getbulk",
  166: "inform",
  167: "v2trap",
  168: "report",
};

const ACTIONS: Record<string, string> = {
  get: "request",
  getnext: "request",
  getbulk: "request",
  set: "request",
  response: "response",
  report: "response",
  trap: "trap",
  v2trap: "trap",
  inform: "trap",
};

const text = (v: Uint8Array) => Buffer.from(v).toString("latin1");

type Decoded = { action: string; fields: Record<string, string> } | { error: string };

/** Decodes one SNMP datagram. Exposed for fuzzing. */
export function decodeSnmp(msg: Uint8Array): Decoded {
  const top = tlv(msg, 0);
  if (typeof top === "string") return { error: top };
  if (top.tag !== 0x30) return { error: "not SNMP (no outer SEQUENCE)" };
  const parts = children(top.v, 4);
  if (typeof parts === "string") return { error: parts };
  const [ver, second, third, fourth] = parts;
  if (ver?.tag !== 0x02) return { error: "SNMP: missing version" };
  const version = int(ver.v);
  if (typeof version === "string") return { error: version };
  if (version === 0 || version === 1) {
    if (second?.tag !== 0x04 || !third) return { error: "SNMP: missing community or PDU" };
    const fields: Record<string, string> = {
      version: version === 0 ? "1" : "2c",
      community: text(second.v),
    };
    return pdu(third, fields);
  }
  if (version === 3) {
    if (second?.tag !== 0x30 || !third || third.tag !== 0x04 || !fourth) {
      return { error: "SNMPv3: missing header, security parameters or data" };
    }
    const g = children(second.v, 4);
    if (typeof g === "string") return { error: g };
    const [msgId, , flagsT, modelT] = g;
    if (!msgId || !flagsT || flagsT.tag !== 0x04 || flagsT.v.length !== 1 || !modelT) {
      return { error: "SNMPv3: bad global header" };
    }
    const flags = flagsT.v[0] as number;
    const fields: Record<string, string> = {
      version: "3",
      msgId: String(int(msgId.v)),
      msgFlags: String(flags),
      authenticated: String((flags & 1) !== 0),
      encrypted: String((flags & 2) !== 0),
      reportable: String((flags & 4) !== 0),
      securityModel: String(int(modelT.v)),
    };
    // USM security parameters (an OCTET STRING holding a SEQUENCE).
    const usm = tlv(third.v, 0);
    if (typeof usm !== "string" && usm.tag === 0x30) {
      const u = children(usm.v, 6);
      if (typeof u !== "string") {
        const [engine, boots, time, user] = u;
        if (engine?.tag === 0x04) fields.engineId = Buffer.from(engine.v).toString("hex");
        // Some agents encode these without the leading zero byte: read them unsigned.
        if (boots?.tag === 0x02) fields.engineBoots = String(unsigned(boots.v));
        if (time?.tag === 0x02) fields.engineTime = String(unsigned(time.v));
        if (user?.tag === 0x04) fields.userName = text(user.v);
      }
    }
    if (fourth.tag === 0x04)
      return { action: "encrypted", fields: { ...fields, pduType: "encrypted" } };
    if (fourth.tag !== 0x30) return { error: "SNMPv3: bad scoped PDU" };
    const scoped = children(fourth.v, 3);
    if (typeof scoped === "string") return { error: scoped };
    const [ctxEngine, ctxName, p] = scoped;
    if (!ctxEngine || !ctxName || !p) return { error: "SNMPv3: short scoped PDU" };
    if (ctxName.tag === 0x04) fields.contextName = text(ctxName.v);
    return pdu(p, fields);
  }
  return { error: `SNMP: unknown version ${version}` };
}

function pdu(p: Tlv, fields: Record<string, string>): Decoded {
  const type = PDU_TYPES[p.tag];
  if (!type) return { error: `SNMP: unknown PDU tag 0x${p.tag.toString(16)}` };
  fields.pduType = type;
  const items = children(p.v, 6);
  if (typeof items === "string") return { error: items };
  let binds: Tlv | undefined;
  if (type === "trap") {
    const [ent, agent, generic, specific, time, vb] = items;
    if (!ent || !agent || !generic || !specific || !time || !vb)
      return { error: "SNMPv1 trap: short PDU" };
    fields.enterprise = oidString(ent.v) ?? "";
    if (agent.v.length === 4) fields.agentAddress = Array.from(agent.v).join(".");
    fields.genericTrap = String(int(generic.v));
    fields.specificTrap = String(int(specific.v));
    fields.timeStamp = String(unsigned(time.v));
    binds = vb;
  } else {
    const [rid, es, ei, vb] = items;
    if (!rid || !es || !ei || !vb) return { error: "SNMP: short PDU" };
    const id = int(rid.v);
    if (typeof id === "string") return { error: id };
    fields.requestId = String(id);
    if (type === "getbulk") {
      fields.nonRepeaters = String(int(es.v));
      fields.maxRepetitions = String(int(ei.v));
    } else {
      fields.errorStatus = String(int(es.v));
      fields.errorIndex = String(int(ei.v));
    }
    binds = vb;
  }
  if (binds.tag !== 0x30) return { error: "SNMP: bad varbind list" };
  const list = children(binds.v, MAX_OIDS + 1);
  if (typeof list === "string") return { error: list };
  const oids: string[] = [];
  for (const vb of list.slice(0, MAX_OIDS)) {
    const pair = children(vb.v, 2);
    if (typeof pair === "string") return { error: pair };
    const name = pair[0];
    if (vb.tag !== 0x30 || !name || name.tag !== 0x06) return { error: "SNMP: bad varbind" };
    const oid = oidString(name.v);
    if (oid === undefined) return { error: "SNMP: bad OID" };
    oids.push(oid);
  }
  fields.oids = oids.join(",");
  fields.oidCount = String(list.length);
  if (list.length > MAX_OIDS) fields.oidsTruncated = "true";
  return { action: ACTIONS[type] ?? type, fields };
}

export function snmpAnalyzer(payload: Uint8Array, fromClient: boolean, report: Report): void {
  const r = decodeSnmp(payload);
  if ("error" in r) report.malformed(r.error, payload);
  else report.event({ action: r.action, fromClient, fields: r.fields });
}
