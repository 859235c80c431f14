// The CRDs on a real kube-apiserver (v1.36, from the test environment): they
// install, the examples apply with strict field validation, defaults and CEL
// rules act as documented, unknown fields are refused (strict) or pruned,
// status is a subresource, and kubectl explain / get / get amoskys show what
// the CRDs promise.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { eventually } from "../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import {
  API_VERSION,
  type CollectorProfile,
  type CollectorProfileSpec,
  type DetectionRule,
  type DetectionRuleSpec,
  type Device,
  type DeviceSpec,
  type DiscoveryScan,
  type DiscoveryScanSpec,
  type Finding,
  type FindingSpec,
  GROUP,
  type KindName,
  kindInfo,
  kinds,
  loadCrds,
  VERSION,
} from "./index.ts";

const repo = resolve(import.meta.dirname, "..");
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** A valid spec of each kind, as small as the schema allows. */
const minimal = {
  Device: {
    address: "127.0.0.1",
    type: "ot",
    modbus: { registers: [{ name: "tank.level", table: "holding", address: 0, type: "uint16" }] },
  } satisfies DeviceSpec,
  CollectorProfile: { deviceSelector: {} } satisfies CollectorProfileSpec,
  DetectionRule: {
    type: "threshold",
    selector: {
      sources: ["syslog"],
      where: [{ field: "log.message", op: "matches", value: "Failed password" }],
    },
    threshold: { count: 10 },
  } satisfies DetectionRuleSpec,
  Finding: {
    device: "plc-1",
    rule: "ssh-brute-force",
    severity: "high",
    title: "SSH brute force",
    count: 1,
    firstSeen: "2026-01-01T00:00:00Z",
    lastSeen: "2026-01-01T00:05:00Z",
  } satisfies FindingSpec,
  DiscoveryScan: { targets: ["127.0.0.1"] } satisfies DiscoveryScanSpec,
};

interface Refusal {
  code: number;
  message: string;
  causes: { field?: string; message?: string; reason?: string }[];
}

/** The apiserver's answer to a request that must fail. */
async function refusal(request: Promise<unknown>): Promise<Refusal> {
  try {
    await request;
  } catch (err) {
    const e = err as { code?: number; body?: unknown };
    const body = (typeof e.body === "string" ? JSON.parse(e.body) : e.body) as {
      message?: string;
      details?: { causes?: Refusal["causes"] };
    };
    // When the schema already failed, the apiserver adds a cause saying CEL
    // rules were skipped; it says nothing about the object.
    const causes = (body.details?.causes ?? []).filter(
      (c) => !c.message?.includes("some validation rules were not checked"),
    );
    return { code: e.code ?? 0, message: body.message ?? "", causes };
  }
  assert.fail("the apiserver accepted the object");
}

