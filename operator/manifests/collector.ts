// The desired objects of one CollectorProfile's collector: a pure function of
// the profile, the Devices it serves and the operator's settings, one small
// function per kind (as the OpenTelemetry Operator's internal/manifests). No
// client, no clock, no randomness: the same inputs give the same objects, and
// nothing in them changes unless an input did (no timestamps), so applying
// them again is a no-op and a rollout happens exactly when agent.yaml changes.
import type {
  KubernetesObject,
  V1ConfigMap,
  V1Container,
  V1ContainerPort,
  V1DaemonSet,
  V1Deployment,
  V1PodTemplateSpec,
  V1Secret,
  V1SecurityContext,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1VolumeProjection,
} from "@kubernetes/client-node";
import type { CollectorProfile, Device } from "../../crds/index.ts";
import {
  agentConfigYaml,
  buildAgentConfig,
  contentHash,
  referencedSecretKeys,
} from "./agent-config.ts";
import type { BusCredentials } from "./bus.ts";
import { ConfigError, InvalidSpecError } from "./errors.ts";
import {
  BUS_COMPONENT,
  BUS_HASH_ANNOTATION,
  busSecretName,
  COLLECTOR_COMPONENT,
  CONFIG_DIR,
  CONFIG_FILE,
  CONFIG_HASH_ANNOTATION,
  CONFIG_KEY,
  collectorName,
  DEFAULT_CONTAINER_ANNOTATION,
  OPS_PORT,
  OUTBOX_DIR,
  ownedLabels,
  ownerReference,
  POD_INDEX_LABEL,
  RUN_AS,
  SIGNING_KEY_DATA_KEY,
  SIGNING_KEY_FILE,
  secretFile,
  selectorLabels,
  signingSecretName,
} from "./names.ts";
import { formatBytes } from "./quantity.ts";
import { type ProfileSettings, profileSettings, sortKeys } from "./validate.ts";

export interface CollectorParams {
  /** The profile, as read from the API (metadata.uid is needed for owner references). */
  profile: CollectorProfile;
  /** The Devices it serves (see servedDevices()). */
  devices: readonly Device[];
  /** Image when the profile names none: the operator's own. */
  image: string;
  /** NATS URL the collectors publish to. */
  natsUrl: string;
  /** Id of the collector's current signing key. */
  signingKeyId: string;
  /**
   * The NATS client credentials (--nats-secret, see bus.ts): copied into the
   * profile's namespace, mounted, and named in agent.yaml. Absent: none.
   */
  bus?: BusCredentials;
}

export type WorkloadKind = "Deployment" | "DaemonSet" | "StatefulSet";
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ["Deployment", "DaemonSet", "StatefulSet"];

export interface DesiredCollector {
  /**
   * ConfigMap, the bus credentials Secret (with `bus`), ServiceAccount,
   * Service (mode deployment), then the workload (last).
   */
  objects: KubernetesObject[];
  /** The first 16 hex digits of SHA-256 of agent.yaml. */
  configHash: string;
  agentConfig: string;
  workload: { kind: WorkloadKind; name: string };
  settings: ProfileSettings;
}

/**
 * Mode daemonset: a DaemonSet. Mode deployment: a Deployment, or with
 * replicas > 1 a StatefulSet, whose pods have stable ordinals to shard by: a
 * Deployment's pods are interchangeable and cannot know which shard is theirs.
 */
export function workloadKind(s: Pick<ProfileSettings, "mode" | "replicas">): WorkloadKind {
  if (s.mode === "daemonset") return "DaemonSet";
  return s.replicas > 1 ? "StatefulSet" : "Deployment";
}

/** Room in the outbox volume beyond bufferBytes (the agent's chain state), so the agent's own bound is hit before the kubelet's. */
export const OUTBOX_HEADROOM_BYTES = 16 * 2 ** 20;

interface Ctx {
  p: CollectorProfile;
  s: ProfileSettings;
  name: string;
  hash: string;
  bus: BusCredentials | undefined;
}

function meta(c: Ctx, name = c.name, component = COLLECTOR_COMPONENT) {
  return {
    name,
    namespace: c.s.namespace,
    labels: ownedLabels(c.s.name, component),
    ownerReferences: [ownerReference(c.p)],
  };
}

function configMap(c: Ctx, text: string): V1ConfigMap {
  const { ownerReferences, ...m } = meta(c);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...m, annotations: { [CONFIG_HASH_ANNOTATION]: c.hash }, ownerReferences },
    data: { [CONFIG_KEY]: text },
  };
}

/** The profile's copy of the NATS client Secret: a pod can only mount Secrets of its namespace. */
function busSecret(c: Ctx, bus: BusCredentials): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(c, busSecretName(c.s.name), BUS_COMPONENT),
    type: "Opaque",
    data: bus.data,
  };
}

function serviceAccount(c: Ctx): V1ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(c),
    automountServiceAccountToken: false,
  };
}

