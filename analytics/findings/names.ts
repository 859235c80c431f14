// Deterministic, DNS-safe names and bounded strings for the objects the
// findings writer creates. Pure: no I/O.
import { createHash } from "node:crypto";

/** Longest Finding name we make: a DNS label, so it also fits label values and Event names. */
export const MAX_NAME = 63;

/** First 8 hex digits of SHA-256 over the parts, NUL-separated (so "a|b" and "a","b" differ). */
export function hash8(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);
}

/** Lower-case, [a-z0-9-] only, no leading/trailing/double dashes, at most `max` characters. */
export function dnsPart(s: string, max: number): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
}

/**
 * The Finding's name for (rule, device, key): `<device>-<rule>-<hash8>`, at
 * most 63 characters. The readable parts may be truncated or folded (rule
 * names like integrity/bad_signature), so the hash covers the full triple:
 * two different triples never share a name unless SHA-256 collides in 32 bits
 * within one namespace.
 */
export function findingName(device: string, rule: string, key: string): string {
  const h = hash8(device, rule, key);
  const d = dnsPart(device, 27);
  const r = dnsPart(rule, MAX_NAME - 2 - h.length - Math.max(d.length, 1));
  return [d || "device", r || "rule", h].join("-");
}

/** At most `max` Unicode code points (the unit of an OpenAPI maxLength), ending in … when cut. */
export function bounded(s: string, max: number): string {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  return `${cps.slice(0, max - 1).join("")}…`;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label value as given, or undefined when Kubernetes would refuse it (we never mangle identity labels). */
export function labelValue(s: string): string | undefined {
  return s.length <= 63 && LABEL_VALUE.test(s) ? s : undefined;
}

const MITRE = /^T[0-9]{4}(\.[0-9]{3})?$/;

/** The technique ids the CRD accepts (pattern, at most 16, no duplicates); others are dropped. */
export function mitreIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => MITRE.test(id)))].slice(0, 16);
}

/** RFC 3339 with milliseconds, UTC. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * metav1.Time (conditions' lastTransitionTime, lastSeen) has second
 * precision on the wire; writing milliseconds would make every comparison
 * with what was read back differ.
 */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
