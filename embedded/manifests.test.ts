// `amoskys up` refuses bad manifests with the apiserver's own words. Each bad
// object below is also sent to a real kube-apiserver (startEnv({kube:true})
// with the CRDs installed, strict field validation as kubectl sends it) and
// the two messages must be the same: the apiserver is the answer key.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import { GROUP, kindInfo, kinds, loadCrds, type OpenApiSchema, VERSION } from "../crds/index.ts";
import { eventually } from "../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { compileRules } from "./cel.ts";
import {
  checkObject,
  EMBEDDED_KINDS,
  type EmbeddedKind,
  loadManifests,
  loadSchemas,
  type Schemas,
} from "./manifests.ts";
import { ALIAS_BOMB } from "./testdata.ts";

const device = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "amoskys.io/v1alpha1",
  kind: "Device",
  metadata: { name },
  spec: { address: "127.0.0.1", type: "endpoint", syslog: {}, ...spec },
});

// A Required, Unsupported, Too long, Too many or type problem keeps the apiserver
// from running the CEL rules, and it adds this cause.
const CEL_NOTE =
  ", <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]";

/** Bad objects, each with the message we expect (checked against the apiserver below). */
const cases: { name: string; doc: Record<string, unknown>; message: string }[] = [
  {
    name: "a port above the maximum",
    doc: device("port", {
      syslog: undefined,
      snmp: { port: 70000, credentialsSecretRef: { name: "s" } },
    }),
    message:
      'Device.amoskys.io "port" is invalid: spec.snmp.port: Invalid value: 70000: spec.snmp.port in body should be less than or equal to 65535',
  },
  {
    name: "a value outside the enum",
    doc: device("enum", { type: "toaster" }),
    message:
      'Device.amoskys.io "enum" is invalid: [spec.type: Unsupported value: "toaster": supported values: "iot", "ot", "medical", "network", "endpoint"' +
      CEL_NOTE,
  },
  {
    name: "a missing required field",
    doc: {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "Device",
      metadata: { name: "required" },
      spec: { type: "endpoint", syslog: {} },
    },
    message: `Device.amoskys.io "required" is invalid: [spec.address: Required value${CEL_NOTE}`,
  },
  {
    name: "a wrong type",
    doc: device("type", { syslog: undefined, modbus: { port: "five-o-two", registers: [] } }),
    message:
      'Device.amoskys.io "type" is invalid: [spec.modbus.port: Invalid value: "string": spec.modbus.port in body must be of type integer: "string"' +
      CEL_NOTE,
  },
  {
    name: "an unknown field (a typo)",
    doc: device("typo", { adress: "127.0.0.2" }),
    message:
      'Device in version "v1alpha1" cannot be handled as a Device: strict decoding error: unknown field "spec.adress"',
  },
  {
    name: "an unknown field in a Kubernetes type (affinity is core/v1 Affinity, not free-form)",
    doc: {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "CollectorProfile",
      metadata: { name: "typo" },
      spec: { deviceSelector: {}, affinity: { nodeAfinity: {} } },
    },
    message:
      'CollectorProfile in version "v1alpha1" cannot be handled as a CollectorProfile: strict decoding error: unknown field "spec.affinity.nodeAfinity"',
  },
  {
    name: "two problems at once",
    doc: {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "DetectionRule",
      metadata: { name: "two" },
      spec: {
        type: "threshold",
        severity: "urgent",
        selector: { sources: ["syslog"] },
        threshold: { count: 0 },
      },
    },
    message:
      'DetectionRule.amoskys.io "two" is invalid: [spec.threshold.count: Invalid value: 0: spec.threshold.count in body should be greater than or equal to 1, spec.severity: Unsupported value: "urgent": supported values: "info", "low", "medium", "high", "critical"' +
      CEL_NOTE,
  },
  {
    name: "a duplicate in a set",
    doc: device("dup", {
      syslog: undefined,
      mqtt: { brokerUrl: "mqtt://broker.example", topics: ["plant/#", "plant/#"] },
    }),
    message: 'Device.amoskys.io "dup" is invalid: spec.mqtt.topics[1]: Duplicate value: "plant/#"',
  },
  {
    name: "a bad object name",
    doc: device("Not_A_Name", {}),
    message:
      "Device.amoskys.io \"Not_A_Name\" is invalid: metadata.name: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
];

const API = "amoskys.io/v1alpha1";
const profile = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: API,
  kind: "CollectorProfile",
  metadata: { name },
  spec: { deviceSelector: {}, ...spec },
});
const detection = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: API,
  kind: "DetectionRule",
  metadata: { name },
  spec: { severity: "high", ...spec },
});
const syslogSelector = { sources: ["syslog"] };
const mqtt = { brokerUrl: "mqtt://broker.example", topics: ["plant/#"] };
const register = (table: string, type: string, address = 1) => ({
  syslog: undefined,
  modbus: { registers: [{ name: "r", table, address, type }] },
});

