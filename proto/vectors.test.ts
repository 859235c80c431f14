// The golden vectors in proto/testdata/vectors.json pin the wire format and the
// signing canonicalisation: if a byte changes, these fail. Two independent
// implementations check them too: OpenSSL (Ed25519 keys and signatures) and
// protoc (the protobuf encoding of the events).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { decodeEvents, decompress, encodeEvents, v1 } from "./codec.ts";
import { BatchSigner } from "./sign-batch.ts";
import {
  batchHash,
  type Compression,
  keyIdOf,
  privateKeyFromSeed,
  rawPublicKey,
  signInput,
  signingInput,
} from "./signing.ts";
import { TrustStore } from "./trust.ts";
import { BatchVerifier } from "./verify-batch.ts";

const exec = promisify(execFile);
const here = new URL(".", import.meta.url).pathname;
const file = JSON.parse(await readFile(join(here, "testdata/vectors.json"), "utf8"));
type Vector = {
  name: string;
  seed: string;
  publicKey: string;
  header: {
    schemaVersion: number;
    producerId: string;
    keyId: string;
    sequence: number;
    prevHash: string;
    createdUnixMs: number;
    compression: Compression;
  };
  telemetryBatch: string;
  payload: string;
  signingInput: string;
  signature: string;
  batchHash: string;
  signedBatch: string;
};
const vectors: Vector[] = file.vectors;
const hex = (s: string) => Buffer.from(s, "hex");
const events = v1.TelemetryBatch.fromObject(file.events).events;

/** Feeds `input` to a command and returns its stdout. */
function pipe(cmd: string, args: string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (c: Buffer) => out.push(c));
    p.stderr.on("data", (c: Buffer) => {
      err += c;
    });
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd}: ${err}`)),
    );
    p.stdin.end(input);
  });
}

describe("golden vectors", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "amoskys-vectors-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("has the three vectors it was written with", () => {
    assert.deepEqual(
      vectors.map((v) => [v.header.sequence, v.header.compression]),
      [
        [1, 0],
        [2, 1],
        [1, 0],
      ],
    );
  });

  for (const v of vectors) {
    describe(v.name, () => {
      it("derives the public key and key id from the seed", () => {
        const pub = rawPublicKey(privateKeyFromSeed(hex(v.seed)));
        assert.equal(pub.toString("hex"), v.publicKey);
        assert.equal(keyIdOf(pub), v.header.keyId);
      });

      it("encodes the events to the vector's TelemetryBatch bytes", () => {
        assert.equal(Buffer.from(encodeEvents(events)).toString("hex"), v.telemetryBatch);
        const raw = decompress(hex(v.payload), v.header.compression, 1 << 20);
        assert.ok(raw.ok);
        assert.equal(Buffer.from(raw.value).toString("hex"), v.telemetryBatch);
      });

      it("builds the exact signing input, signature and chain hash", () => {
        const header = { ...v.header, prevHash: hex(v.header.prevHash) };
        const input = signingInput(header, hex(v.payload));
        assert.equal(input.toString("hex"), v.signingInput);
        assert.equal(
          signInput(input, privateKeyFromSeed(hex(v.seed))).toString("hex"),
          v.signature,
        );
        assert.equal(batchHash(input).toString("hex"), v.batchHash);
      });

      it("decodes the SignedBatch bytes to the vector's fields", () => {
        const b = v1.SignedBatch.decode(hex(v.signedBatch));
        assert.deepEqual(
          {
            schemaVersion: b.schemaVersion,
            producerId: b.producerId,
            keyId: b.keyId,
            sequence: b.sequence,
            prevHash: Buffer.from(b.prevHash).toString("hex"),
            createdUnixMs: b.createdUnixMs,
            compression: b.compression,
          },
          v.header,
        );
        assert.equal(Buffer.from(b.payload).toString("hex"), v.payload);
        assert.equal(Buffer.from(b.signature).toString("hex"), v.signature);
        const decoded = decodeEvents(b, 1 << 20);
        assert.ok(decoded.ok);
        assert.deepEqual(
          v1.TelemetryBatch.toObject(v1.TelemetryBatch.create({ events: decoded.value }), {
            enums: String,
          }),
          file.events,
        );
      });

      it("OpenSSL derives the same public key and the same signature", async () => {
        const pkcs8 = privateKeyFromSeed(hex(v.seed)).export({ format: "pem", type: "pkcs8" });
        const keyFile = join(dir, `${v.header.keyId}.pem`);
        await writeFile(keyFile, pkcs8, { mode: 0o600 });
        const pubDer = (
          await exec("openssl", ["pkey", "-in", keyFile, "-pubout", "-outform", "DER"], {
            encoding: "buffer",
          })
        ).stdout;
        assert.equal(pubDer.subarray(-32).toString("hex"), v.publicKey);
        const inputFile = join(dir, "input.bin");
        await writeFile(inputFile, hex(v.signingInput));
        const sig = (
          await exec(
            "openssl",
            ["pkeyutl", "-sign", "-inkey", keyFile, "-rawin", "-in", inputFile],
            { encoding: "buffer" },
          )
        ).stdout;
        assert.equal(sig.toString("hex"), v.signature);
      });
    });
  }

  it("protoc decodes the events to the reviewed text in testdata/events.txtpb", async () => {
    const expected = await readFile(join(here, "testdata/events.txtpb"), "utf8");
    const args = [
      "--decode=amoskys.v1.TelemetryBatch",
      "-I",
      here,
      "-I",
      "/usr/include",
      join(here, "amoskys/v1/telemetry.proto"),
    ];
    const first = vectors[0];
    assert.ok(first);
    assert.equal((await pipe("protoc", args, hex(first.telemetryBatch))).toString(), expected);
  });

  it("a verifier trusting the vector keys accepts the chain and rejects a replay", () => {
    const keys = vectors.map((v) => ({
      keyId: v.header.keyId,
      publicKey: hex(v.publicKey).toString("base64"),
    }));
    const trust = TrustStore.fromDocument({ producers: { "plant-1/edge-collectors": keys } });
    const verifier = new BatchVerifier(trust);
    const [first, second] = vectors;
    assert.ok(first && second);
    for (const v of [first, second]) {
      const verdict = verifier.check(hex(v.signedBatch));
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      if (verdict.ok) verifier.commit(verdict);
    }
    const again = verifier.check(hex(second.signedBatch));
    assert.equal(again.ok ? "accepted" : again.reason, "replay");
  });

  it("BatchSigner reproduces the uncompressed vectors byte for byte", () => {
    for (const v of vectors.filter((x) => x.header.compression === 0)) {
      const signer = new BatchSigner({
        producerId: v.header.producerId,
        keyId: v.header.keyId,
        privateKey: privateKeyFromSeed(hex(v.seed)),
        state: { sequence: v.header.sequence - 1, prevHash: hex(v.header.prevHash) },
        now: () => v.header.createdUnixMs,
      });
      assert.equal(Buffer.from(signer.seal(events).bytes).toString("hex"), v.signedBatch);
    }
  });
});
