// The checks the CRD schema cannot make: each bad profile, its exact error.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CollectorProfile, CollectorProfileSpec, Device } from "../../crds/index.ts";
import { profileSettings, validateDevice, validateProfile } from "./validate.ts";

function profile(spec: Partial<CollectorProfileSpec>, name = "p"): CollectorProfile {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "CollectorProfile",
    metadata: { name, namespace: "ns", uid: "u" },
    spec: { deviceSelector: {}, ...spec },
  };
}

const problems = (p: CollectorProfile) => validateProfile(p).map((e) => e.message);

describe("validateProfile", () => {
  it("accepts the minimal profile and applies the CRD defaults", () => {
    assert.deepEqual(problems(profile({})), []);
    const s = profileSettings(profile({}), { defaultImage: "img" });
    assert.equal(s.mode, "deployment");
    assert.equal(s.replicas, 1);
    assert.equal(s.bufferBytes, 256 * 2 ** 20);
    assert.deepEqual(s.intervals, { snmp: 60, modbus: 10, fhir: 300 });
    assert.deepEqual(s.listeners, { syslog: 5514, hl7: 2575, flows: 2055, snmpTraps: 1162 });
    assert.deepEqual(s.batching, { maxEvents: 500, maxDelayMs: 1000 });
    assert.deepEqual(s.resources, {
      requests: { cpu: "50m", memory: "64Mi" },
      limits: { memory: "256Mi" },
    });
    assert.equal(s.image, "img");
  });

  const cases: [string, Partial<CollectorProfileSpec>, string[], string?][] = [
    [
      "a profile name too long for the workload and Service names",
      {},
      [
        "metadata.name: must be at most 45 characters of a-z, 0-9 and '-' (it names the collector's workload and Service, amoskys-collector-<name>, a DNS-1035 label)",
      ],
      "a".repeat(46),
    ],
    [
      "a dotted profile name",
      {},
      [
        "metadata.name: must be at most 45 characters of a-z, 0-9 and '-' (it names the collector's workload and Service, amoskys-collector-<name>, a DNS-1035 label)",
      ],
      "plant.a",
    ],
    [
      "architecture against the node selector",
      { architecture: "arm64", nodeSelector: { "kubernetes.io/arch": "amd64" } },
      [
        'spec.architecture: arm64 contradicts spec.nodeSelector["kubernetes.io/arch"] = "amd64"; no node can match both',
      ],
    ],
    [
      "a node selector that is not a label",
      { nodeSelector: { "bad key!": "x", zone: "not valid!" } },
      [
        "spec.nodeSelector[\"bad key!\"]: the key must be a label name: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
        "spec.nodeSelector[\"zone\"]: the value must be a label value: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      ],
    ],
    [
      "tolerations the apiserver refuses",
      {
        tolerations: [
          { operator: "Equal", value: "x" },
          { key: "k", operator: "Exists", value: "v" },
          { key: "k", effect: "NoSchedule", tolerationSeconds: 5 },
        ],
      },
      [
        "spec.tolerations[0].operator: must be Exists when key is empty",
        "spec.tolerations[1].value: must be empty when operator is Exists",
        "spec.tolerations[2].tolerationSeconds: is only valid with effect NoExecute",
      ],
    ],
    [
      "pod labels the apiserver refuses",
      { podLabels: { "Bad.Prefix/x": "1", ok: "-starts-with-dash" } },
      [
        'spec.podLabels["Bad.Prefix/x"]: the key\'s prefix must be a lowercase DNS subdomain',
        "spec.podLabels[\"ok\"]: the value must be a label value: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      ],
    ],
    [
      "pod annotations that are the operator's own, or not qualified names",
      {
        podAnnotations: {
          "amoskys.io/config-hash": "x",
          "amoskys.io/anything": "x",
          "kubectl.kubernetes.io/default-container": "sidecar",
          "not a key": "x",
          "sub.amoskys.io/free": "x",
        },
      },
      [
        'spec.podAnnotations["amoskys.io/config-hash"]: is the operator\'s own annotation (the prefix amoskys.io/ and kubectl.kubernetes.io/default-container are reserved)',
        'spec.podAnnotations["amoskys.io/anything"]: is the operator\'s own annotation (the prefix amoskys.io/ and kubectl.kubernetes.io/default-container are reserved)',
        'spec.podAnnotations["kubectl.kubernetes.io/default-container"]: is the operator\'s own annotation (the prefix amoskys.io/ and kubectl.kubernetes.io/default-container are reserved)',
        "spec.podAnnotations[\"not a key\"]: the key must be a label name: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      ],
    ],
    [
      "two listeners on one port",
      { listeners: { syslog: 2055, hl7: 2055, flows: 2055, snmpTraps: 9464 } },
      [
        "spec.listeners.hl7: port 2055 (TCP) is already used by spec.listeners.syslog",
        "spec.listeners.flows: port 2055 (UDP) is already used by spec.listeners.syslog",
      ],
    ],
    [
      "a listener on the metrics port (TCP only: a UDP listener there is fine)",
      { listeners: { hl7: 9464 } },
      ["spec.listeners.hl7: port 9464 (TCP) is already used by the collector's metrics port"],
    ],
    [
      "a request above its limit",
      {
        resources: {
          requests: { memory: "1Gi", cpu: "2" },
          limits: { memory: "512Mi", cpu: "2000m" },
        },
      },
      [
        "spec.resources.requests.memory: 1Gi is more than the limit 512Mi (spec.resources.limits.memory)",
      ],
    ],
    [
      "an unreadable buffer size",
      { bufferBytes: "lots" },
      ["spec.bufferBytes: must be a quantity of at least 1Mi"],
    ],
  ];
  for (const [name, spec, want, profileName] of cases) {
    it(name, () => assert.deepEqual(problems(profile(spec, profileName)), want));
  }

  it("reads bufferBytes as a quantity or a number of bytes", () => {
    assert.equal(profileSettings(profile({ bufferBytes: "1Gi" })).bufferBytes, 2 ** 30);
    assert.equal(profileSettings(profile({ bufferBytes: "1.5M" })).bufferBytes, 1_500_000);
    assert.equal(profileSettings(profile({ bufferBytes: 2_000_000 })).bufferBytes, 2_000_000);
    assert.equal(profileSettings(profile({ bufferBytes: "2e6" })).bufferBytes, 2_000_000);
  });

  it("adds kubernetes.io/arch for the architecture; keeps replicas to mode deployment", () => {
    const s = profileSettings(profile({ architecture: "arm64", nodeSelector: { b: "1", a: "2" } }));
    assert.deepEqual(Object.entries(s.nodeSelector), [
      ["a", "2"],
      ["b", "1"],
      ["kubernetes.io/arch", "arm64"],
    ]);
    assert.equal(profileSettings(profile({ mode: "daemonset" })).replicas, 1);
  });

  it("carries the pod's scheduling and pull fields; maps sorted, empty ones left out", () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
          ],
        },
      },
    };
    const s = profileSettings(
      profile({
        affinity,
        priorityClassName: "high",
        imagePullSecrets: [{ name: "b" }, { name: "a" }],
        podLabels: { b: "1", a: "2" },
        podAnnotations: { "y/b": "1", "x/a": "2" },
      }),
    );
    assert.deepEqual(s.affinity, affinity);
    assert.equal(s.priorityClassName, "high");
    assert.deepEqual(s.imagePullSecrets, [{ name: "b" }, { name: "a" }]);
    assert.deepEqual(Object.keys(s.podLabels), ["a", "b"]);
    assert.deepEqual(Object.keys(s.podAnnotations), ["x/a", "y/b"]);
    const none = profileSettings(profile({ affinity: {}, priorityClassName: "" }));
    assert.equal("affinity" in none, false);
    assert.equal("priorityClassName" in none, false);
    assert.deepEqual([none.imagePullSecrets, none.podLabels, none.podAnnotations], [[], {}, {}]);
  });
});

