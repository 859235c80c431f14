// Every reason the verifier gives, each provoked by the batch that earns it.
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { decodeEvents, type SignedBatch, v1 } from "./codec.ts";
import { BatchSigner } from "./sign-batch.ts";
import {
  Compression,
  keyIdOf,
  rawPublicKey,
  SCHEMA_VERSION,
  signInput,
  signingInput,
} from "./signing.ts";
import { TrustStore } from "./trust.ts";
import { BatchVerifier, type Verdict } from "./verify-batch.ts";

const PRODUCER = "plant-1/edge-collectors";
const event = {
  id: "e1",
  device: { namespace: "plant-1", name: "plc-7" },
  metric: { name: "t", value: 1 },
};

function newKey() {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pub = rawPublicKey(privateKey);
  return { privateKey, publicKey: pub, keyId: keyIdOf(pub) };
}

function setup(
  opts: { notBefore?: number; notAfter?: number; revoked?: boolean; maxPayloadBytes?: number } = {},
) {
  const k = newKey();
  const trust = TrustStore.fromDocument({
    producers: {
      [PRODUCER]: [
        {
          keyId: k.keyId,
          publicKey: k.publicKey.toString("base64"),
          ...(opts.notBefore !== undefined && {
            notBefore: new Date(opts.notBefore).toISOString(),
          }),
          ...(opts.notAfter !== undefined && { notAfter: new Date(opts.notAfter).toISOString() }),
          ...(opts.revoked && { revoked: true }),
        },
      ],
    },
  });
  const signer = (now = Date.now, privateKey: KeyObject = k.privateKey) =>
    new BatchSigner({ producerId: PRODUCER, keyId: k.keyId, privateKey, now });
  const verifier = new BatchVerifier(trust, {
    maxPayloadBytes: opts.maxPayloadBytes ?? 64 * 1024,
    replayWindow: 8,
  });
  return { k, trust, signer, verifier };
}

function reason(v: Verdict): string {
  return v.ok ? "accepted" : v.reason;
}

/** check + commit, as a consumer does after its durable write. */
function accept(verifier: BatchVerifier, bytes: Uint8Array): Verdict {
  const v = verifier.check(bytes);
  if (v.ok) verifier.commit(v);
  return v;
}

/** Re-signs a modified batch with `key`, so only the modification is wrong. */
function resign(bytes: Uint8Array, change: (b: SignedBatch) => void, key: KeyObject): Uint8Array {
  const b = v1.SignedBatch.decode(bytes);
  change(b);
  b.signature = signInput(signingInput(b, b.payload), key);
  return v1.SignedBatch.encode(b).finish();
}

