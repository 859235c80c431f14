// Pure syslog message parser: RFC 5424, RFC 3164 (BSD, as real devices send
// it) and lines without a PRI. No I/O, never throws: what it cannot parse comes
// back as { ok: false, reason }, which the listener turns into a Malformed event.
import { SyslogFormat } from "../../events.ts";

export type SyslogFormatValue = (typeof SyslogFormat)[keyof typeof SyslogFormat];

export interface StructuredDataElement {
  id: string;
  params: Record<string, string>;
}

export interface ParsedSyslog {
  ok: true;
  format: SyslogFormatValue;
  facility: number;
  severity: number;
  /** When the message says it happened; absent for NILVALUE, RAW or an unparsable RFC 3164 date. */
  timestamp?: { seconds: number; nanos: number };
  /** The timestamp as sent (RFC 3164 "Mmm dd hh:mm:ss", RFC 5424 RFC 3339), for people and tests. */
  rawTimestamp?: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: StructuredDataElement[];
  message: string;
}

export interface MalformedSyslog {
  ok: false;
  reason: string;
}

export type SyslogParse = ParsedSyslog | MalformedSyslog;

export interface ParseOptions {
  /** Milliseconds since the epoch at receipt: the RFC 3164 year is inferred from it. */
  now?: number;
  /** Zone of RFC 3164 timestamps, which carry none: the collector's local zone (as rsyslog) or UTC. */
  rfc3164Zone?: "local" | "utc";
  /** Longest message accepted (bytes); the listener bounds it earlier, this bounds direct callers. */
  maxBytes?: number;
}

/** RFC 5424 §6.3: more elements than this is abuse, not logging. */
const MAX_SD_PARAMS = 256;
const DEFAULT_MAX_BYTES = 64 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const SP = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const NIL = 0x2d; // "-"

const bad = (reason: string): MalformedSyslog => ({ ok: false, reason });

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** Drops a trailing LF or CRLF: UDP senders often end datagrams with one. */
function trimEnd(b: Uint8Array): Uint8Array {
  let end = b.length;
  if (end > 0 && b[end - 1] === LF) end--;
  if (end > 0 && b[end - 1] === CR) end--;
  return end === b.length ? b : b.subarray(0, end);
}

function utf8(b: Buffer, from: number, to = b.length): string {
  return b.toString("utf8", from, Math.max(from, to));
}

/** Printable ASCII b[from..to) as a string; short fields by char codes (cheaper than a Buffer call). */
function ascii(b: Buffer, from: number, to: number): string {
  if (to - from > 24) return b.toString("latin1", from, to);
  let s = "";
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k] as number);
  return s;
}

/** A Buffer view of the same bytes (no copy), so slices decode without copying first. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length);
}

export function parseSyslog(input: Uint8Array, opts: ParseOptions = {}): SyslogParse {
  if (input.length > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) return bad("too_large");
  const b = asBuffer(trimEnd(input));
  if (b.length === 0 || b.every((c) => c === SP || c === 0x09 || c === 0)) return bad("empty");

  if (b[0] !== LT) {
    // No PRI: the proto's RAW format, facility user (1), severity notice (5).
    return record(SyslogFormat.SYSLOG_FORMAT_RAW, 13, { message: utf8(b, 0) });
  }

  // PRI: "<" 1*3DIGIT ">", at most 191 (facility 23, severity 7).
  let i = 1;
  let pri = 0;
  while (i < b.length && i <= 3 && isDigit(b[i])) pri = pri * 10 + ((b[i++] as number) - 0x30);
  if (i === 1 || b[i] !== GT || pri > 191) return bad("bad_pri");
  i++;

  // "1 " after the PRI marks RFC 5424 (the only version defined); anything else is BSD.
  if (b[i] === 0x31 && b[i + 1] === SP) return parse5424(b, i + 2, pri);
  return parse3164(b, i, pri, opts);
}

function record(
  format: SyslogFormatValue,
  pri: number,
  fields: Partial<Omit<ParsedSyslog, "ok" | "format" | "facility" | "severity">>,
): ParsedSyslog {
  // Field by field rather than a spread: this runs for every message.
  return {
    ok: true,
    format,
    facility: pri >> 3,
    severity: pri & 7,
    timestamp: fields.timestamp,
    rawTimestamp: fields.rawTimestamp,
    hostname: fields.hostname ?? "",
    appName: fields.appName ?? "",
    procId: fields.procId ?? "",
    msgId: fields.msgId ?? "",
    structuredData: fields.structuredData ?? [],
    message: fields.message ?? "",
  };
}

// ---------------------------------------------------------------- RFC 5424

/** One header field: NILVALUE ("-" → "") or 1*max PRINTUSASCII, then SP (or the end). */
function headerField(
  b: Buffer,
  at: number,
  max: number,
): { value: string; next: number } | undefined {
  let j = at;
  while (j < b.length && b[j] !== SP) {
    const c = b[j] as number;
    if (c < 33 || c > 126) return undefined;
    j++;
  }
  const len = j - at;
  if (len === 0 || len > max) return undefined;
  const value = len === 1 && b[at] === NIL ? "" : ascii(b, at, j);
  return { value, next: j < b.length ? j + 1 : j };
}

