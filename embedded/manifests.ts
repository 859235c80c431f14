// The manifests of `amoskys up`: YAML files (several documents each) and
// directories of them, read as `kubectl apply -f` would send them and checked
// as the apiserver would check them (embedded/schema.ts), with the
// apiserver's messages. A bad object is reported with its file and left out;
// the others go on. A file that attacks the reader (a YAML alias bomb) is
// refused whole, and nothing a file does can stop the others being read.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import {
  API_VERSION,
  type CollectorProfile,
  type DetectionRule,
  type Device,
  GROUP,
  type OpenApiSchema,
  readCrd,
  VERSION,
} from "../crds/index.ts";
import { validateDevice, validateProfile } from "../operator/manifests/validate.ts";
import { celProblems, compileRules } from "./cel.ts";
import { checkSchema, type FieldProblem } from "./schema.ts";

export const DEFAULT_NAMESPACE = "default";

/**
 * Most nodes YAML aliases may add to one document when expanded (the yaml
 * package's maxAliasCount; its default, set here so it is ours). Kubernetes
 * manifests seldom use aliases at all; a billion-laughs file needs 9^9.
 */
export const MAX_ALIAS_NODES = 100;

/** What the yaml package throws past maxAliasCount. */
const ALIAS_BOMB = /Excessive alias count/;

/** The kinds `amoskys up` reads; anything else in the files is reported and skipped. */
export const EMBEDDED_KINDS = ["Device", "CollectorProfile", "DetectionRule"] as const;
export type EmbeddedKind = (typeof EMBEDDED_KINDS)[number];

export interface SecretObject {
  namespace: string;
  name: string;
  /** Data keys and their bytes (stringData merged over data, as the apiserver does). */
  data: Record<string, Buffer>;
}

export interface ManifestProblem {
  file: string;
  /** `<Kind> <namespace>/<name>`, or `document <n>` when the object has no usable identity. */
  object: string;
  message: string;
}

export interface Manifests {
  devices: Device[];
  profiles: CollectorProfile[];
  rules: DetectionRule[];
  /** Keyed `<namespace>/<name>`. */
  secrets: Map<string, SecretObject>;
  problems: ManifestProblem[];
  /** The files read (for watching). */
  files: string[];
}

export type Schemas = Record<EmbeddedKind, OpenApiSchema>;

/** The openAPIV3Schema of each kind, from crds/. */
export async function loadSchemas(): Promise<Schemas> {
  const out = {} as Schemas;
  for (const kind of EMBEDDED_KINDS) {
    const crd = await readCrd(kind);
    const schema = crd.spec.versions.find((v) => v.name === VERSION)?.schema.openAPIV3Schema;
    if (!schema) throw new Error(`crds: ${kind} has no ${VERSION} schema`);
    out[kind] = schema;
  }
  return out;
}

