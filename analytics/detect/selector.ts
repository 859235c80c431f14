// EventSelector → predicate. Compiled once per rule; every error names the
// field at fault (spec.selector.where[2].value: ...), as the DetectionRule's
// Accepted condition shows it.
import { BlockList, isIP } from "node:net";
import type { DeviceSpec, EventSelector, FieldCondition } from "../../crds/index.ts";
import { v1 } from "../../proto/codec.ts";
import { compilePattern } from "../../runtime/pattern.ts";
import type { TelemetryEvent } from "../model.ts";
import {
  type BodyKind,
  bodyKind,
  compilePath,
  enumValues,
  type FieldPath,
  type Leaf,
  read,
} from "./fields.ts";

/** Looks a Device's spec up by namespace and name (undefined: not known). */
export type DeviceLookup = (namespace: string, name: string) => DeviceSpec | undefined;

export type Predicate = (ev: TelemetryEvent, kind: BodyKind | undefined) => boolean;

export class RuleError extends Error {
  override readonly name = "RuleError";
}

/** The selector source names (lowerCamel of SourceProtocol) → enum numbers. */
export const SOURCE_NAMES: Record<string, number> = {};
const SOURCE_VALUES = enumValues(v1.SourceProtocol);
for (const [k, v] of Object.entries(SOURCE_VALUES)) {
  if (v === 0) continue;
  const camel = k
    .replace(/^SOURCE_PROTOCOL_/, "")
    .toLowerCase()
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  SOURCE_NAMES[camel] = v;
}

const KINDS = new Set<string>([
  "metric",
  "log",
  "trap",
  "flow",
  "status",
  "security",
  "clinical",
  "malformed",
  // Not in the CRD's enum yet (the apiserver refuses it there); accepted here.
  "wire",
]);
const DEVICE_TYPES = new Set(["iot", "ot", "medical", "network", "endpoint"]);

export interface ValueSet {
  exact: Set<string>;
  cidrs?: BlockList;
}

export function valueSet(values: readonly string[]): ValueSet {
  const exact = new Set<string>();
  let cidrs: BlockList | undefined;
  for (const v of values) {
    exact.add(v);
    const slash = v.indexOf("/");
    if (slash > 0) {
      const ip = v.slice(0, slash);
      const bits = Number(v.slice(slash + 1));
      const fam = isIP(ip);
      if (fam && Number.isInteger(bits) && bits >= 0 && bits <= (fam === 4 ? 32 : 128)) {
        cidrs ??= new BlockList();
        cidrs.addSubnet(ip, bits, fam === 4 ? "ipv4" : "ipv6");
      }
    }
  }
  return cidrs ? { exact, cidrs } : { exact };
}

export function inSet(set: ValueSet, text: string): boolean {
  if (set.exact.has(text)) return true;
  if (!set.cidrs) return false;
  const fam = isIP(text);
  return fam !== 0 && set.cidrs.check(text, fam === 4 ? "ipv4" : "ipv6");
}

/** Reads a list at `spec.a.b` of a Device spec: strings (scalars as one), else empty. */
function deviceList(spec: DeviceSpec | undefined, path: string): string[] {
  let cur: unknown = spec;
  for (const p of path.split(".").slice(1)) {
    if (cur == null || typeof cur !== "object") return [];
    cur = (cur as Record<string, unknown>)[p];
  }
  if (Array.isArray(cur)) return cur.filter((x) => x != null).map((x) => String(x));
  if (typeof cur === "string" || typeof cur === "number" || typeof cur === "boolean")
    return [String(cur)];
  return [];
}

// Device value sets, per spec object (a new spec object after an update).
const deviceSets = new WeakMap<object, Map<string, ValueSet>>();
function deviceSet(spec: DeviceSpec | undefined, path: string): ValueSet {
  if (!spec) return { exact: new Set() };
  let m = deviceSets.get(spec);
  if (!m) {
    m = new Map();
    deviceSets.set(spec, m);
  }
  let set = m.get(path);
  if (!set) {
    set = valueSet(deviceList(spec, path));
    m.set(path, set);
  }
  return set;
}

/** Compiles a field path or throws a RuleError naming `at`. */
export function pathOrThrow(text: string | undefined, at: string): FieldPath {
  if (typeof text !== "string" || text === "") throw new RuleError(`${at}: required`);
  const p = compilePath(text);
  if ("error" in p) throw new RuleError(`${at}: ${p.error}`);
  return p;
}

/** Turns an enum value as written (name, short name or number) into its full name. */
function enumValue(path: FieldPath, value: string, at: string): string {
  if (path.leaf.t !== "enum") return value;
  const values = path.leaf.values;
  if (Object.hasOwn(values, value)) return value;
  const byNum = Object.entries(values).find(([, v]) => String(v) === value);
  if (byNum) return byNum[0];
  const short = value.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  const byShort = Object.keys(values).find((k) => k.endsWith(`_${short}`));
  if (byShort) return byShort;
  throw new RuleError(
    `${at}: "${value}" is not a ${path.leaf.name} (one of ${Object.keys(values).join(", ")})`,
  );
}