describe("BatchVerifier", () => {
  it("accepts a chain in order and a late batch inside the window", () => {
    const { signer, verifier } = setup();
    const s = signer();
    const batches = [1, 2, 3, 4].map(() => s.seal([event]).bytes);
    const [b1, b2, b3, b4] = batches as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    assert.equal(reason(accept(verifier, b1)), "accepted");
    assert.equal(reason(accept(verifier, b2)), "accepted");
    const v4 = accept(verifier, b4);
    assert.ok(v4.ok);
    assert.deepEqual(v4.gap, { expected: 3, got: 4 });
    const v3 = accept(verifier, b3); // arrives late, links both ways
    assert.ok(v3.ok);
    assert.equal(v3.gap, undefined);
  });

  it("check() alone does not consume the sequence number (the write may fail and the batch come again)", () => {
    const { signer, verifier } = setup();
    const b1 = signer().seal([event]).bytes;
    assert.equal(reason(verifier.check(b1)), "accepted");
    assert.equal(reason(verifier.check(b1)), "accepted");
    assert.equal(reason(accept(verifier, b1)), "accepted");
    assert.equal(reason(verifier.check(b1)), "replay");
  });

  it("replay: the same batch again, or one older than the window", () => {
    const { signer, verifier } = setup();
    const s = signer();
    const all = Array.from({ length: 12 }, () => s.seal([event]).bytes);
    const first = all[0] as Uint8Array;
    assert.equal(reason(accept(verifier, first)), "accepted");
    assert.equal(reason(verifier.check(first)), "replay");
    for (const b of all.slice(2)) assert.equal(reason(accept(verifier, b)), "accepted");
    // Batch 2 never came; it is now older than the 8-batch window.
    const v = verifier.check(all[1] as Uint8Array);
    assert.equal(reason(v), "replay");
  });

  it("sequence gap: accepted (it is authentic) but reported", () => {
    const { signer, verifier } = setup();
    const s = signer();
    const b1 = s.seal([event]).bytes;
    s.seal([event]);
    s.seal([event]);
    const b4 = s.seal([event]).bytes;
    accept(verifier, b1);
    const v = verifier.check(b4);
    assert.ok(v.ok);
    assert.deepEqual(v.gap, { expected: 2, got: 4 });
  });

  it("chain break: a validly signed batch whose previous hash is not the batch before it", () => {
    const { k, signer, verifier } = setup();
    const s = signer();
    accept(verifier, s.seal([event]).bytes);
    const b2 = s.seal([event]).bytes;
    const forked = resign(
      b2,
      (b) => {
        b.prevHash = Buffer.alloc(32, 7);
      },
      k.privateKey,
    );
    assert.equal(reason(verifier.check(forked)), "chain_break");
    assert.equal(reason(verifier.check(b2)), "accepted");
  });

  it("chain break: a first batch that claims a predecessor", () => {
    const { k, signer, verifier } = setup();
    const b1 = signer().seal([event]).bytes;
    const bad = resign(
      b1,
      (b) => {
        b.prevHash = Buffer.alloc(32, 1);
      },
      k.privateKey,
    );
    assert.equal(reason(verifier.check(bad)), "chain_break");
  });

  it("bad signature: one flipped payload byte, or a signature by another key", () => {
    const { signer, verifier } = setup();
    const b = v1.SignedBatch.decode(signer().seal([event]).bytes);
    const tampered = Buffer.from(b.payload);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    b.payload = tampered;
    assert.equal(reason(verifier.check(v1.SignedBatch.encode(b).finish())), "bad_signature");
    const impostor = signer(Date.now, newKey().privateKey).seal([event]).bytes;
    assert.equal(reason(verifier.check(impostor)), "bad_signature");
  });

  it("unknown key: an unknown key id, or a producer nobody registered", () => {
    const { k, signer, verifier } = setup();
    const b = signer().seal([event]).bytes;
    assert.equal(
      reason(
        verifier.check(
          resign(
            b,
            (x) => {
              x.keyId = "0000000000000000";
            },
            k.privateKey,
          ),
        ),
      ),
      "unknown_key",
    );
    assert.equal(
      reason(
        verifier.check(
          resign(
            b,
            (x) => {
              x.producerId = "other/producer";
            },
            k.privateKey,
          ),
        ),
      ),
      "unknown_key",
    );
  });

  it("revoked key", () => {
    const { signer, verifier } = setup({ revoked: true });
    assert.equal(reason(verifier.check(signer().seal([event]).bytes)), "revoked_key");
  });

  it("expired key: created after notAfter or before notBefore", () => {
    const t = Date.parse("2026-06-01T00:00:00Z");
    const { signer, verifier } = setup({ notBefore: t, notAfter: t + 86_400_000 });
    assert.equal(
      reason(verifier.check(signer(() => t + 3_600_000).seal([event]).bytes)),
      "accepted",
    );
    assert.equal(
      reason(verifier.check(signer(() => t + 2 * 86_400_000).seal([event]).bytes)),
      "expired_key",
    );
    assert.equal(reason(verifier.check(signer(() => t - 1).seal([event]).bytes)), "expired_key");
  });

  it("rotation: batches signed with either of a producer's keys verify; a reloaded trust set takes effect", () => {
    const { k, verifier } = setup();
    const k2 = newKey();
    const s2 = new BatchSigner({
      producerId: PRODUCER,
      keyId: k2.keyId,
      privateKey: k2.privateKey,
    });
    assert.equal(reason(verifier.check(s2.seal([event]).bytes)), "unknown_key");
    verifier.setTrust(
      TrustStore.fromDocument({
        producers: {
          [PRODUCER]: [
            { keyId: k.keyId, publicKey: k.publicKey.toString("base64") },
            { keyId: k2.keyId, publicKey: k2.publicKey.toString("base64") },
          ],
        },
      }),
    );
    assert.equal(reason(verifier.check(s2.seal([event]).bytes)), "accepted");
  });

  it("oversize: a payload above the limit, checked before the signature", () => {
    const { signer, verifier } = setup({ maxPayloadBytes: 1024 });
    const big = { ...event, metric: { name: "x".repeat(2000), value: 1 } };
    const v = verifier.check(signer().seal([big]).bytes);
    assert.equal(reason(v), "oversize");
  });

  it("unsupported schema version", () => {
    const { k, signer, verifier } = setup();
    const b = resign(
      signer().seal([event]).bytes,
      (x) => {
        x.schemaVersion = SCHEMA_VERSION + 1;
      },
      k.privateKey,
    );
    const v = verifier.check(b);
    assert.equal(reason(v), "unsupported_schema");
    assert.match(v.ok ? "" : v.detail, /schema version 2/);
  });

  it("malformed: bytes that are not a SignedBatch, never an exception", () => {
    const { verifier } = setup();
    for (const junk of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from("hello"), Buffer.alloc(0)]) {
      const v = verifier.check(junk);
      // Some junk happens to parse as an (empty) envelope; it still never passes.
      assert.ok(!v.ok && ["malformed", "unsupported_schema"].includes(v.reason), reason(v));
    }
    assert.equal(reason(verifier.check(Buffer.from([0x0a, 0x05, 0x01]))), "malformed"); // truncated field
  });

  it("a checkpointed state restores replay protection after a restart", () => {
    const { trust, signer, verifier } = setup();
    const b1 = signer().seal([event]).bytes;
    accept(verifier, b1);
    const restarted = new BatchVerifier(trust);
    restarted.importState(JSON.parse(JSON.stringify(verifier.exportState())));
    assert.equal(reason(restarted.check(b1)), "replay");
  });
});

