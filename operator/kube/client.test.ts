// KubeClient against the real apiserver of the test environment.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ApiextensionsV1Api,
  KubeConfig,
  type KubernetesObject,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import {
  createKubeClient,
  isAlreadyExists,
  isConflict,
  isNotFound,
  KubeApiError,
  type KubeClient,
} from "./client.ts";
import { metricValue } from "./metrics.ts";

const group = "kubetest.amoskys.io";
const apiVersion = `${group}/v1`;

interface Widget {
  apiVersion: string;
  kind: "Widget";
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    managedFields?: { manager?: string; subresource?: string }[];
  };
  spec?: { size?: number };
  status?: { phase?: string; observedGeneration?: number };
}

function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

describe("KubeClient (real apiserver)", () => {
  let env: EnvWith<{ kube: true }>;
  let registry: Registry;
  let client: KubeClient;
  const requests = (labels: Record<string, string>) =>
    metricValue(registry, "amoskys_operator_api_requests_total", labels);

  before(async () => {
    env = await startEnv({ kube: true });
    registry = new Registry();
    client = createKubeClient(loadKc(env.kube.kubeconfig), { registry, fieldManager: "kube-test" });
    const ext = loadKc(env.kube.kubeconfig).makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { plural: "widgets", singular: "widget", kind: "Widget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  properties: {
                    spec: { type: "object", properties: { size: { type: "integer" } } },
                    status: {
                      type: "object",
                      properties: {
                        phase: { type: "string" },
                        observedGeneration: { type: "integer" },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    // Until discovery serves the new kind, calls fail with NoKindMatch.
    await eventually(() => client.list(apiVersion, "Widget", { namespace: "default" }));
  });
  after(() => env?.stop());

  it("get() answers undefined for a missing object; apply() creates, then updates", async () => {
    assert.equal(await client.get("v1", "ConfigMap", "default", "applied"), undefined);
    const cm: V1ConfigMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "applied", namespace: "default", labels: { app: "t" } },
      data: { a: "1" },
    };
    const created = await client.apply(cm);
    assert.equal(created.data?.a, "1");
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, "built-in kinds are typed");
    const updated = await client.apply({ ...cm, data: { a: "2", b: "3" } });
    assert.deepEqual(updated.data, { a: "2", b: "3" });
    assert.equal(updated.metadata?.uid, created.metadata?.uid);
    const managers = updated.metadata?.managedFields?.map((f) => f.manager);
    assert.deepEqual(managers, ["kube-test"]);
    const got = await client.get<V1ConfigMap>("v1", "ConfigMap", "default", "applied");
    assert.equal(got?.data?.b, "3");
    // Applying what is already there changes nothing.
    const again = await client.apply({ ...cm, data: { a: "2", b: "3" } });
    assert.equal(again.metadata?.resourceVersion, updated.metadata?.resourceVersion);

    assert.equal(await requests({ verb: "apply", kind: "ConfigMap", code: "201" }), 1);
    assert.equal(await requests({ verb: "apply", kind: "ConfigMap", code: "200" }), 2);
    assert.equal(await requests({ verb: "get", kind: "ConfigMap", code: "404" }), 1);
    assert.equal(await requests({ verb: "get", kind: "ConfigMap", code: "200" }), 1);
    // One discovery of core/v1 for all of it (cached).
    assert.equal(await requests({ verb: "discovery", kind: "ConfigMap" }), 1);
    assert.equal(cm.metadata?.resourceVersion, undefined, "the caller's object is not modified");
  });

  it("apply() forces ownership by default, and reports a conflict when asked not to", async () => {
    const cm = (v: string): V1ConfigMap => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "contested", namespace: "default" },
      data: { k: v },
    });
    await client.apply(cm("theirs"), { fieldManager: "someone-else" });
    await assert.rejects(client.apply(cm("ours"), { force: false }), (err) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.code, 409);
      assert.equal(err.reason, "Conflict");
      assert.ok(isConflict(err));
      assert.deepEqual(err.ref, {
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: "default",
        name: "contested",
      });
      return true;
    });
    const taken = await client.apply(cm("ours"));
    assert.equal(taken.data?.k, "ours");
    const owners = taken.metadata?.managedFields?.filter((f) =>
      JSON.stringify(f.fieldsV1 ?? {}).includes("f:k"),
    );
    assert.deepEqual(
      owners?.map((f) => f.manager),
      ["kube-test"],
    );
  });

  it("applyStatus() writes only the status subresource of a custom resource", async () => {
    const w: Widget = {
      apiVersion,
      kind: "Widget",
      metadata: { name: "w1", namespace: "default" },
      spec: { size: 1 },
      status: { phase: "ignored-by-main-resource" },
    };
    const created = await client.apply(w);
    assert.equal(created.metadata.generation, 1);
    const raw = created.metadata as { creationTimestamp?: unknown };
    assert.equal(typeof raw.creationTimestamp, "string", "custom resources are the JSON as sent");
    assert.equal(created.status, undefined);
    const withStatus = await client.applyStatus<Widget>({
      apiVersion,
      kind: "Widget",
      metadata: { name: "w1", namespace: "default" },
      status: { phase: "Ready", observedGeneration: 1 },
    });
    assert.deepEqual(withStatus.status, { phase: "Ready", observedGeneration: 1 });
    assert.equal(withStatus.spec?.size, 1, "spec untouched");
    assert.equal(withStatus.metadata.generation, 1, "a status write does not bump generation");
    const statusManager = withStatus.metadata.managedFields?.find(
      (f) => f.subresource === "status",
    );
    assert.equal(statusManager?.manager, "kube-test");
    assert.equal(await requests({ verb: "apply_status", kind: "Widget", code: "200" }), 1);

    // Applying the object again (without status) keeps the status.
    const respec = await client.apply<Widget>({ ...w, spec: { size: 2 }, status: undefined });
    assert.equal(respec.metadata.generation, 2);
    assert.equal(respec.status?.phase, "Ready");
  });

  it("applyStatus() works for a built-in kind too", async () => {
    await client.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "status-ns" },
    });
    const ns = await client.applyStatus({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "status-ns" },
      status: { conditions: [{ type: "Example", status: "True", reason: "Test" }] },
    } as KubernetesObject);
    assert.equal(
      (ns as { status?: { conditions?: { type: string }[] } }).status?.conditions?.[0]?.type,
      "Example",
    );
  });

  it("list() follows pages and filters by label", async () => {
    for (let i = 0; i < 5; i++) {
      await client.apply({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `paged-${i}`, namespace: "default", labels: { paged: "yes" } },
      });
    }
    const before = await requests({ verb: "list", kind: "ConfigMap" });
    const list = await client.list<V1ConfigMap>("v1", "ConfigMap", {
      namespace: "default",
      labelSelector: "paged=yes",
      pageSize: 2,
    });
    assert.deepEqual(list.items.map((c) => c.metadata?.name).sort(), [
      "paged-0",
      "paged-1",
      "paged-2",
      "paged-3",
      "paged-4",
    ]);
    assert.ok(list.metadata?.resourceVersion);
    assert.equal((await requests({ verb: "list", kind: "ConfigMap" })) - before, 3, "3 pages");
    const all = await client.list("v1", "ConfigMap");
    assert.ok(all.items.some((c) => c.metadata?.namespace === "kube-system"));
  });

  it("patchMerge() sets finalizers and annotations; delete() waits for finalizers, 404 is done", async () => {
    await client.apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "finalized", namespace: "default" },
    });
    const patched = await client.patchMerge<V1ConfigMap>(
      "v1",
      "ConfigMap",
      "default",
      "finalized",
      {
        metadata: { finalizers: ["amoskys.io/cleanup"], annotations: { "amoskys.io/x": "1" } },
      },
    );
    assert.deepEqual(patched.metadata?.finalizers, ["amoskys.io/cleanup"]);
    assert.equal(patched.metadata?.annotations?.["amoskys.io/x"], "1");

    assert.equal(await client.delete("v1", "ConfigMap", "default", "finalized"), true);
    const terminating = await client.get<V1ConfigMap>("v1", "ConfigMap", "default", "finalized");
    assert.ok(terminating?.metadata?.deletionTimestamp, "held by its finalizer");

    // A conditional patch with a stale resourceVersion is a conflict.
    await assert.rejects(
      client.patchMerge("v1", "ConfigMap", "default", "finalized", {
        metadata: { resourceVersion: patched.metadata?.resourceVersion, finalizers: [] },
      }),
      isConflict,
    );
    await client.patchMerge("v1", "ConfigMap", "default", "finalized", {
      metadata: { finalizers: [], annotations: { "amoskys.io/x": null } },
    });
    await eventually(async () =>
      assert.equal(await client.get("v1", "ConfigMap", "default", "finalized"), undefined),
    );
    assert.equal(await client.delete("v1", "ConfigMap", "default", "finalized"), false);
    assert.equal(await requests({ verb: "delete", kind: "ConfigMap", code: "404" }), 1);
  });

  it("create() and replace() are typed: AlreadyExists, Conflict on a stale resourceVersion", async () => {
    const w: Widget = {
      apiVersion,
      kind: "Widget",
      metadata: { name: "w2", namespace: "default" },
      spec: { size: 1 },
    };
    const created = await client.create(w);
    await assert.rejects(client.create(w), (err) => {
      assert.ok(isAlreadyExists(err));
      assert.ok(!isConflict(err));
      assert.equal((err as KubeApiError).reason, "AlreadyExists");
      return true;
    });
    const replaced = await client.replace({ ...created, spec: { size: 2 } });
    assert.equal(replaced.spec?.size, 2);
    await assert.rejects(client.replace({ ...created, spec: { size: 3 } }), (err) => {
      assert.ok(isConflict(err));
      assert.equal((err as KubeApiError).verb, "update");
      assert.match((err as Error).message, /update Widget\.kubetest\.amoskys\.io default\/w2: 409/);
      return true;
    });
  });

  it("a kind that is not served is NoKindMatch, not a missing object", async () => {
    await assert.rejects(client.get("nope.amoskys.io/v1", "Nope", "default", "x"), (err) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.reason, "NoKindMatch");
      assert.equal(err.verb, "get");
      assert.ok(!isNotFound(err));
      return true;
    });
    await assert.rejects(client.get(apiVersion, "Gizmo", "default", "x"), /NoKindMatch/);
  });

  it("a forbidden call is a 403 KubeApiError naming the object", async () => {
    const nobody = createKubeClient(loadKc(await env.kube.mintKubeconfig("nobody")), {
      registry,
    });
    await assert.rejects(nobody.get("v1", "Secret", "default", "s"), (err) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.code, 403);
      assert.equal(err.reason, "Forbidden");
      assert.equal(err.status?.kind, "Status");
      assert.deepEqual(err.ref, {
        apiVersion: "v1",
        kind: "Secret",
        namespace: "default",
        name: "s",
      });
      return true;
    });
    assert.ok((await requests({ verb: "get", kind: "Secret", code: "403" })) >= 1);
  });

  it("an aborted call is a KubeApiError with code 0, counted as <error>", async () => {
    await assert.rejects(
      client.get("v1", "ConfigMap", "default", "applied", { signal: AbortSignal.abort() }),
      (err) => {
        assert.ok(err instanceof KubeApiError);
        assert.equal(err.code, 0);
        assert.equal(err.reason, "Aborted");
        return true;
      },
    );
    assert.equal(await requests({ verb: "get", code: "<error>" }), 1);
  });

  it("resourcePath() and listWatchSource() resolve collection paths", async () => {
    assert.equal(
      await client.resourcePath("v1", "ConfigMap", "default"),
      "/api/v1/namespaces/default/configmaps",
    );
    assert.equal(await client.resourcePath("v1", "Namespace"), "/api/v1/namespaces");
    assert.equal(await client.resourcePath(apiVersion, "Widget"), `/apis/${group}/v1/widgets`);
    const src = await client.listWatchSource<Widget>(apiVersion, "Widget", {
      namespace: "default",
    });
    assert.equal(src.path, `/apis/${group}/v1/namespaces/default/widgets`);
    const names = (await src.list()).items.map((w) => w.metadata.name).sort();
    assert.deepEqual(names, ["w1", "w2"]);
    // Pages of custom resources too.
    const paged = await client.list<Widget>(apiVersion, "Widget", {
      namespace: "default",
      pageSize: 1,
    });
    assert.deepEqual(paged.items.map((w) => w.metadata.name).sort(), ["w1", "w2"]);
  });
});