type Case = { name: string; doc: Record<string, unknown>; message: string };
/** [name, spec, message after `is invalid: `] → a case of `make`'s kind. */
function casesOf(
  kind: string,
  make: (name: string, spec: Record<string, unknown>) => Record<string, unknown>,
  rows: [string, Record<string, unknown>, string][],
): Case[] {
  return rows.map(([n, spec, m]) => ({
    name: `${kind} ${n}`,
    doc: make(`cel-${n}`, spec),
    message: `${kind}.amoskys.io "cel-${n}" is invalid: ${m}`,
  }));
}

/** A pod affinity term at `at` (e.g. podAffinity.required) whose `selector` has In without values. */
function podTermCase(
  affinity: "podAffinity" | "podAntiAffinity",
  preferred: boolean,
  selector: "labelSelector" | "namespaceSelector",
): [string, Record<string, unknown>, string] {
  const term = {
    topologyKey: "kubernetes.io/hostname",
    [selector]: { matchExpressions: [{ key: "app", operator: "In" }] },
  };
  const list = preferred
    ? "preferredDuringSchedulingIgnoredDuringExecution"
    : "requiredDuringSchedulingIgnoredDuringExecution";
  const item = preferred ? { weight: 1, podAffinityTerm: term } : term;
  const path = `spec.affinity.${affinity}.${list}[0]${preferred ? ".podAffinityTerm" : ""}.${selector}`;
  return [
    `${affinity.toLowerCase()}-${preferred ? "preferred" : "required"}-${selector.slice(0, -"Selector".length)}`,
    { affinity: { [affinity]: { [list]: [item] } } },
    `${path}.matchExpressions[0].values: Invalid value: operators In and NotIn need values; Exists and DoesNotExist take none`,
  ];
}

/**
 * One bad object per CEL rule of the CRDs (x-kubernetes-validations), each
 * with the apiserver's message for it: every rule is covered (checked below).
 */
