// From a parsed HL7 v2 message to the facts of its observations (OBX, with
// the OBR and MSH they belong to). Pure. PID is recognised as a segment but
// nothing of it leaves here: the telemetry schema carries no patient, and
// patient identity stays out of telemetry on purpose.
import {
  component,
  type Hl7Encoding,
  type Hl7Message,
  type Hl7Segment,
  LIMITS,
  parseHl7Timestamp,
  renderField,
  repetitions,
} from "./hl7-parse.ts";

export interface Hl7MessageInfo {
  /** MSH-10. */
  controlId: string;
  /** MSH-9 as sent, e.g. "ORU^R01^ORU_R01". */
  messageType: string;
  /** MSH-3 and MSH-4 (namespace id, universal id). */
  sendingApplication: { namespaceId: string; universalId: string; raw: string };
  sendingFacility: { namespaceId: string; universalId: string; raw: string };
  /** MSH-7 in ms, if it parses. */
  timeMs?: number;
  version: string;
}

export interface Hl7Observation {
  /** 0-based position of the OBX among the message's OBX segments. */
  ordinal: number;
  valueType: string;
  codeSystem: string;
  code: string;
  display: string;
  value: string;
  numericValue?: number;
  unit: string;
  referenceRange: string;
  abnormalFlag: string;
  resultStatus: string;
  /** OBX-14, else the OBR-7 of its OBR, else MSH-7. */
  observedMs?: number;
}

export interface Hl7Issue {
  reason: string;
  detail: string;
  /** The offending segment's raw text (only that, to keep patient data out of samples). */
  segment: string;
}

export interface Hl7Interpretation {
  info: Hl7MessageInfo;
  observations: Hl7Observation[];
  /** Parts that could not become observations (the rest of the message still counts). */
  issues: Hl7Issue[];
}

// HL7 table 0396 names for the code systems FHIR also uses, so an observation
// reads the same whether it came over HL7 v2 or FHIR. Others stay as sent.
const CODE_SYSTEMS: Record<string, string> = {
  LN: "http://loinc.org",
  SCT: "http://snomed.info/sct",
  UCUM: "http://unitsofmeasure.org",
};

function hd(raw: string, enc: Hl7Encoding) {
  return { namespaceId: component(raw, 0, enc), universalId: component(raw, 1, enc), raw };
}

export function messageInfo(msh: Hl7Segment, enc: Hl7Encoding): Hl7MessageInfo {
  const f = (n: number) => msh.fields[n] ?? "";
  const timeMs = parseHl7Timestamp(component(f(7), 0, enc));
  return {
    controlId: component(f(10), 0, enc).trim(),
    messageType: renderField(f(9), enc),
    sendingApplication: hd(f(3), enc),
    sendingFacility: hd(f(4), enc),
    ...(timeMs !== undefined && { timeMs }),
    version: component(f(12), 0, enc).trim(),
  };
}

const NM = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function cap(s: string): string {
  return s.length > LIMITS.maxValueChars ? s.slice(0, LIMITS.maxValueChars) : s;
}

/** SN (structured numeric): comparator ^ num1 ^ separator/suffix ^ num2. */
function structuredNumeric(rep: string, enc: Hl7Encoding): { text: string; num?: number } {
  const comparator = component(rep, 0, enc).trim();
  const num1 = component(rep, 1, enc).trim();
  const sep = component(rep, 2, enc).trim();
  const num2 = component(rep, 3, enc).trim();
  const text = `${comparator === "=" ? "" : comparator}${num1}${sep}${num2}`;
  // A plain number only: "<5", "1:128" and "2-5" are not one value.
  const plain = (comparator === "" || comparator === "=") && sep === "" && num2 === "";
  return plain && NM.test(num1) ? { text, num: Number(num1) } : { text };
}

function observationValue(
  raw: string,
  type: string,
  enc: Hl7Encoding,
): { value: string; num?: number } {
  const reps = repetitions(raw, enc);
  if (type === "SN") {
    const parts = reps.map((r) => structuredNumeric(r, enc));
    const value = cap(parts.map((p) => p.text).join("~"));
    const only = parts.length === 1 ? parts[0]?.num : undefined;
    return only === undefined ? { value } : { value, num: only };
  }
  const value = cap(renderField(raw, enc).trim());
  // NM is a number; several repetitions are several values, so none is "the" value.
  if (type === "NM" && reps.length === 1 && NM.test(value)) return { value, num: Number(value) };
  return { value };
}

/** Observations of a parsed message. Never throws for any parsed message. */
export function interpret(message: Hl7Message): Hl7Interpretation {
  const enc = message.encoding;
  const msh = message.segments[0] as Hl7Segment;
  const info = messageInfo(msh, enc);
  const observations: Hl7Observation[] = [];
  const issues: Hl7Issue[] = [];
  let obrTime: number | undefined;
  let ordinal = 0;
  for (const seg of message.segments) {
    const f = (n: number) => seg.fields[n] ?? "";
    if (seg.id === "OBR") {
      obrTime = parseHl7Timestamp(component(f(7), 0, enc));
      continue;
    }
    if (seg.id !== "OBX") continue;
    const n = ordinal++;
    // OBX-3 (CE/CWE): identifier, text, coding system; the alternate triple if the first is empty.
    let code = component(f(3), 0, enc).trim();
    let display = component(f(3), 1, enc).trim();
    let system = component(f(3), 2, enc).trim();
    if (!code) {
      code = component(f(3), 3, enc).trim();
      display ||= component(f(3), 4, enc).trim();
      system = component(f(3), 5, enc).trim();
    }
    if (!code) {
      issues.push({
        reason: "obx_missing_code",
        detail: `OBX #${n + 1} has no observation identifier (OBX-3)`,
        segment: seg.raw,
      });
      continue;
    }
    const valueType = component(f(2), 0, enc).trim().toUpperCase();
    const v = observationValue(f(5), valueType, enc);
    const unit = component(f(6), 0, enc).trim() || component(f(6), 1, enc).trim();
    const abnormal = repetitions(f(8), enc)
      .map((r) => component(r, 0, enc).trim())
      .filter((x) => x !== "")
      .join("~");
    const observedMs = parseHl7Timestamp(component(f(14), 0, enc)) ?? obrTime ?? info.timeMs;
    observations.push({
      ordinal: n,
      valueType,
      codeSystem: CODE_SYSTEMS[system] ?? system,
      code,
      display,
      value: v.value,
      ...(v.num !== undefined && { numericValue: v.num }),
      unit,
      referenceRange: cap(renderField(f(7), enc).trim()),
      abnormalFlag: abnormal,
      resultStatus: component(f(11), 0, enc).trim(),
      ...(observedMs !== undefined && { observedMs }),
    });
  }
  return { info, observations, issues };
}
