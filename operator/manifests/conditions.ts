// metav1.Condition handling, as k8s.io/apimachinery/pkg/api/meta/conditions.go:
// lastTransitionTime changes only when status changes; reason, message and
// observedGeneration are updated in place. Pure: the caller passes the time.
import type { Condition } from "../../crds/index.ts";

export interface ConditionInput {
  type: string;
  status: Condition["status"];
  reason: string;
  message: string;
  observedGeneration?: number;
}

/** RFC 3339 in whole seconds, as the apiserver writes metav1.Time. */
export function conditionTime(now: Date | string): string {
  const d = typeof now === "string" ? new Date(now) : now;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The conditions with `c` set: a new entry gets lastTransitionTime `now`; an
 * existing entry of that type keeps its lastTransitionTime unless its status
 * changes. Order is kept (a new type is appended); the input is not modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  c: ConditionInput,
  now: Date | string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const existing = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    type: c.type,
    status: c.status,
    ...(c.observedGeneration !== undefined && { observedGeneration: c.observedGeneration }),
    lastTransitionTime:
      existing && existing.status === c.status ? existing.lastTransitionTime : conditionTime(now),
    reason: c.reason,
    message: c.message,
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of c.type already says exactly this (lastTransitionTime aside). */
export function conditionIs(conditions: readonly Condition[] | undefined, c: ConditionInput) {
  const x = findCondition(conditions, c.type);
  return (
    x !== undefined &&
    x.status === c.status &&
    x.reason === c.reason &&
    x.message === c.message &&
    x.observedGeneration === c.observedGeneration
  );
}
