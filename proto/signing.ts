// The one canonicalisation of a SignedBatch header, and Ed25519 over it. The
// byte layout is specified in proto/README.md ("Signing") and pinned by the
// golden vectors in proto/testdata/.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { v1 } from "./schema.ts";

export const SCHEMA_VERSION = 1;
/** Domain-separation tag: a signature over anything else never verifies here. */
export const SIGNING_TAG = "AMOSKYS-SignedBatch-v1\n";

export const Compression = v1.Compression;
export type Compression = (typeof v1.Compression)[keyof typeof v1.Compression];

/** Every header field the signature covers; the payload is covered by its hash. */
export interface BatchHeader {
  schemaVersion: number;
  producerId: string;
  keyId: string;
  sequence: number;
  prevHash: Uint8Array;
  createdUnixMs: number;
  compression: Compression;
}

const MAX_ID_BYTES = 255;

function lengthPrefixed(field: string, value: Uint8Array): Buffer {
  if (value.length > MAX_ID_BYTES)
    throw new RangeError(`${field} longer than ${MAX_ID_BYTES} bytes`);
  return Buffer.concat([Buffer.from([value.length]), value]);
}

function u64(field: string, n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${field} must be a non-negative safe integer`);
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/**
 * The signing input: tag ‖ u32 schema ‖ lp(producer) ‖ lp(keyId) ‖ u64 seq ‖
 * lp(prevHash) ‖ u64 createdMs ‖ u8 compression ‖ u64 payloadLength ‖ SHA-256(payload).
 * lp = one length byte, then the UTF-8 bytes. Integers are big-endian.
 */
export function signingInput(h: BatchHeader, payload: Uint8Array): Buffer {
  const schema = Buffer.alloc(4);
  schema.writeUInt32BE(h.schemaVersion);
  return Buffer.concat([
    Buffer.from(SIGNING_TAG, "ascii"),
    schema,
    lengthPrefixed("producerId", Buffer.from(h.producerId, "utf8")),
    lengthPrefixed("keyId", Buffer.from(h.keyId, "utf8")),
    u64("sequence", h.sequence),
    lengthPrefixed("prevHash", h.prevHash),
    u64("createdUnixMs", h.createdUnixMs),
    Buffer.from([h.compression]),
    u64("payloadLength", payload.length),
    createHash("sha256").update(payload).digest(),
  ]);
}

/** The chain link: the next batch of the producer carries this as prevHash. */
export function batchHash(input: Uint8Array): Buffer {
  return createHash("sha256").update(input).digest();
}

export function signInput(input: Uint8Array, privateKey: KeyObject): Buffer {
  return sign(null, input, privateKey);
}

export function verifyInput(
  input: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  if (signature.length !== 64) return false;
  return verify(null, input, publicKey, signature);
}

// Ed25519 keys travel as raw 32-byte values (base64 in Secrets and trust documents).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError("an Ed25519 private key seed is 32 bytes");
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError("an Ed25519 public key is 32 bytes");
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = (key.type === "private" ? createPublicKey(key) : key).export({
    format: "der",
    type: "spki",
  });
  return der.subarray(SPKI_PREFIX.length);
}

export function seedOf(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length);
}

/** A key id derived from the public key: the first 16 hex digits of its SHA-256. */
export function keyIdOf(publicKeyRaw: Uint8Array): string {
  return createHash("sha256").update(publicKeyRaw).digest("hex").slice(0, 16);
}
