// Pure NetFlow v5 / v9 (RFC 3954) and IPFIX (RFC 7011) decoding: a datagram
// and the template cache in, flow records and counted errors out. No I/O and
// no exceptions: every length and count is checked against the bytes that are
// really there, and what does not fit becomes an error with a short reason
// (a metric label, so the set of reasons is fixed).
import { IE, NTP_EPOCH_OFFSET_S } from "./ies.ts";
import {
  type PendingSet,
  type Template,
  type TemplateCache,
  type TemplateField,
  templateKey,
} from "./templates.ts";

export interface FlowRecord {
  srcAddress: string;
  dstAddress: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  bytes: number;
  packets: number;
  /** Milliseconds since the epoch, when the exporter said. */
  startMs?: number;
  endMs?: number;
  tcpFlags: number;
  exporter: string;
  /** IPFIX observation domain, v9 source id, v5 engine type << 8 | engine id. */
  observationDomain: number;
  exportVersion: 5 | 9 | 10;
  /** Export sequence number of the datagram the record came in. */
  sequence: number;
  /** 0 for v5. */
  templateId: number;
  /** Position in the datagram (set offset << 16 | record number): with the sequence it names the record. */
  position: number;
  /** The bytes the record came in, as exported (shared by the records of a set). */
  source: RecordSource;
}

/**
 * A data set (v5: the datagram) as exported, with the header facts its times
 * depend on: with the position it names a record (flow event ids hash it
 * once per set). `body` is a view into the datagram: read it synchronously.
 */
export interface RecordSource {
  body: Uint8Array;
  exportMs: number;
  /** v9 header sysUptime (0 otherwise). */
  sysUptime: number;
}

export type MalformedReason =
  | "too_short"
  | "bad_version"
  | "bad_count"
  | "bad_length"
  | "bad_set_length"
  | "bad_template"
  | "record_overrun"
  /** A bug in this decoder (an exception it caught): the fuzz tests fail on it. */
  | "decoder_error";

export interface DecodeError {
  reason: MalformedReason;
  detail: string;
}

export interface DecodeResult {
  /** 5, 9 or 10; 0 when the header could not be read. */
  version: number;
  sequence: number;
  observationDomain: number;
  /** Export time from the header (ms since the epoch); 0 if unknown. */
  exportMs: number;
  flows: FlowRecord[];
  errors: DecodeError[];
  /** Template and options-template records learned. */
  templatesLearned: number;
  templatesWithdrawn: number;
  /** Options data records (exporter metadata, not flows). */
  optionsRecords: number;
  /** Data records of a non-options template with no address (not flows). */
  otherRecords: number;
  /** Data sets whose template is unknown (buffered if the cache allows). */
  missingTemplateSets: number;
}

/** Bounds that do not depend on the exporter. */
const V5_HEADER = 24;
const V5_RECORD = 48;
const V5_MAX_COUNT = 30; // Cisco's limit; also what fits in 1500 bytes
const V9_HEADER = 20;
const IPFIX_HEADER = 16;
const MAX_TEMPLATE_FIELDS = 512;

/** Header facts a data set needs (kept with a buffered set). */
interface SetContext {
  version: 9 | 10;
  exporter: string;
  domain: number;
  sequence: number;
  exportMs: number;
  /** v9: header sysUptime (ms); the uptime reference of FIRST/LAST_SWITCHED. */
  sysUptime: number;
  /** Byte offset of the set in its datagram (for `position`). */
  setOffset: number;
}

function emptyResult(): DecodeResult {
  return {
    version: 0,
    sequence: 0,
    observationDomain: 0,
    exportMs: 0,
    flows: [],
    errors: [],
    templatesLearned: 0,
    templatesWithdrawn: 0,
    optionsRecords: 0,
    otherRecords: 0,
    missingTemplateSets: 0,
  };
}

function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function u32(b: Uint8Array, o: number): number {
  return (
    ((b[o] as number) * 0x1000000 +
      (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))) >>>
    0
  );
}

/** Unsigned big-endian integer of 1..8 bytes (reduced-size encoding, RFC 7011 6.2). */
function uint(b: Uint8Array, o: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + (b[o + i] as number);
  return v;
}

