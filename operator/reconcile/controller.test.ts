// The controller against a real kube-apiserver v1.36 (and its garbage
// collector): collector objects appear, owned and hashed; Device status says
// who serves it; selection by none or by two; a Device change rolls the pods;
// a mode switch, or replicas between 1 and more (Deployment <-> StatefulSet),
// replaces the workload, the old one gone first; drift is reverted; an invalid spec is
// reported at its field; and nothing is written when nothing changes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  V1ConfigMap,
  V1DaemonSet,
  V1Deployment,
  V1Pod,
  V1PodSpec,
  V1PodTemplateSpec,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { parse } from "yaml";
import { API_VERSION, type CollectorProfile, type Device } from "../../crds/index.ts";
import { eventually } from "../../e2e/env/eventually.ts";
import { TrustStore } from "../../proto/trust.ts";
import type { AgentConfig } from "../manifests/agent-config.ts";
import { keyPairFromSeed } from "../manifests/signing-key.ts";
import { toWire } from "./compare.ts";
import type { Controller } from "./controller.ts";
import {
  device,
  type Harness,
  OPERATOR_NS,
  profile,
  reconciled,
  startHarness,
  writes,
} from "./testdata/harness.ts";

const HASH = "amoskys.io/config-hash";

describe("controller (real apiserver)", () => {
  let h: Harness;
  let controller: Controller;
  let registry: Registry;

  const getProfile = (ns: string, name: string) =>
    h.admin.get<CollectorProfile>(API_VERSION, "CollectorProfile", ns, name);
  const getDevice = (ns: string, name: string) =>
    h.admin.get<Device>(API_VERSION, "Device", ns, name);
  const get = <T>(apiVersion: string, kind: string, ns: string, name: string) =>
    h.admin.get(apiVersion, kind, ns, name) as Promise<T | undefined>;
  const namespace = (name: string) =>
    h.admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const condition = (
    o: { status?: { conditions?: { type: string }[] } } | undefined,
    type: string,
  ) =>
    o?.status?.conditions?.find((c) => c.type === type) as
      | { status: string; reason: string; message: string; observedGeneration?: number }
      | undefined;

  before(async () => {
    h = await startHarness();
    ({ controller, registry } = await h.start());
  });
  after(() => h?.stop());

  it("is ready once the caches have synced", () => {
    assert.equal(controller.ready(), true);
  });

  it("creates the ConfigMap, signing-key Secret, ServiceAccount, Service and Deployment, owned by the profile", async () => {
    const ns = "plant";
    await namespace(ns);
    await h.admin.create(
      device(
        ns,
        "switch-1",
        { site: "a" },
        {
          type: "network",
          snmp: { version: "v2c", credentialsSecretRef: { name: "switch-snmp" } },
        },
      ),
    );
    await h.admin.create(device(ns, "plc-1", { site: "a" }));
    await h.admin.create(device(ns, "elsewhere", { site: "b" }));
    const created = await h.admin.create(
      profile(ns, "main", { deviceSelector: { matchLabels: { site: "a" } } }),
    );
    const uid = created.metadata?.uid;
    assert.ok(uid);

    const p = await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.equal(p?.status?.devices, 2);
      assert.ok(p?.status?.configHash);
      return p;
    });
    assert.deepEqual(p?.status?.deviceNames, ["plc-1", "switch-1"]);
    assert.deepEqual(p?.status?.workload, { kind: "Deployment", name: "amoskys-collector-main" });
    assert.equal(p?.status?.observedGeneration, p?.metadata.generation);
    assert.deepEqual(p?.metadata.finalizers, ["amoskys.io/trust-cleanup"]);
    // No deployment controller runs here: the rollout never starts.
    assert.equal(condition(p, "Ready")?.status, "False");
    assert.equal(condition(p, "Ready")?.reason, "Progressing");
    assert.equal(condition(p, "Ready")?.observedGeneration, p?.metadata.generation);
    assert.equal(condition(p, "Degraded")?.status, "False");

    const name = "amoskys-collector-main";
    const cm = await get<V1ConfigMap>("v1", "ConfigMap", ns, name);
    const sa = await get<V1ServiceAccount>("v1", "ServiceAccount", ns, name);
    const svc = await get<V1Service>("v1", "Service", ns, name);
    const dep = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
    const secret = await get<V1Secret>("v1", "Secret", ns, "amoskys-collector-main-signing-key");
    for (const o of [cm, sa, svc, dep, secret]) {
      assert.ok(o, "object missing");
      assert.deepEqual(
        o.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
        [["CollectorProfile", "main", uid, true]],
        `${o.kind} ${o.metadata?.name}`,
      );
      assert.equal(o.metadata?.labels?.["app.kubernetes.io/managed-by"], "amoskys-operator");
    }
    // The content hash: on the ConfigMap, in the pod template, in the status.
    const hash = cm?.metadata?.annotations?.[HASH];
    assert.equal(hash, p?.status?.configHash);
    assert.equal(dep?.spec?.template.metadata?.annotations?.[HASH], hash);
    // Applied with server-side apply under one field manager.
    assert.ok(
      dep?.metadata?.managedFields?.some(
        (f) => f.manager === "amoskys-operator" && f.operation === "Apply",
      ),
    );
    // agent.yaml: the two Devices, Secret paths, the key id.
    const cfg = parse(cm?.data?.["agent.yaml"] ?? "") as AgentConfig;
    assert.deepEqual(
      cfg.devices.map((d) => d.name),
      ["plc-1", "switch-1"],
    );
    assert.equal(
      cfg.devices[1]?.snmp?.credentials.communityFile,
      "/etc/amoskys/secrets/switch-snmp/community",
    );
    const seed = Buffer.from(secret?.data?.["ed25519.key"] ?? "", "base64");
    const { keyId } = keyPairFromSeed(seed);
    assert.equal(cfg.producer.keyId, keyId);
    assert.equal(p?.status?.signingKeyId, keyId);
    // The trust document holds the public key for producer plant/main.
    const trust = await eventually(async () => {
      const t = await get<V1ConfigMap>("v1", "ConfigMap", OPERATOR_NS, "amoskys-trust");
      const store = TrustStore.fromConfigMap(t as { data: Record<string, string> });
      assert.ok(store.get("plant/main", keyId));
      return store;
    });
    assert.deepEqual(trust.producers(), ["plant/main"]);
  });

  it("writes the Devices' Assigned condition, collector and protocols", async () => {
    const d = await eventually(async () => {
      const d = await getDevice("plant", "switch-1");
      assert.equal(d?.status?.collector, "main");
      return d;
    });
    assert.equal(d?.status?.protocols, "snmp");
    assert.deepEqual(
      { ...condition(d, "Assigned") },
      {
        type: "Assigned",
        status: "True",
        reason: "Selected",
        message: "served by CollectorProfile main",
        observedGeneration: 1,
        lastTransitionTime: (condition(d, "Assigned") as { lastTransitionTime?: string })
          ?.lastTransitionTime,
      },
    );
    const other = await eventually(async () => {
      const o = await getDevice("plant", "elsewhere");
      assert.equal(condition(o, "Assigned")?.reason, "NoProfile");
      return o;
    });
    assert.equal(condition(other, "Assigned")?.status, "False");
    assert.equal(other?.status?.collector, undefined);
    assert.equal(other?.status?.protocols, "modbus");
  });

  it("a Device selected by two profiles is served by the oldest, with reason MultipleProfiles", async () => {
    const ns = "shared";
    await namespace(ns);
    await h.admin.create(device(ns, "sensor", { kind: "env" }));
    await h.admin.create(profile(ns, "zulu", { deviceSelector: {} }));
    await sleep(1100); // creationTimestamp has whole seconds: make zulu older than alpha
    await h.admin.create(
      profile(ns, "alpha", { deviceSelector: { matchLabels: { kind: "env" } } }),
    );
    const d = await eventually(async () => {
      const d = await getDevice(ns, "sensor");
      assert.equal(condition(d, "Assigned")?.reason, "MultipleProfiles");
      return d;
    });
    assert.equal(condition(d, "Assigned")?.status, "True");
    assert.equal(d?.status?.collector, "zulu");
    assert.equal(
      condition(d, "Assigned")?.message,
      "selected by CollectorProfiles zulu, alpha; served by the oldest, zulu (not by alpha)",
    );
    await eventually(async () => {
      assert.equal((await getProfile(ns, "zulu"))?.status?.devices, 1);
      assert.equal((await getProfile(ns, "alpha"))?.status?.devices, 0);
    });
    // The older profile goes: the other one takes the Device over.
    await h.admin.delete(API_VERSION, "CollectorProfile", ns, "zulu");
    await eventually(async () => {
      const d = await getDevice(ns, "sensor");
      assert.equal(d?.status?.collector, "alpha");
      assert.equal(condition(d, "Assigned")?.reason, "Selected");
      assert.equal((await getProfile(ns, "alpha"))?.status?.devices, 1);
    });
  });

  it("a change of a Device's spec changes agent.yaml and the hash in the pod template", async () => {
    const ns = "plant";
    const name = "amoskys-collector-main";
    const before = (await get<V1Deployment>("apps/v1", "Deployment", ns, name))?.spec?.template
      .metadata?.annotations?.[HASH];
    await h.admin.patchMerge(API_VERSION, "Device", ns, "plc-1", {
      spec: { modbus: { port: 5021 } },
    });
    const dep = await eventually(async () => {
      const dep = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
      assert.notEqual(dep?.spec?.template.metadata?.annotations?.[HASH], before);
      return dep;
    });
    const cm = await get<V1ConfigMap>("v1", "ConfigMap", ns, name);
    const hash = dep?.spec?.template.metadata?.annotations?.[HASH];
    assert.equal(cm?.metadata?.annotations?.[HASH], hash);
    const cfg = parse(cm?.data?.["agent.yaml"] ?? "") as AgentConfig;
    assert.equal(cfg.devices.find((d) => d.name === "plc-1")?.modbus?.port, 5021);
    await eventually(async () =>
      assert.equal((await getProfile(ns, "main"))?.status?.configHash, hash),
    );
    // A label change that deselects a Device takes it out of the config.
    await h.admin.patchMerge(API_VERSION, "Device", ns, "plc-1", {
      metadata: { labels: { site: "b" } },
    });
    await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.deepEqual(p?.status?.deviceNames, ["switch-1"]);
      const d = await getDevice(ns, "plc-1");
      assert.equal(condition(d, "Assigned")?.reason, "NoProfile");
    });
  });

  it("reports Ready from the workload's own status", async () => {
    const ns = "plant";
    const name = "amoskys-collector-main";
    const dep = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
    // What the deployment controller would write (it does not run here).
    await h.admin.applyStatus(
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: ns },
        status: {
          observedGeneration: dep?.metadata?.generation,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      },
      { fieldManager: "test-deployment-controller" },
    );
    await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.equal(condition(p, "Ready")?.status, "True");
      assert.equal(condition(p, "Ready")?.reason, "Available");
      assert.equal(condition(p, "Ready")?.message, "1 of 1 pods available");
    });
  });

  it("reverts a hand-edited Deployment (replicas, an env var)", async () => {
    const ns = "plant";
    const name = "amoskys-collector-main";
    const dep = (await get<V1Deployment>("apps/v1", "Deployment", ns, name)) as V1Deployment;
    const spec = dep.spec as NonNullable<V1Deployment["spec"]>;
    spec.replicas = 5;
    const env = spec.template.spec?.containers[0]?.env?.[0];
    assert.equal(env?.valueFrom?.fieldRef?.fieldPath, "spec.nodeName");
    (env?.valueFrom?.fieldRef as { fieldPath: string }).fieldPath = "metadata.namespace";
    await h.admin.replace(dep); // as kubectl edit does: an update by another manager
    await eventually(async () => {
      const d = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
      assert.equal(d?.spec?.replicas, 1);
      assert.equal(
        d?.spec?.template.spec?.containers[0]?.env?.[0]?.valueFrom?.fieldRef?.fieldPath,
        "spec.nodeName",
      );
    });
    // A deleted ConfigMap comes back too.
    await h.admin.delete("v1", "ConfigMap", ns, name);
    await eventually(async () => assert.ok(await get<V1ConfigMap>("v1", "ConfigMap", ns, name)));
  });

  it("switching to mode daemonset replaces the Deployment (and its Service) with a DaemonSet", async () => {
    const ns = "plant";
    const name = "amoskys-collector-main";
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "main", {
      spec: { mode: "daemonset", replicas: null, architecture: "arm64" },
    });
    await eventually(async () => {
      const ds = await get<V1DaemonSet>("apps/v1", "DaemonSet", ns, name);
      assert.equal(ds?.spec?.template.spec?.nodeSelector?.["kubernetes.io/arch"], "arm64");
      assert.equal(await get("apps/v1", "Deployment", ns, name), undefined);
      assert.equal(await get("v1", "Service", ns, name), undefined);
      const p = await getProfile(ns, "main");
      assert.deepEqual(p?.status?.workload, { kind: "DaemonSet", name });
      assert.equal(p?.status?.observedGeneration, p?.metadata.generation);
    });
  });

  it("an invalid spec the CRD accepts gets Ready=False, reason InvalidSpec, naming the field", async () => {
    const ns = "plant";
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "main", {
      spec: { nodeSelector: { "kubernetes.io/arch": "amd64" } },
    });
    const p = await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.equal(condition(p, "Ready")?.reason, "InvalidSpec");
      return p;
    });
    assert.equal(condition(p, "Ready")?.status, "False");
    assert.equal(
      condition(p, "Ready")?.message,
      'spec.architecture: arm64 contradicts spec.nodeSelector["kubernetes.io/arch"] = "amd64"; no node can match both',
    );
    assert.equal(condition(p, "Ready")?.observedGeneration, p?.metadata.generation);
    assert.equal(p?.status?.observedGeneration, p?.metadata.generation);
    // The last good workload keeps running.
    assert.ok(await get("apps/v1", "DaemonSet", ns, "amoskys-collector-main"));
    // Fixed: rendered again.
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "main", {
      spec: { nodeSelector: null },
    });
    await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.notEqual(condition(p, "Ready")?.reason, "InvalidSpec");
      assert.equal(condition(p, "Ready")?.observedGeneration, p?.metadata.generation);
    });
  });

  it("a Device that cannot be rendered is left out; the profile says so in Degraded, the Device in Assigned", async () => {
    const ns = "plant";
    await h.admin.create(
      device(
        ns,
        "bad-key",
        { site: "a" },
        {
          type: "network",
          snmp: { credentialsSecretRef: { name: "switch-snmp", keys: { community: ".." } } },
        },
      ),
    );
    const p = await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.equal(condition(p, "Degraded")?.reason, "InvalidDevice");
      return p;
    });
    assert.equal(condition(p, "Degraded")?.status, "True");
    assert.equal(
      condition(p, "Degraded")?.message,
      '1 selected Device is left out of the configuration: Device bad-key: spec.snmp.credentialsSecretRef.keys.community: ".." cannot be a file name: it must not be "." or start with ".."',
    );
    assert.deepEqual(p?.status?.deviceNames, ["switch-1"]);
    const d = await eventually(async () => {
      const d = await getDevice(ns, "bad-key");
      assert.equal(condition(d, "Assigned")?.reason, "InvalidSpec");
      return d;
    });
    assert.equal(condition(d, "Assigned")?.status, "False");
    assert.equal(d?.status?.collector, undefined);
    // Fixed: served.
    await h.admin.patchMerge(API_VERSION, "Device", ns, "bad-key", {
      spec: { snmp: { credentialsSecretRef: { keys: { community: "community" } } } },
    });
    await eventually(async () => {
      const p = await getProfile(ns, "main");
      assert.equal(condition(p, "Degraded")?.reason, "AsExpected");
      assert.deepEqual(p?.status?.deviceNames, ["bad-key", "switch-1"]);
      assert.equal((await getDevice(ns, "bad-key"))?.status?.collector, "main");
    });
  });

  it("replicas > 1 runs a StatefulSet whose pods get their shard; 3 -> 1 -> 2 replaces the workload, the old one gone first", async () => {
    const ns = "sharded";
    const name = "amoskys-collector-edge";
    const shardEnv = {
      name: "AMOSKYS_SHARD",
      // As stored: the apiserver defaults the fieldRef's apiVersion.
      valueFrom: {
        fieldRef: {
          apiVersion: "v1",
          fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']",
        },
      },
    };
    const shards = async () =>
      (
        parse(
          (await get<V1ConfigMap>("v1", "ConfigMap", ns, name))?.data?.["agent.yaml"] ?? "",
        ) as AgentConfig
      ).collector.shards;
    await namespace(ns);
    for (const d of ["plc-1", "plc-2", "plc-3", "plc-4"]) await h.admin.create(device(ns, d, {}));
    await h.admin.create(profile(ns, "edge", { replicas: 3 }));
    const sts = await eventually(async () => {
      const sts = await get<V1StatefulSet>("apps/v1", "StatefulSet", ns, name);
      assert.ok(sts);
      return sts;
    });
    assert.equal(sts.spec?.replicas, 3);
    assert.equal(sts.spec?.podManagementPolicy, "Parallel");
    assert.deepEqual(toWire(sts.spec?.template.spec?.containers[0]?.env?.at(-1)), shardEnv);
    assert.equal(await get("apps/v1", "Deployment", ns, name), undefined);
    assert.equal(await shards(), 3);
    await eventually(async () =>
      assert.deepEqual((await getProfile(ns, "edge"))?.status?.workload, {
        kind: "StatefulSet",
        name,
      }),
    );

    // The apiserver validates downward-API paths: a pod as the StatefulSet
    // controller makes it (with its ordinal label) is admitted, a bad path is not.
    const tpl = toWire(sts.spec?.template) as V1PodTemplateSpec;
    const pod = (podName: string, fieldPath: string): V1Pod => {
      const spec = structuredClone(tpl.spec) as V1PodSpec;
      const env = spec.containers[0]?.env?.find((e) => e.name === "AMOSKYS_SHARD");
      assert.ok(env?.valueFrom?.fieldRef);
      env.valueFrom.fieldRef.fieldPath = fieldPath;
      return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: podName,
          namespace: ns,
          labels: { ...tpl.metadata?.labels, "apps.kubernetes.io/pod-index": "1" },
        },
        spec,
      };
    };
    const admitted = await h.admin.create(pod(`${name}-1`, shardEnv.valueFrom.fieldRef.fieldPath));
    assert.deepEqual(toWire(admitted.spec?.containers[0]?.env?.at(-1)), shardEnv);
    await h.admin.delete("v1", "Pod", ns, `${name}-1`);
    await assert.rejects(h.admin.create(pod(`${name}-2`, "metadata.podIndex")), (err: Error) => {
      assert.match(err.message, /422 Invalid: .*fieldPath: Invalid value: "metadata.podIndex"/);
      return true;
    });

    // 3 -> 1: held by a finalizer of ours, the StatefulSet stays while being
    // deleted; until it is gone, no Deployment and no new agent.yaml.
    await h.admin.patchMerge("apps/v1", "StatefulSet", ns, name, {
      metadata: { finalizers: ["test.amoskys.io/hold"] },
    });
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "edge", {
      spec: { replicas: 1 },
    });
    await eventually(async () => {
      const s = await get<V1StatefulSet>("apps/v1", "StatefulSet", ns, name);
      assert.ok(s?.metadata?.deletionTimestamp, "not being deleted");
    });
    const seen = await reconciled(registry, "profile");
    await eventually(async () => assert.ok((await reconciled(registry, "profile")) > seen));
    assert.equal(await get("apps/v1", "Deployment", ns, name), undefined);
    assert.equal(await shards(), 3);
    const held = await get<V1StatefulSet>("apps/v1", "StatefulSet", ns, name);
    await h.admin.patchMerge("apps/v1", "StatefulSet", ns, name, {
      metadata: {
        finalizers: (held?.metadata?.finalizers ?? []).filter((f) => f !== "test.amoskys.io/hold"),
      },
    });
    const dep = await eventually(async () => {
      const dep = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
      assert.ok(dep);
      return dep;
    });
    assert.equal(await get("apps/v1", "StatefulSet", ns, name), undefined);
    assert.equal(dep.spec?.replicas, 1);
    assert.deepEqual(
      dep.spec?.template.spec?.containers[0]?.env?.map((e) => e.name),
      ["AMOSKYS_NODE_NAME", "AMOSKYS_POD_NAME", "AMOSKYS_POD_UID", "NODE_OPTIONS"],
    );
    assert.equal(await shards(), 1);
    await eventually(async () =>
      assert.deepEqual((await getProfile(ns, "edge"))?.status?.workload, {
        kind: "Deployment",
        name,
      }),
    );

    // 1 -> 2: the Deployment goes, a StatefulSet of 2 comes, the config says 2 shards.
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "edge", {
      spec: { replicas: 2 },
    });
    await eventually(async () => {
      const s = await get<V1StatefulSet>("apps/v1", "StatefulSet", ns, name);
      assert.equal(s?.spec?.replicas, 2);
      assert.equal(await get("apps/v1", "Deployment", ns, name), undefined);
      assert.equal(await shards(), 2);
      assert.equal(
        s?.spec?.template.metadata?.annotations?.[HASH],
        (await getProfile(ns, "edge"))?.status?.configHash,
      );
    });
  });

  it("puts the profile's affinity, priority class, pull secrets, pod labels and annotations in the pods; an annotation change rolls them", async () => {
    const ns = "scheduling";
    const name = "amoskys-collector-placed";
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] },
              ],
            },
          ],
        },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchLabels: { "amoskys.io/profile": "placed" } },
              namespaceSelector: {},
              topologyKey: "kubernetes.io/hostname",
              matchLabelKeys: ["pod-template-hash"],
            },
          },
        ],
      },
    };
    await namespace(ns);
    await h.admin.create(
      profile(ns, "placed", {
        affinity,
        priorityClassName: "collectors",
        imagePullSecrets: [{ name: "registry" }],
        podLabels: { team: "ot", "app.kubernetes.io/instance": "mine" },
        podAnnotations: { "example.com/owner": "plant" },
      }),
    );
    const dep = await eventually(async () => {
      const dep = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
      assert.ok(dep);
      return dep;
    });
    const tpl = toWire(dep.spec?.template) as V1PodTemplateSpec;
    assert.deepEqual(tpl.spec?.affinity, affinity);
    assert.equal(tpl.spec?.priorityClassName, "collectors");
    assert.deepEqual(tpl.spec?.imagePullSecrets, [{ name: "registry" }]);
    assert.equal(tpl.metadata?.labels?.team, "ot");
    assert.equal(tpl.metadata?.labels?.["app.kubernetes.io/instance"], "placed");
    assert.equal(tpl.metadata?.annotations?.["example.com/owner"], "plant");
    // A podAnnotations change is a new pod template (a rollout); agent.yaml is the same.
    const hash = tpl.metadata?.annotations?.[HASH];
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "placed", {
      spec: { podAnnotations: { "example.com/owner": "site-ops" } },
    });
    await eventually(async () => {
      const d = await get<V1Deployment>("apps/v1", "Deployment", ns, name);
      const a = d?.spec?.template.metadata?.annotations;
      assert.equal(a?.["example.com/owner"], "site-ops");
      assert.equal(a?.[HASH], hash);
      assert.equal(d?.metadata?.generation, (dep.metadata?.generation ?? 0) + 1);
    });
  });

  it("writes nothing when nothing changes (60 s), not even for status-only changes of others", async () => {
    // Steady state: no write for 5 s in a row.
    let last = await writes(registry);
    await eventually(async () => {
      await sleep(5000);
      const now = await writes(registry);
      const quiet = now === last;
      last = now;
      assert.ok(quiet, "still writing");
    }, 90_000);
    const start = await writes(registry);
    const reconcilesBefore = await reconciled(registry, "device");
    // Others write what the operator does not own: analytics' status fields, an annotation.
    await h.admin.applyStatus(
      {
        apiVersion: API_VERSION,
        kind: "Device",
        metadata: { name: "switch-1", namespace: "plant" },
        status: { lastSeen: "2026-01-01T00:00:00Z", riskScore: 10 },
      },
      { fieldManager: "amoskys-analytics" },
    );
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", "plant", "main", {
      metadata: { annotations: { "example.com/note": "hello" } },
    });
    await sleep(60_000);
    assert.equal(await writes(registry), start, "the operator wrote during the quiet period");
    assert.ok(
      (await reconciled(registry, "device")) > reconcilesBefore,
      "the events were reconciled",
    );
    // Analytics' fields survived the operator's status writes, and the reverse.
    const d = await getDevice("plant", "switch-1");
    assert.equal(d?.status?.riskScore, 10);
    assert.equal(d?.status?.collector, "main");
  });

  it("a new controller (a new leader) converges without writing anything", async () => {
    await controller.stop();
    await controller.stop(); // idempotent
    const next = await h.start(new Registry());
    controller = next.controller;
    const profiles = (await h.admin.list(API_VERSION, "CollectorProfile")).items.length;
    const devices = (await h.admin.list(API_VERSION, "Device")).items.length;
    await eventually(async () => {
      assert.ok((await reconciled(next.registry, "profile")) >= profiles);
      assert.ok((await reconciled(next.registry, "device")) >= devices);
      assert.ok((await reconciled(next.registry, "trust")) >= 1);
    });
    assert.equal(await writes(next.registry), 0);
    assert.equal(controller.ready(), true);
  });
});