function parse5424(b: Buffer, at: number, pri: number): SyslogParse {
  const ts = headerField(b, at, 64);
  if (!ts) return bad("rfc5424_bad_timestamp");
  let timestamp: ParsedSyslog["timestamp"];
  if (ts.value !== "") {
    timestamp = rfc3339(b, at, at + ts.value.length);
    if (!timestamp) return bad("rfc5424_bad_timestamp");
  }
  const host = headerField(b, ts.next, 255);
  if (!host) return bad("rfc5424_bad_hostname");
  const app = headerField(b, host.next, 48);
  if (!app) return bad("rfc5424_bad_app_name");
  const proc = headerField(b, app.next, 128);
  if (!proc) return bad("rfc5424_bad_procid");
  const msgId = headerField(b, proc.next, 32);
  if (!msgId) return bad("rfc5424_bad_msgid");

  let i = msgId.next;
  if (i >= b.length) return bad("rfc5424_missing_structured_data");
  const structuredData: StructuredDataElement[] = [];
  if (b[i] === NIL) {
    i++;
  } else {
    const sd = parseStructuredData(b, i, structuredData);
    if (typeof sd === "string") return bad(sd);
    i = sd;
  }
  let message = "";
  if (i < b.length) {
    if (b[i] !== SP) return bad("rfc5424_bad_structured_data");
    i++;
    // A UTF-8 BOM says MSG is UTF-8; without one it may be any charset, and
    // we still read it as UTF-8 (invalid bytes become U+FFFD).
    if (b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) i += 3;
    message = utf8(b, i);
  }
  return record(SyslogFormat.SYSLOG_FORMAT_RFC5424, pri, {
    timestamp,
    rawTimestamp: ts.value || undefined,
    hostname: host.value,
    appName: app.value,
    procId: proc.value,
    msgId: msgId.value,
    structuredData,
    message,
  });
}

/** SD-NAME: 1*32 PRINTUSASCII except '=', SP, ']', '"'. */
function sdName(b: Uint8Array, at: number): number {
  let j = at;
  while (j < b.length && j - at <= 32) {
    const c = b[j] as number;
    if (c < 33 || c > 126 || c === 0x3d || c === 0x5d || c === 0x22) break;
    j++;
  }
  return j - at >= 1 && j - at <= 32 ? j : -1;
}

