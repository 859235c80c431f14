// The keys analytics trusts: several per producer, each with a validity window
// (rotation) and a revoked flag. The operator publishes them as a trust
// document in a ConfigMap or Secret; a file works too.

import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { publicKeyFromRaw } from "./signing.ts";

/** The key in trust documents, ConfigMaps and Secrets. */
export const TRUST_DOCUMENT_KEY = "trust.yaml";

export interface TrustedKey {
  producerId: string;
  keyId: string;
  publicKey: KeyObject;
  /** Validity window in ms since the epoch; batches created outside it are refused. */
  notBefore?: number;
  notAfter?: number;
  revoked?: boolean;
}

/**
 * trust.yaml:
 *   producers:
 *     <producerId>:
 *       - keyId: <id>
 *         publicKey: <base64 of the raw 32-byte Ed25519 key>
 *         notBefore: 2026-01-01T00:00:00Z   # optional
 *         notAfter: 2027-01-01T00:00:00Z    # optional
 *         revoked: false                    # optional
 */
export interface TrustDocument {
  producers: Record<
    string,
    { keyId: string; publicKey: string; notBefore?: string; notAfter?: string; revoked?: boolean }[]
  >;
}

export class TrustDocumentError extends Error {
  override readonly name = "TrustDocumentError";
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
  }
}

function time(path: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new TrustDocumentError(path, "must be an RFC 3339 time");
  return t;
}

export class TrustStore {
  private readonly byProducer = new Map<string, Map<string, TrustedKey>>();

  add(k: TrustedKey): void {
    const keys = this.byProducer.get(k.producerId) ?? new Map<string, TrustedKey>();
    keys.set(k.keyId, k);
    this.byProducer.set(k.producerId, keys);
  }

  /**
   * The key `keyId` of a producer. A collector workload's key is trusted for
   * the workload (`<namespace>/<profile>`) and for each of its pods, which
   * sign as `<namespace>/<profile>/<pod>`: every pod keeps its own sequence
   * chain, and a new pod starts a new one.
   */
  get(producerId: string, keyId: string): TrustedKey | undefined {
    const key = this.byProducer.get(producerId)?.get(keyId);
    if (key) return key;
    const parts = producerId.split("/");
    if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
    const workload = this.byProducer.get(`${parts[0]}/${parts[1]}`)?.get(keyId);
    return workload && { ...workload, producerId };
  }

  producers(): string[] {
    return [...this.byProducer.keys()];
  }

  /** Parses a trust document; every problem names its path. */
  static fromDocument(doc: unknown): TrustStore {
    const store = new TrustStore();
    const producers = (doc as TrustDocument | null)?.producers;
    if (typeof producers !== "object" || producers === null) {
      throw new TrustDocumentError("producers", "must be a map of producer id to keys");
    }
    for (const [producerId, keys] of Object.entries(producers)) {
      if (!Array.isArray(keys))
        throw new TrustDocumentError(`producers.${producerId}`, "must be a list of keys");
      keys.forEach((k, i) => {
        const path = `producers.${producerId}[${i}]`;
        if (typeof k?.keyId !== "string" || !k.keyId)
          throw new TrustDocumentError(`${path}.keyId`, "is required");
        const raw =
          typeof k.publicKey === "string" ? Buffer.from(k.publicKey, "base64") : Buffer.alloc(0);
        if (raw.length !== 32) {
          throw new TrustDocumentError(
            `${path}.publicKey`,
            "must be the base64 of a 32-byte Ed25519 key",
          );
        }
        store.add({
          producerId,
          keyId: k.keyId,
          publicKey: publicKeyFromRaw(raw),
          notBefore: time(`${path}.notBefore`, k.notBefore),
          notAfter: time(`${path}.notAfter`, k.notAfter),
          revoked: k.revoked === true,
        });
      });
    }
    return store;
  }

  static fromYaml(text: string): TrustStore {
    return TrustStore.fromDocument(parse(text));
  }

  static async fromFile(path: string): Promise<TrustStore> {
    return TrustStore.fromYaml(await readFile(path, "utf8"));
  }

  /** From a ConfigMap's `data` (plain text). */
  static fromConfigMap(cm: { data?: Record<string, string> }): TrustStore {
    const text = cm.data?.[TRUST_DOCUMENT_KEY];
    if (text === undefined)
      throw new TrustDocumentError(`data.${TRUST_DOCUMENT_KEY}`, "is missing");
    return TrustStore.fromYaml(text);
  }

  /** From a Secret's `data` (base64, as the apiserver returns it). */
  static fromSecret(secret: { data?: Record<string, string> }): TrustStore {
    const b64 = secret.data?.[TRUST_DOCUMENT_KEY];
    if (b64 === undefined) throw new TrustDocumentError(`data.${TRUST_DOCUMENT_KEY}`, "is missing");
    return TrustStore.fromYaml(Buffer.from(b64, "base64").toString("utf8"));
  }
}