const celCases: Case[] = [
  ...casesOf("Device", device, [
    [
      "no-protocol",
      { syslog: undefined },
      "spec: Invalid value: at least one protocol block (snmp, modbus, mqtt, syslog, hl7, fhir, flows) must be set",
    ],
    [
      "address-port",
      { address: "plc-1:502" },
      'spec.address: Invalid value: "plc-1:502": address must be an IP address or a lowercase DNS name, without a port',
    ],
    [
      "snmp-v3",
      { syslog: undefined, snmp: { version: "v3", credentialsSecretRef: { name: "s" } } },
      "spec.snmp.v3: Required value: version v3 needs the v3 block (securityLevel, authProtocol, privProtocol)",
    ],
    [
      "snmp-v3-block",
      { syslog: undefined, snmp: { credentialsSecretRef: { name: "s" }, v3: {} } },
      "spec.snmp.v3: Forbidden: the v3 block is only valid with version v3",
    ],
    [
      "bool-holding",
      register("holding", "bool"),
      "spec.modbus.registers[0].type: Invalid value: type bool is only valid for coil and discrete tables; holding and input registers are 16-bit words (use int16 or uint16)",
    ],
    [
      "int16-coil",
      register("coil", "int16"),
      "spec.modbus.registers[0].type: Invalid value: coil and discrete tables hold single bits: type must be bool (16- and 32-bit types need holding or input)",
    ],
    [
      "float32-last",
      register("input", "float32", 65535),
      "spec.modbus.registers[0].address: Invalid value: a 32-bit value spans two registers, so address must be at most 65534",
    ],
    [
      "writers",
      { syslog: undefined, modbus: { allowedWriters: ["10.0.0.0/33"] } },
      'spec.modbus.allowedWriters[0]: Invalid value: "10.0.0.0/33": each allowedWriters entry must be an IP address or a CIDR',
    ],
    [
      "mappings",
      {
        syslog: undefined,
        mqtt: {
          ...mqtt,
          payload: "sparkplugB",
          mappings: [{ topic: "t", jsonPath: "$.v", metric: "m" }],
        },
      },
      "spec.mqtt.mappings: Forbidden: mappings only apply to payload json; Sparkplug B payloads name their metrics themselves",
    ],
    [
      "mqtt-tls",
      { syslog: undefined, mqtt: { ...mqtt, tlsSecretRef: { name: "tls" } } },
      "spec.mqtt.tlsSecretRef: Forbidden: tlsSecretRef needs an mqtts:// brokerUrl",
    ],
    [
      "broker-user",
      { syslog: undefined, mqtt: { ...mqtt, brokerUrl: "mqtt://user@broker.example" } },
      'spec.mqtt.brokerUrl: Invalid value: "mqtt://user@broker.example": brokerUrl must be mqtt://host[:port] or mqtts://host[:port], without credentials or a path',
    ],
    [
      "syslog-cidr",
      { syslog: { sourceAddresses: ["10.0.0.1/32"] } },
      'spec.syslog.sourceAddresses[0]: Invalid value: "10.0.0.1/32": each sourceAddresses entry must be an IP address',
    ],
    [
      "hl7-mapped",
      { syslog: undefined, hl7: { sourceAddresses: ["::ffff:10.0.0.1"] } },
      'spec.hl7.sourceAddresses[0]: Invalid value: "::ffff:10.0.0.1": each sourceAddresses entry must be an IP address',
    ],
    [
      "fhir-http",
      { syslog: undefined, fhir: { baseUrl: "http://fhir.example/r4" } },
      'spec.fhir.baseUrl: Invalid value: "http://fhir.example/r4": baseUrl must be an https:// URL (http:// only for loopback)',
    ],
    [
      "fhir-keys",
      {
        syslog: undefined,
        fhir: {
          baseUrl: "https://fhir.example/r4",
          authSecretRef: { name: "a", keys: { username: "u" } },
        },
      },
      "spec.fhir.authSecretRef: Invalid value: keys.username and keys.password are only valid with scheme basic",
    ],
    [
      "exporter-name",
      { syslog: undefined, flows: { exporterAddress: "router-1" } },
      'spec.flows.exporterAddress: Invalid value: "router-1": exporterAddress must be an IP address',
    ],
    [
      "placement",
      { placement: { nodeName: "edge-1", nodeSelector: { site: "a" } } },
      "spec.placement: Invalid value: set either placement.nodeName or placement.nodeSelector, not both",
    ],
  ]),
  ...casesOf("CollectorProfile", profile, [
    [
      "replicas",
      { mode: "daemonset", replicas: 2 },
      "spec.replicas: Forbidden: replicas is only valid with mode deployment; a daemonset runs one collector per matching node",
    ],
    [
      "capture",
      { capture: { interface: "eth1" } },
      "spec.capture: Forbidden: capture is only valid with mode daemonset; it reads an interface of the node the collector runs on",
    ],
    [
      "in-no-values",
      { deviceSelector: { matchExpressions: [{ key: "site", operator: "In" }] } },
      "spec.deviceSelector.matchExpressions[0].values: Invalid value: operators In and NotIn need values; Exists and DoesNotExist take none",
    ],
    [
      "buffer",
      { bufferBytes: "512Ki" },
      'spec.bufferBytes: Invalid value: "512Ki": bufferBytes must be at least 1Mi (1048576 bytes)',
    ],
    [
      "request-name",
      { resources: { requests: { gpu: "1" } } },
      "spec.resources.requests: Invalid value: resource names must be cpu, memory or ephemeral-storage",
    ],
    [
      "request-amount",
      { resources: { requests: { cpu: "lots" } } },
      "spec.resources.requests: Invalid value: resource amounts must be quantities, e.g. 100m, 0.5, 128Mi, 1Gi",
    ],
    [
      "limit-name",
      { resources: { limits: { gpu: "1" } } },
      "spec.resources.limits: Invalid value: resource names must be cpu, memory or ephemeral-storage",
    ],
    [
      "limit-amount",
      { resources: { limits: { memory: "1GB" } } },
      "spec.resources.limits: Invalid value: resource amounts must be quantities, e.g. 100m, 0.5, 128Mi, 1Gi",
    ],
    [
      "node-gt",
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "rack", operator: "Gt", values: ["1", "2"] }] },
              ],
            },
          },
        },
      },
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: operators In and NotIn need values, Gt and Lt exactly one integer; Exists and DoesNotExist take none",
    ],
    [
      "node-exists-values",
      {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                preference: {
                  matchExpressions: [{ key: "ssd", operator: "Exists", values: ["x"] }],
                },
              },
            ],
          },
        },
      },
      "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Invalid value: operators In and NotIn need values, Gt and Lt exactly one integer; Exists and DoesNotExist take none",
    ],
    ...(["podAffinity", "podAntiAffinity"] as const).flatMap((a) =>
      [false, true].flatMap((preferred) =>
        (["labelSelector", "namespaceSelector"] as const).map((sel) =>
          podTermCase(a, preferred, sel),
        ),
      ),
    ),
    [
      "pod-annotations",
      { podAnnotations: { "amoskys.io/config-hash": "0" } },
      "spec.podAnnotations: Invalid value: podAnnotations cannot set the operator's own annotations (prefix amoskys.io/, kubectl.kubernetes.io/default-container)",
    ],
  ]),
  ...casesOf("DetectionRule", detection, [
    [
      "no-threshold",
      { type: "threshold", selector: syslogSelector },
      "spec.threshold: Invalid value: type threshold needs spec.threshold, and spec.threshold is only valid with type threshold",
    ],
    [
      "no-distinct",
      { type: "distinct", selector: syslogSelector },
      "spec.distinct: Invalid value: type distinct needs spec.distinct, and spec.distinct is only valid with type distinct",
    ],
    [
      "no-sequence",
      { type: "sequence" },
      "spec.sequence: Invalid value: type sequence needs spec.sequence, and spec.sequence is only valid with type sequence",
    ],
    [
      "no-anomaly",
      { type: "anomaly", selector: syslogSelector },
      "spec.anomaly: Invalid value: type anomaly needs spec.anomaly, and spec.anomaly is only valid with type anomaly",
    ],
    [
      "no-posture",
      { type: "posture" },
      "spec.posture: Invalid value: type posture needs spec.posture, and spec.posture is only valid with type posture",
    ],
    [
      "no-selector",
      { type: "match" },
      "spec.selector: Required value: types match, threshold, distinct and anomaly need a selector",
    ],
    [
      "in-no-values",
      { type: "match", selector: { where: [{ field: "src", op: "in" }] } },
      "spec.selector.where[0].values: Invalid value: ops in and notIn need exactly one of values and valuesFromDevice; other ops take neither",
    ],
    [
      "eq-no-value",
      { type: "match", selector: { where: [{ field: "src", op: "eq" }] } },
      "spec.selector.where[0].value: Invalid value: ops eq, ne, matches, gt and lt need value; in, notIn and exists take none",
    ],
    [
      "gt-word",
      { type: "match", selector: { where: [{ field: "n", op: "gt", value: "high" }] } },
      "spec.selector.where[0].value: Invalid value: ops gt and lt compare numbers, so value must be a decimal number such as 42 or -1.5",
    ],
    [
      "one-step",
      { type: "sequence", sequence: { steps: [{}] } },
      "spec.sequence.steps: Invalid value: a sequence needs at least 2 steps",
    ],
    [
      "step-both",
      {
        type: "sequence",
        sequence: {
          steps: [
            {
              where: [{ field: "a", op: "notIn", values: ["x"], valuesFromDevice: "spec.address" }],
            },
            {},
          ],
        },
      },
      "spec.sequence.steps[0].where[0].values: Invalid value: ops in and notIn need exactly one of values and valuesFromDevice; other ops take neither",
    ],
    [
      "step-exists-value",
      {
        type: "sequence",
        sequence: { steps: [{}, { where: [{ field: "a", op: "exists", value: "x" }] }] },
      },
      "spec.sequence.steps[1].where[0].value: Invalid value: ops eq, ne, matches, gt and lt need value; in, notIn and exists take none",
    ],
    [
      "step-lt-word",
      {
        type: "sequence",
        sequence: { steps: [{}, { where: [{ field: "a", op: "lt", value: "1e3" }] }] },
      },
      "spec.sequence.steps[1].where[0].value: Invalid value: ops gt and lt compare numbers, so value must be a decimal number such as 42 or -1.5",
    ],
    [
      "novelty-metric",
      { type: "anomaly", selector: syslogSelector, anomaly: { model: "novelty", metric: "m" } },
      "spec.anomaly: Invalid value: model baseline needs metric (and no field); model novelty needs field (and no metric)",
    ],
    [
      "webhook-http",
      {
        type: "match",
        selector: syslogSelector,
        responses: { webhook: { url: "http://hooks.example/x" } },
      },
      'spec.responses.webhook.url: Invalid value: "http://hooks.example/x": url must be an https:// URL (http:// only for loopback)',
    ],
  ]),
];

