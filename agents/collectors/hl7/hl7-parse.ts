// A pure HL7 v2 parser: separators from MSH-1/MSH-2, escape sequences,
// CR / LF / CRLF segment separators, a leading UTF-8 BOM. Input is hostile:
// sizes and counts are bounded and failures come back as values, never as
// exceptions.

export interface Hl7Encoding {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Hl7Segment {
  id: string;
  /**
   * Raw (still escaped) fields indexed by HL7 field number: fields[0] is the
   * segment id; for MSH, fields[1] is the field separator and fields[2] the
   * encoding characters, so MSH-10 is fields[10] like everywhere else.
   */
  fields: string[];
  /** The segment's raw text (for samples of malformed parts). */
  raw: string;
}

export interface Hl7Message {
  encoding: Hl7Encoding;
  segments: Hl7Segment[];
  /** The message with a BOM removed and segments joined by CR: what ids hash. */
  normalized: string;
}

/** The parts of MSH an ACK needs; present even when the rest of the message fails. */
export interface Hl7Header {
  encoding: Hl7Encoding;
  msh: Hl7Segment;
}

export type Hl7Parse =
  | { ok: true; message: Hl7Message; header: Hl7Header }
  | { ok: false; reason: string; detail: string; header?: Hl7Header };

export const LIMITS = {
  /** Characters of one message (the MLLP framer bounds bytes before this). */
  maxChars: 4 * 1024 * 1024,
  maxSegments: 5000,
  maxFieldsPerSegment: 1000,
  maxRepetitions: 100,
  maxComponents: 100,
  /** A rendered value is cut here (an ED field can carry a whole base64 document). */
  maxValueChars: 4096,
};

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;
const DEFAULT_ENCODING: Hl7Encoding = {
  field: "|",
  component: "^",
  repetition: "~",
  escape: "\\",
  subcomponent: "&",
};

export function defaultEncoding(): Hl7Encoding {
  return { ...DEFAULT_ENCODING };
}

function fail(reason: string, detail: string, header?: Hl7Header): Hl7Parse {
  return header ? { ok: false, reason, detail, header } : { ok: false, reason, detail };
}

function isDelimiterChar(c: string): boolean {
  // Printable ASCII that is not a letter, digit or space.
  return c.length === 1 && /^[!-/:-@[-`{-~]$/.test(c);
}

/** Parses the MSH segment (the first line); the rest of the message may still fail. */
export function parseMsh(line: string): Hl7Header | { reason: string; detail: string } {
  if (!line.startsWith("MSH")) {
    return { reason: "missing_msh", detail: "message does not start with an MSH segment" };
  }
  const fs = line.charAt(3);
  if (!isDelimiterChar(fs)) {
    return {
      reason: "bad_encoding_characters",
      detail: "MSH-1 field separator is missing or invalid",
    };
  }
  const parts = line.split(fs, LIMITS.maxFieldsPerSegment + 2);
  const enc = parts[1] ?? "";
  // MSH-2: component, repetition, escape, subcomponent, and (v2.7+) truncation.
  const chars = [...enc];
  const distinct = new Set([fs, ...chars.slice(0, 4)]);
  if (
    chars.length < 4 ||
    chars.length > 5 ||
    !chars.every(isDelimiterChar) ||
    distinct.size !== 5
  ) {
    return {
      reason: "bad_encoding_characters",
      detail: "MSH-2 must hold four distinct separator characters",
    };
  }
  const encoding: Hl7Encoding = {
    field: fs,
    component: chars[0] as string,
    repetition: chars[1] as string,
    escape: chars[2] as string,
    subcomponent: chars[3] as string,
  };
  const fields = ["MSH", fs, ...parts.slice(1)];
  return { encoding, msh: { id: "MSH", fields, raw: line } };
}

/** Parses one message (text after MLLP unframing). */
export function parseHl7(input: string): Hl7Parse {
  let text = input;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > LIMITS.maxChars) {
    return fail("oversize", `message longer than ${LIMITS.maxChars} characters`);
  }
  // Leading blank lines are harmless (some senders start a frame with CR).
  const lines = text.split(/\r\n|\r|\n/);
  const nonEmpty: string[] = [];
  for (const l of lines) {
    if (l.trim() === "") continue;
    nonEmpty.push(l);
    if (nonEmpty.length > LIMITS.maxSegments) {
      return fail("too_many_segments", `more than ${LIMITS.maxSegments} segments`);
    }
  }
  const first = nonEmpty[0];
  if (first === undefined) return fail("empty", "no segments");
  const h = parseMsh(first);
  if (!("encoding" in h)) return fail(h.reason, h.detail);
  const header = h;
  const { encoding } = header;
  if (header.msh.fields.length > LIMITS.maxFieldsPerSegment) {
    return fail("too_many_fields", "MSH has too many fields", header);
  }
  if (!component(header.msh.fields[9] ?? "", 0, encoding)) {
    return fail("missing_message_type", "MSH-9 message type is empty", header);
  }
  if (!(header.msh.fields[10] ?? "").trim()) {
    return fail("missing_control_id", "MSH-10 message control id is empty", header);
  }
  const segments: Hl7Segment[] = [header.msh];
  for (let i = 1; i < nonEmpty.length; i++) {
    const raw = nonEmpty[i] as string;
    const parts = raw.split(encoding.field, LIMITS.maxFieldsPerSegment + 1);
    if (parts.length > LIMITS.maxFieldsPerSegment) {
      return fail("too_many_fields", `segment ${i + 1} has too many fields`, header);
    }
    const id = parts[0] ?? "";
    if (!SEGMENT_ID.test(id)) {
      return fail("bad_segment_id", `segment ${i + 1} has no valid segment id`, header);
    }
    if (id === "MSH") {
      // Batches (FHS/BHS) are not accepted over MLLP: one message per frame.
      return fail("multiple_msh", "more than one MSH segment in one message", header);
    }
    segments.push({ id, fields: parts, raw });
  }
  return { ok: true, message: { encoding, segments, normalized: nonEmpty.join("\r") }, header };
}

/** Splits a raw field into its repetitions (bounded). */
export function repetitions(raw: string, enc: Hl7Encoding): string[] {
  if (raw === "") return [];
  return raw.split(enc.repetition, LIMITS.maxRepetitions);
}

/** Splits a raw repetition into components (bounded). */
export function components(raw: string, enc: Hl7Encoding): string[] {
  return raw.split(enc.component, LIMITS.maxComponents);
}

/** The decoded text of component `i` (0-based) of the first repetition of a raw field. */
export function component(rawField: string, i: number, enc: Hl7Encoding): string {
  const rep = repetitions(rawField, enc)[0] ?? "";
  const c = components(rep, enc)[i] ?? "";
  // Subcomponents of a component are kept joined by the standard '&'.
  return c
    .split(enc.subcomponent, LIMITS.maxComponents)
    .map((s) => unescapeHl7(s, enc))
    .join("&");
}

/**
 * Decodes HL7 escape sequences: \F\ \S\ \T\ \R\ \E\ to the separators,
 * \Xhh..\ to the bytes (UTF-8), \.br\ to a newline; highlighting and
 * character-set switches (\H\ \N\ \C..\ \M..\ and other formatting) are
 * dropped; an unterminated or unknown sequence is kept as sent.
 */
export function unescapeHl7(s: string, enc: Hl7Encoding): string {
  const e = enc.escape;
  if (!s.includes(e)) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c !== e) {
      out += c;
      i++;
      continue;
    }
    const end = s.indexOf(e, i + 1);
    if (end < 0 || end - i > 256) {
      out += s.slice(i);
      break;
    }
    const seq = s.slice(i + 1, end);
    i = end + 1;
    switch (seq) {
      case "F":
        out += enc.field;
        break;
      case "S":
        out += enc.component;
        break;
      case "T":
        out += enc.subcomponent;
        break;
      case "R":
        out += enc.repetition;
        break;
      case "E":
        out += enc.escape;
        break;
      case ".br":
        out += "\n";
        break;
      case "H":
      case "N":
        break;
      default:
        if (/^X([0-9A-Fa-f]{2})+$/.test(seq)) {
          out += Buffer.from(seq.slice(1), "hex").toString("utf8");
        } else if (/^(C|M)[0-9A-Fa-f]+$/.test(seq) || /^\.(sp|fi|nf|in|ti|sk|ce)/.test(seq)) {
          // character-set switch or formatting instruction: no text
        } else {
          out += `${e}${seq}${e}`;
        }
    }
  }
  return out;
}

/** Decodes a whole raw field, keeping structure with the standard separators ^ & ~. */
export function renderField(rawField: string, enc: Hl7Encoding): string {
  return repetitions(rawField, enc)
    .map((rep) => {
      const comps = components(rep, enc).map((c) =>
        c
          .split(enc.subcomponent, LIMITS.maxComponents)
          .map((s) => unescapeHl7(s, enc))
          .join("&"),
      );
      while (comps.length > 1 && comps[comps.length - 1] === "") comps.pop();
      return comps.join("^");
    })
    .join("~");
}

/**
 * Parses an HL7 TS/DTM value (YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ],
 * first component only) to milliseconds since the epoch. Without an offset the
 * sender's local time is unknown to us, so it is read as UTC.
 */
export function parseHl7Timestamp(value: string): number | undefined {
  const m =
    /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?(?:([+-])(\d{2})(\d{2}))?$/.exec(
      value.trim(),
    );
  if (!m) return undefined;
  const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
  const year = Number(m[1]);
  const month = num(m[2], 1);
  const day = num(m[3], 1);
  const hour = num(m[4], 0);
  const minute = num(m[5], 0);
  const second = num(m[6], 0);
  const frac = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(frac);
  // Date.UTC rolls 31 Feb over to March: reject dates that do not exist.
  if (new Date(ms).getUTCDate() !== day && m[3] !== undefined) return undefined;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 14 || om > 59) return undefined;
    const offset = (oh * 60 + om) * 60_000;
    ms += m[8] === "+" ? -offset : offset;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** HL7 TS for an ACK: UTC with an explicit +0000 offset. */
export function formatHl7Timestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+0000`;
}