/** Parses 1*SD-ELEMENT from `at` into `out`; returns the index after it or a reason. */
function parseStructuredData(b: Buffer, at: number, out: StructuredDataElement[]): number | string {
  let i = at;
  let params = 0;
  while (b[i] === 0x5b /* [ */) {
    const idEnd = sdName(b, i + 1);
    if (idEnd < 0) return "rfc5424_bad_sd_id";
    const id = ascii(b, i + 1, idEnd);
    const values: Record<string, string> = {};
    i = idEnd;
    while (b[i] === SP) {
      const nameEnd = sdName(b, i + 1);
      if (nameEnd < 0 || b[nameEnd] !== 0x3d || b[nameEnd + 1] !== 0x22)
        return "rfc5424_bad_sd_param";
      if (++params > MAX_SD_PARAMS) return "rfc5424_too_many_sd_params";
      const name = ascii(b, i + 1, nameEnd);
      // PARAM-VALUE: UTF-8 up to an unescaped '"'; only \" \\ \] are escapes,
      // any other backslash stays as it is (RFC 5424 §6.3.3).
      const start = nameEnd + 2;
      let j = start;
      let escaped = false;
      for (;;) {
        if (j >= b.length) return "rfc5424_unterminated_sd_value";
        const c = b[j] as number;
        if (c === 0x22) break;
        if (c === 0x5c && (b[j + 1] === 0x22 || b[j + 1] === 0x5c || b[j + 1] === 0x5d)) {
          escaped = true;
          j += 2;
        } else j++;
      }
      // Without escapes (the usual case) the value is the bytes as they are.
      const value = escaped ? unescapeSd(b, start, j) : b.toString("utf8", start, j);
      // A name may repeat (e.g. several ip="…"); keep every value, comma-joined.
      // A "__proto__" name is just a name: defined, not assigned (which would set the prototype).
      const prev = Object.hasOwn(values, name) ? values[name] : undefined;
      const joined = prev === undefined ? value : `${prev},${value}`;
      if (name === "__proto__")
        Object.defineProperty(values, name, {
          value: joined,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else values[name] = joined;
      i = j + 1;
    }
    if (b[i] !== 0x5d /* ] */) return "rfc5424_bad_structured_data";
    i++;
    out.push({ id, params: values });
  }
  return i;
}

function unescapeSd(b: Buffer, from: number, to: number): string {
  const bytes: number[] = [];
  for (let j = from; j < to; j++) {
    const c = b[j] as number;
    if (c === 0x5c && (b[j + 1] === 0x22 || b[j + 1] === 0x5c || b[j + 1] === 0x5d)) j++;
    bytes.push(b[j] as number);
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** RFC 5424 TIMESTAMP (RFC 3339 with "T", fractions up to 6 digits — we take 9 — and Z or ±hh:mm). */
export function parseRfc3339(s: string): { seconds: number; nanos: number } | undefined {
  // UTF-8, not latin1: a non-ASCII character must not turn into a digit.
  const b = Buffer.from(s, "utf8");
  return rfc3339(b, 0, b.length);
}

/** `n` decimal digits at b[at..], or -1. */
function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const c = (b[k] as number) - 0x30;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * YYYY-MM-DDThh:mm:ss[.1*9DIGIT](Z|±hh:mm), exactly b[at..end), read in
 * place: this runs for every RFC 5424 message.
 */
function rfc3339(
  b: Uint8Array,
  at: number,
  end: number,
): { seconds: number; nanos: number } | undefined {
  if (end - at < 20 || end > b.length) return undefined;
  const y = digits(b, at, 4);
  const mo = digits(b, at + 5, 2);
  const d = digits(b, at + 8, 2);
  const h = digits(b, at + 11, 2);
  const mi = digits(b, at + 14, 2);
  const sec = digits(b, at + 17, 2);
  if (
    y < 0 ||
    mo < 0 ||
    d < 0 ||
    h < 0 ||
    mi < 0 ||
    sec < 0 ||
    b[at + 4] !== 0x2d ||
    b[at + 7] !== 0x2d ||
    b[at + 10] !== 0x54 ||
    b[at + 13] !== 0x3a ||
    b[at + 16] !== 0x3a
  )
    return undefined;
  let i = at + 19;
  let nanos = 0;
  if (b[i] === 0x2e /* . */) {
    const from = ++i;
    while (i < end && i - from < 9 && isDigit(b[i]))
      nanos = nanos * 10 + ((b[i++] as number) - 0x30);
    if (i === from) return undefined;
    for (let k = i - from; k < 9; k++) nanos *= 10;
  }
  let offset = 0;
  if (b[i] === 0x5a /* Z */) {
    if (i + 1 !== end) return undefined;
  } else if (b[i] === 0x2b || b[i] === 0x2d) {
    if (i + 6 !== end || b[i + 3] !== 0x3a) return undefined;
    const oh = digits(b, i + 1, 2);
    const om = digits(b, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    offset = (b[i] === 0x2d ? -1 : 1) * (oh * 60 + om) * 60;
  } else return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
    return undefined;
  }
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + Math.min(sec, 59) - offset;
  return { seconds, nanos };
}

// ---------------------------------------------------------------- RFC 3164

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// "Mmm dd hh:mm:ss", the day space- or zero-padded (some senders do either),
// optionally with a fraction; it must be followed by SP or the end.
const BSD_TS = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?= |$)/;
// A high-precision RFC 3339 timestamp where the BSD one would be (rsyslog's
// RSYSLOG_ForwardFormat and many appliances).
const ISO_TS = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})(?= |$)/;
// TAG[PID]: — the tag is what RFC 3164 calls it (≤ 32 chars, we allow 48 like
// APP-NAME); the pid may be any non-space token.
const TAG = /^([^\s:[\]]{1,48})(?:\[([^\]\s]{1,128})\])?:(?: |$)/;
const HOSTNAME = /^[A-Za-z0-9._:%@-]{1,255}$/;