describe("TrustStore", () => {
  const k = newKey();
  const doc = `producers:\n  ${PRODUCER}:\n    - keyId: ${k.keyId}\n      publicKey: ${k.publicKey.toString("base64")}\n      notAfter: 2030-01-01T00:00:00Z\n`;

  it("loads from a ConfigMap and from a Secret (base64 data)", () => {
    const fromCm = TrustStore.fromConfigMap({ data: { "trust.yaml": doc } });
    assert.equal(fromCm.get(PRODUCER, k.keyId)?.notAfter, Date.parse("2030-01-01T00:00:00Z"));
    const fromSecret = TrustStore.fromSecret({
      data: { "trust.yaml": Buffer.from(doc).toString("base64") },
    });
    assert.deepEqual(fromSecret.producers(), [PRODUCER]);
  });

  it("names the field of every problem", () => {
    assert.throws(() => TrustStore.fromYaml("{}"), /^TrustDocumentError: producers: must be a map/);
    assert.throws(
      () => TrustStore.fromYaml(`producers:\n  p:\n    - keyId: a\n      publicKey: AAAA\n`),
      /producers\.p\[0\]\.publicKey: must be the base64 of a 32-byte Ed25519 key/,
    );
    assert.throws(
      () =>
        TrustStore.fromYaml(
          `producers:\n  p:\n    - publicKey: ${k.publicKey.toString("base64")}\n`,
        ),
      /producers\.p\[0\]\.keyId: is required/,
    );
    assert.throws(
      () =>
        TrustStore.fromYaml(
          `producers:\n  p:\n    - keyId: a\n      publicKey: ${k.publicKey.toString("base64")}\n      notAfter: soon\n`,
        ),
      /producers\.p\[0\]\.notAfter: must be an RFC 3339 time/,
    );
    assert.throws(() => TrustStore.fromConfigMap({ data: {} }), /data\.trust\.yaml: is missing/);
  });
});

describe("payload decoding of hostile input", () => {
  it("a gzip bomb is cut off at the limit with a reason, not expanded", () => {
    const bomb = gzipSync(Buffer.alloc(50 << 20)); // 50 MiB of zeros, ~50 KiB compressed
    const batch = v1.SignedBatch.create({
      payload: bomb,
      compression: Compression.COMPRESSION_GZIP,
    });
    const r = decodeEvents(batch, 1 << 20);
    assert.deepEqual(r, { ok: false, reason: "payload too large once decompressed" });
  });

  it("garbage in a valid envelope is a reason, not an exception", () => {
    for (const c of [
      Compression.COMPRESSION_NONE,
      Compression.COMPRESSION_GZIP,
      Compression.COMPRESSION_ZSTD,
    ]) {
      const r = decodeEvents(
        v1.SignedBatch.create({ payload: Buffer.from([0xff, 0x01, 0x02]), compression: c }),
        1 << 20,
      );
      assert.equal(r.ok, false);
    }
  });
});

describe("pods of a collector workload", () => {
  it("each pod signs with the workload's key under its own producer id and chain", () => {
    const { k, verifier } = setup();
    const pod = (name: string) =>
      new BatchSigner({
        producerId: `${PRODUCER}/${name}`,
        keyId: k.keyId,
        privateKey: k.privateKey,
      });
    const a = pod("agent-7d9f-abcde");
    const b = pod("agent-7d9f-fghij");
    // Both start at sequence 1: separate chains, neither is a replay of the other.
    assert.equal(reason(accept(verifier, a.seal([event]).bytes)), "accepted");
    assert.equal(reason(accept(verifier, b.seal([event]).bytes)), "accepted");
    assert.equal(reason(accept(verifier, a.seal([event]).bytes)), "accepted");
  });

  it("a pod id cannot borrow another workload's key, nor nest deeper", () => {
    const { k, verifier } = setup();
    for (const producerId of [`other/profile/pod`, `${PRODUCER}/pod/extra`, `${PRODUCER}/`]) {
      const s = new BatchSigner({ producerId, keyId: k.keyId, privateKey: k.privateKey });
      assert.equal(reason(verifier.check(s.seal([event]).bytes)), "unknown_key", producerId);
    }
  });
});
