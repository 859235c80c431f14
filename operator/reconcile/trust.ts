// The trust document: rebuilt from the signing-key Secrets whose profile
// exists and is not being deleted, and applied (server-side) only when it
// differs from the stored ConfigMap. Runs under ctx.trustLock, so two writers
// never race on the one document.
import type { V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import {
  PROFILE_LABEL,
  producerId,
  SIGNING_KEY_COMPONENT,
  signingSecretName,
  TRUST_CONFIGMAP,
} from "../manifests/names.ts";
import { parseSigningKeySecret } from "../manifests/signing-key.ts";
import { type TrustEntry, trustConfigMap } from "../manifests/trust.ts";
import { firstDifference } from "./compare.ts";
import { isDeleting, profileOwner, type ReconcileContext } from "./context.ts";

/** The trust entries the caches support: one per live profile with a readable key. */
export function trustEntries(ctx: ReconcileContext): TrustEntry[] {
  const entries: TrustEntry[] = [];
  for (const obj of ctx.caches.owned.Secret.list()) {
    const secret = obj as V1Secret;
    if (secret.metadata?.labels?.["app.kubernetes.io/component"] !== SIGNING_KEY_COMPONENT)
      continue;
    const ns = secret.metadata?.namespace ?? "";
    const owner = profileOwner(secret);
    if (!owner || secret.metadata?.name !== signingSecretName(owner.name)) continue;
    if (secret.metadata?.labels?.[PROFILE_LABEL] !== owner.name) continue;
    const profile = ctx.caches.profiles.get(ns, owner.name);
    if (!profile || profile.metadata.uid !== owner.uid || isDeleting(profile)) continue;
    const parsed = parseSigningKeySecret(secret);
    if (!parsed.ok) continue;
    entries.push({
      producerId: producerId(ns, owner.name),
      current: { keyId: parsed.key.keyId, publicKey: parsed.key.publicKey.toString("base64") },
      retired: parsed.key.retired,
    });
  }
  return entries;
}

/**
 * Brings the trust ConfigMap in line with the caches. `fresh` compares with
 * the stored object (a GET) rather than the cache: the finalizer needs to know
 * the keys are gone, not that they were gone a moment ago. Returns the
 * producers now trusted.
 */
export async function syncTrust(
  ctx: ReconcileContext,
  opts: { fresh?: boolean } = {},
): Promise<string[]> {
  const entries = trustEntries(ctx);
  const desired = trustConfigMap(ctx.operatorNamespace, entries);
  const live = opts.fresh
    ? await ctx.client.get<V1ConfigMap>("v1", "ConfigMap", ctx.operatorNamespace, TRUST_CONFIGMAP, {
        signal: ctx.signal,
      })
    : ctx.caches.trust.get(ctx.operatorNamespace, TRUST_CONFIGMAP);
  const diff = firstDifference(desired, live ? JSON.parse(JSON.stringify(live)) : undefined);
  if (diff !== undefined) {
    await ctx.client.apply(desired, { signal: ctx.signal });
    ctx.logger.info("trust document updated", {
      configMap: `${ctx.operatorNamespace}/${TRUST_CONFIGMAP}`,
      producers: entries.length,
      field: diff,
    });
  }
  return entries.map((e) => e.producerId);
}
