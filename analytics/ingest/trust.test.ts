// The trust sources: the operator's ConfigMap watched on a real apiserver
// (e2e/env kube, with an analytics user that may only read ConfigMaps), and a
// trust file. An edit takes effect without a restart; a broken document
// keeps the keys that were trusted.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { stringify } from "yaml";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { createKubeClient, type KubeClient } from "../../operator/kube/client.ts";
import { metricValue } from "../../operator/kube/metrics.ts";
import { keyIdOf, rawPublicKey } from "../../proto/signing.ts";
import { createLogger } from "../../runtime/log.ts";
import { TRUST_CONFIGMAP, watchTrust, watchTrustFile } from "./trust.ts";

const ns = "amoskys-system";
const logger = createLogger("test", { write: () => {} });

function key() {
  const pub = rawPublicKey(generateKeyPairSync("ed25519").privateKey);
  return { keyId: keyIdOf(pub), publicKey: pub.toString("base64") };
}
const doc = (producers: Record<string, ReturnType<typeof key> & { revoked?: boolean }>) =>
  stringify({ producers: Object.fromEntries(Object.entries(producers).map(([p, k]) => [p, [k]])) });

function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("trust sources", () => {
  let env: EnvWith<{ kube: true }>;
  let admin: KubeClient;
  let reader: KubeClient;

  before(async () => {
    env = await startEnv({ kube: true, verbose: false });
    admin = createKubeClient(loadKc(env.kube.kubeconfig), { registry: new Registry() });
    reader = createKubeClient(loadKc(await env.kube.mintKubeconfig("analytics")), {
      registry: new Registry(),
    });
    await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await admin.apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "trust-reader", namespace: ns },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    });
    await admin.apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "analytics-reads-trust", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "trust-reader" },
      subjects: [{ kind: "User", name: "analytics", apiGroup: "rbac.authorization.k8s.io" }],
    });
    await eventually(() => reader.list("v1", "ConfigMap", { namespace: ns }));
  });
  after(() => env?.stop());

  it("follows the amoskys-trust ConfigMap: created, edited, broken, deleted", async () => {
    const a = key();
    const b = key();
    const cm = (text: string) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: TRUST_CONFIGMAP, namespace: ns },
      data: { "trust.yaml": text },
    });
    await admin.apply(cm(doc({ "plant-1/edge": a })));
    const registry = new Registry();
    const trust = await watchTrust(reader, ns, { logger, registry });
    try {
      await trust.synced;
      // A workload key is trusted for its pods.
      assert.equal(trust().get("plant-1/edge/edge-6f7c9-x2x4z", a.keyId)?.revoked, false);

      await admin.apply(cm(doc({ "plant-1/edge": { ...a, revoked: true }, "plant-2/gw": b })));
      await until("the edit", () => trust().get("plant-2/gw", b.keyId) !== undefined);
      assert.equal(trust().get("plant-1/edge", a.keyId)?.revoked, true);

      await admin.apply(cm("producers: [not, a, map]"));
      await eventually(async () =>
        assert.equal(
          await metricValue(registry, "amoskys_analytics_trust_reloads_total", {
            result: "invalid",
          }),
          1,
        ),
      );
      assert.ok(trust().get("plant-2/gw", b.keyId), "the previous keys stay");

      await admin.delete("v1", "ConfigMap", ns, TRUST_CONFIGMAP);
      await until("the deletion", () => trust().producers().length === 0);
    } finally {
      await trust.stop();
    }
  });

  it("follows a trust file", async () => {
    const path = join(env.root, "trust.yaml");
    const a = key();
    const b = key();
    await writeFile(path, doc({ "plant-1/edge": a }));
    const trust = watchTrustFile(path, { logger, pollMs: 50 });
    try {
      await trust.synced;
      assert.ok(trust().get("plant-1/edge", a.keyId));
      await writeFile(path, doc({ "plant-1/edge": b }));
      await until("the new key", () => trust().get("plant-1/edge", b.keyId) !== undefined);
      assert.equal(trust().get("plant-1/edge", a.keyId), undefined, "the old key is gone");
      await writeFile(path, "{{{ not yaml");
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(trust().get("plant-1/edge", b.keyId), "a broken file keeps the keys");
      assert.equal(trust.reloads, 2);
    } finally {
      await trust.stop();
    }
  });
});