function ipv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text form: lower case, longest run (>= 2) of zero groups as "::". */
export function ipv6(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(u16(b, o + i * 2));
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  // ::ffff:a.b.c.d (IPv4-mapped) stays hex; collectors differ and hex is unambiguous.
  const hex = g.map((x) => x.toString(16));
  if (bestAt < 0) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLen).join(":")}`;
}

/** NTP timestamp (RFC 7011 dateTimeMicroseconds/Nanoseconds) to Unix ms. */
function ntpMs(b: Uint8Array, o: number): number {
  const s = u32(b, o);
  const frac = u32(b, o + 4);
  return (s - NTP_EPOCH_OFFSET_S) * 1000 + Math.floor((frac / 0x100000000) * 1000);
}

/**
 * Decodes one datagram from `exporter`. Templates learned are stored in
 * `templates`; data sets are decoded with the templates known so far.
 * Never throws.
 */
export function decodeNetflow(
  packet: Uint8Array,
  exporter: string,
  templates: TemplateCache,
  nowMs: number,
): DecodeResult {
  try {
    return decodeUnchecked(packet, exporter, templates, nowMs);
  } catch (err) {
    // Every read above is bounds-checked; this is a last line of defence so
    // that a decoder bug is a counted malformed datagram, not a crash.
    const r = emptyResult();
    r.errors.push({ reason: "decoder_error", detail: String((err as Error)?.message) });
    return r;
  }
}

function decodeUnchecked(
  packet: Uint8Array,
  exporter: string,
  templates: TemplateCache,
  nowMs: number,
): DecodeResult {
  const r = emptyResult();
  if (packet.length < 2) {
    r.errors.push({ reason: "too_short", detail: `${packet.length} bytes` });
    return r;
  }
  const version = u16(packet, 0);
  if (version === 5) decodeV5(packet, exporter, r);
  else if (version === 9) decodeV9(packet, exporter, templates, nowMs, r);
  else if (version === 10) decodeIpfix(packet, exporter, templates, nowMs, r);
  else r.errors.push({ reason: "bad_version", detail: `version ${version}` });
  return r;
}

function decodeV5(p: Uint8Array, exporter: string, r: DecodeResult): void {
  r.version = 5;
  if (p.length < V5_HEADER) {
    r.errors.push({ reason: "too_short", detail: `v5 header needs 24 bytes, got ${p.length}` });
    return;
  }
  const count = u16(p, 2);
  const sysUptime = u32(p, 4);
  const exportMs = u32(p, 8) * 1000 + Math.floor(u32(p, 12) / 1e6);
  r.exportMs = exportMs;
  r.sequence = u32(p, 16);
  r.observationDomain = ((p[20] as number) << 8) | (p[21] as number);
  if (count < 1 || count > V5_MAX_COUNT) {
    r.errors.push({ reason: "bad_count", detail: `v5 count ${count}` });
    return;
  }
  if (p.length < V5_HEADER + count * V5_RECORD) {
    r.errors.push({
      reason: "bad_length",
      detail: `v5 count ${count} needs ${V5_HEADER + count * V5_RECORD} bytes, got ${p.length}`,
    });
    return;
  }
  const source: RecordSource = { body: p, exportMs, sysUptime };
  for (let i = 0; i < count; i++) {
    const o = V5_HEADER + i * V5_RECORD;
    r.flows.push({
      srcAddress: ipv4(p, o),
      dstAddress: ipv4(p, o + 4),
      srcPort: u16(p, o + 32),
      dstPort: u16(p, o + 34),
      protocol: p[o + 38] as number,
      bytes: u32(p, o + 20),
      packets: u32(p, o + 16),
      // First/Last are sysUptime at the first/last packet; the header pairs
      // sysUptime with the export time. The difference is taken as signed 32
      // bits: exporters stamp records a few ms after the header's uptime.
      startMs: exportMs - ((sysUptime - u32(p, o + 24)) | 0),
      endMs: exportMs - ((sysUptime - u32(p, o + 28)) | 0),
      tcpFlags: p[o + 37] as number,
      exporter,
      observationDomain: r.observationDomain,
      exportVersion: 5,
      sequence: r.sequence,
      templateId: 0,
      position: i,
      source,
    });
  }
}

function decodeV9(
  p: Uint8Array,
  exporter: string,
  templates: TemplateCache,
  nowMs: number,
  r: DecodeResult,
): void {
  r.version = 9;
  if (p.length < V9_HEADER) {
    r.errors.push({ reason: "too_short", detail: `v9 header needs 20 bytes, got ${p.length}` });
    return;
  }
  const sysUptime = u32(p, 4);
  r.exportMs = u32(p, 8) * 1000;
  r.sequence = u32(p, 12);
  r.observationDomain = u32(p, 16);
  decodeSets(p, V9_HEADER, p.length, {
    version: 9,
    exporter,
    domain: r.observationDomain,
    sequence: r.sequence,
    exportMs: r.exportMs,
    sysUptime,
    setOffset: 0,
    templates,
    nowMs,
    r,
  });
}

function decodeIpfix(
  p: Uint8Array,
  exporter: string,
  templates: TemplateCache,
  nowMs: number,
  r: DecodeResult,
): void {
  r.version = 10;
  if (p.length < IPFIX_HEADER) {
    r.errors.push({ reason: "too_short", detail: `IPFIX header needs 16 bytes, got ${p.length}` });
    return;
  }
  const length = u16(p, 2);
  r.exportMs = u32(p, 4) * 1000;
  r.sequence = u32(p, 8);
  r.observationDomain = u32(p, 12);
  if (length < IPFIX_HEADER || length > p.length) {
    r.errors.push({
      reason: "bad_length",
      detail: `IPFIX message length ${length}, datagram ${p.length}`,
    });
    return;
  }
  decodeSets(p, IPFIX_HEADER, length, {
    version: 10,
    exporter,
    domain: r.observationDomain,
    sequence: r.sequence,
    exportMs: r.exportMs,
    sysUptime: 0,
    setOffset: 0,
    templates,
    nowMs,
    r,
  });
}

interface SetsState extends SetContext {
  templates: TemplateCache;
  nowMs: number;
  r: DecodeResult;
}

/** Walks the (flow)sets of a v9 packet or IPFIX message between `from` and `end`. */
function decodeSets(p: Uint8Array, from: number, end: number, st: SetsState): void {
  const { version, r } = st;
  const tplSet = version === 9 ? 0 : 2;
  const optSet = version === 9 ? 1 : 3;
  let o = from;
  while (o + 4 <= end) {
    const setId = u16(p, o);
    const setLen = u16(p, o + 2);
    if (setLen < 4 || o + setLen > end) {
      // v9 exporters pad the datagram with zeros after the last flowset.
      if (version === 9 && setId === 0 && setLen === 0 && allZero(p, o, end)) return;
      r.errors.push({
        reason: "bad_set_length",
        detail: `set ${setId} at ${o}: length ${setLen}, ${end - o} bytes left`,
      });
      return;
    }
    const body = p.subarray(o + 4, o + setLen);
    if (setId === tplSet || setId === optSet) {
      decodeTemplateSet(body, setId === optSet, st);
    } else if (setId >= 256) {
      const key = templateKey(st.exporter, version, st.domain, setId);
      const t = st.templates.get(key, st.nowMs);
      const ctx: SetContext = {
        version,
        exporter: st.exporter,
        domain: st.domain,
        sequence: st.sequence,
        exportMs: st.exportMs,
        sysUptime: st.sysUptime,
        setOffset: o,
      };
      if (t) decodeDataSet(body, t, ctx, st.templates, r);
      else {
        r.missingTemplateSets++;
        st.templates.addPending({ key, body, receivedMs: st.nowMs, context: ctx });
      }
    }
    // Set ids 2..255 (v9) and 4..255 (IPFIX) are reserved: skipped by length.
    o += setLen;
  }
}

function allZero(p: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (p[i] !== 0) return false;
  return true;
}

function decodeTemplateSet(body: Uint8Array, options: boolean, st: SetsState): void {
  const { version, r } = st;
  const ipfix = version === 10;
  let o = 0;
  // Each template record needs at least 4 bytes; less is padding.
  while (o + 4 <= body.length) {
    const templateId = u16(body, o);
    if (templateId === 0 && allZero(body, o, body.length)) return; // padding
    let fieldCount: number;
    let scopeCount = 0;
    let head: number;
    if (!options) {
      fieldCount = u16(body, o + 2);
      head = 4;
      if (ipfix && fieldCount === 0) {
        withdraw(templateId, false, st);
        o += 4;
        continue;
      }
    } else if (ipfix) {
      if (o + 6 > body.length) {
        // a withdrawal is 4 bytes: template id + field count 0
        if (u16(body, o + 2) === 0) withdraw(templateId, true, st);
        return;
      }
      fieldCount = u16(body, o + 2);
      if (fieldCount === 0) {
        withdraw(templateId, true, st);
        o += 4;
        continue;
      }
      scopeCount = u16(body, o + 4);
      head = 6;
      if (scopeCount === 0 || scopeCount > fieldCount) {
        r.errors.push({
          reason: "bad_template",
          detail: `options template ${templateId}: ${scopeCount} scope fields of ${fieldCount}`,
        });
        return;
      }
    } else {
      // v9 options template: scope and option lengths are in bytes (4 per field).
      if (o + 6 > body.length) return; // padding
      const scopeBytes = u16(body, o + 2);
      const optionBytes = u16(body, o + 4);
      if (scopeBytes % 4 !== 0 || optionBytes % 4 !== 0) {
        r.errors.push({
          reason: "bad_template",
          detail: `v9 options template ${templateId}: scope ${scopeBytes} / option ${optionBytes} bytes`,
        });
        return;
      }
      scopeCount = scopeBytes / 4;
      fieldCount = scopeCount + optionBytes / 4;
      head = 6;
    }
    if (templateId < 256) {
      r.errors.push({ reason: "bad_template", detail: `template id ${templateId} < 256` });
      return;
    }
    if (fieldCount > MAX_TEMPLATE_FIELDS) {
      r.errors.push({
        reason: "bad_template",
        detail: `template ${templateId}: ${fieldCount} fields (max ${MAX_TEMPLATE_FIELDS})`,
      });
      return;
    }
    const fields: TemplateField[] = [];
    let q = o + head;
    let minLength = 0;
    for (let i = 0; i < fieldCount; i++) {
      if (q + 4 > body.length) {
        r.errors.push({
          reason: "bad_template",
          detail: `template ${templateId}: field ${i} of ${fieldCount} past the set end`,
        });
        return;
      }
      let id = u16(body, q);
      const length = u16(body, q + 2);
      q += 4;
      let enterprise = 0;
      if (ipfix && id & 0x8000) {
        if (q + 4 > body.length) {
          r.errors.push({
            reason: "bad_template",
            detail: `template ${templateId}: enterprise number past the set end`,
          });
          return;
        }
        id &= 0x7fff;
        enterprise = u32(body, q);
        q += 4;
      }
      if (length === 0xffff && !ipfix) {
        r.errors.push({
          reason: "bad_template",
          detail: `v9 template ${templateId}: variable-length field ${id}`,
        });
        return;
      }
      minLength += length === 0xffff ? 1 : length;
      fields.push({ id, length, enterprise });
    }
    if (minLength === 0) {
      // A record of zero bytes would make every data set an endless loop.
      r.errors.push({
        reason: "bad_template",
        detail: `template ${templateId}: zero-length record`,
      });
      return;
    }
    const key = templateKey(st.exporter, version, st.domain, templateId);
    st.templates.set(key, {
      templateId,
      fields,
      options,
      scopeCount,
      minLength,
      learnedMs: st.nowMs,
    });
    r.templatesLearned++;
    // Data that arrived before its template.
    for (const pend of st.templates.takePending(key, st.nowMs)) {
      const t = st.templates.get(key, st.nowMs);
      if (t) decodeDataSet(pend.body, t, pend.context as SetContext, st.templates, r);
    }
    o = q;
  }
}

function withdraw(templateId: number, options: boolean, st: SetsState): void {
  // RFC 7011 8.1: the set id as template id withdraws all templates of that kind.
  if (templateId === (options ? 3 : 2)) {
    st.templates.withdrawAll(st.exporter, st.version, st.domain, options);
    st.r.templatesWithdrawn++;
  } else if (templateId >= 256) {
    st.templates.withdraw(templateKey(st.exporter, st.version, st.domain, templateId));
    st.r.templatesWithdrawn++;
  } else {
    st.r.errors.push({ reason: "bad_template", detail: `withdrawal of template id ${templateId}` });
  }
}

/** Mutable record under construction (one per data set, reset per record: one shape). */
class Fields {
  src4: string | undefined = undefined;
  dst4: string | undefined = undefined;
  src6: string | undefined = undefined;
  dst6: string | undefined = undefined;
  srcPort = 0;
  dstPort = 0;
  protocol = 0;
  tcpFlags = 0;
  octetDelta: number | undefined = undefined;
  packetDelta: number | undefined = undefined;
  octetTotal: number | undefined = undefined;
  packetTotal: number | undefined = undefined;
  octetInit: number | undefined = undefined;
  packetInit: number | undefined = undefined;
  octetPost: number | undefined = undefined;
  packetPost: number | undefined = undefined;
  icmp: number | undefined = undefined;
  upStart: number | undefined = undefined;
  upEnd: number | undefined = undefined;
  start: number | undefined = undefined;
  end: number | undefined = undefined;
  startDeltaUs: number | undefined = undefined;
  endDeltaUs: number | undefined = undefined;
  durationMs: number | undefined = undefined;
  initTime: number | undefined = undefined;

  reset(): void {
    this.src4 = this.dst4 = this.src6 = this.dst6 = undefined;
    this.srcPort = this.dstPort = this.protocol = this.tcpFlags = 0;
    this.octetDelta = this.packetDelta = this.octetTotal = this.packetTotal = undefined;
    this.octetInit = this.packetInit = this.octetPost = this.packetPost = undefined;
    this.icmp = this.upStart = this.upEnd = this.start = this.end = undefined;
    this.startDeltaUs = this.endDeltaUs = this.durationMs = this.initTime = undefined;
  }
}

function decodeDataSet(
  body: Uint8Array,
  t: Template,
  ctx: SetContext,
  templates: TemplateCache,
  r: DecodeResult,
): void {
  const ipfix = ctx.version === 10;
  const source: RecordSource = { body, exportMs: ctx.exportMs, sysUptime: ctx.sysUptime };
  const f = new Fields();
  let o = 0;
  let n = 0;
  // Fewer bytes than the smallest record left: padding (RFC 3954 5.3, RFC 7011 3.3.1).
  while (body.length - o >= t.minLength) {
    f.reset();
    for (const field of t.fields) {
      let len = field.length;
      if (len === 0xffff) {
        // RFC 7011 7: one length byte, or 255 and a two-byte length.
        if (o + 1 > body.length) {
          overrun(r, t, n);
          return;
        }
        len = body[o] as number;
        o += 1;
        if (len === 255) {
          if (o + 2 > body.length) {
            overrun(r, t, n);
            return;
          }
          len = u16(body, o);
          o += 2;
        }
      }
      if (o + len > body.length) {
        overrun(r, t, n);
        return;
      }
      if (field.enterprise === 0) readField(body, o, len, field.id, ipfix, f);
      o += len;
    }
    if (t.options) {
      r.optionsRecords++;
      if (f.initTime !== undefined) {
        templates.setInitTime(ctx.exporter, ctx.version, ctx.domain, f.initTime);
      }
    } else {
      const rec = toFlow(f, t, ctx, templates, n, source);
      if (rec) r.flows.push(rec);
      else r.otherRecords++;
    }
    n++;
  }
}

function overrun(r: DecodeResult, t: Template, n: number): void {
  r.errors.push({
    reason: "record_overrun",
    detail: `template ${t.templateId}: record ${n} runs past the set end`,
  });
}

function readField(b: Uint8Array, o: number, len: number, id: number, ipfix: boolean, f: Fields) {
  switch (id) {
    case IE.sourceIPv4Address:
      if (len === 4) f.src4 = ipv4(b, o);
      break;
    case IE.destinationIPv4Address:
      if (len === 4) f.dst4 = ipv4(b, o);
      break;
    case IE.sourceIPv6Address:
      if (len === 16) f.src6 = ipv6(b, o);
      break;
    case IE.destinationIPv6Address:
      if (len === 16) f.dst6 = ipv6(b, o);
      break;
    case IE.sourceTransportPort:
      if (len <= 2) f.srcPort = uint(b, o, len);
      break;
    case IE.destinationTransportPort:
      if (len <= 2) f.dstPort = uint(b, o, len);
      break;
    case IE.protocolIdentifier:
      if (len === 1) f.protocol = b[o] as number;
      break;
    case IE.tcpControlBits:
      if (len <= 2) f.tcpFlags = uint(b, o, len);
      break;
    case IE.octetDeltaCount:
      if (len <= 8) f.octetDelta = uint(b, o, len);
      break;
    case IE.packetDeltaCount:
      if (len <= 8) f.packetDelta = uint(b, o, len);
      break;
    case IE.octetTotalCount:
      if (len <= 8) f.octetTotal = uint(b, o, len);
      break;
    case IE.packetTotalCount:
      if (len <= 8) f.packetTotal = uint(b, o, len);
      break;
    case IE.initiatorOctets:
      if (len <= 8) f.octetInit = uint(b, o, len);
      break;
    case IE.initiatorPackets:
      if (len <= 8) f.packetInit = uint(b, o, len);
      break;
    case IE.postOctetDeltaCount:
      if (len <= 8) f.octetPost = uint(b, o, len);
      break;
    case IE.postPacketDeltaCount:
      if (len <= 8) f.packetPost = uint(b, o, len);
      break;
    case IE.icmpTypeCodeIPv4:
    case IE.icmpTypeCodeIPv6:
      if (len <= 2) f.icmp = uint(b, o, len);
      break;
    case IE.flowStartSysUpTime:
      if (len === 4) f.upStart = u32(b, o);
      break;
    case IE.flowEndSysUpTime:
      if (len === 4) f.upEnd = u32(b, o);
      break;
    case IE.flowStartSeconds:
      if (len === 4) f.start = u32(b, o) * 1000;
      break;
    case IE.flowEndSeconds:
      if (len === 4) f.end = u32(b, o) * 1000;
      break;
    case IE.flowStartMilliseconds:
      if (len <= 8) f.start = uint(b, o, len);
      break;
    case IE.flowEndMilliseconds:
      if (len <= 8) f.end = uint(b, o, len);
      break;
    case IE.flowStartMicroseconds:
    case IE.flowStartNanoseconds:
      if (len === 8) f.start = ntpMs(b, o);
      break;
    case IE.flowEndMicroseconds:
    case IE.flowEndNanoseconds:
      if (len === 8) f.end = ntpMs(b, o);
      break;
    case IE.flowStartDeltaMicroseconds:
      if (len === 4 && ipfix) f.startDeltaUs = u32(b, o);
      break;
    case IE.flowEndDeltaMicroseconds:
      if (len === 4 && ipfix) f.endDeltaUs = u32(b, o);
      break;
    case IE.flowDurationMilliseconds:
      if (len === 4) f.durationMs = u32(b, o);
      break;
    case IE.flowDurationMicroseconds:
      if (len === 4) f.durationMs = Math.floor(u32(b, o) / 1000);
      break;
    case IE.systemInitTimeMilliseconds:
      if (len <= 8) f.initTime = uint(b, o, len);
      break;
  }
}

function toFlow(
  f: Fields,
  t: Template,
  ctx: SetContext,
  templates: TemplateCache,
  n: number,
  source: RecordSource,
): FlowRecord | undefined {
  const src = f.src4 ?? f.src6;
  const dst = f.dst4 ?? f.dst6;
  if (src === undefined && dst === undefined) return undefined;
  let startMs = f.start;
  let endMs = f.end;
  if (f.upStart !== undefined || f.upEnd !== undefined) {
    // v9: uptime relative to the header's sysUptime and export time.
    // IPFIX: relative to systemInitTimeMilliseconds (from the record or an options record).
    let toMs: ((up: number) => number) | undefined;
    if (ctx.version === 9) toMs = (up) => ctx.exportMs - ((ctx.sysUptime - up) | 0);
    else {
      const init = f.initTime ?? templates.initTime(ctx.exporter, ctx.version, ctx.domain);
      if (init !== undefined) toMs = (up) => init + up;
    }
    if (toMs) {
      if (startMs === undefined && f.upStart !== undefined) startMs = toMs(f.upStart);
      if (endMs === undefined && f.upEnd !== undefined) endMs = toMs(f.upEnd);
    }
  }
  if (startMs === undefined && f.startDeltaUs !== undefined) {
    startMs = ctx.exportMs - Math.floor(f.startDeltaUs / 1000);
  }
  if (endMs === undefined && f.endDeltaUs !== undefined) {
    endMs = ctx.exportMs - Math.floor(f.endDeltaUs / 1000);
  }
  if (endMs === undefined && startMs !== undefined && f.durationMs !== undefined) {
    endMs = startMs + f.durationMs;
  }
  let dstPort = f.dstPort;
  // ICMP has no ports; exporters put type << 8 | code in a field of its own.
  if (dstPort === 0 && f.icmp !== undefined && (f.protocol === 1 || f.protocol === 58)) {
    dstPort = f.icmp;
  }
  const rec: FlowRecord = {
    srcAddress: src ?? "",
    dstAddress: dst ?? "",
    srcPort: f.srcPort,
    dstPort,
    protocol: f.protocol,
    bytes: f.octetDelta ?? f.octetTotal ?? f.octetInit ?? f.octetPost ?? 0,
    packets: f.packetDelta ?? f.packetTotal ?? f.packetInit ?? f.packetPost ?? 0,
    // Always present (possibly undefined), in v5's order: one object shape.
    startMs,
    endMs,
    tcpFlags: f.tcpFlags,
    exporter: ctx.exporter,
    observationDomain: ctx.domain,
    exportVersion: ctx.version,
    sequence: ctx.sequence,
    templateId: t.templateId,
    position: ctx.setOffset * 65536 + n,
    source,
  };
  return rec;
}

export type { PendingSet };
