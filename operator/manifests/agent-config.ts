// The agent configuration: what one collector workload polls and listens for,
// rendered from a CollectorProfile and the Devices it serves. Pure and
// deterministic (same inputs, same bytes): its hash is what rolls the pods.
//
// It carries only what the collector uses. Credentials are never in it: a
// Secret reference becomes the path of a file the pod mounts
// (/etc/amoskys/secrets/<secret>/<key>). Detection-only fields (criticality,
// allowedWriters) are left out, so changing them does not restart collectors.
// Every CRD default is applied, so the agent needs no defaults of its own.
import { createHash } from "node:crypto";
import { Document } from "yaml";
import type { CollectorProfile, Device, DeviceSpec } from "../../crds/index.ts";
import { TELEMETRY_STREAM, telemetrySubject } from "../../proto/bus/conventions.ts";
import { busFiles } from "./bus.ts";
import {
  CONFIG_FILE,
  OPS_PORT,
  OUTBOX_DIR,
  producerId,
  SIGNING_KEY_FILE,
  secretFile,
} from "./names.ts";
import { compareStrings } from "./selection.ts";
import { type ProfileSettings, profileSettings, sortKeys } from "./validate.ts";

export const AGENT_CONFIG_API_VERSION = "amoskys.io/v1alpha1";
export const AGENT_CONFIG_KIND = "AgentConfig";
/** Device label that marks a simulator; its Status capability becomes SIMULATED. */
export const SIMULATED_LABEL = "amoskys.io/simulated";

/** agent.yaml: the document `amoskys agent --config /etc/amoskys/agent.yaml` reads. */
export interface AgentConfig {
  apiVersion: typeof AGENT_CONFIG_API_VERSION;
  kind: typeof AGENT_CONFIG_KIND;
  collector: {
    /** Namespace and name of the CollectorProfile. */
    namespace: string;
    profile: string;
    mode: "deployment" | "daemonset";
    /** Mode deployment: how many pods share the devices (each device has a `shard` < shards). */
    shards: number;
  };
  producer: {
    /** `<namespace>/<profile>`: the identity analytics trusts keyId for. */
    id: string;
    /** Id of the current signing key (first 16 hex digits of SHA-256 of the public key). */
    keyId: string;
    /** The raw 32-byte Ed25519 private key seed. */
    keyFile: string;
  };
  bus: {
    /** NATS URL, e.g. tls://nats.amoskys.svc:4222. */
    url: string;
    /** JetStream stream the device subjects belong to. */
    stream: string;
    /** CA bundle that signed the NATS server certificate (else the system roots). */
    caFile?: string;
    /** NATS user and password, when the server authenticates by password. */
    usernameFile?: string;
    passwordFile?: string;
    /** Client certificate and key, when the server authenticates by mTLS. */
    certFile?: string;
    keyFile?: string;
  };
  batching: { maxEvents: number; maxDelayMs: number };
  outbox: {
    /** Directory of the on-disk outbox (an emptyDir). */
    dir: string;
    /** Bytes the outbox may hold; beyond it the oldest batches are dropped and counted. */
    maxBytes: number;
  };
  /** Ports for pushed telemetry (syslog UDP+TCP, HL7 MLLP TCP, flows UDP, traps UDP). */
  listeners: { syslog: number; hl7: number; flows: number; snmpTraps: number };
  /** The profile's default poll intervals (seconds), already applied to each device. */
  intervals: { snmp: number; modbus: number; fhir: number };
  /** Where the agent serves /metrics, /healthz and /readyz (all interfaces). */
  ops: { port: number };
  /**
   * Passive capture on a mirror/SPAN interface of the node (mode daemonset):
   * flows and protocol events of every host, attributed to the Devices at
   * either end. Absent: no capture.
   */
  capture?: {
    interface: string;
    /** A BPF filter, e.g. "tcp port 502 or udp port 161". */
    bpf?: string;
    /** Extra ports per analyzer, e.g. { modbus: [5020] }. */
    ports?: { modbus?: number[]; snmp?: number[]; mqtt?: number[]; syslog?: number[] };
  };
  /** Sorted by namespace, then name. */
  devices: AgentDevice[];
}

export interface AgentDevice {
  namespace: string;
  name: string;
  address: string;
  type: DeviceSpec["type"];
  /** Where this device's signed batches are published. */
  subject: string;
  /** A simulator, not real equipment (label amoskys.io/simulated: "true"). */
  simulated?: boolean;
  /** Mode deployment: the pod (0 .. shards-1) that serves the device. */
  shard?: number;
  /** Mode daemonset: the node(s) whose collector serves the device; absent: every node's. */
  placement?: { nodeName?: string; nodeSelector?: Record<string, string> };
  snmp?: AgentSnmp;
  modbus?: AgentModbus;
  mqtt?: AgentMqtt;
  syslog?: { sourceAddresses: string[] };
  hl7?: { sendingFacility?: string; sendingApplication?: string; sourceAddresses: string[] };
  fhir?: AgentFhir;
  flows?: { exporterAddress: string };
}

