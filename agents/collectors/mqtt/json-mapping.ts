// JSON payloads to readings: MQTT topic filters select the mappings, dotted
// paths with array indices (`a.b[0].c`) select the values. Pure; hostile
// payloads give problems with a reason, never an exception.

export type PathSegment = string | number;

export interface JsonMapping {
  topic: string;
  jsonPath: string;
  metric: string;
  unit?: string;
}

export interface CompiledMapping extends JsonMapping {
  path: PathSegment[];
}

export interface Reading {
  metric: string;
  value: number;
  unit?: string;
  jsonPath: string;
}

export interface Problem {
  /** Low-cardinality label for amoskys_agent_malformed_total. */
  label: "payload_too_large" | "json_invalid" | "json_path_missing" | "json_not_number";
  /** For people (the Malformed event's reason). */
  reason: string;
}

export const JSON_LIMITS = {
  maxPayloadBytes: 256 * 1024,
  maxPathSegments: 64,
  maxPathLength: 512,
};

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * `a.b[0].c`, `$.a.b`, `[2].x`, `a["dotted.key"]`: keys separated by dots,
 * array indices (or quoted keys) in brackets.
 */
export function parsePath(text: string): Result<PathSegment[]> {
  if (text.length === 0 || text.length > JSON_LIMITS.maxPathLength)
    return { ok: false, reason: `jsonPath must be 1..${JSON_LIMITS.maxPathLength} characters` };
  let s = text;
  if (s === "$") return { ok: true, value: [] };
  if (s.startsWith("$.")) s = s.slice(2);
  else if (s.startsWith("$[")) s = s.slice(1);
  const out: PathSegment[] = [];
  let i = 0;
  let expectKey = true; // at the start or after a dot a key is required unless a bracket follows
  while (i < s.length) {
    const c = s[i];
    if (c === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) return { ok: false, reason: `unclosed [ in ${JSON.stringify(text)}` };
      const inner = s.slice(i + 1, close);
      if (/^\d{1,9}$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner) && inner.length >= 2) out.push(inner.slice(1, -1));
      else return { ok: false, reason: `bad index [${inner}] in ${JSON.stringify(text)}` };
      i = close + 1;
      expectKey = false;
    } else if (c === ".") {
      if (expectKey) return { ok: false, reason: `empty key in ${JSON.stringify(text)}` };
      i++;
      expectKey = true;
      if (i === s.length) return { ok: false, reason: `trailing . in ${JSON.stringify(text)}` };
    } else {
      if (!expectKey)
        return { ok: false, reason: `missing . before key in ${JSON.stringify(text)}` };
      let j = i;
      while (j < s.length && s[j] !== "." && s[j] !== "[") j++;
      out.push(s.slice(i, j));
      i = j;
      expectKey = false;
    }
    if (out.length > JSON_LIMITS.maxPathSegments)
      return { ok: false, reason: `more than ${JSON_LIMITS.maxPathSegments} segments` };
  }
  return { ok: true, value: out };
}

/** The value at `path`, following own properties only (no prototype keys like "constructor"). */
export function getPath(
  root: unknown,
  path: readonly PathSegment[],
): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(cur) || seg >= cur.length) return { found: false };
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !Object.hasOwn(cur, seg))
        return { found: false };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}

/** MQTT topic filter matching: `+` one level, `#` the rest (also the parent); `$` topics need literal first levels. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    const p = f[i];
    if (p === "#") return true;
    if (i >= t.length) return false;
    if (p !== "+" && p !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether `filter` is a valid MQTT subscription filter. */
export function validTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.length > 65535 || filter.includes("\u0000")) return false;
  const levels = filter.split("/");
  return levels.every(
    (l, i) =>
      (l === "#" && i === levels.length - 1) || l === "+" || (!l.includes("+") && !l.includes("#")),
  );
}

/** Compiles mappings, or says which one is invalid and why. */
export function compileMappings(mappings: readonly JsonMapping[]): Result<CompiledMapping[]> {
  const out: CompiledMapping[] = [];
  for (const [i, m] of mappings.entries()) {
    if (!validTopicFilter(m.topic))
      return {
        ok: false,
        reason: `mappings[${i}].topic ${JSON.stringify(m.topic)} is not a topic filter`,
      };
    const p = parsePath(m.jsonPath);
    if (!p.ok) return { ok: false, reason: `mappings[${i}].jsonPath: ${p.reason}` };
    if (!m.metric) return { ok: false, reason: `mappings[${i}].metric is empty` };
    out.push({ ...m, path: p.value });
  }
  return { ok: true, value: out };
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "boolean") return v ? 1 : 0;
  // Many devices send numbers as strings ("21.5"); only a whole numeric string counts.
  if (
    typeof v === "string" &&
    v.length <= 64 &&
    /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)
  ) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The readings the mappings for `topic` find in `payload`. No mapping for the
 * topic: nothing (the message is not one we were asked to read).
 */
export function mapJson(
  topic: string,
  payload: Uint8Array,
  mappings: readonly CompiledMapping[],
): { readings: Reading[]; problems: Problem[]; matched: number } {
  const mine = mappings.filter((m) => topicMatches(m.topic, topic));
  const readings: Reading[] = [];
  const problems: Problem[] = [];
  if (mine.length === 0) return { readings, problems, matched: 0 };
  if (payload.length > JSON_LIMITS.maxPayloadBytes) {
    problems.push({
      label: "payload_too_large",
      reason: `payload of ${payload.length} bytes exceeds ${JSON_LIMITS.maxPayloadBytes}`,
    });
    return { readings, problems, matched: mine.length };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(decoder.decode(payload));
  } catch (err) {
    problems.push({ label: "json_invalid", reason: `not JSON: ${(err as Error)?.message ?? err}` });
    return { readings, problems, matched: mine.length };
  }
  for (const m of mine) {
    const got = getPath(doc, m.path);
    if (!got.found) {
      problems.push({ label: "json_path_missing", reason: `no value at ${m.jsonPath}` });
      continue;
    }
    const value = asNumber(got.value);
    if (value === undefined) {
      const shown = JSON.stringify(got.value)?.slice(0, 64) ?? String(got.value);
      problems.push({
        label: "json_not_number",
        reason: `value at ${m.jsonPath} is not a number: ${shown}`,
      });
      continue;
    }
    readings.push({
      metric: m.metric,
      value,
      jsonPath: m.jsonPath,
      ...(m.unit !== undefined && { unit: m.unit }),
    });
  }
  return { readings, problems, matched: mine.length };
}
