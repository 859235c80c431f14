// A Device's risk score and open-finding counts, from its Findings. Pure.
//
//   w(f)  = severityWeight(f.severity) · stateFactor(f.state) · 0.5^(age(f) / halfLife)
//           age = now − lastSeen (0 if lastSeen is in the future)
//   S     = Σ w(f) over the device's findings that are not resolved
//   score = round(100 · (1 − e^(−S · criticalityFactor / 50)))
//
// severityWeight: critical 40, high 20, medium 10, low 4, info 1.
// stateFactor: open 1, acknowledged 0.5 (someone is on it), resolved 0.
// criticalityFactor (Device spec.criticality): low 0.5, medium 1, high 1.5, critical 2.
// One fresh critical finding on a medium device scores 55, two 80; a fresh
// high 33, medium 18, low 8. The exponential saturates below 100, so more
// findings always raise the score but never past it; a finding's weight
// halves every halfLife (24 h by default) since it was last seen.
import type { Severity } from "../model.ts";

export interface FindingFacts {
  severity: Severity;
  state: "open" | "acknowledged" | "resolved";
  lastSeenMs: number;
}

export type Criticality = "low" | "medium" | "high" | "critical";

export const SEVERITY_WEIGHT: Record<Severity, number> = {
  critical: 40,
  high: 20,
  medium: 10,
  low: 4,
  info: 1,
};
const STATE_FACTOR = { open: 1, acknowledged: 0.5, resolved: 0 } as const;
export const CRITICALITY_FACTOR: Record<Criticality, number> = {
  low: 0.5,
  medium: 1,
  high: 1.5,
  critical: 2,
};

export const DEFAULT_HALF_LIFE_MS = 24 * 3600_000;

export function riskScore(
  findings: Iterable<FindingFacts>,
  criticality: Criticality | undefined,
  nowMs: number,
  halfLifeMs = DEFAULT_HALF_LIFE_MS,
): number {
  let s = 0;
  for (const f of findings) {
    const age = Math.max(0, nowMs - f.lastSeenMs);
    s += SEVERITY_WEIGHT[f.severity] * STATE_FACTOR[f.state] * 0.5 ** (age / halfLifeMs);
  }
  const c = CRITICALITY_FACTOR[criticality ?? "medium"] ?? 1;
  const score = Math.round(100 * (1 - Math.exp((-s * c) / 50)));
  return Math.min(100, Math.max(0, score));
}

export interface OpenFindings {
  critical: number;
  high: number;
  medium: number;
  low: number;
  total: number;
}

/** Counts of the findings that are not resolved (acknowledged ones are still open), by severity. */
export function openFindings(findings: Iterable<FindingFacts>): OpenFindings {
  const out: OpenFindings = { critical: 0, high: 0, medium: 0, low: 0, total: 0 };
  for (const f of findings) {
    if (f.state === "resolved") continue;
    out.total++;
    if (f.severity !== "info") out[f.severity]++;
  }
  return out;
}
