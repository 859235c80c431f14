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
import { GROUP, kindInfo, kinds, loadCrds, VERSION } from "../crds/index.ts";
import { eventually } from "../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import {
  checkObject,
  type EmbeddedKind,
  loadManifests,
  loadSchemas,
  type Schemas,
} from "./manifests.ts";

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
    name: "a bad object name",
    doc: device("Not_A_Name", {}),
    message:
      "Device.amoskys.io \"Not_A_Name\" is invalid: metadata.name: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
];

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

  for (const c of cases) {
    it(`says the same about ${c.name}`, async () => {
      const got = await apiserverSays(plain(c.doc));
      const ours = checkObject(schemas, plain(c.doc));
      assert.ok(!ours.ok);
      if (ours.problems && ours.problems.length > 1) {
        // Several causes: the apiserver's order of causes is not part of its contract.
        assert.deepEqual(got.causes.sort(), ours.problems.map((p) => p.message).sort());
        assert.equal(got.message.length, c.message.length);
      } else assert.equal(got.message, c.message);
    });
  }
});