describe("validateDevice", () => {
  const dev = (spec: Partial<Device["spec"]>): Device => ({
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name: "d", namespace: "ns" },
    spec: { address: "10.0.0.1", type: "iot", ...spec },
  });
  it("accepts ordinary Secret keys", () => {
    const d = dev({
      snmp: { credentialsSecretRef: { name: "s", keys: { community: "ro.community" } } },
      mqtt: {
        brokerUrl: "mqtts://b",
        topics: ["t"],
        tlsSecretRef: { name: "t", keys: { ca: "ca.crt" } },
      },
    });
    assert.deepEqual(validateDevice(d), []);
  });
  it("refuses Secret keys that cannot be file names in the projected volume", () => {
    const d = dev({
      snmp: { credentialsSecretRef: { name: "s", keys: { community: ".." } } },
      fhir: { baseUrl: "https://f", authSecretRef: { name: "f", keys: { token: "..data" } } },
      mqtt: {
        brokerUrl: "mqtt://b",
        topics: ["t"],
        credentialsSecretRef: { name: "m", keys: { password: "." } },
      },
    });
    assert.deepEqual(
      validateDevice(d).map((e) => e.message),
      [
        'spec.snmp.credentialsSecretRef.keys.community: ".." cannot be a file name: it must not be "." or start with ".."',
        'spec.mqtt.credentialsSecretRef.keys.password: "." cannot be a file name: it must not be "." or start with ".."',
        'spec.fhir.authSecretRef.keys.token: "..data" cannot be a file name: it must not be "." or start with ".."',
      ],
    );
  });
});