/** Objects every rule accepts (each rule's other branch), for both checks. */
const goodObjects: Record<string, unknown>[] = [
  device("good-all-blocks", {
    address: "plc-1.site.example",
    type: "ot",
    snmp: { version: "v3", v3: { securityLevel: "authPriv" }, credentialsSecretRef: { name: "s" } },
    modbus: {
      registers: [
        { name: "temp", table: "holding", address: 65534, type: "int32" },
        { name: "run", table: "coil", address: 65535, type: "bool" },
        { name: "level", table: "input", address: 65535, type: "uint16" },
      ],
      allowedWriters: ["10.0.0.0/8", "fd00::1", "192.168.1.7"],
    },
    mqtt: {
      brokerUrl: "mqtts://broker.example:8883",
      topics: ["plant/#"],
      tlsSecretRef: { name: "tls" },
      mappings: [{ topic: "plant/t", jsonPath: "$.value", metric: "temp" }],
    },
    syslog: { sourceAddresses: ["10.0.0.1", "::1"] },
    hl7: { sourceAddresses: ["2001:db8::7"] },
    fhir: {
      baseUrl: "https://fhir.hospital.example/r4?_format=json",
      authSecretRef: { name: "a", scheme: "basic", keys: { username: "u", password: "p" } },
    },
    flows: { exporterAddress: "10.0.0.254" },
    placement: { nodeName: "edge-1" },
  }),
  device("good-loopback", {
    address: "::1",
    syslog: undefined,
    fhir: { baseUrl: "http://127.0.0.1:8080/r4" },
    mqtt: { brokerUrl: "mqtt://[::1]:1883", topics: ["a"], payload: "sparkplugB" },
  }),
  device("good-localhost", { syslog: undefined, fhir: { baseUrl: "http://localhost/" } }),
  device("good-v6-loopback", { syslog: undefined, fhir: { baseUrl: "http://[::1]:9443" } }),
  profile("good-daemonset", {
    mode: "daemonset",
    capture: { interface: "eth1" },
    bufferBytes: 1048576,
    resources: {
      requests: { cpu: "0.5", memory: "128Mi" },
      limits: { "ephemeral-storage": "1Gi" },
    },
    deviceSelector: {
      matchExpressions: [
        { key: "site", operator: "In", values: ["a"] },
        { key: "zone", operator: "Exists" },
      ],
    },
  }),
  profile("good-deployment", { replicas: 2, bufferBytes: "1.5Gi" }),
  profile("good-scheduling", {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "zone", operator: "In", values: ["a", "b"] },
                { key: "rack", operator: "Lt", values: ["-3"] },
                { key: "gpu", operator: "DoesNotExist" },
              ],
              matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["node-9"] }],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] } },
        ],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { app: "broker" } },
            namespaceSelector: {},
            topologyKey: "topology.kubernetes.io/zone",
          },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: {
              labelSelector: {
                matchExpressions: [{ key: "amoskys.io/profile", operator: "In", values: ["p"] }],
              },
              namespaces: ["default"],
              topologyKey: "kubernetes.io/hostname",
              matchLabelKeys: ["pod-template-hash"],
            },
          },
        ],
      },
    },
    priorityClassName: "collectors",
    imagePullSecrets: [{ name: "pull" }],
    podLabels: { team: "ot" },
    podAnnotations: { "example.com/owner": "plant", "sub.amoskys.io/x": "y" },
  }),
  profile("good-buffer-exact", { bufferBytes: "1Mi" }),
  // Quantities are rounded up to 10^-9: this one is 1Mi to the apiserver.
  profile("good-buffer-rounded", { bufferBytes: "1048575.9999999999" }),
  detection("good-threshold", {
    type: "threshold",
    threshold: { count: 5 },
    selector: {
      sources: ["syslog"],
      where: [
        { field: "n", op: "gt", value: "-1.5" },
        { field: "src", op: "in", values: ["a"] },
        { field: "dst", op: "notIn", valuesFromDevice: "spec.address" },
        { field: "k", op: "exists" },
      ],
    },
    responses: { webhook: { url: "https://hooks.example/amoskys" } },
  }),
  detection("good-sequence", {
    type: "sequence",
    sequence: {
      steps: [{ where: [{ field: "a", op: "eq", value: "x" }] }, { sources: ["syslog"] }],
    },
    responses: { webhook: { url: "http://127.0.0.1:9000/hook" } },
  }),
  detection("good-distinct", {
    type: "distinct",
    selector: syslogSelector,
    distinct: { field: "dst", count: 3 },
  }),
  detection("good-anomaly", {
    type: "anomaly",
    selector: syslogSelector,
    anomaly: { model: "novelty", field: "dst" },
  }),
  detection("good-baseline", {
    type: "anomaly",
    selector: syslogSelector,
    anomaly: { metric: "temp" },
  }),
  detection("good-posture", { type: "posture", posture: { kind: "telnet.open" } }),
];