const DAY_MS = 86_400_000;

function bsdTime(
  m: RegExpExecArray,
  opts: ParseOptions,
): { seconds: number; nanos: number } | undefined {
  const month = MONTHS.indexOf(m[1] as string) + 1;
  const d = Number(m[2]);
  const h = Number(m[3]);
  const mi = Number(m[4]);
  const s = Number(m[5]);
  if (month === 0 || d < 1 || h > 23 || mi > 59 || s > 60) return undefined;
  const nanos = m[6] ? Number(m[6].padEnd(9, "0")) : 0;
  const now = opts.now ?? Date.now();
  const local = (opts.rfc3164Zone ?? "local") === "local";
  const at = (y: number): number | undefined => {
    if (d > daysInMonth(y, month)) return undefined; // Feb 29 of a common year
    const sec = Math.min(s, 59);
    return local
      ? localMs(y, month, d, h, mi, sec)
      : (daysFromCivil(y, month, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000;
  };
  // No year is sent: take the one that puts the message nearest to now — a
  // December message read in January is last year's; a clock a little ahead
  // is still this year's.
  const year = local ? localYear(now) : new Date(now).getUTCFullYear();
  let ms = at(year);
  if (ms !== undefined && ms - now > 31 * DAY_MS) ms = at(year - 1);
  else if (ms !== undefined && now - ms > 334 * DAY_MS) ms = at(year + 1) ?? ms;
  if (ms === undefined) return undefined;
  return { seconds: Math.floor(ms / 1000), nanos };
}

// Local-zone conversions are the dear part of an RFC 3164 date, and a sender
// repeats the same second many times: remember the last answer of each.
let lastLocalKey = Number.NaN;
let lastLocalMs = 0;
function localMs(y: number, month: number, d: number, h: number, mi: number, s: number): number {
  const key = ((((y * 13 + month) * 32 + d) * 24 + h) * 60 + mi) * 61 + s;
  if (key !== lastLocalKey) {
    lastLocalMs = new Date(y, month - 1, d, h, mi, s).getTime();
    lastLocalKey = key;
  }
  return lastLocalMs;
}

let yearFrom = 0;
let yearTo = -1;
let yearOf = 0;
/** The local calendar year at `ms`, remembering the span of the last one. */
function localYear(ms: number): number {
  if (ms < yearFrom || ms >= yearTo) {
    yearOf = new Date(ms).getFullYear();
    yearFrom = new Date(yearOf, 0, 1).getTime();
    yearTo = new Date(yearOf + 1, 0, 1).getTime();
  }
  return yearOf;
}

function parse3164(b: Buffer, at: number, pri: number, opts: ParseOptions): ParsedSyslog {
  const rest = utf8(b, at);
  let timestamp: ParsedSyslog["timestamp"];
  let rawTimestamp: string | undefined;
  let pos = 0;
  const bsd = BSD_TS.exec(rest);
  const iso = bsd ? null : ISO_TS.exec(rest);
  if (bsd) {
    timestamp = bsdTime(bsd, opts);
    if (timestamp) rawTimestamp = bsd[0];
  } else if (iso) {
    timestamp = parseRfc3339(iso[0]);
    if (timestamp) rawTimestamp = iso[0];
  }
  if (!rawTimestamp) {
    // RFC 3164 §4.3.3: without a valid TIMESTAMP the whole content is MSG.
    return record(SyslogFormat.SYSLOG_FORMAT_RFC3164, pri, { message: rest });
  }
  pos = rawTimestamp.length;
  if (rest.charCodeAt(pos) === SP) pos++;

  // HOSTNAME, unless the next word is already the tag ("robin: Hello").
  let hostname = "";
  const sp = rest.indexOf(" ", pos);
  const word = rest.slice(pos, sp < 0 ? rest.length : sp);
  if (word && !word.endsWith(":") && !word.includes("[") && HOSTNAME.test(word)) {
    hostname = word;
    pos += word.length + (sp < 0 ? 0 : 1);
  }
  let appName = "";
  let procId = "";
  const tag = TAG.exec(rest.slice(pos));
  if (tag) {
    appName = tag[1] as string;
    procId = tag[2] ?? "";
    pos += tag[0].length;
  }
  return record(SyslogFormat.SYSLOG_FORMAT_RFC3164, pri, {
    timestamp,
    rawTimestamp,
    hostname,
    appName,
    procId,
    message: rest.slice(pos),
  });
}
