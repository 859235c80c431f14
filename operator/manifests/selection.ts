// Which CollectorProfile serves which Device. Pure: the profiles and Devices
// of a namespace in, one assignment per Device out.
//
// The contract (crds/README.md and the CRD descriptions):
// - a profile selects the Devices of its own namespace whose labels match its
//   deviceSelector (metav1.LabelSelector; {} selects all);
// - a Device with `placement` is only served by a daemonset-mode profile;
// - a profile being deleted selects nothing;
// - a Device several profiles select is served by the oldest one
//   (creationTimestamp, then name): Assigned=True reason MultipleProfiles, the
//   message naming the others; none: Assigned=False reason NoProfile.
import type {
  CollectorProfile,
  Device,
  LabelSelector,
  LabelSelectorRequirement,
} from "../../crds/index.ts";
import type { ConditionInput } from "./conditions.ts";

export const ASSIGNED = "Assigned";

export interface DeviceAssignment {
  namespace: string;
  name: string;
  /** Names of the profiles that select the Device, oldest first. */
  selectedBy: string[];
  /** The profile that serves it (the oldest of selectedBy), if any. */
  collector?: string;
  /** The Assigned condition (the caller adds observedGeneration). */
  condition: Omit<ConditionInput, "observedGeneration">;
}

function requirementHolds(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return has && values.includes(labels[r.key] as string);
    case "NotIn":
      return !has || !values.includes(labels[r.key] as string);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false; // an operator the schema does not allow selects nothing
  }
}

/** metav1.LabelSelector semantics: matchLabels and every matchExpression hold; {} matches all. */
export function matchesLabelSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  return (selector.matchExpressions ?? []).every((r) => requirementHolds(r, l));
}

function isDeleting(o: { metadata: { deletionTimestamp?: unknown } }): boolean {
  return o.metadata.deletionTimestamp !== undefined && o.metadata.deletionTimestamp !== null;
}

/** Whether `profile` selects `device` (namespace, labels, placement, not being deleted). */
export function profileSelects(profile: CollectorProfile, device: Device): boolean {
  if (isDeleting(profile)) return false;
  if (profile.metadata.namespace !== device.metadata.namespace) return false;
  if (!matchesLabelSelector(profile.spec.deviceSelector, device.metadata.labels)) return false;
  if (device.spec.placement && (profile.spec.mode ?? "deployment") !== "daemonset") return false;
  return true;
}

function created(p: CollectorProfile): number {
  const t = p.metadata.creationTimestamp as unknown;
  const ms = t instanceof Date ? t.getTime() : typeof t === "string" ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Oldest first: creationTimestamp, then name. */
export function byAge(a: CollectorProfile, b: CollectorProfile): number {
  const d = created(a) - created(b);
  if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
  return compareStrings(a.metadata.name ?? "", b.metadata.name ?? "");
}

export function deviceKey(d: { metadata: { namespace?: string; name?: string } }): string {
  return `${d.metadata.namespace ?? ""}/${d.metadata.name ?? ""}`;
}

/** The assignment of one Device among the given profiles (only those of its namespace count). */
export function assignDevice(
  profiles: readonly CollectorProfile[],
  device: Device,
): DeviceAssignment {
  const namespace = device.metadata.namespace ?? "";
  const name = device.metadata.name ?? "";
  const selecting = profiles.filter((p) => profileSelects(p, device)).sort(byAge);
  const selectedBy = selecting.map((p) => p.metadata.name ?? "");
  const [collector, ...others] = selectedBy;
  if (collector === undefined) {
    // Say why when a deployment-mode profile would have matched but for placement.
    const blocked = device.spec.placement
      ? profiles
          .filter(
            (p) =>
              !isDeleting(p) &&
              p.metadata.namespace === namespace &&
              (p.spec.mode ?? "deployment") !== "daemonset" &&
              matchesLabelSelector(p.spec.deviceSelector, device.metadata.labels),
          )
          .sort(byAge)
          .map((p) => p.metadata.name ?? "")
      : [];
    const why =
      blocked.length > 0
        ? `; ${plural("CollectorProfile", blocked)} ${blocked.join(", ")} ${blocked.length > 1 ? "match" : "matches"} its labels but ${blocked.length > 1 ? "run" : "runs"} mode deployment, and a Device with placement is only served by a daemonset profile`
        : "";
    return {
      namespace,
      name,
      selectedBy,
      condition: {
        type: ASSIGNED,
        status: "False",
        reason: "NoProfile",
        message: `no CollectorProfile in namespace ${namespace} selects this Device${why}`,
      },
    };
  }
  if (others.length === 0) {
    return {
      namespace,
      name,
      selectedBy,
      collector,
      condition: {
        type: ASSIGNED,
        status: "True",
        reason: "Selected",
        message: `served by CollectorProfile ${collector}`,
      },
    };
  }
  return {
    namespace,
    name,
    selectedBy,
    collector,
    condition: {
      type: ASSIGNED,
      status: "True",
      reason: "MultipleProfiles",
      message: `selected by CollectorProfiles ${selectedBy.join(", ")}; served by the oldest, ${collector} (not by ${others.join(", ")})`,
    },
  };
}

function plural(word: string, list: readonly unknown[]): string {
  return list.length > 1 ? `${word}s` : word;
}

/** The assignment of every Device, keyed `<namespace>/<name>`. */
export function selectDevices(
  profiles: readonly CollectorProfile[],
  devices: readonly Device[],
): Map<string, DeviceAssignment> {
  const out = new Map<string, DeviceAssignment>();
  for (const d of devices) out.set(deviceKey(d), assignDevice(profiles, d));
  return out;
}

/** The Devices `profile` serves (selected by it and by no older profile), sorted by name. */
export function servedDevices(
  profile: CollectorProfile,
  profiles: readonly CollectorProfile[],
  devices: readonly Device[],
): Device[] {
  const name = profile.metadata.name;
  const ns = profile.metadata.namespace;
  const same = (p: CollectorProfile) => p.metadata.name === name && p.metadata.namespace === ns;
  const all = profiles.some(same)
    ? profiles.map((p) => (same(p) ? profile : p))
    : [...profiles, profile];
  return devices
    .filter((d) => d.metadata.namespace === ns && assignDevice(all, d).collector === name)
    .sort((a, b) => compareStrings(deviceKey(a), deviceKey(b)));
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