/** The YAML files named: files as given, directories' *.yaml and *.yml (not recursive), sorted. */
export async function manifestFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p))
        .filter((n) => [".yaml", ".yml"].includes(extname(n)) && !n.startsWith("."))
        .sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// metadata.name of a namespaced object: a DNS-1123 subdomain (the apiserver's ValidateObjectMeta).
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function metaProblems(name: unknown, namespace: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (typeof name !== "string" || name === "")
    out.push({
      path: "metadata.name",
      message: "metadata.name: Required value: name or generateName is required",
    });
  else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    out.push({
      path: "metadata.name",
      message: `metadata.name: Invalid value: ${JSON.stringify(name)}: ${SUBDOMAIN_MSG}`,
    });
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace))
    out.push({
      path: "metadata.namespace",
      message: `metadata.namespace: Invalid value: ${JSON.stringify(namespace)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    });
  return out;
}

/** The apiserver's message for an object refused by validation. */
export function invalidMessage(kind: string, name: string, problems: readonly FieldProblem[]) {
  const list = problems.map((p) => p.message);
  const body = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return `${kind}.${GROUP} ${JSON.stringify(name)} is invalid: ${body}`;
}

/** The apiserver's message for fields the schema does not declare (strict field validation). */
export function unknownFieldsMessage(kind: string, fields: readonly string[]): string {
  return `${kind} in version ${JSON.stringify(VERSION)} cannot be handled as a ${kind}: strict decoding error: ${fields
    .map((f) => `unknown field ${JSON.stringify(f)}`)
    .join(", ")}`;
}

export type CheckResult<T> =
  | { ok: true; object: T }
  | { ok: false; message: string; problems?: FieldProblem[] };

/**
 * One amoskys.io object as the apiserver would take it: strict fields, the
 * schema with defaults applied, metadata.name, then the CEL rules
 * (x-kubernetes-validations). `namespace` is the one it lands in when the
 * object names none.
 */
export function checkObject(
  schemas: Schemas,
  doc: Obj,
  namespace = DEFAULT_NAMESPACE,
): CheckResult<Device | CollectorProfile | DetectionRule> {
  const kind = doc.kind as EmbeddedKind;
  const schema = schemas[kind];
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const ns = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : namespace;
  const name = typeof meta.name === "string" ? meta.name : "";
  const unknown: string[] = [];
  for (const k of Object.keys(doc))
    if (!["apiVersion", "kind", "metadata", "spec", "status"].includes(k)) unknown.push(k);
  const specSchema = schema.properties?.spec ?? {};
  const checked = checkSchema(specSchema, doc.spec, "spec");
  unknown.push(...checked.unknown);
  if (unknown.length > 0) return { ok: false, message: unknownFieldsMessage(kind, unknown) };
  const problems = metaProblems(meta.name, ns);
  if (doc.spec === undefined && schema.required?.includes("spec"))
    problems.push({ path: "spec", message: "spec: Required value" });
  problems.push(...checked.problems);
  // The CEL rules run only when the schema found nothing blocking (checkSchema then says so).
  if (!checked.problems.some((p) => p.blocking))
    problems.push(...celProblems(compileRules(specSchema, kind), specSchema, checked.value));
  if (problems.length > 0)
    return { ok: false, message: invalidMessage(kind, name, problems), problems };
  const object = {
    apiVersion: API_VERSION,
    kind,
    metadata: { ...meta, name, namespace: ns },
    spec: checked.value,
  } as Device | CollectorProfile | DetectionRule;
  return { ok: true, object };
}

function secretObject(doc: Obj, namespace: string): CheckResult<SecretObject> {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const ns = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : namespace;
  const name = typeof meta.name === "string" ? meta.name : "";
  const problems = metaProblems(meta.name, ns);
  const data: Record<string, Buffer> = {};
  const KEY = /^[-._a-zA-Z0-9]+$/;
  for (const [field, decode] of [
    ["data", (v: string) => Buffer.from(v, "base64")],
    ["stringData", (v: string) => Buffer.from(v, "utf8")],
  ] as const) {
    const m = doc[field];
    if (m === undefined || m === null) continue;
    if (!isObj(m)) {
      problems.push({ path: field, message: `${field}: Invalid value: must be a map` });
      continue;
    }
    for (const [k, v] of Object.entries(m)) {
      if (!KEY.test(k) || k.length > 253 || k === "." || k.startsWith(".."))
        problems.push({
          path: `${field}[${k}]`,
          message: `${field}[${k}]: Invalid value: ${JSON.stringify(k)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
        });
      else if (typeof v !== "string")
        problems.push({
          path: `${field}[${k}]`,
          message: `${field}[${k}]: Invalid value: must be a string`,
        });
      else if (field === "data" && !/^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/\s/g, "")))
        problems.push({
          path: `${field}[${k}]`,
          message: `${field}[${k}]: Invalid value: illegal base64 data`,
        });
      else data[k] = decode(v);
    }
  }
  if (problems.length > 0)
    return {
      ok: false,
      message: `Secret ${JSON.stringify(name)} is invalid: ${problems.length === 1 ? problems[0]?.message : `[${problems.map((p) => p.message).join(", ")}]`}`,
    };
  return { ok: true, object: { namespace: ns, name, data } };
}