/**
 * Values where the Kubernetes library functions are easy to get wrong
 * (netip, url.ParseRequestURI, resource.Quantity, RE2 against JavaScript's
 * RegExp): each object is judged by both, and the answers must be the same.
 */
const edgeValues = {
  writers: [
    "1.2.3.4",
    "01.2.3.4",
    "1.2.3.256",
    "1.2.3",
    "1.2.3.4.5",
    "::ffff:1.2.3.4",
    "fe80::1%eth0",
    "::1",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "12345::",
    "0:0:0:0:0:0:0:00000",
    "::1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::",
    ":::",
    "1.2.3.4/0",
    "1.2.3.4/32",
    "1.2.3.4/33",
    "1.2.3.4/024",
    "::/128",
    "::/129",
    "::ffff:1.2.3.0/120",
    "fe80::%eth0/64",
    "1.2.3.4/",
    "1.2.3.4/+8",
    " 1.2.3.4",
    "FD00::ABCD",
    "1.2.3.4/8",
    "%eth0",
  ],
  urls: [
    "https://h/r4",
    "https://h:443/r4",
    "https://h:1:2/",
    "https://[::1]:8443/x",
    "https://[1.2.3.4]/",
    "https://x[::1]/",
    "https://h/%zz",
    "https://h/%41",
    "https://h#frag",
    "https://h/p#frag",
    "https://u:p@h/",
    "https://u p@h/",
    "https:opaque",
    "https://h/ a",
    "https://ho st/",
    "https://h%41/",
    "https://h%C3%A9/",
    "https://[fe80::1%25en0]/",
    "https://[fe80::1%25%41]/",
    "https://h?x",
    "https://[::1",
    "https://h:x/",
    "https://",
    "https:///p",
    "https://h\\x",
    "https://h|x/",
    "https://ü.example/",
    "https://h/\u007f",
    "http://127.0.0.1",
    "http://127.0.0.1.evil.example/",
    "http://localhost.evil/",
    "http://[::1]x/",
    "HTTPS://h/",
    "https://h/?",
  ],
  buffers: [
    "1Mi",
    "1048576",
    1048576,
    1048575,
    "1048575.9999999999",
    "1048575.999999999",
    "1e6",
    "2e6",
    "1024Ki",
    "1023Ki",
    "0.001Gi",
    "+1Gi",
    "-1Gi",
    "1.5Mi",
    "1Gi",
    "999999999999999999999",
    "1e100",
    "1E6",
    "1Zi",
    "1e1.5",
    ".5Gi",
    "1.Mi",
    "1e-3",
    "1048576000m",
    "1048575999m",
    "1048576000000n",
    "0.0009765625Gi",
  ],
  amounts: ["100m", "1e3", "1.5.5", "-1Gi", ".5", "+", ".", "", "1ki", "1KI", "0x10", "1 Gi", "９"],
  brokers: [
    "mqtt://h\u00a0x",
    "mqtt://h\u000bx",
    "mqtt://h\u2028x",
    "mqtt://h x",
    "mqtt://h\tx",
    "mqtts://h:8883",
    "mqtt://h/p",
    "mqtt://h?q",
    "mqtt://",
    "mqtt://h\u{1F600}",
    "MQTT://h",
  ],
  decimals: ["42", "-1.5", "1e3", "4 2", "٤٢", "1.", ".5", "--1", "1.5.5"],
  addresses: [
    "a..b",
    "-a",
    "a-",
    "A",
    "a_b",
    "xn--bcher-kva.example",
    "1.2.3",
    `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`,
    `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
  ],
};

/** The objects built from edgeValues, each named for the apiserver. */
function edgeObjects(): Record<string, unknown>[] {
  const v = edgeValues;
  const name = (k: string, i: number) => `edge-${k}-${i}`;
  return [
    ...v.writers.map((w, i) =>
      device(name("w", i), { syslog: undefined, modbus: { allowedWriters: [w] } }),
    ),
    ...v.urls.map((u, i) => device(name("u", i), { syslog: undefined, fhir: { baseUrl: u } })),
    ...v.buffers.map((b, i) => profile(name("b", i), { bufferBytes: b })),
    ...v.amounts.map((a, i) => profile(name("a", i), { resources: { limits: { memory: a } } })),
    ...v.brokers.map((b, i) =>
      device(name("m", i), { syslog: undefined, mqtt: { ...mqtt, brokerUrl: b } }),
    ),
    ...v.decimals.map((d, i) =>
      detection(name("d", i), {
        type: "match",
        selector: { where: [{ field: "n", op: "gt", value: d }] },
      }),
    ),
    ...v.addresses.map((a, i) => device(name("h", i), { address: a })),
  ];
}

type Rule = { rule: string; message?: string; fieldPath?: string };
type RuleSchema = OpenApiSchema & { "x-kubernetes-validations"?: Rule[] };

/** Every rule of a kind's spec, with a pattern of the field paths its failures are reported at. */
function rulesOf(schema: RuleSchema, path = "spec"): { where: string; rule: Rule; at: RegExp }[] {
  const out: { where: string; rule: Rule; at: RegExp }[] = [];
  const esc = (p: string) => p.replace(/[.[\]]/g, "\\$&").replace(/\\\[\\\]/g, "\\[\\d+\\]");
  for (const rule of schema["x-kubernetes-validations"] ?? [])
    out.push({ where: path, rule, at: new RegExp(`^${esc(path + (rule.fieldPath ?? ""))}: `) });
  for (const [k, p] of Object.entries(schema.properties ?? {}))
    out.push(...rulesOf(p as RuleSchema, `${path}.${k}`));
  if (schema.items) out.push(...rulesOf(schema.items as RuleSchema, `${path}[]`));
  return out;
}

/** JSON round trip: drops the `undefined` used above to remove a field. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let schemas: Schemas;
before(async () => {
  schemas = await loadSchemas();
});

describe("manifest checks (offline)", () => {
  for (const c of cases) {
    it(`refuses ${c.name} with the apiserver's message`, () => {
      const r = checkObject(schemas, plain(c.doc));
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.message, c.message);
    });
  }

  for (const c of celCases) {
    it(`refuses the CEL rule case ${c.name} with the apiserver's message`, () => {
      const r = checkObject(schemas, plain(c.doc));
      assert.equal(!r.ok && r.message, c.message);
    });
  }

  it("compiles every CEL rule of the CRDs", () => {
    for (const kind of EMBEDDED_KINDS) {
      const spec = schemas[kind].properties?.spec;
      assert.ok(spec);
      assert.deepEqual(compileRules(spec, kind).errors, [], kind);
    }
  });

  it("has a bad object for every CEL rule", () => {
    const uncovered: string[] = [];
    let rules = 0;
    for (const kind of EMBEDDED_KINDS) {
      for (const { where, rule, at } of rulesOf(schemas[kind].properties?.spec ?? {})) {
        rules++;
        const covered = celCases.some((c) => {
          const [lead, body = ""] = c.message.split(" is invalid: ");
          return (
            lead?.startsWith(`${kind}.`) &&
            at.test(body) &&
            body.endsWith(rule.message?.trim() ?? rule.rule)
          );
        });
        if (!covered) uncovered.push(`${kind} ${where}: ${rule.rule}`);
      }
    }
    assert.deepEqual(uncovered, []);
    assert.equal(rules, 51);
  });

  it("accepts objects every CEL rule allows", () => {
    for (const d of goodObjects) {
      const r = checkObject(schemas, plain(d));
      assert.equal(r.ok ? "(accepted)" : r.message, "(accepted)");
    }
  });

  it("applies the CRD defaults and the default namespace", () => {
    const r = checkObject(
      schemas,
      plain(device("ok", { snmp: { credentialsSecretRef: { name: "s" } } })),
    );
    assert.ok(r.ok);
    const d = r.object as { metadata: { namespace: string }; spec: Record<string, unknown> };
    assert.equal(d.metadata.namespace, "default");
    // Defaults written in crds/amoskys.io_devices.yaml.
    assert.equal(d.spec.criticality, "medium");
    assert.equal((d.spec.snmp as { port: number }).port, 161);
    assert.equal((d.spec.snmp as { version: string }).version, "v2c");
  });

  it("reports a bad object with its file and keeps the others", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amoskys-manifests-"));
    try {
      const docs = [
        device("good-1", {}),
        cases[0]?.doc,
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s" },
          stringData: { community: "x" },
        },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } },
      ];
      await writeFile(join(dir, "a.yaml"), docs.map((d) => stringify(plain(d))).join("---\n"));
      await writeFile(join(dir, "b.yml"), "kind: [unclosed\n");
      await writeFile(join(dir, "c.txt"), "not read");
      const m = await loadManifests([dir], schemas);
      assert.deepEqual(
        m.devices.map((d) => d.metadata.name),
        ["good-1"],
      );
      assert.deepEqual([...m.secrets.keys()], ["default/s"]);
      assert.equal(m.secrets.get("default/s")?.data.community?.toString(), "x");
      const byObject = m.problems.map((p) => [p.file.slice(dir.length + 1), p.object]);
      assert.deepEqual(byObject, [
        ["a.yaml", "Device default/port"],
        ["a.yaml", "ConfigMap default/c"],
        ["b.yml", "document 1"],
      ]);
      assert.equal(m.problems[0]?.message, cases[0]?.message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile manifest files", () => {
  it("refuses a YAML alias bomb's file with a clear error and reads the other files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amoskys-manifests-bomb-"));
    try {
      // The bomb's file also holds a good Device: nothing of that file is applied.
      await writeFile(
        join(dir, "a-bomb.yaml"),
        `${stringify(plain(device("in-bomb-file", {})))}---\n${ALIAS_BOMB}`,
      );
      await writeFile(join(dir, "b-good.yaml"), stringify(plain(device("good-2", {}))));
      // A few aliases are fine (YAML anchors are legitimate).
      await writeFile(
        join(dir, "c-anchors.yaml"),
        `apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: anchored, labels: &l {site: plant-1}, annotations: *l}
spec: {address: 127.0.0.3, type: endpoint, syslog: {}}
`,
      );
      const started = Date.now();
      const m = await loadManifests([dir], schemas);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      assert.deepEqual(
        m.devices.map((d) => d.metadata.name),
        ["good-2", "anchored"],
      );
      assert.deepEqual(
        m.problems.map((p) => [p.file.slice(dir.length + 1), p.object, p.message]),
        [
          [
            "a-bomb.yaml",
            "document 2",
            "refused, with the whole file: YAML aliases expand beyond 100 nodes (an alias bomb?); nothing of this file is applied",
          ],
        ],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the same manifests on a real kube-apiserver", () => {
  let env: EnvWith<{ kube: true }>;
  let custom: CustomObjectsApi;

  before(async () => {
    env = await startEnv({ kube: true });
    const kc = new KubeConfig();
    kc.loadFromFile(env.kube.kubeconfig);
    custom = kc.makeApiClient(CustomObjectsApi);
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "embedded" } } });
    for (const crd of await loadCrds()) await ext.createCustomResourceDefinition({ body: crd });
    await eventually(async () => {
      for (const { plural } of kinds) {
        const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
        const ok = crd.status?.conditions?.find((c) => c.type === "Established")?.status;
        assert.equal(ok, "True", `${plural} not established`);
      }
    });
  });
  after(() => env?.stop());

  /** What the apiserver says to a create with strict field validation (kubectl's default). */
  async function apiserverSays(
    doc: Record<string, unknown>,
  ): Promise<{ message: string; causes: string[] }> {
    const kind = doc.kind as EmbeddedKind;
    try {
      await custom.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: "embedded",
        plural: kindInfo(kind).plural,
        body: doc,
        fieldValidation: "Strict",
      });
    } catch (err) {
      const body = (err as { body?: unknown }).body;
      const parsed = (typeof body === "string" ? JSON.parse(body) : body) as {
        message?: string;
        details?: { causes?: { field?: string; message?: string }[] };
      };
      return {
        message: parsed.message ?? "",
        causes: (parsed.details?.causes ?? []).map((c) => `${c.field || "<nil>"}: ${c.message}`),
      };
    }
    return { message: "(accepted)", causes: [] };
  }

  /** Our answer in the apiserver's terms: "(accepted)", or its message and causes. */
  function oursSays(doc: Record<string, unknown>): { message: string; causes: string[] } {
    const r = checkObject(schemas, plain(doc));
    if (r.ok) return { message: "(accepted)", causes: [] };
    return { message: r.message, causes: (r.problems ?? []).map((p) => p.message) };
  }

  /** The same answer; with several causes, in any order (the apiserver's order is not part of its contract). */
  function assertSame(got: { message: string; causes: string[] }, doc: Record<string, unknown>) {
    const ours = oursSays(doc);
    if (ours.causes.length > 1) {
      assert.deepEqual([...got.causes].sort(), [...ours.causes].sort());
      assert.equal(got.message.length, ours.message.length);
    } else assert.equal(got.message, ours.message);
  }

  for (const c of cases) {
    it(`says the same about ${c.name}`, async () => {
      const got = await apiserverSays(plain(c.doc));
      assert.equal(oursSays(c.doc).message === "(accepted)", false);
      assertSame(got, c.doc);
      if (got.causes.length <= 1) assert.equal(got.message, c.message);
    });
  }

  it("refuses the bad object of each CEL rule with the expected message", async () => {
    const got = await Promise.all(celCases.map((c) => apiserverSays(plain(c.doc))));
    assert.deepEqual(
      got.map((g) => g.message),
      celCases.map((c) => c.message),
    );
  });

  it("accepts the good objects", async () => {
    const got = await Promise.all(goodObjects.map((d) => apiserverSays(plain(d))));
    assert.deepEqual(
      got.map((g) => g.message),
      goodObjects.map(() => "(accepted)"),
    );
  });

  it("judges the library functions' edge cases as we do", async () => {
    const docs = edgeObjects();
    const got = await Promise.all(docs.map((d) => apiserverSays(plain(d))));
    const differ = docs.flatMap((d, i) => {
      const theirs = got[i] as { message: string; causes: string[] };
      try {
        assertSame(theirs, d);
        return [];
      } catch {
        return [{ spec: d.spec, apiserver: theirs.message, ours: oursSays(d).message }];
      }
    });
    assert.deepEqual(differ, []);
    // Both refuse some and accept some of each group (the cases are not all one way).
    const accepted = got.filter((g) => g.message === "(accepted)").length;
    assert.ok(accepted > 20 && accepted < docs.length - 20, `accepted ${accepted}/${docs.length}`);
  });
});