export interface AgentSnmp {
  version: "v1" | "v2c" | "v3";
  port: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  profiles: string[];
  oids: { name: string; oid: string; type: "gauge" | "counter"; unit?: string }[];
  tables: {
    name: string;
    baseOid: string;
    columns: { name: string; column: number; type: "gauge" | "counter" | "label"; unit?: string }[];
  }[];
  v3?: {
    securityLevel: "noAuthNoPriv" | "authNoPriv" | "authPriv";
    authProtocol: string;
    privProtocol: string;
    contextName?: string;
  };
  /** v1/v2c: communityFile; v3: usernameFile, plus authKeyFile / privKeyFile as the level needs. */
  credentials: {
    communityFile?: string;
    usernameFile?: string;
    authKeyFile?: string;
    privKeyFile?: string;
  };
}

export interface AgentModbus {
  port: number;
  unitId: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  registers: {
    name: string;
    table: "coil" | "discrete" | "holding" | "input";
    address: number;
    type: "bool" | "int16" | "uint16" | "int32" | "uint32" | "float32";
    byteOrder: "big" | "little";
    wordOrder: "big" | "little";
    scale: number;
    offset: number;
    unit?: string;
  }[];
}

export interface AgentMqtt {
  brokerUrl: string;
  topics: string[];
  payload: "json" | "sparkplugB";
  qos: 0 | 1 | 2;
  mappings: { topic: string; jsonPath: string; metric: string; unit?: string }[];
  credentials?: { usernameFile: string; passwordFile: string };
  /** certFile and keyFile are used only when both files exist. */
  tls?: { caFile: string; certFile: string; keyFile: string };
}

export interface AgentFhir {
  baseUrl: string;
  resources: string[];
  deviceIdentifier: string;
  intervalSeconds: number;
  /**
   * Bearer (tokenFile) or basic (usernameFile and passwordFile) credentials;
   * caFile is used only if the file exists.
   */
  auth?: AgentFhirBearerAuth | AgentFhirBasicAuth;
}

export interface AgentFhirBearerAuth {
  tokenFile: string;
  caFile: string;
}

export interface AgentFhirBasicAuth {
  usernameFile: string;
  passwordFile: string;
  caFile: string;
}

export interface AgentConfigOptions {
  /** NATS URL the collectors publish to. */
  natsUrl: string;
  /** Id of the collector's current signing key. */
  signingKeyId: string;
  /**
   * Keys of the profile's copy of the NATS client Secret (--nats-secret, see
   * bus.ts); they become bus.caFile etc. Absent: bus.url only.
   */
  busKeys?: readonly string[];
}

/** A Secret data key the agent reads, as mounted at secretFile(secret, key). */
export interface SecretKeyRef {
  secret: string;
  key: string;
}

/** The first 16 hex digits of SHA-256 of `text`. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

/** Mode deployment: the pod of `shards` serving the device, by a stable hash of its name. */
export function shardOf(deviceName: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash("sha256").update(deviceName, "utf8").digest().readUInt32BE(0) % shards;
}

function ref(secret: string, key: string): SecretKeyRef {
  return { secret, key };
}

// Which Secret keys each protocol reads (the CRD's defaults for `keys`).
function snmpRefs(spec: DeviceSpec): Partial<Record<keyof AgentSnmp["credentials"], SecretKeyRef>> {
  const s = spec.snmp;
  if (!s) return {};
  const name = s.credentialsSecretRef.name;
  const keys = s.credentialsSecretRef.keys ?? {};
  if ((s.version ?? "v2c") !== "v3")
    return { communityFile: ref(name, keys.community ?? "community") };
  const level = s.v3?.securityLevel ?? "authPriv";
  return {
    usernameFile: ref(name, keys.username ?? "username"),
    ...(level !== "noAuthNoPriv" && { authKeyFile: ref(name, keys.authKey ?? "authKey") }),
    ...(level === "authPriv" && { privKeyFile: ref(name, keys.privKey ?? "privKey") }),
  };
}

function mqttRefs(spec: DeviceSpec) {
  const m = spec.mqtt;
  const c = m?.credentialsSecretRef;
  const t = m?.tlsSecretRef;
  return {
    credentials: c && {
      usernameFile: ref(c.name, c.keys?.username ?? "username"),
      passwordFile: ref(c.name, c.keys?.password ?? "password"),
    },
    tls: t && {
      caFile: ref(t.name, t.keys?.ca ?? "ca.crt"),
      certFile: ref(t.name, t.keys?.cert ?? "tls.crt"),
      keyFile: ref(t.name, t.keys?.key ?? "tls.key"),
    },
  };
}

