// Pure mapping of FHIR R4 search results to telemetry facts: a searchset
// Bundle page, and the Observation / Device / DeviceMetric / AuditEvent
// resources in it. Input is hostile JSON: every access is type-checked,
// counts and strings are bounded, and failures come back as values.

export const LIMITS = {
  maxEntries: 1000,
  maxComponents: 64,
  maxCodings: 32,
  maxString: 4096,
};

type Obj = Record<string, unknown>;

export interface ClinicalFacts {
  resourceType: "Observation";
  /** Resource id (source_id of the event). */
  id: string;
  /** meta.versionId, else meta.lastUpdated: a new version is a new event. */
  version: string;
  /** Index of the component (BloodPressure systolic/diastolic), or -1 for the resource itself. */
  component: number;
  codeSystem: string;
  code: string;
  display: string;
  value: string;
  numericValue?: number;
  unit: string;
  referenceRange: string;
  abnormalFlag: string;
  resultStatus: string;
  observedMs?: number;
}

export interface LogFacts {
  resourceType: "Device" | "DeviceMetric" | "AuditEvent";
  id: string;
  version: string;
  /** RFC 5424 severity: 6 info, 4 warning, 3 error, 2 critical. */
  severity: number;
  message: string;
  params: Record<string, string>;
  observedMs?: number;
}

export interface MalformedFacts {
  reason: string;
  detail: string;
  /** What may be sampled: never a whole resource (it may be a Patient). */
  sample: string;
  length: number;
}

export type MappedResource =
  | { kind: "clinical"; facts: ClinicalFacts[] }
  | { kind: "log"; facts: LogFacts }
  | { kind: "malformed"; malformed: MalformedFacts };

export interface SearchPage {
  ok: true;
  resources: Obj[];
  /** Entries that were not the expected resource type, or not objects. */
  malformed: MalformedFacts[];
  /** link[relation=next].url, as sent (the caller checks its origin). */
  next?: string;
}

export type PageResult = SearchPage | { ok: false; malformed: MalformedFacts };

export const SUPPORTED = ["Observation", "Device", "DeviceMetric", "AuditEvent"] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === "string" ? v.slice(0, LIMITS.maxString) : "";
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function arr(v: unknown, max: number): unknown[] {
  return Array.isArray(v) ? v.slice(0, max) : [];
}

const FHIR_DATETIME =
  /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** A FHIR date, dateTime or instant in ms; undefined if it is not one. */
export function parseFhirTime(v: unknown): number | undefined {
  if (typeof v !== "string" || !FHIR_DATETIME.test(v)) return undefined;
  const ms = Date.parse(v.length === 7 ? `${v}-01` : v.length === 4 ? `${v}-01-01` : v);
  return Number.isFinite(ms) ? ms : undefined;
}

function malformed(
  reason: string,
  detail: string,
  sample: string,
  length = sample.length,
): MalformedFacts {
  return { reason, detail, sample: sample.slice(0, 256), length };
}

/** Parses a response body (UTF-8, a BOM allowed) as JSON; never throws. */
export function parseJson(
  bytes: Uint8Array,
): { ok: true; value: unknown } | { ok: false; malformed: MalformedFacts } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, malformed: malformed("not_utf8", "body is not UTF-8", "", bytes.length) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      malformed: malformed(
        "bad_json",
        (err as Error).message.slice(0, 200),
        text.slice(0, 256),
        bytes.length,
      ),
    };
  }
}

