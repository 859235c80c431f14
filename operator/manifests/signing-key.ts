// The collector's Ed25519 signing key, kept in a Secret the profile owns.
// Pure: the caller brings the 32 random bytes (and the time of a rotation).
//
// Secret amoskys-collector-<profile>-signing-key (type Opaque):
//   data.ed25519.key        the raw 32-byte seed (base64 in `data`, raw bytes in the mounted file)
//   data.key-id             the key id (first 16 hex digits of SHA-256 of the public key)
//   data.retired-keys.yaml  public halves of rotated-out keys, with notAfter (newest first)
//   annotations             amoskys.io/key-id, amoskys.io/rotated-for (the rotate-key value served)

import type { V1Secret } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import type { CollectorProfile } from "../../crds/index.ts";
import { keyIdOf, privateKeyFromSeed, rawPublicKey } from "../../proto/signing.ts";
import {
  KEY_ID_ANNOTATION,
  KEY_ID_DATA_KEY,
  MAX_RETIRED_KEYS,
  ownedLabels,
  ownerReference,
  RETIRED_KEYS_DATA_KEY,
  ROTATED_FOR_ANNOTATION,
  SIGNING_KEY_COMPONENT,
  SIGNING_KEY_DATA_KEY,
  signingSecretName,
} from "./names.ts";

/** A rotated-out key: still trusted for batches created before notAfter. */
export interface RetiredKey {
  keyId: string;
  /** base64 of the raw 32-byte Ed25519 public key. */
  publicKey: string;
  /** RFC 3339. */
  notAfter: string;
}

export interface SigningKey {
  seed: Buffer;
  /** The raw 32-byte public key. */
  publicKey: Buffer;
  keyId: string;
  /** The amoskys.io/rotate-key value this key was made for, if any. */
  rotatedFor?: string;
  /** Newest first. */
  retired: RetiredKey[];
}

/** The public key and key id of a 32-byte seed (RangeError for any other length). */
export function keyPairFromSeed(seed: Uint8Array): { publicKey: Buffer; keyId: string } {
  const publicKey = rawPublicKey(privateKeyFromSeed(seed));
  return { publicKey, keyId: keyIdOf(publicKey) };
}

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");

/** The signing-key Secret of `profile`. */
export function signingKeySecret(
  profile: CollectorProfile,
  seed32: Uint8Array,
  keyId: string,
  opts: { rotatedFor?: string; retired?: readonly RetiredKey[] } = {},
): V1Secret {
  if (seed32.length !== 32) throw new RangeError("an Ed25519 private key seed is 32 bytes");
  const name = profile.metadata.name ?? "";
  const retired = (opts.retired ?? []).slice(0, MAX_RETIRED_KEYS);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: signingSecretName(name),
      namespace: profile.metadata.namespace ?? "",
      labels: ownedLabels(name, SIGNING_KEY_COMPONENT),
      annotations: {
        [KEY_ID_ANNOTATION]: keyId,
        ...(opts.rotatedFor !== undefined && { [ROTATED_FOR_ANNOTATION]: opts.rotatedFor }),
      },
      ownerReferences: [ownerReference(profile)],
    },
    type: "Opaque",
    data: {
      [SIGNING_KEY_DATA_KEY]: b64(seed32),
      [KEY_ID_DATA_KEY]: b64(keyId),
      ...(retired.length > 0 && {
        [RETIRED_KEYS_DATA_KEY]: b64(
          stringify(
            retired.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, notAfter: k.notAfter })),
          ),
        ),
      }),
    },
  };
}

export type ParsedSigningKey = { ok: true; key: SigningKey } | { ok: false; reason: string };

/**
 * The key in an existing signing-key Secret (its `data` base64, as the
 * apiserver returns it). Not ok when the seed is missing or not 32 bytes; the
 * key id is recomputed from the seed (a wrong data.key-id is not trusted);
 * unreadable retired-key entries are dropped.
 */
export function parseSigningKeySecret(secret: {
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
}): ParsedSigningKey {
  const raw = secret.data?.[SIGNING_KEY_DATA_KEY];
  if (raw === undefined) return { ok: false, reason: `data.${SIGNING_KEY_DATA_KEY} is missing` };
  const seed = Buffer.from(raw, "base64");
  if (seed.length !== 32)
    return { ok: false, reason: `data.${SIGNING_KEY_DATA_KEY} is not a 32-byte Ed25519 seed` };
  const { publicKey, keyId } = keyPairFromSeed(seed);
  const rotatedFor = secret.metadata?.annotations?.[ROTATED_FOR_ANNOTATION];
  return {
    ok: true,
    key: {
      seed,
      publicKey,
      keyId,
      ...(rotatedFor !== undefined && { rotatedFor }),
      retired: parseRetired(secret.data?.[RETIRED_KEYS_DATA_KEY]),
    },
  };
}

function parseRetired(data: string | undefined): RetiredKey[] {
  if (data === undefined) return [];
  let list: unknown;
  try {
    list = parse(Buffer.from(data, "base64").toString("utf8"));
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((k: unknown) => {
    const e = k as Partial<RetiredKey> | null;
    const ok =
      typeof e?.keyId === "string" &&
      typeof e.publicKey === "string" &&
      Buffer.from(e.publicKey, "base64").length === 32 &&
      typeof e.notAfter === "string" &&
      !Number.isNaN(Date.parse(e.notAfter));
    return ok
      ? [
          {
            keyId: e.keyId as string,
            publicKey: e.publicKey as string,
            notAfter: e.notAfter as string,
          },
        ]
      : [];
  });
}

/**
 * After a rotation: the old key joins the retired keys (newest first, at most
 * MAX_RETIRED_KEYS), valid until `notAfter`.
 */
export function retire(old: SigningKey, notAfter: Date): RetiredKey[] {
  const entry: RetiredKey = {
    keyId: old.keyId,
    publicKey: old.publicKey.toString("base64"),
    notAfter: notAfter.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  return [entry, ...old.retired.filter((k) => k.keyId !== old.keyId)].slice(0, MAX_RETIRED_KEYS);
}