function fhirRefs(
  spec: DeviceSpec,
): Partial<Record<keyof AgentFhirBearerAuth | keyof AgentFhirBasicAuth, SecretKeyRef>> | undefined {
  const a = spec.fhir?.authSecretRef;
  if (!a) return undefined;
  const caFile = ref(a.name, a.keys?.ca ?? "ca.crt");
  return (a.scheme ?? "bearer") === "basic"
    ? {
        usernameFile: ref(a.name, a.keys?.username ?? "username"),
        passwordFile: ref(a.name, a.keys?.password ?? "password"),
        caFile,
      }
    : { tokenFile: ref(a.name, a.keys?.token ?? "token"), caFile };
}

/** Every Secret key a Device's collector reads, in protocol order. */
export function deviceSecretRefs(device: Device): SecretKeyRef[] {
  const spec = device.spec;
  const m = mqttRefs(spec);
  return [
    ...Object.values(snmpRefs(spec)),
    ...Object.values(m.credentials ?? {}),
    ...Object.values(m.tls ?? {}),
    ...Object.values(fhirRefs(spec) ?? {}),
  ];
}

/** The distinct Secret keys the Devices' collector reads, sorted by secret, then key. */
export function referencedSecretKeys(devices: readonly Device[]): SecretKeyRef[] {
  const seen = new Map<string, SecretKeyRef>();
  for (const d of devices)
    for (const r of deviceSecretRefs(d)) seen.set(`${r.secret}\u0000${r.key}`, r);
  return [...seen.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, r]) => r);
}

function files<K extends string>(refs: Partial<Record<K, SecretKeyRef>>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [k, r] of Object.entries(refs) as [K, SecretKeyRef | undefined][]) {
    if (r) out[k] = secretFile(r.secret, r.key);
  }
  return out;
}

function withUnit<T extends object>(o: T, unit: string | undefined): T & { unit?: string } {
  return unit === undefined ? o : { ...o, unit };
}

function agentDevice(s: ProfileSettings, d: Device): AgentDevice {
  const spec = d.spec;
  const namespace = d.metadata.namespace ?? s.namespace;
  const name = d.metadata.name ?? "";
  const out: AgentDevice = {
    namespace,
    name,
    address: spec.address,
    type: spec.type,
    subject: telemetrySubject(namespace, name),
  };
  // The label marks a simulator (the demo, a lab); its Status says SIMULATED.
  if (d.metadata.labels?.[SIMULATED_LABEL] === "true") out.simulated = true;
  if (s.mode === "deployment") out.shard = shardOf(name, s.replicas);
  if (s.mode === "daemonset" && spec.placement) {
    out.placement = spec.placement.nodeName
      ? { nodeName: spec.placement.nodeName }
      : { nodeSelector: sortKeys(spec.placement.nodeSelector ?? {}) };
  }
  if (spec.snmp) {
    const x = spec.snmp;
    const version = x.version ?? "v2c";
    out.snmp = {
      version,
      port: x.port ?? 161,
      intervalSeconds: x.intervalSeconds ?? s.intervals.snmp,
      timeoutSeconds: x.timeoutSeconds ?? 5,
      profiles: [...(x.profiles ?? ["system"])],
      oids: (x.oids ?? []).map((o) =>
        withUnit({ name: o.name, oid: o.oid, type: o.type ?? "gauge" }, o.unit),
      ),
      tables: (x.tables ?? []).map((t) => ({
        name: t.name,
        baseOid: t.baseOid,
        columns: t.columns.map((c) =>
          withUnit({ name: c.name, column: c.column, type: c.type ?? "gauge" }, c.unit),
        ),
      })),
      ...(version === "v3" && {
        v3: {
          securityLevel: x.v3?.securityLevel ?? "authPriv",
          authProtocol: x.v3?.authProtocol ?? "SHA",
          privProtocol: x.v3?.privProtocol ?? "AES",
          ...(x.v3?.contextName !== undefined && { contextName: x.v3.contextName }),
        },
      }),
      credentials: files(snmpRefs(spec)),
    };
  }
  if (spec.modbus) {
    const x = spec.modbus;
    out.modbus = {
      port: x.port ?? 502,
      unitId: x.unitId ?? 1,
      intervalSeconds: x.intervalSeconds ?? s.intervals.modbus,
      timeoutSeconds: x.timeoutSeconds ?? 3,
      registers: (x.registers ?? []).map((r) =>
        withUnit(
          {
            name: r.name,
            table: r.table,
            address: r.address,
            type: r.type,
            byteOrder: r.byteOrder ?? "big",
            wordOrder: r.wordOrder ?? "big",
            scale: r.scale ?? 1,
            offset: r.offset ?? 0,
          },
          r.unit,
        ),
      ),
    };
  }
  if (spec.mqtt) {
    const x = spec.mqtt;
    const refs = mqttRefs(spec);
    out.mqtt = {
      brokerUrl: x.brokerUrl,
      topics: [...x.topics],
      payload: x.payload ?? "json",
      qos: x.qos ?? 1,
      mappings: (x.mappings ?? []).map((m) =>
        withUnit({ topic: m.topic, jsonPath: m.jsonPath, metric: m.metric }, m.unit),
      ),
      ...(refs.credentials && { credentials: files(refs.credentials) }),
      ...(refs.tls && { tls: files(refs.tls) }),
    };
  }
  if (spec.syslog) {
    out.syslog = { sourceAddresses: [...(spec.syslog.sourceAddresses ?? [spec.address])] };
  }
  if (spec.hl7) {
    const x = spec.hl7;
    out.hl7 = {
      ...(x.sendingFacility !== undefined && { sendingFacility: x.sendingFacility }),
      ...(x.sendingApplication !== undefined && { sendingApplication: x.sendingApplication }),
      sourceAddresses: [...(x.sourceAddresses ?? [spec.address])],
    };
  }
  if (spec.fhir) {
    const x = spec.fhir;
    const auth = fhirRefs(spec);
    out.fhir = {
      baseUrl: x.baseUrl,
      resources: [...(x.resources ?? ["Observation", "DeviceMetric"])],
      deviceIdentifier: x.deviceIdentifier ?? name,
      intervalSeconds: x.intervalSeconds ?? s.intervals.fhir,
      ...(auth && { auth: files(auth) as AgentFhirBearerAuth | AgentFhirBasicAuth }),
    };
  }
  if (spec.flows) out.flows = { exporterAddress: spec.flows.exporterAddress ?? spec.address };
  return out;
}