/** A searchset Bundle page: the entries of `expectedType`, and the next link. */
export function parseSearchPage(bytes: Uint8Array, expectedType: string): PageResult {
  const j = parseJson(bytes);
  if (!j.ok) return j;
  const b = j.value;
  if (!isObj(b)) {
    return {
      ok: false,
      malformed: malformed("not_an_object", "body is not a JSON object", "", bytes.length),
    };
  }
  const rt = str(b.resourceType);
  if (rt !== "Bundle") {
    return {
      ok: false,
      malformed: malformed(
        "wrong_resource_type",
        `expected a Bundle, got ${JSON.stringify(rt.slice(0, 64))}`,
        rt,
        bytes.length,
      ),
    };
  }
  if (b.type !== "searchset") {
    return {
      ok: false,
      malformed: malformed(
        "bundle_type",
        `expected a searchset Bundle, got ${JSON.stringify(str(b.type).slice(0, 64))}`,
        str(b.type),
        bytes.length,
      ),
    };
  }
  if (Array.isArray(b.entry) && b.entry.length > LIMITS.maxEntries) {
    return {
      ok: false,
      malformed: malformed(
        "too_many_entries",
        `more than ${LIMITS.maxEntries} entries in one page`,
        "",
        bytes.length,
      ),
    };
  }
  const resources: Obj[] = [];
  const bad: MalformedFacts[] = [];
  for (const e of arr(b.entry, LIMITS.maxEntries)) {
    if (!isObj(e)) {
      bad.push(malformed("bad_entry", "a Bundle entry is not an object", ""));
      continue;
    }
    const mode = isObj(e.search) ? str(e.search.mode) : "";
    // OperationOutcome warnings and _include'd resources are not results: skip.
    if (mode === "outcome" || mode === "include") continue;
    const r = e.resource;
    if (!isObj(r)) {
      bad.push(malformed("bad_entry", "a Bundle entry has no resource", ""));
      continue;
    }
    const t = str(r.resourceType);
    if (t !== expectedType) {
      // Only the type is sampled: the resource may be a Patient.
      bad.push(
        malformed(
          "wrong_resource_type",
          `expected ${expectedType}, got ${JSON.stringify(t.slice(0, 64))}`,
          t,
        ),
      );
      continue;
    }
    resources.push(r);
  }
  let next: string | undefined;
  for (const l of arr(b.link, 32)) {
    if (isObj(l) && l.relation === "next" && typeof l.url === "string") {
      next = l.url.slice(0, 8192);
      break;
    }
  }
  return next === undefined
    ? { ok: true, resources, malformed: bad }
    : { ok: true, resources, malformed: bad, next };
}

export function lastUpdated(r: Obj): string | undefined {
  const meta = isObj(r.meta) ? r.meta : undefined;
  const v = meta && str(meta.lastUpdated);
  return v && parseFhirTime(v) !== undefined ? v : undefined;
}

function version(r: Obj): string {
  const meta = isObj(r.meta) ? r.meta : {};
  return str(meta.versionId) || str(meta.lastUpdated);
}

interface Coding {
  system: string;
  code: string;
  display: string;
}

function codings(cc: unknown): Coding[] {
  if (!isObj(cc)) return [];
  return arr(cc.coding, LIMITS.maxCodings)
    .filter(isObj)
    .map((c) => ({ system: str(c.system), code: str(c.code), display: str(c.display) }))
    .filter((c) => c.code !== "");
}

/** The coding to report: LOINC if there is one (what HL7 v2 senders use), else the first. */
function pickCoding(cc: unknown): Coding & { text: string } {
  const cs = codings(cc);
  const c = cs.find((x) => x.system === "http://loinc.org") ?? cs[0];
  const text = isObj(cc) ? str(cc.text) : "";
  return { system: c?.system ?? "", code: c?.code ?? "", display: c?.display ?? "", text };
}

/** Interpretation as an HL7 table 0078 code; R4 has an array, STU3 one CodeableConcept. */
function interpretation(v: unknown): string {
  const first = Array.isArray(v) ? v[0] : v;
  return codings(first)[0]?.code ?? "";
}

function quantityText(q: Obj): string {
  const v = num(q.value);
  return v === undefined ? "" : `${str(q.comparator)}${v}`;
}

function rangeText(r: unknown): string {
  if (!isObj(r)) return "";
  const text = str(r.text);
  if (text) return text;
  const low = isObj(r.low) ? num(r.low.value) : undefined;
  const high = isObj(r.high) ? num(r.high.value) : undefined;
  if (low !== undefined && high !== undefined) return `${low}-${high}`;
  if (low !== undefined) return `>=${low}`;
  if (high !== undefined) return `<=${high}`;
  return "";
}

/** value[x] → text, number (only for a plain quantity or integer), unit. */
function observationValue(o: Obj): { value: string; num?: number; unit: string } | undefined {
  if (isObj(o.valueQuantity)) {
    const q = o.valueQuantity;
    const v = num(q.value);
    const unit = str(q.unit) || str(q.code);
    // "<5" is a bound, not a reading.
    const plain = v !== undefined && !str(q.comparator);
    return plain ? { value: quantityText(q), num: v, unit } : { value: quantityText(q), unit };
  }
  if (typeof o.valueInteger === "number") {
    const v = num(o.valueInteger);
    return v === undefined ? { value: "", unit: "" } : { value: String(v), num: v, unit: "" };
  }
  if (typeof o.valueString === "string") return { value: str(o.valueString), unit: "" };
  if (typeof o.valueBoolean === "boolean") return { value: String(o.valueBoolean), unit: "" };
  if (isObj(o.valueCodeableConcept)) {
    const c = pickCoding(o.valueCodeableConcept);
    return { value: c.text || c.display || c.code, unit: "" };
  }
  for (const k of ["valueDateTime", "valueTime"]) {
    if (typeof o[k] === "string") return { value: str(o[k]), unit: "" };
  }
  if (isObj(o.valuePeriod)) {
    return { value: `${str(o.valuePeriod.start)}/${str(o.valuePeriod.end)}`, unit: "" };
  }
  if (isObj(o.valueRange)) {
    const lowUnit = isObj(o.valueRange.low) ? str(o.valueRange.low.unit) : "";
    return { value: rangeText(o.valueRange), unit: lowUnit };
  }
  if (isObj(o.valueRatio)) {
    const n = isObj(o.valueRatio.numerator) ? quantityText(o.valueRatio.numerator) : "";
    const d = isObj(o.valueRatio.denominator) ? quantityText(o.valueRatio.denominator) : "";
    return { value: `${n}:${d}`, unit: "" };
  }
  if (isObj(o.valueSampledData)) return { value: str(o.valueSampledData.data), unit: "" };
  return undefined;
}