/** Reads, checks and collects every object of `paths` (files and directories). */
export async function loadManifests(
  paths: readonly string[],
  schemas: Schemas,
  namespace = DEFAULT_NAMESPACE,
): Promise<Manifests> {
  const out: Manifests = {
    devices: [],
    profiles: [],
    rules: [],
    secrets: new Map(),
    problems: [],
    files: [],
  };
  const seen = new Map<string, string>();
  let files: string[];
  try {
    files = await manifestFiles(paths);
  } catch (err) {
    out.problems.push({ file: String(paths), object: "-", message: (err as Error).message });
    return out;
  }
  out.files = files;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      out.problems.push({ file, object: "-", message: (err as Error).message });
      continue;
    }
    try {
      readFileDocs(file, text);
    } catch (err) {
      // Nothing in one file stops the others.
      out.problems.push({ file, object: "-", message: `not read: ${(err as Error).message}` });
    }
  }
  return out;

  function readFileDocs(file: string, text: string): void {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) return; // an empty stream
    // To plain values first, every document: an alias bomb refuses the whole
    // file (an attack, not a typo), before anything of it is applied.
    const values: { value?: unknown; error?: string }[] = [];
    for (const [i, d] of docs.entries()) {
      if (d.errors.length > 0) {
        values.push({ error: `not YAML: ${d.errors[0]?.message ?? "parse error"}` });
        continue;
      }
      try {
        values.push({ value: d.toJS({ maxAliasCount: MAX_ALIAS_NODES }) as unknown });
      } catch (err) {
        const message = (err as Error).message;
        if (ALIAS_BOMB.test(message)) {
          out.problems.push({
            file,
            object: `document ${i + 1}`,
            message: `refused, with the whole file: YAML aliases expand beyond ${MAX_ALIAS_NODES} nodes (an alias bomb?); nothing of this file is applied`,
          });
          return;
        }
        values.push({ error: `not YAML: ${message}` });
      }
    }
    // Returns false when the document was refused.
    const readDoc = (d: (typeof values)[number], i: number) => {
      const problem = (object: string, message: string): false => {
        out.problems.push({ file, object, message });
        return false;
      };
      const where = `document ${i + 1}`;
      if (d.error !== undefined) {
        problem(where, d.error);
        return;
      }
      const doc = d.value;
      if (doc === null || doc === undefined) return; // an empty document (a trailing ---)
      if (!isObj(doc)) {
        problem(where, "not an object: expected apiVersion, kind, metadata");
        return;
      }
      const kind = String(doc.kind ?? "");
      const meta = isObj(doc.metadata) ? doc.metadata : {};
      const ns = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : namespace;
      const id = `${kind} ${ns}/${typeof meta.name === "string" ? meta.name : "?"}`;
      if (kind === "Secret" && doc.apiVersion === "v1") {
        const s = secretObject(doc, namespace);
        if (!s.ok) return problem(id, s.message);
        const key = `${s.object.namespace}/${s.object.name}`;
        if (seen.has(`Secret ${key}`))
          return problem(id, `defined again (first in ${seen.get(`Secret ${key}`)}); ignored`);
        seen.set(`Secret ${key}`, file);
        out.secrets.set(key, s.object);
        return;
      }
      if (!(EMBEDDED_KINDS as readonly string[]).includes(kind)) {
        problem(
          id,
          `kind ${JSON.stringify(kind)} is not read by amoskys up (it reads ${EMBEDDED_KINDS.join(", ")} and v1 Secret); skipped`,
        );
        return;
      }
      if (doc.apiVersion !== API_VERSION) {
        problem(
          id,
          `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(doc.apiVersion)} (expected ${API_VERSION})`,
        );
        return;
      }
      const r = checkObject(schemas, doc, namespace);
      if (!r.ok) return problem(id, r.message);
      if (seen.has(id)) return problem(id, `defined again (first in ${seen.get(id)}); ignored`);
      seen.set(id, file);
      const o = r.object;
      // The checks the operator makes beyond the schema (its own words).
      if (o.kind === "Device") {
        const errs = validateDevice(o as Device);
        if (errs.length > 0) return problem(id, errs.map((e) => e.message).join("; "));
        out.devices.push(o as Device);
      } else if (o.kind === "CollectorProfile") {
        const p = withUid(o as CollectorProfile);
        const errs = validateProfile(p);
        if (errs.length > 0) return problem(id, errs.map((e) => e.message).join("; "));
        out.profiles.push(p);
      } else out.rules.push(o as DetectionRule);
    };
    for (const [i, d] of values.entries()) readDoc(d, i);
  }
}

/** A stable uid, as the apiserver would have given the object. */
function withUid(p: CollectorProfile): CollectorProfile {
  const m = p.metadata;
  return { ...p, metadata: { ...m, uid: m.uid ?? `embedded-${m.namespace}-${m.name}` } };
}

/** One line per problem, for the log and the terminal. */
export function formatProblem(p: ManifestProblem): string {
  return `${p.file}: ${p.object}: ${p.message}`;
}