/** The listeners, by name: [name, container port, protocol, Service port]. */
function listenerPorts(s: ProfileSettings): [string, number, "UDP" | "TCP", number][] {
  return [
    ["syslog-udp", s.listeners.syslog, "UDP", 514],
    ["syslog-tcp", s.listeners.syslog, "TCP", 514],
    ["hl7", s.listeners.hl7, "TCP", s.listeners.hl7],
    ["flows", s.listeners.flows, "UDP", s.listeners.flows],
    ["snmp-traps", s.listeners.snmpTraps, "UDP", 162],
  ];
}

/** Mode deployment: where devices push to (port 514 and 162 map onto the listeners). */
function service(c: Ctx): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(c),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(c.s.name),
      ports: listenerPorts(c.s).map(([name, port, protocol, servicePort]) => ({
        name,
        port: servicePort,
        targetPort: port,
        protocol,
      })),
    },
  };
}

/**
 * Node's options for the agent. V8's young generation grows to 16 MB
 * semi-spaces by default, and the old generation with it: 4 MB halves the
 * agent's memory with 1,000 SNMP devices (297 -> 176 MB RSS) at the same
 * syslog throughput (`npm run bench -- agents`, which runs agents with these).
 */
export const AGENT_NODE_OPTIONS = "--max-semi-space-size=4";

function container(c: Ctx): V1Container {
  const s = c.s;
  const onNode = s.mode === "daemonset";
  const ports: V1ContainerPort[] = [
    { name: "ops", containerPort: OPS_PORT, protocol: "TCP" },
    ...listenerPorts(s).map(([name, port, protocol]) => ({
      name,
      containerPort: port,
      protocol,
      ...(onNode && { hostPort: port }),
    })),
  ];
  return {
    name: "agent",
    image: s.image,
    imagePullPolicy: "IfNotPresent",
    args: ["agent", "--config", CONFIG_FILE],
    env: [
      { name: "AMOSKYS_NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "AMOSKYS_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      // A StatefulSet's new pod keeps its name but not its emptyDir outbox: the UID
      // makes it a new producer with a new chain, not a replay of the old one.
      { name: "AMOSKYS_POD_UID", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } },
      { name: "NODE_OPTIONS", value: AGENT_NODE_OPTIONS },
      // The pod's ordinal is its shard (agent.yaml's collector.shards = replicas).
      ...(workloadKind(s) === "StatefulSet"
        ? [
            {
              name: "AMOSKYS_SHARD",
              valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } },
            },
          ]
        : []),
    ],
    ports,
    readinessProbe: { httpGet: { path: "/readyz", port: "ops" }, periodSeconds: 10 },
    livenessProbe: {
      httpGet: { path: "/healthz", port: "ops" },
      periodSeconds: 20,
      failureThreshold: 3,
    },
    resources: s.resources,
    securityContext: containerSecurity(s),
    volumeMounts: [
      { name: "config", mountPath: CONFIG_DIR, readOnly: true },
      { name: "outbox", mountPath: OUTBOX_DIR },
      { name: "tmp", mountPath: "/tmp" },
    ],
  };
}

/**
 * Capture: tcpdump opens a raw socket on the node's interface (NET_RAW) and
 * makes it promiscuous (NET_ADMIN). The agent, which parses what it captures,
 * stays uid 1000 without capabilities; only /usr/bin/tcpdump holds these two,
 * as file capabilities (the Dockerfile's setcap), bounded by the container's
 * set. A file capability is a gain of privilege at exec, so
 * allowPrivilegeEscalation must be true (it sets no_new_privs otherwise); the
 * image has no setuid binaries, and the bounding set is just these two.
 * Root with added capabilities would not do: the agent would parse hostile
 * packets as root, and Debian's tcpdump, started as root, exits when it cannot
 * switch to its own user without SETUID/SETGID.
 */
function containerSecurity(s: ProfileSettings): V1SecurityContext {
  if (!s.capture)
    return {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    };
  return {
    allowPrivilegeEscalation: true,
    readOnlyRootFilesystem: true,
    capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] },
  };
}

/**
 * One projected volume at /etc/amoskys holds agent.yaml, the signing key and
 * every device Secret key the config names (secrets/<secret>/<key>). One
 * volume, because a Secret or ConfigMap volume is mounted read-only and a
 * mount point nested in it cannot be created. Device Secrets are optional: a
 * missing Secret or key affects that device only, and the agent reports it.
 */
function configSources(c: Ctx, devices: readonly Device[]): V1VolumeProjection[] {
  const rel = (path: string) => path.slice(CONFIG_DIR.length + 1);
  const bySecret = new Map<string, string[]>();
  for (const r of referencedSecretKeys(devices)) {
    bySecret.set(r.secret, [...(bySecret.get(r.secret) ?? []), r.key]);
  }
  return [
    { configMap: { name: c.name, items: [{ key: CONFIG_KEY, path: rel(CONFIG_FILE) }] } },
    {
      secret: {
        name: signingSecretName(c.s.name),
        items: [{ key: SIGNING_KEY_DATA_KEY, path: rel(SIGNING_KEY_FILE) }],
      },
    },
    ...(c.bus
      ? [
          {
            secret: {
              name: busSecretName(c.s.name),
              items: Object.keys(c.bus.data).map((key) => ({
                key,
                path: rel(secretFile(busSecretName(c.s.name), key)),
              })),
            },
          },
        ]
      : []),
    ...[...bySecret.entries()].map(([secret, keys]) => ({
      secret: {
        name: secret,
        optional: true,
        items: keys.map((key) => ({ key, path: rel(secretFile(secret, key)) })),
      },
    })),
  ];
}

