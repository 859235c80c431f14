// What one reconcile of a profile writes, computed without I/O from the
// desired objects and the live ones (the informer caches). Usually: apply
// what differs, then prune what this profile owns and no longer wants. But
// when the workload changes kind (mode deployment <-> daemonset, replicas 1
// <-> more: Deployment <-> StatefulSet), the old workload goes first and
// nothing else is written until it is gone: two workloads would serve the
// same devices meanwhile, and the old pods would read the new agent.yaml
// (a Deployment's pods, told shards: 3, have no shard; a StatefulSet's pods,
// told shards: 1, would each serve every device).
import type { KubernetesObject } from "@kubernetes/client-node";
import {
  type DesiredCollector,
  WORKLOAD_KINDS,
  type WorkloadKind,
} from "../manifests/collector.ts";
import { firstDifference } from "./compare.ts";
import { isDeleting } from "./context.ts";

export type ApplyPlan =
  | {
      step: "converge";
      /** Desired objects that differ from the live ones, in order, with the first difference. */
      apply: { obj: KubernetesObject; field: string }[];
      /** Objects the profile owns and no longer wants (deleted after every apply succeeded). */
      prune: KubernetesObject[];
    }
  | {
      step: "replace";
      /** The old workloads not being deleted yet: delete them, foreground (their pods go first). */
      delete: KubernetesObject[];
      /**
       * What would be applied, to validate (server-side dry run) before
       * `delete`: if the apiserver refuses it, the old workload keeps running.
       * Empty once the old workloads are being deleted: then there is only to wait.
       */
      validate: KubernetesObject[];
    };

const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.name ?? ""}`;

/**
 * @param live the live object of a kind and name in the profile's namespace (the cache)
 * @param owned every live object the profile controls (owner reference with its uid)
 * @param keep `<kind>/<name>` of other owned objects that stay (the signing-key Secret)
 */
export function planApply(
  desired: DesiredCollector,
  live: (kind: string, name: string) => KubernetesObject | undefined,
  owned: readonly KubernetesObject[],
  keep: readonly string[] = [],
): ApplyPlan {
  const apply = desired.objects.flatMap((obj) => {
    const current = live(obj.kind ?? "", obj.metadata?.name ?? "");
    const field = current ? firstDifference(obj, current) : "(absent)";
    return field === undefined ? [] : [{ obj, field }];
  });
  const want = new Set([...desired.objects.map(key), ...keep]);
  const old = owned.filter(
    (o) => WORKLOAD_KINDS.includes(o.kind as WorkloadKind) && !want.has(key(o)),
  );
  if (old.length > 0) {
    const del = old.filter((o) => !isDeleting(o));
    return {
      step: "replace",
      delete: del,
      validate: del.length > 0 ? apply.map((a) => a.obj) : [],
    };
  }
  return {
    step: "converge",
    apply,
    prune: owned.filter((o) => !want.has(key(o)) && !isDeleting(o)),
  };
}
