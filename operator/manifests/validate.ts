// A CollectorProfile's settings with the CRD defaults applied, and the checks
// of profiles and Devices the CRD schema cannot make (they need the rendered objects' rules, or span
// fields in ways CEL does not express). Every problem is reported, each with
// the path of its field.
import type { V1Affinity } from "@kubernetes/client-node";
import type { CollectorProfile, CollectorProfileToleration, Device } from "../../crds/index.ts";
import { ConfigError, InvalidSpecError } from "./errors.ts";
import {
  APP_NAME,
  OPERATOR_ANNOTATION_PREFIX,
  OPERATOR_POD_ANNOTATIONS,
  OPS_PORT,
} from "./names.ts";
import { quantityValue } from "./quantity.ts";

/** What the builders use: every default applied, everything checked. */
export interface ProfileSettings {
  namespace: string;
  name: string;
  uid: string;
  mode: "deployment" | "daemonset";
  /** Collector pods in mode deployment (1 in mode daemonset: unused). */
  replicas: number;
  /** The profile's nodeSelector plus kubernetes.io/arch for `architecture`. */
  nodeSelector: Record<string, string>;
  tolerations: CollectorProfileToleration[];
  /** spec.affinity as written; absent: none. */
  affinity?: V1Affinity;
  /** spec.priorityClassName; absent: the cluster's default. */
  priorityClassName?: string;
  /** spec.imagePullSecrets, in order. */
  imagePullSecrets: { name: string }[];
  /** spec.podLabels, sorted (the operator's own labels are added over them by the builder). */
  podLabels: Record<string, string>;
  /** spec.podAnnotations, sorted; none of them is the operator's own. */
  podAnnotations: Record<string, string>;
  intervals: { snmp: number; modbus: number; fhir: number };
  listeners: { syslog: number; hl7: number; flows: number; snmpTraps: number };
  batching: { maxEvents: number; maxDelayMs: number };
  /** The outbox size in bytes. */
  bufferBytes: number;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** spec.image, else the default passed in; empty if neither. */
  image: string;
  /** Passive capture (mode daemonset), ports sorted and deduplicated; absent: none. */
  capture?: CaptureSettings;
}

export interface CaptureSettings {
  interface: string;
  bpf?: string;
  ports?: { modbus?: number[]; snmp?: number[]; mqtt?: number[]; syslog?: number[] };
}

/** A Linux interface name tcpdump -i accepts as a name, never as an option (IFNAMSIZ 16). */
const INTERFACE_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,14}$/;
const PRINTABLE = /^[ -~]*$/;
const CAPTURE_PROTOCOLS = ["modbus", "snmp", "mqtt", "syslog"] as const;