/** The configuration object (settings already checked by profileSettings()). */
export function buildAgentConfig(
  s: ProfileSettings,
  devices: readonly Device[],
  opts: AgentConfigOptions,
): AgentConfig {
  const sorted = [...devices].sort((a, b) =>
    compareStrings(
      `${a.metadata.namespace ?? ""}/${a.metadata.name ?? ""}`,
      `${b.metadata.namespace ?? ""}/${b.metadata.name ?? ""}`,
    ),
  );
  return {
    apiVersion: AGENT_CONFIG_API_VERSION,
    kind: AGENT_CONFIG_KIND,
    collector: {
      namespace: s.namespace,
      profile: s.name,
      mode: s.mode,
      shards: s.mode === "deployment" ? s.replicas : 1,
    },
    producer: {
      id: producerId(s.namespace, s.name),
      keyId: opts.signingKeyId,
      keyFile: SIGNING_KEY_FILE,
    },
    bus: {
      url: opts.natsUrl,
      stream: TELEMETRY_STREAM,
      ...(opts.busKeys && busFiles(s.name, opts.busKeys)),
    },
    batching: { maxEvents: s.batching.maxEvents, maxDelayMs: s.batching.maxDelayMs },
    outbox: { dir: OUTBOX_DIR, maxBytes: s.bufferBytes },
    listeners: {
      syslog: s.listeners.syslog,
      hl7: s.listeners.hl7,
      flows: s.listeners.flows,
      snmpTraps: s.listeners.snmpTraps,
    },
    intervals: { snmp: s.intervals.snmp, modbus: s.intervals.modbus, fhir: s.intervals.fhir },
    ops: { port: OPS_PORT },
    ...(s.capture && { capture: s.capture }),
    devices: sorted.map((d) => agentDevice(s, d)),
  };
}

/** The YAML text of a configuration (keys in the order built, no line folding). */
export function agentConfigYaml(config: AgentConfig): string {
  const doc = new Document(config);
  doc.commentBefore = ` ${CONFIG_FILE}: rendered by the AMOSKYS operator from CollectorProfile ${config.collector.namespace}/${config.collector.profile}. Do not edit.`;
  return doc.toString({ lineWidth: 0 });
}

/**
 * agent.yaml for `profile` and the Devices it serves. Throws InvalidSpecError
 * (every ConfigError of the profile) when the profile cannot be rendered.
 */
export function renderAgentConfig(
  profile: CollectorProfile,
  devices: readonly Device[],
  opts: AgentConfigOptions,
): string {
  const settings = profileSettings(profile);
  return agentConfigYaml(buildAgentConfig(settings, devices, opts));
}