function compileCondition(
  c: FieldCondition,
  at: string,
  devices: DeviceLookup,
): (ev: TelemetryEvent) => boolean {
  const path = pathOrThrow(c.field, `${at}.field`);
  const op = c.op ?? "eq";
  const needsValue = ["eq", "ne", "matches", "gt", "lt"].includes(op);
  const isSet = op === "in" || op === "notIn";
  if (needsValue && typeof c.value !== "string")
    throw new RuleError(`${at}.value: op ${op} needs value`);
  if (!needsValue && c.value !== undefined)
    throw new RuleError(`${at}.value: op ${op} takes no value`);
  if (isSet && (c.values === undefined) === (c.valuesFromDevice === undefined))
    throw new RuleError(`${at}.values: op ${op} needs exactly one of values and valuesFromDevice`);
  if (!isSet && (c.values !== undefined || c.valuesFromDevice !== undefined))
    throw new RuleError(`${at}.values: op ${op} takes neither values nor valuesFromDevice`);
  if (
    c.valuesFromDevice !== undefined &&
    !/^spec(\.[A-Za-z][A-Za-z0-9]*)+$/.test(c.valuesFromDevice)
  )
    throw new RuleError(`${at}.valuesFromDevice: must be a path like spec.modbus.allowedWriters`);

  const scratch: Leaf[] = [];
  const leaves = (ev: TelemetryEvent): Leaf[] => {
    scratch.length = 0;
    return read(ev, path, scratch);
  };
  switch (op) {
    case "exists":
      return (ev) => leaves(ev).some((l) => l.set);
    case "eq":
    case "ne": {
      const v = enumValue(path, c.value as string, `${at}.value`);
      if (op === "eq") return (ev) => leaves(ev).some((l) => l.text === v);
      return (ev) => {
        const ls = leaves(ev);
        return ls.length > 0 && ls.every((l) => l.text !== v);
      };
    }
    case "gt":
    case "lt": {
      const v = Number(c.value);
      if (!/^-?[0-9]+(\.[0-9]+)?$/.test(c.value as string) || !Number.isFinite(v))
        throw new RuleError(`${at}.value: ops gt and lt need a decimal number, not "${c.value}"`);
      const cmp = op === "gt" ? (x: number) => x > v : (x: number) => x < v;
      return (ev) =>
        leaves(ev).some((l) => {
          const x = l.text === "" ? Number.NaN : Number(l.text);
          return Number.isFinite(x) && cmp(x);
        });
    }
    case "matches": {
      // RE2: linear in the text, so the whole field is searched.
      const p = compilePattern(c.value as string);
      if (!p.ok)
        throw new RuleError(`${at}.value: not a valid regular expression (RE2): ${p.reason}`);
      const re = p.pattern;
      return (ev) => leaves(ev).some((l) => re.test(l.text));
    }
    case "in":
    case "notIn": {
      let setOf: (ev: TelemetryEvent) => ValueSet;
      if (c.values !== undefined) {
        if (!Array.isArray(c.values)) throw new RuleError(`${at}.values: must be a list`);
        const fixed = valueSet(
          c.values.map((x, i) => enumValue(path, String(x), `${at}.values[${i}]`)),
        );
        setOf = () => fixed;
      } else {
        const from = c.valuesFromDevice as string;
        setOf = (ev) => deviceSet(devices(ev.device?.namespace ?? "", ev.device?.name ?? ""), from);
      }
      if (op === "in") return (ev) => leaves(ev).some((l) => inSet(setOf(ev), l.text));
      return (ev) => {
        const ls = leaves(ev);
        if (ls.length === 0) return false;
        const set = setOf(ev);
        return ls.every((l) => !inSet(set, l.text));
      };
    }
    default:
      throw new RuleError(
        `${at}.op: unknown op "${String(op)}" (eq, ne, in, notIn, matches, gt, lt, exists)`,
      );
  }
}

/** Compiles a selector (undefined: every event) or throws a RuleError naming `at`. */
export function compileSelector(
  sel: EventSelector | undefined,
  at: string,
  devices: DeviceLookup,
): Predicate {
  if (sel === undefined) return () => true;
  if (sel === null || typeof sel !== "object") throw new RuleError(`${at}: must be an object`);
  const checks: Predicate[] = [];
  if (sel.sources !== undefined) {
    const set = new Set<number>();
    sel.sources.forEach((x, i) => {
      const v = SOURCE_NAMES[x];
      if (v === undefined)
        throw new RuleError(
          `${at}.sources[${i}]: unknown source "${x}" (${Object.keys(SOURCE_NAMES).join(", ")})`,
        );
      set.add(v);
    });
    checks.push((ev) => set.has(sourceNumber(ev.source)));
  }
  if (sel.kinds !== undefined) {
    sel.kinds.forEach((x, i) => {
      if (!KINDS.has(x)) throw new RuleError(`${at}.kinds[${i}]: unknown kind "${x}"`);
    });
    const set = new Set<string>(sel.kinds);
    checks.push((_ev, kind) => kind !== undefined && set.has(kind));
  }
  if (sel.deviceTypes !== undefined) {
    sel.deviceTypes.forEach((x, i) => {
      if (!DEVICE_TYPES.has(x)) throw new RuleError(`${at}.deviceTypes[${i}]: unknown type "${x}"`);
    });
    const set = new Set<string>(sel.deviceTypes);
    checks.push((ev) => {
      const spec = devices(ev.device?.namespace ?? "", ev.device?.name ?? "");
      return spec !== undefined && set.has(spec.type);
    });
  }
  if (sel.where !== undefined) {
    if (!Array.isArray(sel.where)) throw new RuleError(`${at}.where: must be a list`);
    if (sel.where.length > 16) throw new RuleError(`${at}.where: at most 16 conditions`);
    sel.where.forEach((c, i) => {
      const f = compileCondition(c, `${at}.where[${i}]`, devices);
      checks.push((ev) => f(ev));
    });
  }
  return (ev, kind) => {
    for (const c of checks) if (!c(ev, kind)) return false;
    return true;
  };
}

function sourceNumber(s: unknown): number {
  if (typeof s === "number") return s;
  if (typeof s === "string") return SOURCE_VALUES[s] ?? 0;
  return 0;
}

export { bodyKind };
