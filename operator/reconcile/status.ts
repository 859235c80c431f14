// The status the operator writes, computed without I/O: the profile's Ready
// and Degraded conditions from its workload's own status, its device counts,
// and the Device status fields the operator owns. The callers compare the
// result with what is stored and write only a difference.
import type {
  CollectorProfile,
  CollectorProfileStatus,
  Condition,
  Device,
  DeviceSpec,
} from "../../crds/index.ts";
import type { WorkloadKind } from "../manifests/collector.ts";
import { type ConditionInput, findCondition, setCondition } from "../manifests/conditions.ts";
import type { ConfigError } from "../manifests/errors.ts";
import type { DeviceAssignment } from "../manifests/selection.ts";
import { toWire } from "./compare.ts";

export const READY = "Ready";
export const DEGRADED = "Degraded";
/** deviceNames holds the first this many names (devices has the full count). */
export const MAX_DEVICE_NAMES = 256;

/** The protocol blocks in the order of the CRD (and of `kubectl explain`). */
export const PROTOCOLS = ["snmp", "modbus", "mqtt", "syslog", "hl7", "fhir", "flows"] as const;

/** status.protocols of a Device: its protocol blocks, comma separated, e.g. "snmp,modbus". */
export function protocolsOf(spec: DeviceSpec): string {
  return PROTOCOLS.filter((p) => spec[p] !== undefined && spec[p] !== null).join(",");
}

export interface WorkloadStatus {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

type Cond = Omit<ConditionInput, "observedGeneration">;

/** Ready and Degraded from the live workload (undefined: not created yet). */
export function workloadConditions(
  kind: WorkloadKind,
  live: WorkloadStatus | undefined,
): { ready: Cond; degraded: Cond } {
  const ok: Cond = { type: DEGRADED, status: "False", reason: "AsExpected", message: "" };
  if (!live) {
    return {
      ready: {
        type: READY,
        status: "False",
        reason: "Progressing",
        message: `the ${kind} is being created`,
      },
      degraded: ok,
    };
  }
  const generation = live.metadata?.generation ?? 0;
  const s = live.status ?? {};
  if ((s.observedGeneration ?? 0) < generation) {
    return {
      ready: {
        type: READY,
        status: "False",
        reason: "Progressing",
        message: `waiting for the ${kind} controller to roll out generation ${generation}`,
      },
      degraded: ok,
    };
  }
  // A StatefulSet's status has a Deployment's field names.
  const set = kind !== "DaemonSet";
  const want = set ? (live.spec?.replicas ?? 1) : (s.desiredNumberScheduled ?? 0);
  const updated = (set ? s.updatedReplicas : s.updatedNumberScheduled) ?? 0;
  const available = (set ? s.availableReplicas : s.numberAvailable) ?? 0;
  if (kind === "DaemonSet" && want === 0) {
    const message =
      "no node matches the profile's nodeSelector, architecture, affinity and tolerations";
    return {
      ready: { type: READY, status: "False", reason: "Unavailable", message },
      degraded: { type: DEGRADED, status: "True", reason: "NoMatchingNode", message },
    };
  }
  if (updated < want) {
    return {
      ready: {
        type: READY,
        status: "False",
        reason: "Progressing",
        message: `rolling out: ${updated} of ${want} pods updated`,
      },
      degraded: ok,
    };
  }
  if (available < want) {
    const message = `${available} of ${want} pods available`;
    return {
      ready: { type: READY, status: "False", reason: "Unavailable", message },
      degraded:
        available > 0 ? { type: DEGRADED, status: "True", reason: "PodsUnavailable", message } : ok,
    };
  }
  return {
    ready: {
      type: READY,
      status: "True",
      reason: "Available",
      message: `${available} of ${want} pods available`,
    },
    degraded: ok,
  };
}

export interface ProfileOutcome {
  /** Set when the spec cannot be rendered: Ready=False reason InvalidSpec with this message. */
  invalid?: string;
  /**
   * Set when something outside the profile stops its rendering (e.g. the
   * --nats-secret Secret is missing): Ready=False with this reason and message.
   */
  blocked?: { reason: string; message: string };
  /** Names of the Devices served (when rendered). */
  devices?: readonly string[];
  workload?: { kind: WorkloadKind; name: string };
  configHash?: string;
  signingKeyId?: string;
  /** Ready/Degraded from the workload (when rendered). */
  conditions?: { ready: Cond; degraded: Cond };
}

/**
 * The profile's status after a reconcile. With `invalid` or `blocked`, only
 * Ready (and observedGeneration) change: the rest still describes what runs.
 */
export function profileStatus(
  profile: CollectorProfile,
  outcome: ProfileOutcome,
  now: Date,
): CollectorProfileStatus {
  const generation = profile.metadata.generation;
  const at = (c: Cond): ConditionInput => ({
    ...c,
    ...(generation !== undefined && { observedGeneration: generation }),
  });
  const current = profile.status ?? {};
  let conditions: Condition[] = current.conditions ?? [];
  const stop =
    outcome.invalid !== undefined
      ? { reason: "InvalidSpec", message: outcome.invalid }
      : outcome.blocked;
  if (stop !== undefined) {
    conditions = setCondition(conditions, at({ type: READY, status: "False", ...stop }), now);
    const { observedGeneration: _, conditions: __, ...rest } = current;
    return {
      ...(generation !== undefined && { observedGeneration: generation }),
      conditions,
      ...rest,
      ...(outcome.signingKeyId !== undefined && { signingKeyId: outcome.signingKeyId }),
    };
  }
  const c = outcome.conditions;
  if (c) {
    conditions = setCondition(conditions, at(c.ready), now);
    conditions = setCondition(conditions, at(c.degraded), now);
  }
  const names = [...(outcome.devices ?? [])].sort().slice(0, MAX_DEVICE_NAMES);
  return {
    ...(generation !== undefined && { observedGeneration: generation }),
    conditions,
    devices: outcome.devices?.length ?? 0,
    ...(names.length > 0 && { deviceNames: names }),
    ...(outcome.workload && { workload: outcome.workload }),
    ...(outcome.configHash !== undefined && { configHash: outcome.configHash }),
    ...(outcome.signingKeyId !== undefined && { signingKeyId: outcome.signingKeyId }),
  };
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined && !(Array.isArray(x) && x.length === 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, normalize(x)]);
    return Object.fromEntries(entries);
  }
  return v;
}

