// The CRDs' CEL rules (x-kubernetes-validations), evaluated as the
// kube-apiserver evaluates them on a create (apiextensions-apiserver
// schema/cel/validation.go): each rule at the node that declares it, `self`
// typed from the schema, on the object after defaulting; transition rules
// (oldSelf) are skipped, as there is no old object; a false rule is reported
// with fieldErrorForReason's words. The evaluator is @marcbachmann/cel-js;
// the Kubernetes library functions the rules call come from cel-library.ts.
import { Environment, Optional } from "@marcbachmann/cel-js";
import type { OpenApiSchema } from "../crds/index.ts";
import {
  compareQuantity,
  dns1123SubdomainErrors,
  isCIDR,
  isIP,
  isQuantity,
  isURL,
  parseQuantity,
  type Quantity,
  re2ToJs,
} from "./cel-library.ts";
import { type FieldProblem, goValue } from "./schema.ts";

/** A validation rule as a CRD writes it (apiextensions/v1 ValidationRule). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

type Schema = Omit<OpenApiSchema, "properties" | "items" | "additionalProperties"> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  "x-kubernetes-validations"?: ValidationRule[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
};

type Program = ((ctx: Record<string, unknown>) => unknown) & { ast: unknown };

interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  message?: Program;
  usesOldSelf: boolean;
  /** The rule's fieldPath, relative and normalized ("replicas", "a.b", "m[key]"). */
  fieldPath: string;
  /** Why it did not compile (reported as the apiserver reports it). */
  error?: string;
}

/** The Kubernetes quantity type of the library (quantity(), isQuantity(), compareTo()). */
class KubeQuantity {
  readonly q: Quantity;
  constructor(q: Quantity) {
    this.q = q;
  }
}
/** A named format of library/format.go, e.g. format.dns1123Subdomain(). */
class KubeFormat {
  readonly validate: (s: string) => string[];
  constructor(validate: (s: string) => string[]) {
    this.validate = validate;
  }
}
/** The `format` namespace: cel-go resolves `format.dns1123Subdomain()` as one qualified function. */
class KubeFormatNamespace {}

/** The functions our rules call, with the library's signatures (cel-js declares the standard ones). */
function baseEnvironment(): Environment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  env
    .registerType("kubernetes.Quantity", KubeQuantity)
    .registerType("kubernetes.Format", KubeFormat)
    .registerType("kubernetes.FormatNamespace", KubeFormatNamespace)
    .registerConstant("format", "kubernetes.FormatNamespace", new KubeFormatNamespace())
    .registerFunction("isIP(string): bool", isIP)
    .registerFunction("isCIDR(string): bool", isCIDR)
    .registerFunction("isURL(string): bool", isURL)
    .registerFunction("isQuantity(string): bool", isQuantity)
    .registerFunction("quantity(string): kubernetes.Quantity", (s: string) => {
      const q = parseQuantity(s);
      if (!q) throw new Error("quantities must match the regular expression");
      return new KubeQuantity(q);
    })
    .registerFunction(
      "kubernetes.Quantity.compareTo(kubernetes.Quantity): int",
      (a: KubeQuantity, b: KubeQuantity) => BigInt(compareQuantity(a.q, b.q)),
    )
    .registerFunction(
      "kubernetes.FormatNamespace.dns1123Subdomain(): kubernetes.Format",
      () => new KubeFormat(dns1123SubdomainErrors),
    )
    .registerFunction(
      "kubernetes.Format.validate(string): optional<list<string>>",
      (f: KubeFormat, s: string) => {
        const errs = f.validate(s);
        return errs.length === 0 ? Optional.none() : Optional.of(errs);
      },
    );
  return env;
}

const CEL_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CEL_RESERVED = new Set(
  "as break const continue else false for function if import in let loop package namespace null return true var void while".split(
    " ",
  ),
);

/**
 * Declares the schema's object types in `env` and returns the CEL type of
 * `s` (model.SchemaDeclType): objects with properties are message types,
 * additionalProperties maps, int-or-string and preserved fields dyn.
 */
function declareType(
  env: Environment,
  s: Schema,
  name: string,
  types: Map<Schema, string>,
): string {
  const t = celType(env, s, name, types);
  types.set(s, t);
  return t;
}

function celType(env: Environment, s: Schema, name: string, types: Map<Schema, string>): string {
  if (s["x-kubernetes-int-or-string"]) return "dyn";
  switch (s.type) {
    case "integer":
      return "int";
    case "number":
      return "double";
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "array":
      return s.items ? `list<${declareType(env, s.items, `${name}_item`, types)}>` : "list<dyn>";
    case "object": {
      if (s.properties && Object.keys(s.properties).length > 0) {
        const fields: Record<string, string> = {};
        for (const [k, p] of Object.entries(s.properties))
          if (CEL_IDENT.test(k) && !CEL_RESERVED.has(k))
            fields[k] = declareType(env, p, `${name}_${k}`, types);
        env.registerType(name, { fields });
        return name;
      }
      if (typeof s.additionalProperties === "object")
        return `map<string, ${declareType(env, s.additionalProperties, `${name}_value`, types)}>`;
      return "map<string, dyn>";
    }
    default:
      return "dyn";
  }
}