function observedTime(o: Obj): number | undefined {
  return (
    parseFhirTime(o.effectiveDateTime) ??
    parseFhirTime(o.effectiveInstant) ??
    (isObj(o.effectivePeriod) ? parseFhirTime(o.effectivePeriod.start) : undefined) ??
    parseFhirTime(o.issued) ??
    parseFhirTime(isObj(o.meta) ? o.meta.lastUpdated : undefined)
  );
}

/**
 * An Observation → one ClinicalObservation per component (a panel such as
 * blood pressure), plus one for the resource itself if it carries a value or
 * has no components.
 */
export function mapObservation(o: Obj): MappedResource {
  const id = str(o.id);
  const status = str(o.status);
  const observedMs = observedTime(o);
  const facts: ClinicalFacts[] = [];
  const one = (part: Obj, component: number) => {
    const c = pickCoding(part.code);
    if (!c.code) return false;
    const v = observationValue(part);
    const f: ClinicalFacts = {
      resourceType: "Observation",
      id,
      version: version(o),
      component,
      codeSystem: c.system,
      code: c.code,
      display: c.display || c.text,
      value: v?.value ?? "",
      unit: v?.unit ?? "",
      referenceRange: rangeText(arr(part.referenceRange, 1)[0]),
      abnormalFlag: interpretation(part.interpretation),
      resultStatus: status,
      ...(observedMs !== undefined && { observedMs }),
    };
    if (v?.num !== undefined) f.numericValue = v.num;
    facts.push(f);
    return true;
  };
  const components = arr(o.component, LIMITS.maxComponents).filter(isObj);
  const hasValue = observationValue(o) !== undefined;
  if (hasValue || components.length === 0) {
    if (!one(o, -1)) {
      return {
        kind: "malformed",
        malformed: malformed(
          "observation_without_code",
          `Observation ${JSON.stringify(id.slice(0, 64))} has no code`,
          "Observation",
        ),
      };
    }
  }
  // A component's own interpretation wins; it does not inherit the panel's.
  for (const [i, c] of components.entries()) one(c, i);
  if (facts.length === 0) {
    return {
      kind: "malformed",
      malformed: malformed(
        "observation_without_code",
        `Observation ${JSON.stringify(id.slice(0, 64))} has no coded component`,
        "Observation",
      ),
    };
  }
  return { kind: "clinical", facts };
}

function codingText(cc: unknown): { token: string; display: string } {
  const c = pickCoding(cc);
  return { token: c.system ? `${c.system}|${c.code}` : c.code, display: c.display || c.text };
}

function setIf(p: Record<string, string>, k: string, v: string) {
  if (v) p[k] = v;
}

/** Device → a log record of its identity and status (what an inventory change looks like). */
export function mapDevice(d: Obj): MappedResource {
  const id = str(d.id);
  const params: Record<string, string> = {};
  const status = str(d.status);
  setIf(params, "status", status);
  const type = codingText(d.type);
  setIf(params, "type", type.token);
  setIf(params, "typeDisplay", type.display);
  setIf(params, "manufacturer", str(d.manufacturer));
  setIf(params, "modelNumber", str(d.modelNumber));
  setIf(params, "lotNumber", str(d.lotNumber));
  let serial = str(d.serialNumber);
  for (const ident of arr(d.identifier, LIMITS.maxCodings).filter(isObj)) {
    // The serial number is an identifier typed SNO (v2-0203) in many examples.
    if (!serial && codings(ident.type).some((c) => c.code === "SNO")) serial = str(ident.value);
  }
  setIf(params, "serialNumber", serial);
  const names = arr(d.deviceName, 4)
    .filter(isObj)
    .map((n) => str(n.name))
    .filter(Boolean);
  setIf(params, "deviceName", names.join(", "));
  const severity = status === "inactive" || status === "entered-in-error" ? 4 : 6;
  const what = [type.display || type.token, params.manufacturer, serial && `serial ${serial}`]
    .filter(Boolean)
    .join(", ");
  const observedMs = parseFhirTime(isObj(d.meta) ? d.meta.lastUpdated : undefined);
  return {
    kind: "log",
    facts: {
      resourceType: "Device",
      id,
      version: version(d),
      severity,
      message: `Device ${id}${what ? ` (${what})` : ""} status ${status || "unknown"}`,
      params,
      ...(observedMs !== undefined && { observedMs }),
    },
  };
}

