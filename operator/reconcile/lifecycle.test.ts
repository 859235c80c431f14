// The signing key's life on a real kube-apiserver v1.36 with its garbage
// collector: created once, rotated by annotation (the old key stays trusted
// for an hour), repaired when unreadable; the trust document is kept as the
// operator writes it; deleting a profile revokes its keys before the
// finalizer goes, and garbage collection removes what the profile owned.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { V1ConfigMap, V1Deployment, V1Secret } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { parse } from "yaml";
import { API_VERSION, type CollectorProfile, type Device } from "../../crds/index.ts";
import { eventually } from "../../e2e/env/eventually.ts";
import type { TrustDocument } from "../../proto/trust.ts";
import { TrustStore } from "../../proto/trust.ts";
import type { Controller } from "./controller.ts";
import {
  device,
  type Harness,
  OPERATOR_NS,
  profile,
  reconciled,
  startHarness,
} from "./testdata/harness.ts";

const ns = "edge";
const SECRET = "amoskys-collector-gw-signing-key";
const HASH = "amoskys.io/config-hash";

describe("signing keys, trust and deletion (real apiserver, garbage collector)", () => {
  let h: Harness;
  let controller: Controller;
  let registry: Registry;

  const getProfile = () => h.admin.get<CollectorProfile>(API_VERSION, "CollectorProfile", ns, "gw");
  const keyId = async () => (await getProfile())?.status?.signingKeyId;
  const trustDoc = async () => {
    const cm = (await h.admin.get("v1", "ConfigMap", OPERATOR_NS, "amoskys-trust")) as V1ConfigMap;
    return parse(cm?.data?.["trust.yaml"] ?? "") as TrustDocument;
  };
  const podHash = async () =>
    ((await h.admin.get("apps/v1", "Deployment", ns, "amoskys-collector-gw")) as V1Deployment)?.spec
      ?.template.metadata?.annotations?.[HASH];

  before(async () => {
    h = await startHarness();
    ({ controller, registry } = await h.start());
    await h.admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await h.admin.create(device(ns, "rtu-1", {}));
    await h.admin.create(profile(ns, "gw"));
  });
  after(() => h?.stop());

  it("rotates the key on amoskys.io/rotate-key; the old key stays trusted with notAfter = now + 1 h", async () => {
    const k1 = await eventually(async () => {
      const k = await keyId();
      assert.ok(k);
      assert.deepEqual(
        (await trustDoc()).producers["edge/gw"]?.map((e) => e.keyId),
        [k],
      );
      return k;
    });
    const hash1 = await podHash();
    assert.ok(hash1);

    const asked = Date.now();
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "gw", {
      metadata: { annotations: { "amoskys.io/rotate-key": "2026-q1" } },
    });
    const k2 = await eventually(async () => {
      const k = await keyId();
      assert.ok(k && k !== k1);
      return k;
    });
    const doc = await eventually(async () => {
      const doc = await trustDoc();
      assert.deepEqual(
        doc.producers["edge/gw"]?.map((e) => e.keyId),
        [k2, k1],
      );
      return doc;
    });
    const [current, old] = doc.producers["edge/gw"] ?? [];
    assert.equal(current?.notAfter, undefined);
    const notAfter = Date.parse(String(old?.notAfter));
    assert.ok(
      notAfter >= asked + 59 * 60_000 && notAfter <= Date.now() + 61 * 60_000,
      String(old?.notAfter),
    );
    // Analytics can load it.
    const store = TrustStore.fromDocument(doc);
    assert.equal(store.get("edge/gw", k1)?.notAfter, notAfter);
    // The Secret records what it was rotated for and keeps the old public key.
    const secret = (await h.admin.get("v1", "Secret", ns, SECRET)) as V1Secret;
    assert.equal(secret.metadata?.annotations?.["amoskys.io/rotated-for"], "2026-q1");
    assert.equal(secret.metadata?.annotations?.["amoskys.io/key-id"], k2);
    assert.equal(Buffer.from(secret.data?.["key-id"] ?? "", "base64").toString(), k2);
    // agent.yaml names the new key id: the pods roll.
    await eventually(async () => assert.notEqual(await podHash(), hash1));

    // The same annotation value again (any later reconcile): no second rotation.
    const before = await reconciled(registry, "profile");
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "gw", {
      metadata: { annotations: { "example.com/touch": "1" } },
    });
    await eventually(async () => assert.ok((await reconciled(registry, "profile")) > before));
    assert.equal(await keyId(), k2);

    // A new value rotates again; both older keys stay listed.
    await h.admin.patchMerge(API_VERSION, "CollectorProfile", ns, "gw", {
      metadata: { annotations: { "amoskys.io/rotate-key": "2026-q2" } },
    });
    await eventually(async () => {
      const k3 = await keyId();
      assert.ok(k3 && k3 !== k2 && k3 !== k1);
      assert.deepEqual(
        (await trustDoc()).producers["edge/gw"]?.map((e) => e.keyId),
        [k3, k2, k1],
      );
    });
  });

  it("rewrites a hand-edited trust document", async () => {
    const want = await trustDoc();
    await h.admin.patchMerge("v1", "ConfigMap", OPERATOR_NS, "amoskys-trust", {
      data: { "trust.yaml": "producers: {}\n" },
    });
    await eventually(async () => assert.deepEqual(await trustDoc(), want));
  });

  it("replaces an unreadable signing key with a new one", async () => {
    const k = await keyId();
    await h.admin.patchMerge("v1", "Secret", ns, SECRET, {
      data: { "ed25519.key": Buffer.from("not a key").toString("base64") },
    });
    await eventually(async () => {
      const k2 = await keyId();
      assert.ok(k2 && k2 !== k);
      assert.equal((await trustDoc()).producers["edge/gw"]?.[0]?.keyId, k2);
    });
  });

  it("deleting the profile revokes its keys before the finalizer goes; GC removes what it owned", async () => {
    const p = await getProfile();
    assert.deepEqual(p?.metadata.finalizers, ["amoskys.io/trust-cleanup"]);
    await h.admin.delete(API_VERSION, "CollectorProfile", ns, "gw");
    await eventually(async () => assert.equal(await getProfile(), undefined));
    // The finalizer went only after the keys had left the trust document.
    assert.equal((await trustDoc()).producers["edge/gw"], undefined);
    // The Device is no longer served.
    await eventually(async () => {
      const d = await h.admin.get<Device>(API_VERSION, "Device", ns, "rtu-1");
      const assigned = d?.status?.conditions?.find((c) => c.type === "Assigned");
      assert.equal(assigned?.reason, "NoProfile");
      assert.equal(d?.status?.collector, undefined);
    });
    // The garbage collector learns new kinds on its ~30 s discovery resync.
    await eventually(async () => {
      for (const [apiVersion, kind, name] of [
        ["v1", "ConfigMap", "amoskys-collector-gw"],
        ["v1", "ServiceAccount", "amoskys-collector-gw"],
        ["v1", "Service", "amoskys-collector-gw"],
        ["apps/v1", "Deployment", "amoskys-collector-gw"],
        ["v1", "Secret", SECRET],
      ] as const) {
        assert.equal(await h.admin.get(apiVersion, kind, ns, name), undefined, `${kind} ${name}`);
      }
    }, 90_000);
    assert.equal(controller.ready(), true);
  });
});