/** Whether the parsed expression names `name` (cel-js AST: nodes with op and args). */
function mentions(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => mentions(n, name));
  if (typeof node !== "object" || node === null) return false;
  const n = node as { op?: string; args?: unknown };
  if (n.op === "id" && n.args === name) return true;
  return mentions(n.args, name);
}

/** A CEL string literal holding `s`. */
const celString = (s: string): string =>
  `"${[...s]
    .map((c) => {
      if (c === "\\" || c === '"') return `\\${c}`;
      const code = c.charCodeAt(0);
      return code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : c;
    })
    .join("")}"`;

/**
 * The rule with each `matches` pattern rewritten from RE2 to JavaScript (cel-js
 * hands patterns to RegExp); a pattern that is not a literal does not compile.
 */
function withJsPatterns(env: Environment, source: string): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { op?: string; args?: unknown };
    if ((n.op === "rcall" || n.op === "call") && Array.isArray(n.args) && n.args[0] === "matches") {
      const args = (n.op === "rcall" ? n.args[2] : n.args[1]) as unknown[];
      const pattern = args[args.length - 1] as {
        op?: string;
        args?: unknown;
        start: number;
        end: number;
      };
      if (pattern?.op !== "value" || typeof pattern.args !== "string")
        throw new Error("matches() needs a literal pattern in embedded mode");
      edits.push({
        start: pattern.start,
        end: pattern.end,
        text: celString(re2ToJs(pattern.args)),
      });
    }
    walk(n.args);
  };
  walk(env.parse(source).ast);
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** ValidFieldPath for `.a.b` and `['key']` forms, normalized as the apiserver prints it. */
function normalizeFieldPath(fieldPath: string, s: Schema): string {
  const parts: string[] = [];
  let node: Schema | undefined = s;
  const re = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: a sticky regexp scan.
  while ((m = re.exec(fieldPath)) !== null) {
    pos = re.lastIndex;
    const name = m[1] ?? (m[2] ?? "").replace(/\\(.)/g, "$1");
    if (node?.properties) {
      node = node.properties[name];
      if (!node) throw new Error(`fieldPath ${fieldPath}: does not refer to a valid field`);
      parts.push(parts.length === 0 ? name : `.${name}`);
    } else if (typeof node?.additionalProperties === "object") {
      node = node.additionalProperties;
      parts.push(`[${name}]`);
    } else throw new Error(`fieldPath ${fieldPath}: does not refer to a valid field`);
  }
  if (pos !== fieldPath.length) throw new Error(`fieldPath ${fieldPath}: not a valid field path`);
  return parts.join("");
}

function compileRule(
  env: Environment,
  selfType: string,
  s: Schema,
  rule: ValidationRule,
): CompiledRule {
  const out: CompiledRule = { rule, usesOldSelf: false, fieldPath: "" };
  try {
    const scoped = env.clone();
    scoped.registerVariable("self", selfType);
    const usesOldSelf = mentions(scoped.parse(rule.rule).ast, "oldSelf");
    scoped.registerVariable("oldSelf", rule.optionalOldSelf ? `optional<${selfType}>` : selfType);
    const program = scoped.parse(withJsPatterns(scoped, rule.rule)) as unknown as Program & {
      check(): { valid: boolean; type?: string; error?: Error };
    };
    const checked = program.check();
    if (!checked.valid) throw checked.error ?? new Error("type check failed");
    if (checked.type !== "bool") throw new Error(`cel expression must evaluate to a bool`);
    out.program = program;
    out.usesOldSelf = usesOldSelf;
    if (rule.messageExpression) {
      const message = scoped.parse(
        withJsPatterns(scoped, rule.messageExpression),
      ) as unknown as Program & {
        check(): { valid: boolean; type?: string; error?: Error };
      };
      const mc = message.check();
      if (!mc.valid) throw mc.error ?? new Error("messageExpression type check failed");
      if (mc.type !== "string") throw new Error("messageExpression must evaluate to a string");
      out.message = message;
    }
    if (rule.fieldPath) out.fieldPath = normalizeFieldPath(rule.fieldPath, s);
  } catch (err) {
    out.error = ((err as Error).message ?? String(err)).split("\n")[0];
  }
  return out;
}

export interface CompiledRules {
  /** The rules of each schema node that declares some. */
  byNode: Map<Schema, CompiledRule[]>;
  /** Rules that did not compile: `<path>: <rule>: <error>`. */
  errors: string[];
}

const compiledCache = new WeakMap<object, CompiledRules>();

