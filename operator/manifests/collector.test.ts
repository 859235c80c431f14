// The collector builder, YAML in -> YAML out: testdata/<case>.input.yaml (a
// CollectorProfile and Devices, as read from the API) and
// testdata/<case>.output.yaml (the reviewed objects buildCollector returns).
// The test never writes the expected files.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type {
  V1ConfigMap,
  V1DaemonSet,
  V1Deployment,
  V1Secret,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { parse, parseAllDocuments } from "yaml";
import type { CollectorProfile, Device } from "../../crds/index.ts";
import type { AgentConfig } from "./agent-config.ts";
import { type BusCredentials, busDigest, busSourceData } from "./bus.ts";
import { buildCollector, type CollectorParams } from "./collector.ts";
import { InvalidSpecError } from "./errors.ts";
import { BUS_HASH_ANNOTATION, CONFIG_HASH_ANNOTATION } from "./names.ts";
import { servedDevices } from "./selection.ts";
import { loadCase, PARAMS, testdata } from "./testdata/cases.ts";

/** Keys the bus credentials digest in the cases (the reconciler uses the profile's signing seed). */
const BUS_SEED = new Uint8Array(32).fill(7);

function busOf(source: V1Secret): BusCredentials {
  const got = busSourceData(source.data, source.metadata?.name ?? "");
  assert.ok("data" in got, "problem" in got ? got.problem : "");
  return { data: got.data, digest: busDigest(got.data, BUS_SEED) };
}

function params(
  profile: CollectorProfile,
  devices: Device[],
  busSource?: V1Secret,
): CollectorParams {
  return {
    ...PARAMS,
    profile,
    devices: servedDevices(profile, [profile], devices),
    ...(busSource && { bus: busOf(busSource) }),
  };
}

const cases = [
  "deployment-snmp-modbus",
  "daemonset-arm64",
  "no-devices",
  "deployment-bus",
  "daemonset-capture",
];

describe("buildCollector (testdata/*.input.yaml -> *.output.yaml)", () => {
  for (const name of cases) {
    it(name, async () => {
      const { profile, devices, busSource } = await loadCase(name);
      const got = buildCollector(params(profile, devices, busSource));
      const want = parseAllDocuments(
        await readFile(join(testdata, `${name}.output.yaml`), "utf8"),
      ).map((d) => d.toJS());
      assert.deepEqual(JSON.parse(JSON.stringify(got.objects)), want);
    });
  }
});

