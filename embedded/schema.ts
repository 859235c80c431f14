// The kube-apiserver's structural checks of a custom object, offline: unknown
// fields, types, required, enum, bounds, patterns, list sets and maps, and the
// CRD defaults applied first (as the apiserver does). Messages are worded as
// the apiserver words them (field.Error of k8s.io/apimachinery), so a file
// refused by `amoskys up` reads like `kubectl apply` refusing it. The CEL
// rules (x-kubernetes-validations) are evaluated after this, by cel.ts.
import type { OpenApiSchema } from "../crds/index.ts";
import { compilePattern, type Pattern } from "../runtime/pattern.ts";

/** One problem at a field, already worded (without the "<Kind> \"name\" is invalid" lead). */
export interface FieldProblem {
  path: string;
  message: string;
  /**
   * The apiserver does not run CEL rules after such a problem (Required,
   * Unsupported, Too long, Too many, a wrong type) and says so.
   */
  blocking?: boolean;
}

export interface SchemaResult {
  /** The object with every schema default applied. */
  value: unknown;
  /** Fields the schema does not declare (the apiserver's strict field validation refuses them). */
  unknown: string[];
  problems: FieldProblem[];
}

const GO_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};
// strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

// Schema patterns compiled once each, as the apiserver compiles them (Go
// regexp: RE2, linear in the value checked).
const patterns = new Map<string, Pattern>();
function schemaPattern(source: string): Pattern {
  let p = patterns.get(source);
  if (!p) {
    const c = compilePattern(source);
    // A CRD the apiserver would refuse: ours, so a bug, not the manifest's fault.
    if (!c.ok) throw new Error(`schema pattern ${JSON.stringify(source)}: ${c.reason}`);
    p = c.pattern;
    patterns.set(source, p);
  }
  return p;
}

/** Go's %q (strconv.Quote) of a string. */
export function quote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    const esc = GO_ESCAPES[c];
    if (esc) out += esc;
    else if (GO_PRINTABLE.test(c)) out += c;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** Go's json.Marshal: sorted map keys, <, > and & escaped as in HTML. */