describe("CRDs on a real kube-apiserver", () => {
  let env: EnvWith<{ kube: true }>;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;
  let ext: ApiextensionsV1Api;
  let cacheDir: string;

  /** kubectl against the test apiserver; resolves with the exit code and output. */
  function kubectl(
    args: string[],
    input?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const child = spawn(
      env.kube.kubectl,
      ["--kubeconfig", env.kube.kubeconfig, "--cache-dir", cacheDir, ...args],
      { cwd: repo },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdin.end(input ?? "");
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  async function namespace(name: string): Promise<string> {
    await core.createNamespace({ body: { metadata: { name } } });
    return name;
  }

  function create(kind: KindName, ns: string, name: string, spec: unknown) {
    const { plural } = kindInfo(kind);
    return custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural,
      body: { apiVersion: API_VERSION, kind, metadata: { name }, spec },
    });
  }

  function get(kind: KindName, ns: string, name: string): Promise<unknown> {
    const { plural } = kindInfo(kind);
    return custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural,
      name,
    });
  }

  before(async () => {
    env = await startEnv({ kube: true });
    cacheDir = await mkdtemp(join(env.root, "kubectl-cache-"));
    const kc = new KubeConfig();
    kc.loadFromFile(env.kube.kubeconfig);
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
    ext = kc.makeApiClient(ApiextensionsV1Api);
    // Installed through client-node's typed API from loadCrds(), as the operator will.
    for (const crd of await loadCrds()) await ext.createCustomResourceDefinition({ body: crd });
    await eventually(async () => {
      for (const { plural } of kinds) {
        const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
        const established = crd.status?.conditions?.find((c) => c.type === "Established");
        assert.equal(established?.status, "True", `${plural} not established`);
      }
    });
  });
  after(() => env?.stop());

  it("installs every CRD: Established, names and short names accepted", async () => {
    for (const { kind, plural } of kinds) {
      const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
      const status = Object.fromEntries(
        (crd.status?.conditions ?? []).map((c) => [c.type, c.status]),
      );
      assert.deepEqual(status, { NamesAccepted: "True", Established: "True" }, kind);
      assert.equal(crd.status?.acceptedNames?.kind, kind);
      assert.deepEqual(crd.status?.acceptedNames?.categories, ["amoskys"]);
      assert.equal(crd.status?.acceptedNames?.shortNames?.length, 1);
    }
  });

  it("kubectl apply --server-side -f crds/ finds the installed CRDs identical to the files", async () => {
    const { code, stdout, stderr } = await kubectl(["apply", "--server-side", "-f", "crds/"]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim().split("\n").length, kinds.length, stdout);
    for (const { plural } of kinds) {
      const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
      // Any difference between loadCrd() and the file (a dropped enum,
      // default or CEL rule) would have changed the spec.
      assert.equal(crd.metadata?.generation, 1, `${plural}: loadCrd() differs from its file`);
    }
  });

  it("applies every example with kubectl apply (strict field validation)", async () => {
    const ns = await namespace("examples");
    const { code, stdout, stderr } = await kubectl([
      "apply",
      "--validate=strict",
      "-n",
      ns,
      "-f",
      "examples/devices/",
      "-f",
      "examples/profiles/",
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "", "no warnings");
    const created = stdout.trim().split("\n").sort();
    assert.deepEqual(created, [
      "collectorprofile.amoskys.io/default created",
      "collectorprofile.amoskys.io/edge-capture created",
      "device.amoskys.io/access-switch-1 created",
      "device.amoskys.io/env-sensor-7 created",
      "device.amoskys.io/historian created",
      "device.amoskys.io/icu-monitor-3 created",
      "device.amoskys.io/plc-tank-farm created",
      "secret/access-switch-1-snmp created",
      "secret/env-sensor-7-mqtt created",
      "secret/historian-snmp created",
    ]);
    // Applying again changes nothing: the stored objects are what the files say
    // (plus defaults). kubectl may still print "configured" where defaults
    // filled in list items, or for Secrets written with stringData.
    const again = await kubectl([
      "apply",
      "-n",
      ns,
      "-f",
      "examples/devices/",
      "-f",
      "examples/profiles/",
    ]);
    assert.equal(again.code, 0, again.stderr);
    const { stdout: generations } = await kubectl([
      "get",
      "amoskys",
      "-n",
      ns,
      "-o",
      "jsonpath={range .items[*]}{.metadata.name}={.metadata.generation}{'\\n'}{end}",
    ]);
    assert.deepEqual(generations.trim().split("\n").sort(), [
      "access-switch-1=1",
      "default=1",
      "edge-capture=1",
      "env-sensor-7=1",
      "historian=1",
      "icu-monitor-3=1",
      "plc-tank-farm=1",
    ]);
  });

  it("applies the documented defaults", async () => {
    const ns = await namespace("defaults");
    for (const kind of Object.keys(minimal) as (keyof typeof minimal)[])
      await create(kind, ns, "minimal", minimal[kind]);

    const device = (await get("Device", ns, "minimal")) as Device;
    assert.equal(device.spec.criticality, "medium");
    assert.deepEqual(device.spec.modbus, {
      port: 502,
      unitId: 1,
      timeoutSeconds: 3,
      registers: [
        {
          name: "tank.level",
          table: "holding",
          address: 0,
          type: "uint16",
          byteOrder: "big",
          wordOrder: "big",
          scale: 1,
          offset: 0,
        },
      ],
    });

    const snmp = (await create("Device", ns, "snmp", {
      address: "switch-1.lab.example",
      type: "network",
      snmp: { credentialsSecretRef: { name: "switch-1-snmp" } },
    })) as Device;
    assert.deepEqual(snmp.spec.snmp, {
      version: "v2c",
      port: 161,
      profiles: ["system"],
      timeoutSeconds: 5,
      credentialsSecretRef: {
        name: "switch-1-snmp",
        keys: {
          community: "community",
          username: "username",
          authKey: "authKey",
          privKey: "privKey",
        },
      },
    });
    const v3 = (await create("Device", ns, "snmp-v3", {
      address: "127.0.0.1",
      type: "network",
      snmp: { version: "v3", v3: {}, credentialsSecretRef: { name: "s" } },
    })) as Device;
    assert.deepEqual(v3.spec.snmp?.v3, {
      securityLevel: "authPriv",
      authProtocol: "SHA",
      privProtocol: "AES",
    });
    const mqtt = (await create("Device", ns, "mqtt", {
      address: "127.0.0.1",
      type: "iot",
      mqtt: {
        brokerUrl: "mqtts://127.0.0.1:8883",
        topics: ["lab/#"],
        tlsSecretRef: { name: "ca" },
      },
    })) as Device;
    assert.equal(mqtt.spec.mqtt?.payload, "json");
    assert.equal(mqtt.spec.mqtt?.qos, 1);
    assert.deepEqual(mqtt.spec.mqtt?.tlsSecretRef?.keys, {
      ca: "ca.crt",
      cert: "tls.crt",
      key: "tls.key",
    });
    // FHIR: an existing bearer reference defaults to scheme bearer; basic keeps its keys.
    const fhirBearer = (await create("Device", ns, "fhir-bearer", {
      address: "127.0.0.1",
      type: "medical",
      fhir: { baseUrl: "https://fhir.example/r4", authSecretRef: { name: "t" } },
    })) as Device;
    assert.deepEqual(fhirBearer.spec.fhir?.authSecretRef, {
      name: "t",
      scheme: "bearer",
      keys: { token: "token", ca: "ca.crt" },
    });
    const fhirBasic = (await create("Device", ns, "fhir-basic", {
      address: "127.0.0.1",
      type: "medical",
      fhir: {
        baseUrl: "https://fhir.example/r4",
        authSecretRef: { name: "b", scheme: "basic", keys: { password: "pw" } },
      },
    })) as Device;
    assert.deepEqual(fhirBasic.spec.fhir?.authSecretRef, {
      name: "b",
      scheme: "basic",
      keys: { token: "token", password: "pw", ca: "ca.crt" },
    });

    const profile = (await get("CollectorProfile", ns, "minimal")) as CollectorProfile;
    assert.deepEqual(profile.spec, {
      deviceSelector: {},
      mode: "deployment",
      intervals: { snmp: 60, modbus: 10, fhir: 300 },
      listeners: { syslog: 5514, hl7: 2575, flows: 2055, snmpTraps: 1162 },
      batching: { maxEvents: 500, maxDelayMs: 1000 },
      bufferBytes: "256Mi",
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    });

    const rule = (await get("DetectionRule", ns, "minimal")) as DetectionRule;
    assert.equal(rule.spec.severity, "medium");
    assert.equal(rule.spec.window, "5m");
    assert.deepEqual(rule.spec.suppression, { window: "15m" });
    assert.equal(rule.spec.selector?.where?.[0]?.op, "matches");

    const finding = (await get("Finding", ns, "minimal")) as Finding;
    assert.equal(finding.spec.state, "open");

    const scan = (await get("DiscoveryScan", ns, "minimal")) as DiscoveryScan;
    assert.deepEqual(scan.spec, {
      targets: ["127.0.0.1"],
      ports: [22, 23, 80, 102, 443, 502, 1883, 2575, 4840, 8883, 20000, 44818],
      protocols: ["snmp", "modbus", "mqtt"],
      maxProbesPerSecond: 10,
      suspend: false,
    });
  });

  describe("CEL and schema rules refuse bad objects with their message", () => {
    const cases: {
      kind: keyof typeof minimal;
      name: string;
      // biome-ignore lint/suspicious/noExplicitAny: a spec bent out of shape on purpose
      bend: (spec: any) => void;
      field: string;
      message: string;
    }[] = [
      {
        kind: "Device",
        name: "no protocol block",
        bend: (s) => delete s.modbus,
        field: "spec",
        message:
          "at least one protocol block (snmp, modbus, mqtt, syslog, hl7, fhir, flows) must be set",
      },
      {
        kind: "Device",
        name: "an address with a port",
        bend: (s) => (s.address = "10.0.0.1:502"),
        field: "spec.address",
        message: "address must be an IP address or a lowercase DNS name, without a port",
      },
      {
        kind: "Device",
        name: "a 16-bit type in a coil",
        bend: (s) => (s.modbus.registers[0].table = "coil"),
        field: "spec.modbus.registers[0].type",
        message: "coil and discrete tables hold single bits: type must be bool",
      },
      {
        kind: "Device",
        name: "bool in a holding register",
        bend: (s) => (s.modbus.registers[0].type = "bool"),
        field: "spec.modbus.registers[0].type",
        message: "type bool is only valid for coil and discrete tables",
      },
      {
        kind: "Device",
        name: "a float32 at the last register",
        bend: (s) => Object.assign(s.modbus.registers[0], { type: "float32", address: 65535 }),
        field: "spec.modbus.registers[0].address",
        message: "a 32-bit value spans two registers, so address must be at most 65534",
      },
      {
        kind: "Device",
        name: "SNMPv3 without its v3 block",
        bend: (s) => (s.snmp = { version: "v3", credentialsSecretRef: { name: "s" } }),
        field: "spec.snmp.v3",
        message: "version v3 needs the v3 block",
      },
      {
        kind: "Device",
        name: "a v3 block with v2c",
        bend: (s) => (s.snmp = { v3: {}, credentialsSecretRef: { name: "s" } }),
        field: "spec.snmp.v3",
        message: "the v3 block is only valid with version v3",
      },
      {
        kind: "Device",
        name: "MQTT mappings with Sparkplug B",
        bend: (s) =>
          (s.mqtt = {
            brokerUrl: "mqtt://127.0.0.1",
            topics: ["spBv1.0/#"],
            payload: "sparkplugB",
            mappings: [{ topic: "a", jsonPath: "$.a", metric: "a" }],
          }),
        field: "spec.mqtt.mappings",
        message: "mappings only apply to payload json",
      },
      {
        kind: "Device",
        name: "TLS settings for a cleartext broker",
        bend: (s) =>
          (s.mqtt = { brokerUrl: "mqtt://127.0.0.1", topics: ["a"], tlsSecretRef: { name: "ca" } }),
        field: "spec.mqtt.tlsSecretRef",
        message: "tlsSecretRef needs an mqtts:// brokerUrl",
      },
      {
        kind: "Device",
        name: "a broker URL with credentials",
        bend: (s) => (s.mqtt = { brokerUrl: "mqtt://u:p@127.0.0.1", topics: ["a"] }),
        field: "spec.mqtt.brokerUrl",
        message: "brokerUrl must be mqtt://host[:port] or mqtts://host[:port], without credentials",
      },
      {
        kind: "Device",
        name: "FHIR over cleartext beyond loopback",
        bend: (s) => (s.fhir = { baseUrl: "http://fhir.hospital.example/r4" }),
        field: "spec.fhir.baseUrl",
        message: "baseUrl must be an https:// URL (http:// only for loopback)",
      },
      {
        kind: "Device",
        name: "FHIR basic-auth keys with the bearer scheme",
        bend: (s) =>
          (s.fhir = {
            baseUrl: "https://fhir.hospital.example/r4",
            authSecretRef: { name: "f", keys: { username: "user" } },
          }),
        field: "spec.fhir.authSecretRef",
        message: "keys.username and keys.password are only valid with scheme basic",
      },
      {
        kind: "Device",
        name: "placement by node name and selector",
        bend: (s) => (s.placement = { nodeName: "edge-1", nodeSelector: { zone: "a" } }),
        field: "spec.placement",
        message: "set either placement.nodeName or placement.nodeSelector, not both",
      },
      {
        kind: "CollectorProfile",
        name: "replicas in daemonset mode",
        bend: (s) => Object.assign(s, { mode: "daemonset", replicas: 2 }),
        field: "spec.replicas",
        message: "replicas is only valid with mode deployment",
      },
      {
        kind: "CollectorProfile",
        name: "capture in deployment mode",
        bend: (s) => (s.capture = { interface: "eth1" }),
        field: "spec.capture",
        message: "capture is only valid with mode daemonset",
      },
      {
        kind: "CollectorProfile",
        name: "a capture interface tcpdump would read as an option",
        bend: (s) => Object.assign(s, { mode: "daemonset", capture: { interface: "-w/tmp/x" } }),
        field: "spec.capture.interface",
        message: "should match",
      },
      {
        kind: "CollectorProfile",
        name: "a tiny outbox",
        bend: (s) => (s.bufferBytes = "1Ki"),
        field: "spec.bufferBytes",
        message: "bufferBytes must be at least 1Mi",
      },
      {
        kind: "CollectorProfile",
        name: "In without values",
        bend: (s) => (s.deviceSelector = { matchExpressions: [{ key: "site", operator: "In" }] }),
        field: "spec.deviceSelector.matchExpressions[0].values",
        message: "operators In and NotIn need values",
      },
      {
        kind: "CollectorProfile",
        name: "podAnnotations naming the operator's own",
        bend: (s) => (s.podAnnotations = { "amoskys.io/config-hash": "0" }),
        field: "spec.podAnnotations",
        message: "podAnnotations cannot set the operator's own annotations",
      },
      {
        kind: "CollectorProfile",
        name: "node affinity Gt with a word",
        bend: (s) =>
          (s.affinity = {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: "rack", operator: "Gt", values: ["high"] }] },
                ],
              },
            },
          }),
        field:
          "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
        message: "Gt and Lt exactly one integer",
      },
      {
        kind: "CollectorProfile",
        name: "node affinity matchFields on a label",
        bend: (s) =>
          (s.affinity = {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: "zone", operator: "In", values: ["a"] }] },
                ],
              },
            },
          }),
        field:
          "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key",
        message: 'supported values: "metadata.name"',
      },
      {
        kind: "CollectorProfile",
        name: "a pull secret that is not a Secret name",
        bend: (s) => (s.imagePullSecrets = [{ name: "Registry_Creds" }]),
        field: "spec.imagePullSecrets[0].name",
        message: "should match",
      },
      {
        kind: "DetectionRule",
        name: "threshold without its block",
        bend: (s) => delete s.threshold,
        field: "spec.threshold",
        message: "type threshold needs spec.threshold",
      },
      {
        kind: "DetectionRule",
        name: "a block of another type",
        bend: (s) => (s.distinct = { field: "flow.dstPort", count: 20 }),
        field: "spec.distinct",
        message: "spec.distinct is only valid with type distinct",
      },
      {
        kind: "DetectionRule",
        name: "a one-step sequence",
        bend: (s) => {
          s.type = "sequence";
          delete s.threshold;
          s.sequence = { steps: [{ kinds: ["log"] }] };
        },
        field: "spec.sequence.steps",
        message: "a sequence needs at least 2 steps",
      },
      {
        kind: "DetectionRule",
        name: "novelty without a field",
        bend: (s) => {
          s.type = "anomaly";
          delete s.threshold;
          s.anomaly = { model: "novelty", metric: "tank.level" };
        },
        field: "spec.anomaly",
        message: "model novelty needs field",
      },
      {
        kind: "DetectionRule",
        name: "gt on a word",
        bend: (s) => (s.selector.where[0] = { field: "metric.value", op: "gt", value: "high" }),
        field: "spec.selector.where[0].value",
        message: "ops gt and lt compare numbers",
      },
      {
        kind: "DetectionRule",
        name: "a malformed MITRE id",
        bend: (s) => (s.mitre = ["T855"]),
        field: "spec.mitre[0]",
        message: "should match",
      },
      {
        kind: "Finding",
        name: "last seen before first seen",
        bend: (s) => (s.lastSeen = "2025-12-31T23:59:59Z"),
        field: "spec.lastSeen",
        message: "lastSeen must not be before firstSeen",
      },
      {
        kind: "Finding",
        name: "evidence beyond 5 samples",
        bend: (s) => (s.evidence = { samples: ["1", "2", "3", "4", "5", "6"] }),
        field: "spec.evidence.samples",
        message: "must have at most 5 items",
      },
      {
        kind: "DiscoveryScan",
        name: "a /8",
        bend: (s) => (s.targets = ["10.0.0.0/8"]),
        field: "spec.targets[0]",
        message: "a target CIDR may cover at most 65536 addresses",
      },
      {
        kind: "DiscoveryScan",
        name: "no targets",
        bend: (s) => (s.targets = []),
        field: "spec.targets",
        message: "should have at least 1 items",
      },
    ];

    let ns: string;
    before(async () => {
      ns = await namespace("cel");
    });

    for (const c of cases) {
      it(`${c.kind}: ${c.name}`, async () => {
        const spec = structuredClone(minimal[c.kind]);
        c.bend(spec);
        const r = await refusal(create(c.kind, ns, "bad", spec));
        assert.equal(r.code, 422, r.message);
        assert.equal(r.causes.length, 1, `exactly one cause: ${r.message}`);
        assert.equal(r.causes[0]?.field, c.field);
        assert.ok(r.causes[0]?.message?.includes(c.message), r.causes[0]?.message);
      });
    }

    it("Finding: device, rule, key and firstSeen never change", async () => {
      await create("Finding", ns, "immutable", { ...minimal.Finding, key: "10.0.9.4" });
      for (const [field, value] of [
        ["device", "other"],
        ["rule", "other"],
        ["key", "10.0.9.5"],
        ["firstSeen", "2026-01-01T00:01:00Z"],
      ]) {
        const r = await refusal(
          custom.patchNamespacedCustomObject(
            {
              group: GROUP,
              version: VERSION,
              namespace: ns,
              plural: "findings",
              name: "immutable",
              body: { spec: { [field as string]: value } },
            },
            mergePatch,
          ),
        );
        assert.equal(r.code, 422);
        assert.equal(r.causes.length, 1, r.message);
        assert.equal(r.causes[0]?.field, `spec.${field}`);
        assert.match(r.causes[0]?.message ?? "", new RegExp(`: ${field} is immutable$`));
      }
      // What analytics updates, it may.
      await custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: VERSION,
          namespace: ns,
          plural: "findings",
          name: "immutable",
          body: { spec: { count: 2, lastSeen: "2026-01-01T00:06:00Z", state: "acknowledged" } },
        },
        mergePatch,
      );
    });

    it("every valid minimal spec is accepted (the cases above fail for their reason only)", async () => {
      for (const kind of Object.keys(minimal) as (keyof typeof minimal)[])
        await create(kind, ns, "good", minimal[kind]);
    });
  });

  it("unknown fields: kubectl (strict) refuses them, a lax client's are pruned", async () => {
    const ns = await namespace("unknown");
    const device = {
      apiVersion: API_VERSION,
      kind: "Device",
      metadata: { name: "typo", namespace: ns },
      spec: { ...minimal.Device, modbus: { ...minimal.Device.modbus, unitID: 3 } },
    };
    const strict = await kubectl(["apply", "--validate=strict", "-f", "-"], JSON.stringify(device));
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /unknown field "spec\.modbus\.unitID"/);
    assert.equal((await refusal(get("Device", ns, "typo"))).code, 404);

    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural: "devices",
      body: device,
      fieldValidation: "Ignore",
    });
    const stored = (await get("Device", ns, "typo")) as Device;
    assert.equal("unitID" in (stored.spec.modbus ?? {}), false);
    assert.equal(stored.spec.modbus?.unitId, 1);
  });

  it("status is a subresource, validated, and feeds the printer columns", async () => {
    const ns = await namespace("status");
    await create("Device", ns, "plc-1", minimal.Device);
    const status: Device["status"] = {
      observedGeneration: 1,
      conditions: [
        {
          type: "Assigned",
          status: "True",
          reason: "Selected",
          message: "served by CollectorProfile default",
          lastTransitionTime: "2026-01-01T00:00:00Z",
          observedGeneration: 1,
        },
      ],
      collector: "default",
      protocols: "modbus",
      lastSeen: new Date(Date.now() - 30_000).toISOString().replace(/\.\d+Z$/, "Z"),
      capabilities: { modbus: { state: "REAL" } },
      riskScore: 42,
      openFindings: { critical: 1, high: 2, medium: 0, low: 0, total: 3 },
    };
    const patched = (await custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: ns,
        plural: "devices",
        name: "plc-1",
        body: { status },
      },
      mergePatch,
    )) as Device;
    assert.deepEqual(patched.status, status);
    assert.equal(patched.metadata.generation, 1);

    // Through the main resource, status is ignored (and spec is the subresource's blind spot).
    const viaMain = (await custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: VERSION,
        namespace: ns,
        plural: "devices",
        name: "plc-1",
        body: { spec: { criticality: "high" }, status: { riskScore: 0 } },
      },
      mergePatch,
    )) as Device;
    assert.equal(viaMain.status?.riskScore, 42);
    assert.equal(viaMain.metadata.generation, 2);

    // The status schema holds too.
    const r = await refusal(
      custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          namespace: ns,
          plural: "devices",
          name: "plc-1",
          body: { status: { riskScore: 101, capabilities: { modbus: { state: "GOOD" } } } },
        },
        mergePatch,
      ),
    );
    assert.equal(r.code, 422);
    assert.deepEqual(r.causes.map((c) => c.field).sort(), [
      "status.capabilities.modbus.state",
      "status.riskScore",
    ]);

    const { stdout } = await kubectl(["get", "devices", "-n", ns, "-o", "wide"]);
    const [header, row] = stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s{2,}/));
    assert.deepEqual(header, [
      "NAME",
      "TYPE",
      "ADDRESS",
      "PROTOCOLS",
      "COLLECTOR",
      "LAST SEEN",
      "RISK",
      "FINDINGS",
      "CRITICALITY",
      "AGE",
    ]);
    assert.deepEqual(row?.slice(0, 5), ["plc-1", "ot", "127.0.0.1", "modbus", "default"]);
    assert.match(row?.[5] ?? "", /^\d+s$/);
    assert.deepEqual(row?.slice(6, 9), ["42", "3", "high"]);
  });

  it("kubectl get prints each kind's columns; short names and the amoskys category list them", async () => {
    const ns = await namespace("columns");
    for (const kind of Object.keys(minimal) as (keyof typeof minimal)[])
      await create(kind, ns, "x", minimal[kind]);
    const expected: Record<KindName, string[]> = {
      Device: [
        "NAME",
        "TYPE",
        "ADDRESS",
        "PROTOCOLS",
        "COLLECTOR",
        "LAST SEEN",
        "RISK",
        "FINDINGS",
        "AGE",
      ],
      CollectorProfile: ["NAME", "MODE", "DEVICES", "READY", "KEY", "AGE"],
      DetectionRule: ["NAME", "TYPE", "SEVERITY", "HITS", "LAST FIRED", "ACCEPTED", "AGE"],
      Finding: ["NAME", "DEVICE", "RULE", "SEVERITY", "COUNT", "LAST SEEN", "STATE", "AGE"],
      DiscoveryScan: ["NAME", "SCHEDULE", "FOUND", "LAST RUN", "COMPLETE", "AGE"],
    };
    for (const { kind, plural } of kinds) {
      const { code, stdout, stderr } = await kubectl(["get", plural, "-n", ns]);
      assert.equal(code, 0, stderr);
      assert.deepEqual(
        stdout
          .split("\n")[0]
          ?.trim()
          .split(/\s{2,}/),
        expected[kind],
        kind,
      );
    }

    const byShortName = await kubectl(["get", "dev,cp,dr,fnd,dscan", "-n", ns, "-o", "name"]);
    const byCategory = await kubectl(["get", "amoskys", "-n", ns, "-o", "name"]);
    const all = kinds.map((k) => `${k.kind.toLowerCase()}.${GROUP}/x`).sort();
    assert.deepEqual(byShortName.stdout.trim().split("\n").sort(), all, byShortName.stderr);
    assert.deepEqual(byCategory.stdout.trim().split("\n").sort(), all, byCategory.stderr);
  });

  it("kubectl explain shows the field descriptions", async () => {
    // The OpenAPI v3 document of a new CRD is published shortly after it is established.
    const text = await eventually(async () => {
      const { code, stdout, stderr } = await kubectl(["explain", "devices.spec.modbus.registers"]);
      assert.equal(code, 0, stderr);
      return stdout.replace(/\s+/g, " ");
    });
    for (const phrase of [
      "The values to read, each published as a metric.",
      "Protocol address, 0-based, within the table (the holding register documented as 40001 is address 0).",
      "coil (read/write bits, function 1)",
      "Multiplier applied to the raw value: published = raw × scale + offset.",
    ])
      assert.ok(text.includes(phrase), `missing: ${phrase}`);

    const explained = await kubectl(["explain", "collectorprofiles.spec.bufferBytes"]);
    assert.match(
      explained.stdout.replace(/\s+/g, " "),
      /A quantity \(256Mi, 1Gi\) or a number of bytes/,
    );
    const labels = await kubectl(["explain", "collectorprofiles.spec.podLabels"]);
    assert.match(labels.stdout.replace(/\s+/g, " "), /for those keys the operator's values win/);
    const term = await kubectl([
      "explain",
      "collectorprofiles.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.topologyKey",
    ]);
    assert.match(term.stdout.replace(/\s+/g, " "), /kubernetes\.io\/hostname \(each node\)/);
  });
});