describe("buildCollector properties", () => {
  it("is deterministic: the same inputs, in any order, give the same bytes", async () => {
    const { profile, devices } = await loadCase("deployment-snmp-modbus");
    const a = buildCollector(params(profile, devices));
    const b = buildCollector(params(structuredClone(profile), [...devices].reverse()));
    assert.equal(JSON.stringify(a.objects), JSON.stringify(b.objects));
    assert.match(a.configHash, /^[0-9a-f]{16}$/);
  });

  it("puts the config hash on the ConfigMap and the pod template; it follows agent.yaml", async () => {
    const { profile, devices } = await loadCase("deployment-snmp-modbus");
    const a = buildCollector(params(profile, devices));
    const cm = a.objects.find((o) => o.kind === "ConfigMap") as V1ConfigMap;
    const dep = a.objects.find((o) => o.kind === "StatefulSet") as V1StatefulSet;
    assert.equal(cm.metadata?.annotations?.[CONFIG_HASH_ANNOTATION], a.configHash);
    assert.equal(dep.spec?.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION], a.configHash);
    // A Device's spec change changes agent.yaml, hence the hash, hence the pod template.
    const changed = structuredClone(devices);
    const plc = changed.find((d) => d.metadata.name === "plc-tank-farm") as Device;
    (plc.spec.modbus as { port?: number }).port = 5021;
    const b = buildCollector(params(profile, changed));
    assert.notEqual(b.configHash, a.configHash);
    // A detection-only field (criticality) does not restart collectors.
    const critical = structuredClone(devices);
    (critical[0] as Device).spec.criticality = "low";
    assert.equal(buildCollector(params(profile, critical)).configHash, a.configHash);
    // Nor does the profile's status or generation.
    const p2 = structuredClone(profile);
    p2.metadata.generation = 99;
    p2.status = { devices: 4 };
    assert.equal(buildCollector(params(p2, devices)).configHash, a.configHash);
  });

  it("owns every object by the profile, as its controller", async () => {
    for (const name of cases) {
      const { profile, devices, busSource } = await loadCase(name);
      for (const o of buildCollector(params(profile, devices, busSource)).objects) {
        assert.deepEqual(
          o.metadata?.ownerReferences,
          [
            {
              apiVersion: "amoskys.io/v1alpha1",
              kind: "CollectorProfile",
              name: profile.metadata.name,
              uid: profile.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
          `${name}: ${o.kind}`,
        );
        assert.equal(o.metadata?.namespace, profile.metadata.namespace);
      }
    }
  });

  it("never puts a secret value in agent.yaml, only file paths", async () => {
    const { profile, devices } = await loadCase("daemonset-arm64");
    const got = buildCollector(params(profile, devices));
    const cfg = parse(got.agentConfig) as AgentConfig;
    const mqtt = cfg.devices.find((d) => d.name === "env-sensor-7")?.mqtt;
    assert.deepEqual(mqtt?.credentials, {
      usernameFile: "/etc/amoskys/secrets/env-sensor-7-mqtt/username",
      passwordFile: "/etc/amoskys/secrets/env-sensor-7-mqtt/password",
    });
    assert.equal(mqtt?.tls?.caFile, "/etc/amoskys/secrets/site-a-broker-tls/broker-ca.pem");
    // Every path agent.yaml names is projected into the pod.
    const paths = [...got.agentConfig.matchAll(/\/etc\/amoskys\/(secrets\/[^\s]+)/g)].map(
      (m) => m[1],
    );
    const projected = JSON.stringify(got.objects);
    for (const p of paths) assert.ok(projected.includes(`"path":"${p}"`), p);
  });

  it("without --nats-secret renders bus.url only; with it, bus files for the keys present", async () => {
    const { profile, devices, busSource } = await loadCase("deployment-bus");
    assert.ok(busSource);
    const bus = (p: CollectorParams) => (parse(buildCollector(p).agentConfig) as AgentConfig).bus;
    assert.deepEqual(bus(params(profile, devices)), {
      url: PARAMS.natsUrl,
      stream: "AMOSKYS_TELEMETRY",
    });
    const dir = "/etc/amoskys/secrets/amoskys-collector-plant-bus";
    assert.deepEqual(bus(params(profile, devices, busSource)), {
      url: PARAMS.natsUrl,
      stream: "AMOSKYS_TELEMETRY",
      caFile: `${dir}/ca.crt`,
      usernameFile: `${dir}/username`,
      passwordFile: `${dir}/password`,
    });
    // Both a password and a client certificate: all five files.
    const both = structuredClone(busSource);
    both.data = { ...both.data, "tls.crt": "Y2VydA==", "tls.key": "a2V5" };
    assert.deepEqual(Object.keys(bus(params(profile, devices, both))).sort(), [
      "caFile",
      "certFile",
      "keyFile",
      "passwordFile",
      "stream",
      "url",
      "usernameFile",
    ]);
  });

  it("rolls the pods when the bus credentials change, not when an unused key does", async () => {
    const { profile, devices, busSource } = await loadCase("deployment-bus");
    assert.ok(busSource);
    const digest = (s: V1Secret) => {
      const got = buildCollector(params(profile, devices, s));
      const dep = got.objects.find((o) => o.kind === "Deployment") as V1Deployment;
      return dep.spec?.template.metadata?.annotations?.[BUS_HASH_ANNOTATION];
    };
    const a = digest(busSource);
    assert.match(a ?? "", /^[0-9a-f]{16}$/);
    const rotated = structuredClone(busSource);
    rotated.data = { ...rotated.data, password: "bmV3LXBhc3N3b3Jk" };
    assert.notEqual(digest(rotated), a);
    const noted = structuredClone(busSource);
    noted.data = { ...noted.data, notes: "b3RoZXI=" };
    assert.equal(digest(noted), a);
    // The digest is keyed: another seed, another digest for the same data.
    const data = busOf(busSource).data;
    assert.notEqual(busDigest(data, new Uint8Array(32).fill(8)), busDigest(data, BUS_SEED));
  });

  it("refuses an unusable --nats-secret Secret, saying what is missing", () => {
    const problem = (data: Record<string, string> | undefined) => {
      const got = busSourceData(data, "amoskys-nats");
      return "problem" in got ? got.problem : undefined;
    };
    assert.match(problem(undefined) ?? "", /amoskys-nats \(--nats-secret\) does not exist/);
    assert.match(problem({ username: "dQ==", password: "cA==" }) ?? "", /has no ca\.crt/);
    assert.match(
      problem({ "ca.crt": "Yw==", username: "dQ==" }) ?? "",
      /needs both username and password/,
    );
    assert.match(
      problem({ "ca.crt": "Yw==", "tls.crt": "Yw==" }) ?? "",
      /needs both tls\.crt and tls\.key/,
    );
    assert.match(
      problem({ "ca.crt": "Yw==" }) ?? "",
      /needs username and password, or tls\.crt and tls\.key/,
    );
    assert.match(
      problem({ "ca.crt": "Yw==", username: "", password: "cA==" }) ?? "",
      /needs both username and password/,
      "an empty value counts as absent",
    );
    assert.equal(problem({ "ca.crt": "Yw==", "tls.crt": "Yw==", "tls.key": "aw==" }), undefined);
  });

  it("capture: host network, NET_ADMIN and NET_RAW for tcpdump, still non-root; none of it without", async () => {
    const { profile, devices } = await loadCase("daemonset-capture");
    const ds = (p: CollectorProfile) =>
      buildCollector(params(p, devices)).objects.find((o) => o.kind === "DaemonSet") as V1DaemonSet;
    const pod = ds(profile).spec?.template.spec;
    assert.equal(pod?.hostNetwork, true);
    assert.equal(pod?.dnsPolicy, "ClusterFirstWithHostNet");
    assert.equal(pod?.securityContext?.runAsNonRoot, true);
    assert.equal(pod?.securityContext?.runAsUser, 1000);
    assert.deepEqual(pod?.containers[0]?.securityContext?.capabilities, {
      add: ["NET_ADMIN", "NET_RAW"],
      drop: ["ALL"],
    });
    // tcpdump's file capabilities need exec to grant privileges.
    assert.equal(pod?.containers[0]?.securityContext?.allowPrivilegeEscalation, true);
    assert.equal(pod?.containers[0]?.securityContext?.readOnlyRootFilesystem, true);
    const plain = structuredClone(profile);
    delete plain.spec.capture;
    const p2 = ds(plain).spec?.template.spec;
    assert.equal(p2?.hostNetwork, undefined);
    assert.equal(p2?.dnsPolicy, undefined);
    assert.equal(p2?.containers[0]?.securityContext?.allowPrivilegeEscalation, false);
    assert.deepEqual(p2?.containers[0]?.securityContext?.capabilities, { drop: ["ALL"] });
    assert.equal(
      (parse(buildCollector(params(plain, devices)).agentConfig) as AgentConfig).capture,
      undefined,
    );
  });

  it("capture is refused outside mode daemonset and on a bad interface name", async () => {
    const { profile, devices } = await loadCase("daemonset-capture");
    const bad = structuredClone(profile);
    bad.spec.mode = "deployment";
    bad.spec.capture = { interface: "-w/tmp/x" };
    assert.throws(
      () => buildCollector(params(bad, devices)),
      (err: unknown) => {
        assert.ok(err instanceof InvalidSpecError);
        assert.deepEqual(
          err.errors.map((e) => e.path),
          ["spec.capture", "spec.capture.interface"],
        );
        return true;
      },
    );
  });

  it("switches Deployment <-> StatefulSet (replicas > 1) <-> DaemonSet (no Service) with the spec", async () => {
    const { profile, devices } = await loadCase("no-devices");
    const kinds = (p: CollectorProfile) => {
      const got = buildCollector(params(p, devices));
      assert.equal(got.objects.at(-1)?.kind, got.workload.kind, "the workload comes last");
      return got.objects.map((o) => o.kind);
    };
    assert.deepEqual(kinds(profile), ["ConfigMap", "ServiceAccount", "Service", "Deployment"]);
    const sharded = structuredClone(profile);
    sharded.spec.replicas = 2;
    assert.deepEqual(kinds(sharded), ["ConfigMap", "ServiceAccount", "Service", "StatefulSet"]);
    const ds = structuredClone(profile);
    ds.spec.mode = "daemonset";
    assert.deepEqual(kinds(ds), ["ConfigMap", "ServiceAccount", "DaemonSet"]);
  });

  it("puts affinity, priorityClassName, imagePullSecrets, podLabels and podAnnotations in every workload's pods", async () => {
    const { profile, devices } = await loadCase("no-devices");
    const scheduled = structuredClone(profile);
    const affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchLabels: { "amoskys.io/profile": profile.metadata.name ?? "" } },
              topologyKey: "kubernetes.io/hostname",
            },
          },
        ],
      },
    };
    Object.assign(scheduled.spec, {
      affinity,
      priorityClassName: "collectors",
      imagePullSecrets: [{ name: "pull-a" }, { name: "pull-b" }],
      podLabels: { zeta: "z", "amoskys.io/profile": "other", alpha: "a" },
      podAnnotations: { "sidecar.istio.io/inject": "false" },
    });
    const workloads: Partial<CollectorProfile["spec"]>[] = [
      {}, // Deployment
      { replicas: 3 }, // StatefulSet
      { mode: "daemonset" }, // DaemonSet
    ];
    const kinds: string[] = [];
    for (const extra of workloads) {
      const p = structuredClone(scheduled);
      Object.assign(p.spec, extra);
      const got = buildCollector(params(p, devices));
      kinds.push(got.workload.kind);
      const w = got.objects.at(-1) as V1Deployment | V1StatefulSet | V1DaemonSet;
      const template = w.spec?.template;
      assert.deepEqual(template?.spec?.affinity, affinity, got.workload.kind);
      assert.equal(template?.spec?.priorityClassName, "collectors");
      assert.deepEqual(template?.spec?.imagePullSecrets, [{ name: "pull-a" }, { name: "pull-b" }]);
      // The operator's labels win (they select the pods); the others follow, sorted.
      assert.deepEqual(Object.entries(template?.metadata?.labels ?? {}).slice(-3), [
        ["amoskys.io/profile", profile.metadata.name],
        ["alpha", "a"],
        ["zeta", "z"],
      ]);
      assert.deepEqual(template?.metadata?.annotations, {
        [CONFIG_HASH_ANNOTATION]: got.configHash,
        "kubectl.kubernetes.io/default-container": "agent",
        "sidecar.istio.io/inject": "false",
      });
      // The workload itself and its selector are not touched.
      assert.equal(w.metadata?.labels?.zeta, undefined);
      assert.equal(w.metadata?.annotations, undefined);
      assert.deepEqual(Object.keys(w.spec?.selector.matchLabels ?? {}), [
        "app.kubernetes.io/name",
        "app.kubernetes.io/instance",
      ]);
    }
    assert.deepEqual(kinds, ["Deployment", "StatefulSet", "DaemonSet"]);
    // Unset: none of these fields in the pod spec.
    const plain = buildCollector(params(profile, devices)).objects.at(-1) as V1Deployment;
    const pod = plain.spec?.template.spec ?? { containers: [] };
    for (const field of ["affinity", "priorityClassName", "imagePullSecrets"] as const)
      assert.equal(pod[field], undefined, field);
  });

  it("a podAnnotations or podLabels change rolls the pods (pod template), agent.yaml stays", async () => {
    const { profile, devices } = await loadCase("daemonset-arm64");
    const template = (p: CollectorProfile) => {
      const got = buildCollector(params(p, devices));
      return { hash: got.configHash, template: (got.objects.at(-1) as V1DaemonSet).spec?.template };
    };
    const a = template(profile);
    const annotated = structuredClone(profile);
    annotated.spec.podAnnotations = { ...annotated.spec.podAnnotations, "example.com/owner": "x" };
    const labelled = structuredClone(profile);
    labelled.spec.podLabels = { team: "another" };
    for (const changed of [annotated, labelled]) {
      const b = template(changed);
      assert.equal(b.hash, a.hash);
      assert.notDeepEqual(b.template, a.template);
    }
  });

  it("refuses podAnnotations that are the operator's own, and pod labels the apiserver would", async () => {
    const { profile, devices } = await loadCase("no-devices");
    const bad = structuredClone(profile);
    bad.spec.podAnnotations = {
      "amoskys.io/config-hash": "0000000000000000",
      "kubectl.kubernetes.io/default-container": "other",
      "example.com/ok": "yes",
    };
    bad.spec.podLabels = { team: "not valid!" };
    assert.throws(
      () => buildCollector(params(bad, devices)),
      (err: unknown) => {
        assert.ok(err instanceof InvalidSpecError);
        assert.deepEqual(
          err.errors.map((e) => e.path),
          [
            'spec.podLabels["team"]',
            'spec.podAnnotations["amoskys.io/config-hash"]',
            'spec.podAnnotations["kubectl.kubernetes.io/default-container"]',
          ],
        );
        assert.match(
          err.message,
          /spec\.podAnnotations\["amoskys\.io\/config-hash"\]: is the operator's own annotation/,
        );
        return true;
      },
    );
  });

  it("gives a StatefulSet's pods AMOSKYS_SHARD = their ordinal, and no other workload a shard", async () => {
    const { profile, devices } = await loadCase("deployment-snmp-modbus");
    const env = (p: CollectorProfile) => {
      const w = buildCollector(params(p, devices)).objects.at(-1) as V1StatefulSet | V1Deployment;
      return w.spec?.template.spec?.containers[0]?.env ?? [];
    };
    assert.deepEqual(
      env(profile).find((e) => e.name === "AMOSKYS_SHARD"),
      {
        name: "AMOSKYS_SHARD",
        valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
      },
    );
    const single = structuredClone(profile);
    single.spec.replicas = 1;
    assert.deepEqual(
      env(single).map((e) => e.name),
      ["AMOSKYS_NODE_NAME", "AMOSKYS_POD_NAME", "AMOSKYS_POD_UID", "NODE_OPTIONS"],
    );
    const cfg = (p: CollectorProfile) =>
      (parse(buildCollector(params(p, devices)).agentConfig) as AgentConfig).collector.shards;
    assert.equal(cfg(profile), 3);
    assert.equal(cfg(single), 1);
  });

  it("reports every problem the CRD cannot catch, each at its field", async () => {
    const { profile, devices } = await loadCase("deployment-snmp-modbus");
    const bad = structuredClone(profile);
    bad.spec.architecture = "arm64";
    bad.spec.nodeSelector = { "kubernetes.io/arch": "amd64" };
    bad.spec.listeners = { syslog: 2055, flows: 2055 };
    assert.throws(
      () => buildCollector(params(bad, devices)),
      (err: unknown) => {
        assert.ok(err instanceof InvalidSpecError);
        assert.deepEqual(
          err.errors.map((e) => e.path),
          ["spec.architecture", "spec.listeners.flows"],
        );
        assert.match(
          err.message,
          /spec\.listeners\.flows: port 2055 \(UDP\) is already used by spec\.listeners\.syslog/,
        );
        return true;
      },
    );
  });

  it("needs an image: the profile's or the operator's", async () => {
    const { profile } = await loadCase("no-devices");
    assert.throws(
      () => buildCollector({ ...PARAMS, image: "", profile, devices: [] }),
      /spec\.image: is required/,
    );
  });

  it("the signing-key Secret is not among the desired objects (it is made once, not rebuilt)", async () => {
    const { profile, devices } = await loadCase("no-devices");
    const got = buildCollector(params(profile, devices));
    assert.equal(
      got.objects.some((o) => o.kind === "Secret"),
      false,
    );
  });
});