export const PROFILE_DEFAULTS = {
  mode: "deployment",
  replicas: 1,
  intervals: { snmp: 60, modbus: 10, fhir: 300 },
  listeners: { syslog: 5514, hl7: 2575, flows: 2055, snmpTraps: 1162 },
  batching: { maxEvents: 500, maxDelayMs: 1000 },
  bufferBytes: "256Mi",
  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const;

/** Longest profile name: amoskys-collector-<name> must stay a DNS-1035 label (63). */
export const MAX_PROFILE_NAME = 63 - APP_NAME.length - 1;

const ARCH_LABEL = "kubernetes.io/arch";
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PROFILE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return "the key's prefix must be a lowercase DNS subdomain";
  if (name.length > 63 || !LABEL_NAME.test(name))
    return "the key must be a label name: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value))
    return "the value must be a label value: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** The settings of `profile`, or InvalidSpecError listing every problem. */
export function profileSettings(
  profile: CollectorProfile,
  opts: { defaultImage?: string } = {},
): ProfileSettings {
  const errors: ConfigError[] = [];
  const spec = profile.spec ?? ({} as CollectorProfile["spec"]);
  const name = profile.metadata.name ?? "";
  const mode = spec.mode ?? PROFILE_DEFAULTS.mode;

  if (name.length > MAX_PROFILE_NAME || !PROFILE_NAME.test(name)) {
    errors.push(
      new ConfigError(
        "metadata.name",
        `must be at most ${MAX_PROFILE_NAME} characters of a-z, 0-9 and '-' (it names the collector's workload and Service, ${APP_NAME}-<name>, a DNS-1035 label)`,
      ),
    );
  }

  // Scheduling: what the apiserver would refuse in the pod template.
  const nodeSelector: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    const at = `spec.nodeSelector[${JSON.stringify(k)}]`;
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) errors.push(new ConfigError(at, problem));
    nodeSelector[k] = v;
  }
  if (spec.architecture) {
    const pinned = nodeSelector[ARCH_LABEL];
    if (pinned !== undefined && pinned !== spec.architecture) {
      errors.push(
        new ConfigError(
          "spec.architecture",
          `${spec.architecture} contradicts spec.nodeSelector["${ARCH_LABEL}"] = ${JSON.stringify(pinned)}; no node can match both`,
        ),
      );
    }
    nodeSelector[ARCH_LABEL] = spec.architecture;
  }
  const tolerations = (spec.tolerations ?? []).map((t, i) => {
    const at = `spec.tolerations[${i}]`;
    const operator = t.operator ?? "Equal";
    if (t.key && labelKeyProblem(t.key))
      errors.push(new ConfigError(`${at}.key`, labelKeyProblem(t.key) as string));
    if (!t.key && operator !== "Exists")
      errors.push(new ConfigError(`${at}.operator`, "must be Exists when key is empty"));
    if (operator === "Exists" && t.value)
      errors.push(new ConfigError(`${at}.value`, "must be empty when operator is Exists"));
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute")
      errors.push(
        new ConfigError(`${at}.tolerationSeconds`, "is only valid with effect NoExecute"),
      );
    return { ...t, operator };
  });

  // Pod metadata: what the apiserver would refuse, and the operator's own annotations.
  const podLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.podLabels ?? {})) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) errors.push(new ConfigError(`spec.podLabels[${JSON.stringify(k)}]`, problem));
    podLabels[k] = v;
  }
  const podAnnotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.podAnnotations ?? {})) {
    const at = `spec.podAnnotations[${JSON.stringify(k)}]`;
    if (k.startsWith(OPERATOR_ANNOTATION_PREFIX) || OPERATOR_POD_ANNOTATIONS.includes(k))
      errors.push(
        new ConfigError(
          at,
          `is the operator's own annotation (the prefix ${OPERATOR_ANNOTATION_PREFIX} and ${OPERATOR_POD_ANNOTATIONS.join(", ")} are reserved)`,
        ),
      );
    else {
      const problem = labelKeyProblem(k);
      if (problem) errors.push(new ConfigError(at, problem));
    }
    podAnnotations[k] = v;
  }

  // Listeners: one port per transport protocol, and not the agent's own ops port.
  const listeners = { ...PROFILE_DEFAULTS.listeners, ...spec.listeners };
  const uses: [keyof typeof listeners, ("udp" | "tcp")[]][] = [
    ["syslog", ["udp", "tcp"]],
    ["hl7", ["tcp"]],
    ["flows", ["udp"]],
    ["snmpTraps", ["udp"]],
  ];
  const taken = new Map<string, string>([[`tcp/${OPS_PORT}`, "the collector's metrics port"]]);
  for (const [listener, protocols] of uses) {
    const port = listeners[listener];
    for (const proto of protocols) {
      const owner = taken.get(`${proto}/${port}`);
      if (owner) {
        errors.push(
          new ConfigError(
            `spec.listeners.${listener}`,
            `port ${port} (${proto.toUpperCase()}) is already used by ${owner}`,
          ),
        );
        break;
      }
      taken.set(`${proto}/${port}`, `spec.listeners.${listener}`);
    }
  }

  // The outbox.
  const rawBuffer = spec.bufferBytes ?? PROFILE_DEFAULTS.bufferBytes;
  const bufferValue = quantityValue(rawBuffer);
  let bufferBytes = 0;
  if (bufferValue === undefined || bufferValue < 2 ** 20) {
    errors.push(new ConfigError("spec.bufferBytes", "must be a quantity of at least 1Mi"));
  } else if (Math.ceil(bufferValue) > Number.MAX_SAFE_INTEGER) {
    errors.push(new ConfigError("spec.bufferBytes", "is too large"));
  } else {
    bufferBytes = Math.ceil(bufferValue);
  }

  // Resources: the apiserver refuses a request above its limit.
  const resources: ProfileSettings["resources"] = spec.resources ?? PROFILE_DEFAULTS.resources;
  for (const [res, req] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[res];
    if (limit === undefined) continue;
    const r = quantityValue(req);
    const l = quantityValue(limit);
    if (r !== undefined && l !== undefined && r > l) {
      errors.push(
        new ConfigError(
          `spec.resources.requests.${res}`,
          `${req} is more than the limit ${limit} (spec.resources.limits.${res})`,
        ),
      );
    }
  }

  const capture = spec.capture ? captureSettings(spec.capture, mode, errors) : undefined;

  if (errors.length > 0) throw new InvalidSpecError(errors);
  return {
    namespace: profile.metadata.namespace ?? "",
    name,
    uid: profile.metadata.uid ?? "",
    mode,
    replicas: mode === "deployment" ? (spec.replicas ?? PROFILE_DEFAULTS.replicas) : 1,
    nodeSelector: sortKeys(nodeSelector),
    tolerations,
    ...(spec.affinity && Object.keys(spec.affinity).length > 0 && { affinity: spec.affinity }),
    ...(spec.priorityClassName && { priorityClassName: spec.priorityClassName }),
    imagePullSecrets: (spec.imagePullSecrets ?? []).map(({ name }) => ({ name })),
    podLabels: sortKeys(podLabels),
    podAnnotations: sortKeys(podAnnotations),
    intervals: { ...PROFILE_DEFAULTS.intervals, ...spec.intervals },
    listeners,
    batching: { ...PROFILE_DEFAULTS.batching, ...spec.batching },
    bufferBytes,
    resources: {
      ...(resources.requests && { requests: sortKeys(resources.requests) }),
      ...(resources.limits && { limits: sortKeys(resources.limits) }),
    },
    image: spec.image ?? opts.defaultImage ?? "",
    ...(capture && { capture }),
  };
}

