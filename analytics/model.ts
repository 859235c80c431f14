// The boundaries inside analytics, so ingest, detection and findings can be
// built and tested apart:
//
//   ingest (JetStream → verify → Postgres, then ack)
//     └─▶ detection (pure engine over the stored events)
//           └─▶ findings (Postgres with full evidence; Kubernetes: Finding,
//                         Device and DetectionRule status; responses)
import type { TelemetryEvent } from "../proto/codec.ts";

export type { TelemetryEvent };

export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** Events that are durably stored, in stream order, handed to detection. */
export interface StoredEvents {
  /** Producer that signed the batch (e.g. "plant-1/edge/edge-6f7c9-x2x4z"). */
  producerId: string;
  events: TelemetryEvent[];
}

/** A batch analytics refused; each becomes an integrity finding against the producer's profile. */
export interface IntegrityProblem {
  /** As claimed in the batch (unverified when the reason is about the key). */
  producerId: string;
  /** BatchVerifier reason: malformed, oversize, unsupported_schema, unknown_key, revoked_key, expired_key, bad_signature, replay, chain_break; or sequence_gap. */
  reason: string;
  detail: string;
  /** NATS subject the batch came on: names the device namespace and name. */
  subject: string;
  atMs: number;
}

/**
 * What detection says about one (rule, device, key): the aggregate so far.
 * Repeats inside the suppression window raise `count` and `suppressed`
 * rather than creating new findings; nothing is dropped silently.
 */
export interface FindingUpdate {
  rule: { namespace: string; name: string };
  device: { namespace: string; name: string };
  /** The group-by key's value ("" when the rule has no groupBy). */
  key: string;
  severity: Severity;
  title: string;
  mitre: string[];
  /** Events that matched, in all, since the finding opened. */
  count: number;
  /** Of those, how many fell inside suppression (no new responses). */
  suppressed: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Bounded: at most 10 event ids and a one-paragraph summary. */
  evidence: { eventIds: string[]; summary: string };
  /** True when this update should run the rule's responses (not suppressed). */
  fire: boolean;
}

/** A rule's state for its DetectionRule status. */
export interface RuleStatusUpdate {
  rule: { namespace: string; name: string };
  generation: number;
  /** Accepted, or Invalid with the reason (field and why). */
  accepted: boolean;
  reason?: string;
  hits: number;
  suppressed: number;
  lastFiredMs?: number;
  /** Anomaly rules: Learning until baselines have enough samples, then Active. */
  learning?: "Learning" | "Active";
}