/** DeviceMetric → a log record: what it measures, whether it is on, its calibration. */
export function mapDeviceMetric(m: Obj): MappedResource {
  const id = str(m.id);
  const params: Record<string, string> = {};
  const type = codingText(m.type);
  const unit = codingText(m.unit);
  const op = str(m.operationalStatus);
  setIf(params, "type", type.token);
  setIf(params, "typeDisplay", type.display);
  setIf(params, "unit", unit.token);
  setIf(params, "unitDisplay", unit.display);
  setIf(params, "operationalStatus", op);
  setIf(params, "category", str(m.category));
  setIf(params, "color", str(m.color));
  if (isObj(m.source)) setIf(params, "source", str(m.source.reference));
  const cal = arr(m.calibration, 1).filter(isObj)[0];
  if (cal) {
    setIf(params, "calibrationType", str(cal.type));
    setIf(params, "calibrationState", str(cal.state));
    setIf(params, "calibrationTime", str(cal.time));
  }
  const calState = params.calibrationState ?? "";
  const severity =
    op === "off" ||
    op === "entered-in-error" ||
    calState === "calibration-required" ||
    calState === "not-calibrated"
      ? 4
      : 6;
  const observedMs =
    parseFhirTime(isObj(m.meta) ? m.meta.lastUpdated : undefined) ?? parseFhirTime(cal?.time);
  return {
    kind: "log",
    facts: {
      resourceType: "DeviceMetric",
      id,
      version: version(m),
      severity,
      message: `DeviceMetric ${id} ${type.display || type.token} operationalStatus ${op || "unknown"}${calState ? `, calibration ${calState}` : ""}`,
      params,
      ...(observedMs !== undefined && { observedMs }),
    },
  };
}

/** AuditEvent → a log record; severity from outcome (0 success, 4 minor, 8 serious, 12 major failure). */
export function mapAuditEvent(a: Obj): MappedResource {
  const id = str(a.id);
  const params: Record<string, string> = {};
  const type = isObj(a.type) ? a.type : {};
  const typeToken = str(type.system) ? `${str(type.system)}|${str(type.code)}` : str(type.code);
  setIf(params, "type", typeToken);
  setIf(params, "typeDisplay", str(type.display));
  const sub = arr(a.subtype, 4)
    .filter(isObj)
    .map((s) => str(s.code))
    .filter(Boolean);
  setIf(params, "subtype", sub.join(","));
  setIf(params, "action", str(a.action));
  const outcome = str(a.outcome);
  setIf(params, "outcome", outcome);
  setIf(params, "outcomeDesc", str(a.outcomeDesc));
  setIf(params, "recorded", str(a.recorded));
  const severity = outcome === "12" ? 2 : outcome === "8" ? 3 : outcome === "4" ? 4 : 6;
  const observedMs =
    parseFhirTime(a.recorded) ?? parseFhirTime(isObj(a.meta) ? a.meta.lastUpdated : undefined);
  return {
    kind: "log",
    facts: {
      resourceType: "AuditEvent",
      id,
      version: version(a),
      severity,
      message: `AuditEvent ${id} ${str(type.display) || typeToken} action ${params.action ?? "?"} outcome ${outcome || "?"}`,
      params,
      ...(observedMs !== undefined && { observedMs }),
    },
  };
}

/** Maps one resource of a supported type; anything else is malformed. Never throws. */
export function mapResource(r: unknown): MappedResource {
  if (!isObj(r))
    return {
      kind: "malformed",
      malformed: malformed("not_an_object", "resource is not an object", ""),
    };
  switch (r.resourceType) {
    case "Observation":
      return mapObservation(r);
    case "Device":
      return mapDevice(r);
    case "DeviceMetric":
      return mapDeviceMetric(r);
    case "AuditEvent":
      return mapAuditEvent(r);
    default: {
      const t = str(r.resourceType).slice(0, 64);
      return {
        kind: "malformed",
        malformed: malformed(
          "wrong_resource_type",
          `unsupported resource type ${JSON.stringify(t)}`,
          t,
        ),
      };
    }
  }
}