/** spec.capture, checked as the CRD does (the builders also see objects that skipped it). */
function captureSettings(
  c: NonNullable<CollectorProfile["spec"]["capture"]>,
  mode: string,
  errors: ConfigError[],
): CaptureSettings {
  if (mode !== "daemonset")
    errors.push(
      new ConfigError(
        "spec.capture",
        "is only valid with mode daemonset; it reads an interface of the node the collector runs on",
      ),
    );
  if (!INTERFACE_NAME.test(c.interface ?? ""))
    errors.push(
      new ConfigError(
        "spec.capture.interface",
        "must be a Linux interface name: at most 15 characters of letters, digits, '-', '_' and '.', starting with a letter or digit",
      ),
    );
  if (c.bpf !== undefined && (c.bpf.length > 1024 || !PRINTABLE.test(c.bpf)))
    errors.push(
      new ConfigError("spec.capture.bpf", "must be at most 1024 characters of printable ASCII"),
    );
  const ports: NonNullable<CaptureSettings["ports"]> = {};
  for (const p of CAPTURE_PROTOCOLS) {
    const list = c.ports?.[p];
    if (list === undefined) continue;
    if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 65535))
      errors.push(new ConfigError(`spec.capture.ports.${p}`, "must be port numbers 1..65535"));
    ports[p] = [...new Set(list)].sort((a, b) => a - b);
  }
  return {
    interface: c.interface,
    ...(c.bpf !== undefined && c.bpf !== "" && { bpf: c.bpf }),
    ...(Object.keys(ports).length > 0 && { ports }),
  };
}

/** Every problem of `profile` (empty when it renders). */
export function validateProfile(
  profile: CollectorProfile,
  opts: { defaultImage?: string } = {},
): ConfigError[] {
  try {
    profileSettings(profile, opts);
    return [];
  } catch (err) {
    if (err instanceof InvalidSpecError) return [...err.errors];
    throw err;
  }
}

export function sortKeys<V>(o: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The problems of one Device that the CRD schema cannot catch. Such a Device
 * is left out of its collector's configuration (the others go on); its
 * profile reports it in Degraded, the Device in Assigned.
 */
export function validateDevice(device: Device): ConfigError[] {
  const errors: ConfigError[] = [];
  const spec = device.spec;
  // Secret keys become file names in the projected volume: the apiserver
  // refuses "." and anything starting with "..", which would fail the whole
  // workload.
  const keyChecks: [string, Record<string, string | undefined> | undefined][] = [
    ["spec.snmp.credentialsSecretRef.keys", spec.snmp?.credentialsSecretRef.keys as never],
    ["spec.mqtt.credentialsSecretRef.keys", spec.mqtt?.credentialsSecretRef?.keys as never],
    ["spec.mqtt.tlsSecretRef.keys", spec.mqtt?.tlsSecretRef?.keys as never],
    ["spec.fhir.authSecretRef.keys", spec.fhir?.authSecretRef?.keys as never],
  ];
  for (const [at, keys] of keyChecks) {
    for (const [k, v] of Object.entries(keys ?? {})) {
      if (v !== undefined && (v === "." || v.startsWith("..")))
        errors.push(
          new ConfigError(
            `${at}.${k}`,
            `${JSON.stringify(v)} cannot be a file name: it must not be "." or start with ".."`,
          ),
        );
    }
  }
  return errors;
}
