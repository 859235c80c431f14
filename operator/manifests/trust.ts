// The trust document (proto/trust.ts format) analytics verifies signed batches
// with: for each producer `<namespace>/<profile>`, its current public key and
// its rotated-out keys, which stay trusted for batches created before their
// notAfter. Pure: entries in, text and ConfigMap out; stable order.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { Document } from "yaml";
import { TRUST_DOCUMENT_KEY, type TrustDocument } from "../../proto/trust.ts";
import { MANAGED_BY, TRUST_APP_NAME, TRUST_CONFIGMAP } from "./names.ts";
import { compareStrings } from "./selection.ts";
import type { RetiredKey } from "./signing-key.ts";

export interface TrustEntry {
  /** `<namespace>/<profile>`. */
  producerId: string;
  /** The key the collector signs with now. */
  current: { keyId: string; publicKey: string };
  /** Rotated-out keys, newest first. */
  retired: readonly RetiredKey[];
}

/** The trust document's data: producers sorted; the current key first, then retired ones. */
export function trustDocumentData(entries: readonly TrustEntry[]): TrustDocument {
  const producers: TrustDocument["producers"] = {};
  const sorted = [...entries].sort((a, b) => compareStrings(a.producerId, b.producerId));
  for (const e of sorted) {
    producers[e.producerId] = [
      { keyId: e.current.keyId, publicKey: e.current.publicKey },
      ...e.retired
        .filter((k) => k.keyId !== e.current.keyId)
        .map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, notAfter: k.notAfter })),
    ];
  }
  return { producers };
}

/** trust.yaml. */
export function trustDocument(entries: readonly TrustEntry[]): string {
  const doc = new Document(trustDocumentData(entries));
  doc.commentBefore =
    " The collectors' signing keys, written by the AMOSKYS operator. Do not edit.";
  return doc.toString({ lineWidth: 0 });
}

/** ConfigMap amoskys-trust in the operator's namespace. */
export function trustConfigMap(namespace: string, entries: readonly TrustEntry[]): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: TRUST_CONFIGMAP,
      namespace,
      labels: {
        "app.kubernetes.io/name": TRUST_APP_NAME,
        "app.kubernetes.io/part-of": "amoskys",
        "app.kubernetes.io/managed-by": MANAGED_BY,
      },
    },
    data: { [TRUST_DOCUMENT_KEY]: trustDocument(entries) },
  };
}
