import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CollectorProfile } from "../../crds/index.ts";
import { keyIdOf, privateKeyFromSeed, rawPublicKey } from "../../proto/signing.ts";
import { keyPairFromSeed, parseSigningKeySecret, retire, signingKeySecret } from "./signing-key.ts";

const profile: CollectorProfile = {
  apiVersion: "amoskys.io/v1alpha1",
  kind: "CollectorProfile",
  metadata: { name: "plant", namespace: "plant-1", uid: "uid-1" },
  spec: { deviceSelector: {} },
};
const seed = Buffer.alloc(32, 7);
const seed2 = Buffer.alloc(32, 9);

describe("signing-key Secret", () => {
  it("holds the seed (base64 in data), the key id, an annotation; owned by the profile", () => {
    const { keyId, publicKey } = keyPairFromSeed(seed);
    assert.equal(keyId, keyIdOf(rawPublicKey(privateKeyFromSeed(seed))));
    assert.equal(publicKey.length, 32);
    const s = signingKeySecret(profile, seed, keyId);
    assert.equal(s.type, "Opaque");
    assert.equal(s.metadata?.name, "amoskys-collector-plant-signing-key");
    assert.equal(s.metadata?.namespace, "plant-1");
    assert.equal(s.metadata?.annotations?.["amoskys.io/key-id"], keyId);
    assert.equal(s.metadata?.labels?.["app.kubernetes.io/component"], "signing-key");
    assert.equal(s.metadata?.ownerReferences?.[0]?.uid, "uid-1");
    assert.equal(s.metadata?.ownerReferences?.[0]?.controller, true);
    assert.deepEqual(Buffer.from(s.data?.["ed25519.key"] ?? "", "base64"), seed);
    assert.equal(Buffer.from(s.data?.["key-id"] ?? "", "base64").toString(), keyId);
    assert.equal(s.data?.["retired-keys.yaml"], undefined);
  });

  it("parses back what it wrote, retired keys included", () => {
    const old = keyPairFromSeed(seed);
    const first = parseSigningKeySecret(signingKeySecret(profile, seed, old.keyId));
    assert.ok(first.ok);
    const retired = retire(first.key, new Date("2026-01-01T01:00:00.500Z"));
    assert.deepEqual(retired, [
      {
        keyId: old.keyId,
        publicKey: old.publicKey.toString("base64"),
        notAfter: "2026-01-01T01:00:00Z",
      },
    ]);
    const next = keyPairFromSeed(seed2);
    const s = signingKeySecret(profile, seed2, next.keyId, { rotatedFor: "r1", retired });
    const parsed = parseSigningKeySecret(s);
    assert.ok(parsed.ok);
    assert.equal(parsed.key.keyId, next.keyId);
    assert.equal(parsed.key.rotatedFor, "r1");
    assert.deepEqual(parsed.key.seed, seed2);
    assert.deepEqual(parsed.key.retired, retired);
    assert.equal(s.metadata?.annotations?.["amoskys.io/rotated-for"], "r1");
  });

  it("keeps at most 4 retired keys, newest first", () => {
    let key = { ...keyPairFromSeed(seed), seed, retired: [] as ReturnType<typeof retire> };
    for (let i = 1; i <= 6; i++) {
      const s = Buffer.alloc(32, i + 20);
      const retired = retire(key, new Date(Date.UTC(2026, 0, i)));
      key = { ...keyPairFromSeed(s), seed: s, retired };
    }
    assert.equal(key.retired.length, 4);
    assert.equal(key.retired[0]?.notAfter, "2026-01-06T00:00:00Z");
  });

  it("refuses a missing or short seed; recomputes a wrong key id", () => {
    assert.deepEqual(parseSigningKeySecret({ data: {} }), {
      ok: false,
      reason: "data.ed25519.key is missing",
    });
    const short = parseSigningKeySecret({
      data: { "ed25519.key": Buffer.alloc(16).toString("base64") },
    });
    assert.equal(short.ok, false);
    const s = signingKeySecret(profile, seed, "0000000000000000");
    const parsed = parseSigningKeySecret(s);
    assert.ok(parsed.ok);
    assert.equal(parsed.key.keyId, keyPairFromSeed(seed).keyId);
  });

  it("drops unreadable retired keys", () => {
    const s = signingKeySecret(profile, seed, keyPairFromSeed(seed).keyId);
    (s.data as Record<string, string>)["retired-keys.yaml"] = Buffer.from(
      "- {keyId: a, publicKey: short, notAfter: 2026-01-01T00:00:00Z}\n- not a key\n",
    ).toString("base64");
    const parsed = parseSigningKeySecret(s);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.key.retired, []);
  });
});