/** Whether two statuses say the same (key order and empty lists aside). */
export function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(toWire(a ?? {}))) === JSON.stringify(normalize(toWire(b ?? {})));
}

/** The part of a Device's status the operator owns. */
export interface DeviceStatusPatch {
  conditions: Condition[];
  collector?: string;
  protocols: string;
}

/**
 * The operator's part of a Device's status (the Assigned condition, collector,
 * protocols), or undefined when the stored status already says it.
 */
export function deviceStatusPatch(
  device: Device,
  assignment: DeviceAssignment,
  now: Date,
): DeviceStatusPatch | undefined {
  const generation = device.metadata.generation;
  const cond: ConditionInput = {
    ...assignment.condition,
    ...(generation !== undefined && { observedGeneration: generation }),
  };
  const protocols = protocolsOf(device.spec);
  const s = device.status ?? {};
  const stored = findCondition(s.conditions, cond.type);
  const same =
    stored !== undefined &&
    stored.status === cond.status &&
    stored.reason === cond.reason &&
    stored.message === cond.message &&
    stored.observedGeneration === cond.observedGeneration &&
    (s.collector || undefined) === assignment.collector &&
    s.protocols === protocols;
  if (same) return undefined;
  const [assigned] = setCondition(stored ? [stored] : [], cond, now);
  return {
    conditions: [assigned as Condition],
    ...(assignment.collector !== undefined && { collector: assignment.collector }),
    protocols,
  };
}

/**
 * A Device its profile selects but cannot serve (validateDevice found
 * problems) is not assigned: Assigned=False reason InvalidSpec, naming the
 * fields; no collector.
 */
export function withDeviceProblems(
  assignment: DeviceAssignment,
  problems: readonly ConfigError[],
): DeviceAssignment {
  if (assignment.collector === undefined || problems.length === 0) return assignment;
  const { collector: _, ...rest } = assignment;
  return {
    ...rest,
    condition: {
      type: assignment.condition.type,
      status: "False",
      reason: "InvalidSpec",
      message: `selected by CollectorProfile ${assignment.collector} but left out of its configuration: ${problems.map((e) => e.message).join("; ")}`,
    },
  };
}

/** How many left-out Devices Degraded lists by name. */
const LISTED = 10;

/** Degraded=True reason InvalidDevice, naming the Devices left out and why. */
export function invalidDevicesCondition(
  problems: readonly { device: string; errors: readonly ConfigError[] }[],
): Cond {
  const listed = problems
    .slice(0, LISTED)
    .map((p) => `Device ${p.device}: ${p.errors.map((e) => e.message).join("; ")}`);
  const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : "";
  return {
    type: DEGRADED,
    status: "True",
    reason: "InvalidDevice",
    message: `${problems.length} selected ${problems.length === 1 ? "Device is" : "Devices are"} left out of the configuration: ${listed.join("; ")}${more}`,
  };
}
