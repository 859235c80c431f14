import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrustStore } from "../../proto/trust.ts";
import { keyPairFromSeed } from "./signing-key.ts";
import { trustConfigMap, trustDocument } from "./trust.ts";

const k = (n: number) => {
  const { publicKey, keyId } = keyPairFromSeed(Buffer.alloc(32, n));
  return { keyId, publicKey: publicKey.toString("base64") };
};

describe("trust document", () => {
  const entries = [
    {
      producerId: "plant-1/plant",
      current: k(2),
      retired: [{ ...k(1), notAfter: "2026-01-01T01:00:00Z" }],
    },
    { producerId: "a-site/edge", current: k(3), retired: [] },
  ];

  it("is proto/trust.ts's format: producers sorted, current key first, retired with notAfter", () => {
    const text = trustDocument(entries);
    assert.equal(
      text,
      [
        "# The collectors' signing keys, written by the AMOSKYS operator. Do not edit.",
        "",
        "producers:",
        "  a-site/edge:",
        `    - keyId: ${k(3).keyId}`,
        `      publicKey: ${k(3).publicKey}`,
        "  plant-1/plant:",
        `    - keyId: ${k(2).keyId}`,
        `      publicKey: ${k(2).publicKey}`,
        `    - keyId: ${k(1).keyId}`,
        `      publicKey: ${k(1).publicKey}`,
        "      notAfter: 2026-01-01T01:00:00Z",
        "",
      ].join("\n"),
    );
    assert.equal(trustDocument([...entries].reverse()), text, "order of the input does not matter");
  });

  it("loads into analytics' TrustStore from the ConfigMap", () => {
    const cm = trustConfigMap("amoskys-system", entries);
    assert.equal(cm.metadata?.name, "amoskys-trust");
    assert.equal(cm.metadata?.namespace, "amoskys-system");
    const store = TrustStore.fromConfigMap(cm as { data: Record<string, string> });
    assert.deepEqual(store.producers().sort(), ["a-site/edge", "plant-1/plant"]);
    assert.equal(
      store.get("plant-1/plant", k(1).keyId)?.notAfter,
      Date.parse("2026-01-01T01:00:00Z"),
    );
    assert.equal(store.get("plant-1/plant", k(2).keyId)?.notAfter, undefined);
  });

  it("is empty but valid with no producers", () => {
    const store = TrustStore.fromConfigMap(
      trustConfigMap("ns", []) as { data: Record<string, string> },
    );
    assert.deepEqual(store.producers(), []);
  });
});
