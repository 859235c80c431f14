// Whether a live object already holds what we would apply: every field of the
// desired object is present in the live one with the same value. The live
// object may have more (apiserver defaults, status, fields other managers
// own); lists must match element by element. Quantities compare by value,
// since the apiserver stores them in canonical form ("0.5" -> "500m").
//
// This is what keeps the controller quiet: an object is applied only when it
// differs, so a steady state issues no writes at all, while a hand edit of a
// field the operator sets (replicas, an env var, the config) is seen here and
// reverted by the next apply.
import { sameQuantity } from "../manifests/quantity.ts";

const QUANTITY_PARENTS = new Set(["requests", "limits"]);
const QUANTITY_KEYS = new Set(["sizeLimit"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** The path of the first field where `live` differs from `desired`, or undefined if none does. */
export function firstDifference(desired: unknown, live: unknown, path = ""): string | undefined {
  if (desired === undefined) return undefined;
  if (live === undefined || live === null) {
    return desired === null || isEmpty(desired) ? undefined : path || "(root)";
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return path;
    for (let i = 0; i < desired.length; i++) {
      const d = firstDifference(desired[i], live[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isObject(desired)) {
    if (!isObject(live)) return path;
    const parent = path.slice(path.lastIndexOf(".") + 1);
    for (const [k, v] of Object.entries(desired)) {
      const at = path ? `${path}.${k}` : k;
      if (
        (QUANTITY_PARENTS.has(parent) || QUANTITY_KEYS.has(k)) &&
        (typeof v === "string" || typeof v === "number") &&
        (typeof live[k] === "string" || typeof live[k] === "number")
      ) {
        if (!sameQuantity(v, live[k] as string | number)) return at;
        continue;
      }
      const d = firstDifference(v, live[k], at);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return desired === live ? undefined : path;
}

/** True when applying `desired` would change nothing in `live`. */
export function isApplied(desired: unknown, live: unknown): boolean {
  return firstDifference(desired, live) === undefined;
}

/** The JSON form of an object (client-node models carry Dates and undefined fields). */
export function toWire<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}
