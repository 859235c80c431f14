// Smoke test of the Kubernetes control plane of the test environment: the
// pinned version, CRDs with a status subresource, watches, RBAC, and the
// controller-manager's garbage collector and namespace controller.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import { eventually } from "../env/eventually.ts";
import { type EnvWith, startEnv } from "../env/index.ts";
import { KUBERNETES_VERSION } from "../env/toolchain.ts";

const exec = promisify(execFile);
const group = "smoke.amoskys.io";
const version = "v1";
const plural = "gadgets";
const ns = "default";
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

type Gadget = {
  metadata: { name: string; uid: string; resourceVersion: string; generation: number };
  spec?: { size?: number };
  status?: { phase?: string };
};

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

describe("kube (etcd + kube-apiserver + kube-controller-manager)", () => {
  let env: EnvWith<{ kube: true }>;
  let kc: KubeConfig;

  before(async () => {
    env = await startEnv({ kube: true });
    kc = new KubeConfig();
    kc.loadFromFile(env.kube.kubeconfig);
  });
  after(() => env?.stop());

  it("kubectl version shows the pinned server version", async () => {
    const { stdout } = await exec(env.kube.kubectl, [
      "--kubeconfig",
      env.kube.kubeconfig,
      "version",
      "-o",
      "json",
    ]);
    const v = JSON.parse(stdout);
    assert.equal(v.serverVersion.gitVersion, KUBERNETES_VERSION);
    assert.equal(v.clientVersion.gitVersion, KUBERNETES_VERSION);
  });

  it("installs a CRD with a status subresource, watches and patches a custom resource", async () => {
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `${plural}.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { plural, singular: "gadget", kind: "Gadget" },
          versions: [
            {
              name: version,
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  properties: {
                    spec: { type: "object", properties: { size: { type: "integer" } } },
                    status: { type: "object", properties: { phase: { type: "string" } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await eventually(async () => {
      const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${group}` });
      const established = crd.status?.conditions?.find((c) => c.type === "Established");
      assert.equal(established?.status, "True");
    });

    // A new CRD's watch cache may answer 429 for a moment: restart the watch on
    // error, as informers do, and only go on once a sentinel object shows up.
    const seen: { type: string; obj: Gadget }[] = [];
    const watch = new Watch(kc);
    let aborter: AbortController | undefined;
    let stopped = false;
    const startWatch = async (): Promise<void> => {
      aborter = await watch.watch(
        `/apis/${group}/${version}/namespaces/${ns}/${plural}`,
        {},
        (type, obj) => seen.push({ type, obj }),
        (err) => {
          if (err && !stopped) setTimeout(startWatch, 200);
        },
      );
    };
    await startWatch();
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: ns,
      plural,
      body: { apiVersion: `${group}/${version}`, kind: "Gadget", metadata: { name: "sentinel" } },
    });
    await eventually(() => assert.ok(seen.some((e) => e.obj.metadata.name === "sentinel")));
    try {
      const created = (await custom.createNamespacedCustomObject({
        group,
        version,
        namespace: ns,
        plural,
        body: {
          apiVersion: `${group}/${version}`,
          kind: "Gadget",
          metadata: { name: "g1" },
          spec: { size: 3 },
        },
      })) as Gadget;
      assert.equal(created.metadata.generation, 1);

      const patched = (await custom.patchNamespacedCustomObjectStatus(
        { group, version, namespace: ns, plural, name: "g1", body: { status: { phase: "Ready" } } },
        mergePatch,
      )) as Gadget;
      assert.equal(patched.status?.phase, "Ready");
      assert.equal(patched.spec?.size, 3);
      // A status write does not bump the generation (that is what observedGeneration relies on).
      assert.equal(patched.metadata.generation, 1);

      // Through the main resource, status is ignored: the subresource owns it.
      const viaMain = (await custom.patchNamespacedCustomObject(
        {
          group,
          version,
          namespace: ns,
          plural,
          name: "g1",
          body: { spec: { size: 4 }, status: { phase: "Hacked" } },
        },
        mergePatch,
      )) as Gadget;
      assert.equal(viaMain.status?.phase, "Ready");
      assert.equal(viaMain.metadata.generation, 2);

      await eventually(() => {
        const forG1 = seen.filter((e) => e.obj.metadata.name === "g1").map((e) => e.type);
        assert.deepEqual(forG1, ["ADDED", "MODIFIED", "MODIFIED"]);
        assert.equal(seen.at(-1)?.obj.status?.phase, "Ready");
      }, 10_000);
    } finally {
      stopped = true;
      aborter?.abort();
    }
  });

  it("garbage-collects a ConfigMap owned by a deleted custom resource", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const owner = (await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: ns,
      plural,
      body: { apiVersion: `${group}/${version}`, kind: "Gadget", metadata: { name: "owner" } },
    })) as Gadget;
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: {
        metadata: {
          name: "owned",
          ownerReferences: [
            {
              apiVersion: `${group}/${version}`,
              kind: "Gadget",
              name: "owner",
              uid: owner.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        data: { k: "v" },
      },
    });
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "bystander" } },
    });
    await custom.deleteNamespacedCustomObject({
      group,
      version,
      namespace: ns,
      plural,
      name: "owner",
    });
    await eventually(async () => {
      await assert.rejects(
        core.readNamespacedConfigMap({ namespace: ns, name: "owned" }),
        isNotFound,
      );
    });
    // Not owned, not collected.
    await core.readNamespacedConfigMap({ namespace: ns, name: "bystander" });
  });

  it("deletes a namespace with its contents (namespace controller)", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await core.createNamespacedConfigMap({
      namespace: "doomed",
      body: { metadata: { name: "cm" } },
    });
    await core.deleteNamespace({ name: "doomed" });
    await eventually(async () => {
      await assert.rejects(core.readNamespace({ name: "doomed" }), isNotFound);
    });
  });

  it("enforces RBAC for a minted user until a RoleBinding grants access", async () => {
    const aliceConfig = await env.kube.mintKubeconfig("alice", ["amoskys:viewers"]);
    const alice = new KubeConfig();
    alice.loadFromFile(aliceConfig);
    const aliceCore = alice.makeApiClient(CoreV1Api);
    await assert.rejects(aliceCore.listNamespacedConfigMap({ namespace: ns }), (err: unknown) => {
      return (err as { code?: number }).code === 403;
    });

    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: "cm-reader" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: "viewers-read-cms" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
        subjects: [
          { kind: "Group", name: "amoskys:viewers", apiGroup: "rbac.authorization.k8s.io" },
        ],
      },
    });
    const list = await eventually(() => aliceCore.listNamespacedConfigMap({ namespace: ns }));
    assert.ok(list.items.some((cm) => cm.metadata?.name === "bystander"));
    // Still no write access.
    await assert.rejects(
      aliceCore.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "x" } } }),
      (err: unknown) => (err as { code?: number }).code === 403,
    );
  });

  it("restarts the apiserver on the same address, keeping its data", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "survivor" } },
    });
    await env.kube.restartApiserver(500);
    const cm = await core.readNamespacedConfigMap({ namespace: ns, name: "survivor" });
    assert.equal(cm.metadata?.name, "survivor");
    assert.equal(
      env.services.filter((s) => s.name === "kube-apiserver" && s.isRunning()).length,
      1,
    );
  });
});