/** Compiles every rule below `schema` (a kind's spec schema), once per schema object. */
export function compileRules(schema: OpenApiSchema, typeName: string): CompiledRules {
  const cached = compiledCache.get(schema);
  if (cached) return cached;
  const env = baseEnvironment();
  const byNode = new Map<Schema, CompiledRule[]>();
  const errors: string[] = [];
  const types = new Map<Schema, string>();
  const walk = (s: Schema, path: string): void => {
    const rules = s["x-kubernetes-validations"];
    if (rules && rules.length > 0) {
      const selfType = types.get(s) ?? "dyn";
      const compiled = rules.map((r) => compileRule(env, selfType, s, r));
      for (const c of compiled) if (c.error) errors.push(`${path}: ${c.rule.rule}: ${c.error}`);
      byNode.set(s, compiled);
    }
    for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, `${path}.${k}`);
    if (s.items) walk(s.items, `${path}[]`);
    if (typeof s.additionalProperties === "object") walk(s.additionalProperties, `${path}[*]`);
  };
  declareType(env, schema as Schema, typeName, types);
  walk(schema as Schema, "spec");
  const out = { byNode, errors };
  compiledCache.set(schema, out);
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** UnstructuredToVal: the JSON value as CEL sees it (int64 as bigint, nulls dropped). */
function toCel(s: Schema | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") {
    if (s?.type === "number") return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => toCel(s?.items, x) ?? null);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const sub =
        s?.properties?.[k] ??
        (typeof s?.additionalProperties === "object" ? s.additionalProperties : undefined);
      // Only the fields the object type declares (as model.SchemaDeclType does).
      if (s?.properties && (!s.properties[k] || !CEL_IDENT.test(k) || CEL_RESERVED.has(k)))
        continue;
      const c = toCel(sub, x);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return v;
}

/** cel-go's wording of an evaluation error (cel-js capitalizes some). */
function evalErrorText(err: unknown): string {
  const first = ((err as Error)?.message ?? String(err)).split("\n")[0] ?? "";
  return first.replace(/^No such key: /, "no such key: ");
}

const ruleErrorString = (r: ValidationRule) => (r.message ? r.message.trim() : r.rule.trim());

/**
 * fieldErrorForReason, worded by field.Error: the value is the node's own
 * (scalars), left out for objects and arrays.
 */
function reasonProblem(
  path: string,
  s: Schema,
  value: unknown,
  detail: string,
  reason?: string,
): FieldProblem {
  const shown = s.type === "object" || s.type === "array" ? "" : `${goValue(value)}: `;
  switch (reason) {
    case "FieldValueForbidden":
      return { path, message: `${path}: Forbidden: ${detail}` };
    case "FieldValueRequired":
      return { path, message: `${path}: Required value: ${detail}` };
    case "FieldValueDuplicate":
      return { path, message: `${path}: Duplicate value${shown ? `: ${goValue(value)}` : ""}` };
    default:
      return { path, message: `${path}: Invalid value: ${shown}${detail}` };
  }
}

/** The message of a failed rule: its messageExpression when that yields a usable string. */
function failureDetail(c: CompiledRule, ctx: Record<string, unknown>): string {
  if (c.message) {
    try {
      const m = c.message(ctx);
      if (typeof m === "string") {
        const t = m.trim();
        if (t.length > 0 && t.length <= 5120 && !t.includes("\n")) return t;
      }
    } catch {
      // The apiserver logs it and falls back to the message.
    }
  }
  return c.rule.message ? c.rule.message.trim() : `failed rule: ${ruleErrorString(c.rule)}`;
}

/**
 * The problems the CEL rules find in `value` (a kind's spec, defaults
 * applied), at `path` ("spec"). Call only when the schema check found no
 * blocking problem, as the apiserver does.
 */
export function celProblems(
  rules: CompiledRules,
  schema: OpenApiSchema,
  value: unknown,
  path = "spec",
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (s: Schema, v: unknown, p: string): void => {
    if (v === null || v === undefined) return;
    const compiled = rules.byNode.get(s);
    if (compiled) {
      const stsType = s.type ?? "";
      const ctx = { self: toCel(s, v) };
      for (const c of compiled) {
        if (c.error) {
          problems.push({
            path: p,
            message: `${p}: Invalid value: ${goValue(stsType)}: rule compile error: ${c.error}`,
          });
          continue;
        }
        // Transition rules need the old object; a create has none.
        if (c.usesOldSelf && !c.rule.optionalOldSelf) continue;
        const runCtx = c.rule.optionalOldSelf ? { ...ctx, oldSelf: Optional.none() } : ctx;
        let result: unknown;
        try {
          result = c.program?.(runCtx);
        } catch (err) {
          problems.push({
            path: p,
            message: `${p}: Invalid value: ${goValue(stsType)}: ${evalErrorText(err)} evaluating rule: ${ruleErrorString(c.rule)}`,
          });
          continue;
        }
        if (result === true) continue;
        const at = c.fieldPath ? `${p}.${c.fieldPath}` : p;
        problems.push(reasonProblem(at, s, v, failureDetail(c, runCtx), c.rule.reason));
      }
    }
    if (Array.isArray(v) && s.items)
      for (const [i, x] of v.entries()) walk(s.items, x, `${p}[${i}]`);
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const sub = s.properties?.[k];
        if (sub) walk(sub, x, `${p}.${k}`);
        else if (typeof s.additionalProperties === "object")
          walk(s.additionalProperties, x, `${p}[${k}]`);
      }
    }
  };
  walk(schema as Schema, value, path);
  return problems;
}