function goJson(v: unknown): string {
  const sorted = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sorted)
      : isPlainObject(x)
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sorted(x[k])]),
          )
        : x;
  return JSON.stringify(sorted(v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** How field.Error prints a value: strings quoted, numbers and booleans plain, the rest as JSON. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return quote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return goJson(v);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(type: string, v: unknown): boolean {
  const t = typeOf(v);
  if (type === "number") return t === "number" || t === "integer";
  return t === type;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const clone = <T>(v: T): T => structuredClone(v);

/** Applies the schema's defaults below `value` (in place, like the apiserver's defaulting). */
function applyDefaults(schema: OpenApiSchema, value: unknown): void {
  if (isPlainObject(value)) {
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      if (value[k] === undefined && s.default !== undefined) value[k] = clone(s.default);
      if (value[k] !== undefined) applyDefaults(s, value[k]);
    }
    if (typeof schema.additionalProperties === "object")
      for (const v of Object.values(value)) applyDefaults(schema.additionalProperties, v);
  } else if (Array.isArray(value) && schema.items) {
    for (const v of value) applyDefaults(schema.items, v);
  }
}

/**
 * Checks `value` (already parsed YAML/JSON) against `schema` after applying
 * its defaults. `root` is the path prefix of the value ("" for a whole object).
 */
export function checkSchema(schema: OpenApiSchema, input: unknown, root = ""): SchemaResult {
  const value = clone(input);
  applyDefaults(schema, value);
  const problems: FieldProblem[] = [];
  const unknown: string[] = [];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const invalid = (path: string, v: unknown, detail: string, blocking = false) =>
    problems.push({
      path,
      message: `${path}: Invalid value: ${goValue(v)}: ${detail}`,
      ...(blocking && { blocking }),
    });

  const walk = (s: OpenApiSchema, v: unknown, path: string): void => {
    if (v === null && s.type !== undefined) {
      // The apiserver drops nulls of fields that are not nullable (pruning): nothing to check.
      return;
    }
    if (s["x-kubernetes-int-or-string"]) {
      const t = typeOf(v);
      if (t !== "integer" && t !== "string") {
        invalid(path, t, `${path} in body must be of type integer,string: ${quote(t)}`, true);
        return;
      }
    } else if (s.type && !typeMatches(s.type, v)) {
      const t = typeOf(v);
      invalid(path, t, `${path} in body must be of type ${s.type}: ${quote(t)}`, true);
      return;
    }
    if (s.enum && !s.enum.some((e) => e === v)) {
      problems.push({
        path,
        message: `${path}: Unsupported value: ${goValue(v)}: supported values: ${s.enum.map(goValue).join(", ")}`,
        blocking: true,
      });
    }
    if (typeof v === "number") {
      if (s.maximum !== undefined && v > s.maximum)
        invalid(path, v, `${path} in body should be less than or equal to ${s.maximum}`);
      if (s.minimum !== undefined && v < s.minimum)
        invalid(path, v, `${path} in body should be greater than or equal to ${s.minimum}`);
    }
    if (typeof v === "string") {
      if (s.maxLength !== undefined && [...v].length > s.maxLength) {
        const unit = s.maxLength === 1 ? "byte" : "bytes";
        problems.push({
          path,
          message: `${path}: Too long: may not be more than ${s.maxLength} ${unit}`,
          blocking: true,
        });
      }
      if (s.minLength !== undefined && [...v].length < s.minLength)
        invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`);
      if (s.pattern !== undefined && !schemaPattern(s.pattern).test(v))
        invalid(path, v, `${path} in body should match '${s.pattern}'`);
    }
    if (Array.isArray(v)) {
      if (s.maxItems !== undefined && v.length > s.maxItems)
        problems.push({
          path,
          message: `${path}: Too many: ${v.length}: must have at most ${s.maxItems} items`,
          blocking: true,
        });
      if (s.minItems !== undefined && v.length < s.minItems)
        invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`);
      const listType = s["x-kubernetes-list-type"];
      if (listType === "set" || listType === "map") {
        const keys = s["x-kubernetes-list-map-keys"] ?? [];
        const seen = new Set<string>();
        v.forEach((x, i) => {
          const id =
            listType === "set"
              ? JSON.stringify(x)
              : JSON.stringify(keys.map((k) => (isPlainObject(x) ? x[k] : undefined)));
          if (seen.has(id)) {
            const shown =
              listType === "set"
                ? x
                : Object.fromEntries(keys.map((k) => [k, isPlainObject(x) ? x[k] : undefined]));
            problems.push({
              path: `${path}[${i}]`,
              message: `${path}[${i}]: Duplicate value: ${goValue(shown)}`,
            });
          }
          seen.add(id);
        });
      }
      const items = s.items;
      if (items) for (const [i, x] of v.entries()) walk(items, x, `${path}[${i}]`);
    }
    if (isPlainObject(v)) {
      const n = Object.keys(v).length;
      if (s.maxProperties !== undefined && n > s.maxProperties)
        problems.push({
          path,
          message: `${path}: Too many: ${n}: must have at most ${s.maxProperties} items`,
          blocking: true,
        });
      for (const r of s.required ?? [])
        if (v[r] === undefined || v[r] === null)
          problems.push({
            path: at(path, r),
            message: `${at(path, r)}: Required value`,
            blocking: true,
          });
      for (const [k, x] of Object.entries(v)) {
        const p = s.properties?.[k];
        if (p) walk(p, x, at(path, k));
        else if (typeof s.additionalProperties === "object")
          walk(s.additionalProperties, x, `${path}[${k}]`);
        else if (s.additionalProperties !== true && !isPreserving(s)) unknown.push(at(path, k));
      }
    }
  };
  walk(schema, value, root);
  // The apiserver's order: value errors before unsupported values (as observed on 1.36).
  const rank = (p: FieldProblem) => (p.message.includes(": Unsupported value: ") ? 1 : 0);
  problems.sort((a, b) => rank(a) - rank(b));
  if (problems.some((p) => p.blocking)) problems.push(CEL_SKIPPED);
  return { value, unknown, problems };
}

/** What the apiserver adds when a blocking problem kept it from running the CEL rules. */
export const CEL_SKIPPED: FieldProblem = {
  path: "<nil>",
  message:
    "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
};

function isPreserving(s: OpenApiSchema): boolean {
  return (s as Record<string, unknown>)["x-kubernetes-preserve-unknown-fields"] === true;
}
