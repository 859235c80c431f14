// The informer against the real apiserver: events, selectors, and recovery
// from a list/watch that fails (RBAC revoked) and comes back (RBAC restored),
// catching up with what changed meanwhile.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { createLogger } from "../../runtime/log.ts";
import { createKubeClient, type KubeClient } from "./client.ts";
import { type EventType, startInformer } from "./informer.ts";
import { metricValue } from "./metrics.ts";

const ns = "informer-test";

function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

const cm = (name: string, labels: Record<string, string>, data: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: ns, labels },
  data,
});

const binding = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: { name: "watcher-reads-cms", namespace: ns },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
  subjects: [{ kind: "User", name: "watcher", apiGroup: "rbac.authorization.k8s.io" }],
};

describe("informer (real apiserver)", () => {
  let env: EnvWith<{ kube: true }>;
  let admin: KubeClient;
  let watcher: KubeClient;
  let registry: Registry;
  const logLines: string[] = [];
  const logger = createLogger("test", { write: (l) => logLines.push(l) });

  before(async () => {
    env = await startEnv({ kube: true });
    registry = new Registry();
    admin = createKubeClient(loadKc(env.kube.kubeconfig), { registry: new Registry() });
    watcher = createKubeClient(loadKc(await env.kube.mintKubeconfig("watcher")), { registry });
    await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await admin.apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "cm-reader", namespace: ns },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    });
    await admin.apply(binding);
    await eventually(() => watcher.list("v1", "ConfigMap", { namespace: ns }));
  });
  after(() => env?.stop());

  it("syncs, delivers create/update/delete, filters by label, recovers after RBAC is revoked and restored", async () => {
    await admin.apply(cm("before-start", { app: "inf" }, { v: "0" }));
    await admin.apply(cm("doomed", { app: "inf" }));
    const events: { type: EventType; name: string; v?: string }[] = [];
    const seen = (type: EventType, name: string) =>
      events.some((e) => e.type === type && e.name === name);
    const source = await watcher.listWatchSource<V1ConfigMap>("v1", "ConfigMap", {
      namespace: ns,
      labelSelector: "app=inf",
    });
    const informer = startInformer(watcher, {
      ...source,
      onEvent: (type, obj) => events.push({ type, name: obj.metadata?.name ?? "", v: obj.data?.v }),
      registry,
      logger,
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
      watchTimeoutSeconds: 5, // each watch ends after 5 s, so a revoked RBAC shows up soon
    });
    try {
      assert.equal(informer.healthy(), false);
      await informer.synced;
      assert.equal(informer.get(ns, "before-start")?.data?.v, "0");
      assert.deepEqual(events[0], { type: "ADDED", name: "before-start", v: "0" });
      await eventually(() => assert.equal(informer.check(), true));

      // Changes arrive as events; objects without the label never do.
      await admin.apply(cm("ignored", { app: "other" }));
      await admin.apply(cm("c1", { app: "inf" }, { v: "1" }));
      await eventually(() => assert.ok(seen("ADDED", "c1")));
      await admin.apply(cm("c1", { app: "inf" }, { v: "2" }));
      await eventually(() => assert.ok(events.some((e) => e.type === "MODIFIED" && e.v === "2")));
      await admin.delete("v1", "ConfigMap", ns, "c1");
      await eventually(() => assert.ok(seen("DELETED", "c1")));
      assert.ok(!events.some((e) => e.name === "ignored"), "label selector applies to the watch");
      assert.equal(informer.get(ns, "c1"), undefined);
      assert.equal(informer.get(ns, "ignored"), undefined);
      assert.deepEqual(
        informer
          .list(ns)
          .map((c) => c.metadata?.name)
          .sort(),
        ["before-start", "doomed"],
      );
      assert.equal(informer.restarts, 0);

      // Revoke: the next watch (or list) is refused and the informer turns unhealthy.
      await admin.delete("rbac.authorization.k8s.io/v1", "RoleBinding", ns, binding.metadata.name);
      const revokedAt = performance.now();
      await eventually(() => assert.match(String(informer.check()), /list\/watch failing: 403/));
      console.error(
        `# informer unhealthy ${Math.round(performance.now() - revokedAt)} ms after RBAC was revoked`,
      );
      assert.equal(informer.healthy(), false);

      // Changes while it cannot watch.
      await admin.apply(cm("during-outage", { app: "inf" }, { v: "3" }));
      await admin.delete("v1", "ConfigMap", ns, "doomed");
      await admin.apply(cm("before-start", { app: "inf" }, { v: "4" }));
      await eventually(async () => {
        assert.ok(informer.restarts >= 2, "keeps retrying with backoff");
        assert.ok(
          (await metricValue(registry, "amoskys_operator_informer_restarts_total", {
            informer: "ConfigMap",
          })) >= 2,
        );
      });
      assert.equal(informer.get(ns, "during-outage"), undefined, "not seen yet");

      // Restore: it recovers and catches up.
      await admin.apply(binding);
      const restoredAt = performance.now();
      await eventually(() => assert.equal(informer.check(), true));
      console.error(
        `# informer healthy again ${Math.round(performance.now() - restoredAt)} ms after RBAC was restored (${informer.restarts} restarts)`,
      );
      await eventually(() => {
        assert.equal(informer.get(ns, "during-outage")?.data?.v, "3");
        assert.equal(informer.get(ns, "doomed"), undefined);
        assert.equal(informer.get(ns, "before-start")?.data?.v, "4");
      });
      assert.ok(seen("ADDED", "during-outage"));
      assert.ok(seen("DELETED", "doomed"));
      assert.ok(
        events.some((e) => e.type === "MODIFIED" && e.name === "before-start" && e.v === "4"),
      );
      const logged = logLines.map((l) => JSON.parse(l));
      assert.ok(
        logged.some((l) => l.msg === "list/watch failed, restarting" && /403/.test(l.error)),
      );
      assert.ok(logged.some((l) => l.msg === "list/watch recovered"));

      // Watch requests are counted with the client's other requests.
      const watch403 = await metricValue(registry, "amoskys_operator_api_requests_total", {
        verb: "watch",
        kind: "ConfigMap",
        code: "403",
      });
      assert.ok(watch403 >= 1);
      assert.ok(
        (await metricValue(registry, "amoskys_operator_informer_events_total", {
          informer: "ConfigMap",
          type: "DELETED",
        })) >= 2,
      );
    } finally {
      await informer.stop();
    }
    assert.equal(informer.check(), "stopped");
    assert.equal(informer.healthy(), false);
  });

  it("recovers when the first list fails, and syncs once it can list", async () => {
    const kc = loadKc(await env.kube.mintKubeconfig("latecomer"));
    const late = createKubeClient(kc, { registry: new Registry() });
    const informer = startInformer(late, {
      ...(await late.listWatchSource<V1ConfigMap>("v1", "ConfigMap", { namespace: ns })),
      name: "late",
      logger,
      initialBackoffMs: 100,
      maxBackoffMs: 500,
    });
    try {
      await eventually(() => assert.ok(informer.restarts >= 1));
      assert.match(String(informer.check()), /^not synced \(list\/watch failing: .*403/);
      await admin.apply({
        ...binding,
        metadata: { name: "latecomer-reads-cms", namespace: ns },
        subjects: [{ kind: "User", name: "latecomer", apiGroup: "rbac.authorization.k8s.io" }],
      });
      await informer.synced;
      assert.equal(informer.get(ns, "during-outage")?.data?.v, "3");
      await eventually(() => assert.equal(informer.check(), true));
    } finally {
      await informer.stop();
    }
  });

  it("works from a bare KubeConfig, and stop() before sync rejects synced", async () => {
    const kc = loadKc(await env.kube.mintKubeconfig("never-allowed"));
    const informer = startInformer<V1ConfigMap>(kc, {
      path: `/api/v1/namespaces/${ns}/configmaps`,
      list: () =>
        createKubeClient(kc, { registry: new Registry() }).list("v1", "ConfigMap", {
          namespace: ns,
        }),
      logger,
      initialBackoffMs: 100,
    });
    await eventually(() => assert.ok(informer.restarts >= 1));
    await informer.stop();
    await informer.stop(); // twice is fine
    await assert.rejects(informer.synced, /stopped before it synced/);

    const adminKc = loadKc(env.kube.kubeconfig);
    const ok = startInformer<V1ConfigMap>(adminKc, {
      path: `/api/v1/namespaces/${ns}/configmaps`,
      list: () => admin.list("v1", "ConfigMap", { namespace: ns }),
      logger,
    });
    try {
      await ok.synced;
      assert.ok(ok.list().some((c) => c.metadata?.name === "during-outage"));
      assert.equal(ok.name, `/api/v1/namespaces/${ns}/configmaps`);
    } finally {
      await ok.stop();
    }
  });
});