/**
 * The pod's labels and annotations: the operator's, and the profile's
 * podLabels and podAnnotations. The operator's labels select the pods, so they
 * win over podLabels; podAnnotations cannot name the operator's annotations
 * (validate.ts refuses them). They are part of the template: a change of
 * either rolls the pods.
 */
function podMetadata(c: Ctx): V1PodTemplateSpec["metadata"] {
  const s = c.s;
  const own = ownedLabels(s.name, COLLECTOR_COMPONENT);
  const extra = Object.entries(s.podLabels).filter(([k]) => !(k in own));
  return {
    labels: { ...own, ...Object.fromEntries(extra) },
    annotations: sortKeys({
      ...s.podAnnotations,
      ...(c.bus && { [BUS_HASH_ANNOTATION]: c.bus.digest }),
      [CONFIG_HASH_ANNOTATION]: c.hash,
      [DEFAULT_CONTAINER_ANNOTATION]: "agent",
    }),
  };
}

function podTemplate(c: Ctx, devices: readonly Device[]): V1PodTemplateSpec {
  const s = c.s;
  return {
    metadata: podMetadata(c),
    spec: {
      serviceAccountName: c.name,
      automountServiceAccountToken: false,
      // Capture reads the node's interfaces; the cluster DNS stays reachable.
      ...(s.capture && { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" }),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS,
        runAsGroup: RUN_AS,
        fsGroup: RUN_AS,
        seccompProfile: { type: "RuntimeDefault" },
      },
      nodeSelector: sortKeys({ "kubernetes.io/os": "linux", ...s.nodeSelector }),
      ...(s.tolerations.length > 0 && { tolerations: s.tolerations }),
      ...(s.affinity && { affinity: s.affinity }),
      ...(s.priorityClassName && { priorityClassName: s.priorityClassName }),
      ...(s.imagePullSecrets.length > 0 && { imagePullSecrets: s.imagePullSecrets }),
      containers: [container(c)],
      volumes: [
        { name: "config", projected: { defaultMode: 0o440, sources: configSources(c, devices) } },
        {
          name: "outbox",
          emptyDir: { sizeLimit: formatBytes(s.bufferBytes + OUTBOX_HEADROOM_BYTES) },
        },
        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
      ],
    },
  };
}

function deployment(c: Ctx, devices: readonly Device[]): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(c),
    spec: {
      replicas: c.s.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(c.s.name) },
      template: podTemplate(c, devices),
    },
  };
}

/**
 * A sharded deployment profile. No serviceName: the pods need no DNS names
 * (devices push to the ClusterIP Service), and the apiserver does not require
 * one. Parallel: pods start and stop together, as a Deployment's do; the
 * ordering guarantees are for members of a quorum, which shards are not.
 */
function statefulSet(c: Ctx, devices: readonly Device[]): V1StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(c),
    spec: {
      replicas: c.s.replicas,
      podManagementPolicy: "Parallel",
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(c.s.name) },
      template: podTemplate(c, devices),
    },
  };
}

function daemonSet(c: Ctx, devices: readonly Device[]): V1DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta(c),
    spec: {
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(c.s.name) },
      template: podTemplate(c, devices),
    },
  };
}

/**
 * The collector of `params.profile`. Throws InvalidSpecError (every
 * ConfigError, each with its field) when the profile cannot be rendered.
 */
export function buildCollector(params: CollectorParams): DesiredCollector {
  const s = profileSettings(params.profile, { defaultImage: params.image });
  if (!s.image) {
    throw new InvalidSpecError([
      new ConfigError("spec.image", "is required (the operator has no default image)"),
    ]);
  }
  const text = agentConfigYaml(
    buildAgentConfig(s, params.devices, {
      natsUrl: params.natsUrl,
      signingKeyId: params.signingKeyId,
      ...(params.bus && { busKeys: Object.keys(params.bus.data) }),
    }),
  );
  const c: Ctx = {
    p: params.profile,
    s,
    name: collectorName(s.name),
    hash: contentHash(text),
    bus: params.bus,
  };
  const kind = workloadKind(s);
  const workload = { Deployment: deployment, DaemonSet: daemonSet, StatefulSet: statefulSet }[kind](
    c,
    params.devices,
  );
  return {
    objects: [
      configMap(c, text),
      ...(params.bus ? [busSecret(c, params.bus)] : []),
      serviceAccount(c),
      ...(s.mode === "deployment" ? [service(c)] : []),
      workload,
    ],
    configHash: c.hash,
    agentConfig: text,
    workload: { kind, name: c.name },
    settings: s,
  };
}
