// reconcileProfile: fetch (from the cache) -> finalizer -> signing key ->
// selected Devices -> build (pure) -> apply what differs (server-side apply,
// one field manager, force) and prune what is no longer desired -> status,
// written only when it changed. Level-based: it never asks what event led
// here, only what is and what should be.
import type { KubernetesObject, V1Secret } from "@kubernetes/client-node";
import { API_VERSION, type CollectorProfile } from "../../crds/index.ts";
import { isNotFound, KubeApiError } from "../kube/client.ts";
import { type BusCredentials, busDigest, busSourceData } from "../manifests/bus.ts";
import { buildCollector, type DesiredCollector } from "../manifests/collector.ts";
import { InvalidSpecError } from "../manifests/errors.ts";
import {
  FINALIZER,
  producerId,
  ROTATE_KEY_ANNOTATION,
  ROTATION_GRACE_MS,
  signingSecretName,
} from "../manifests/names.ts";
import { deviceKey, servedDevices } from "../manifests/selection.ts";
import {
  keyPairFromSeed,
  parseSigningKeySecret,
  type RetiredKey,
  retire,
  signingKeySecret,
} from "../manifests/signing-key.ts";
import { validateDevice } from "../manifests/validate.ts";
import { planApply } from "./apply-plan.ts";
import { firstDifference, isApplied } from "./compare.ts";
import {
  isDeleting,
  OWNED_KINDS,
  type OwnedKind,
  profileKey,
  profileOwner,
  type ReconcileContext,
} from "./context.ts";
import {
  invalidDevicesCondition,
  type ProfileOutcome,
  profileStatus,
  sameStatus,
  type WorkloadStatus,
  workloadConditions,
} from "./status.ts";
import { syncTrust } from "./trust.ts";

export async function reconcileProfile(
  ctx: ReconcileContext,
  namespace: string,
  name: string,
): Promise<void> {
  const cached = ctx.caches.profiles.get(namespace, name);
  if (!cached) return; // gone: garbage collection removes what it owned
  if (isDeleting(cached)) return finalize(ctx, cached);
  const profile = await ensureFinalizer(ctx, cached);
  if (!profile) return; // deleted meanwhile
  const log = ctx.logger.child({ profile: `${namespace}/${name}` });

  const { keyId: signingKeyId, seed } = await ensureSigningKey(ctx, profile);

  // --nats-secret: without usable credentials the collector cannot publish;
  // leave what runs alone until the Secret is fixed (its informer brings us back).
  let bus: BusCredentials | undefined;
  if (ctx.natsSecret) {
    const source = ctx.caches.natsSecret?.get(ctx.operatorNamespace, ctx.natsSecret);
    const got = busSourceData(source?.data, `${ctx.operatorNamespace}/${ctx.natsSecret}`);
    if ("problem" in got) {
      log.warn("no usable NATS client credentials", { message: got.problem });
      await writeStatus(ctx, profile, {
        blocked: { reason: "BusCredentialsUnavailable", message: got.problem },
        signingKeyId,
      });
      return;
    }
    bus = { data: got.data, digest: busDigest(got.data, seed) };
  }

  const selected = servedDevices(
    profile,
    ctx.caches.profiles.list(namespace),
    ctx.caches.devices.list(namespace),
  );
  // A Device that cannot be rendered is left out; the others are served.
  const problems = selected
    .map((d) => ({ device: d.metadata.name ?? "", errors: validateDevice(d) }))
    .filter((p) => p.errors.length > 0);
  const devices = selected.filter((d) => !problems.some((p) => p.device === d.metadata.name));
  indexServed(ctx, profile, selected.map(deviceKey));

  let desired: DesiredCollector;
  try {
    desired = buildCollector({
      profile,
      devices,
      image: ctx.image,
      natsUrl: ctx.natsUrl,
      signingKeyId,
      ...(bus && { bus }),
    });
  } catch (err) {
    if (!(err instanceof InvalidSpecError)) throw err;
    log.info("invalid spec", { message: err.message });
    await writeStatus(ctx, profile, { invalid: err.message, signingKeyId });
    return; // terminal: only a change of the profile (an event) brings it back
  }

  const invalid = await applyAndPrune(ctx, profile, desired);
  if (invalid !== undefined) {
    log.info("the apiserver refused a rendered object", { message: invalid });
    await writeStatus(ctx, profile, { invalid, signingKeyId });
    return;
  }

  const live = ctx.caches.owned[desired.workload.kind].get(namespace, desired.workload.name);
  await writeStatus(ctx, profile, {
    devices: devices.map((d) => d.metadata.name ?? ""),
    workload: desired.workload,
    configHash: desired.configHash,
    signingKeyId,
    conditions: withInvalidDevices(
      workloadConditions(desired.workload.kind, live as WorkloadStatus | undefined),
      problems,
    ),
  });
}

/** Adds the finalizer (a merge patch, conditional on the version read). */
async function ensureFinalizer(
  ctx: ReconcileContext,
  profile: CollectorProfile,
): Promise<CollectorProfile | undefined> {
  const finalizers = profile.metadata.finalizers ?? [];
  if (finalizers.includes(FINALIZER)) return profile;
  try {
    return await ctx.client.patchMerge<CollectorProfile>(
      API_VERSION,
      "CollectorProfile",
      profile.metadata.namespace,
      profile.metadata.name ?? "",
      {
        metadata: {
          finalizers: [...finalizers, FINALIZER],
          resourceVersion: profile.metadata.resourceVersion,
        },
      },
      { signal: ctx.signal },
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * The profile is being deleted: its keys leave the trust document (checked
 * against the stored document), then the finalizer goes. Garbage collection
 * removes the owned objects afterwards.
 */
async function finalize(ctx: ReconcileContext, profile: CollectorProfile): Promise<void> {
  const finalizers = profile.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) return;
  const ns = profile.metadata.namespace ?? "";
  const name = profile.metadata.name ?? "";
  const trusted = await ctx.trustLock.run(() => syncTrust(ctx, { fresh: true }));
  if (trusted.includes(producerId(ns, name))) {
    throw new Error(`${producerId(ns, name)} is still in the trust document`);
  }
  try {
    await ctx.client.patchMerge(
      API_VERSION,
      "CollectorProfile",
      ns,
      name,
      {
        metadata: {
          finalizers: finalizers.filter((f) => f !== FINALIZER),
          resourceVersion: profile.metadata.resourceVersion,
        },
      },
      { signal: ctx.signal },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err; // gone already: a stale cache sent us here twice
  }
  for (const [device, owner] of ctx.servedBy) {
    if (owner === profileKey(ns, name)) ctx.servedBy.delete(device);
  }
  ctx.logger.info("keys revoked, finalizer removed", { profile: `${ns}/${name}` });
}

/**
 * The signing-key Secret: created once with a new key; rotated when the
 * profile's amoskys.io/rotate-key annotation differs from the Secret's
 * amoskys.io/rotated-for (the old key stays trusted until now + 1 h); repaired
 * when it drifted. Writes are conditional (create, or replace at the version
 * read), so a stale cache can never rotate twice. Returns the current key id
 * and seed.
 */
async function ensureSigningKey(
  ctx: ReconcileContext,
  profile: CollectorProfile,
): Promise<{ keyId: string; seed: Uint8Array }> {
  const ns = profile.metadata.namespace ?? "";
  const name = profile.metadata.name ?? "";
  const secretName = signingSecretName(name);
  const live = ctx.caches.owned.Secret.get(ns, secretName) as V1Secret | undefined;
  const want = profile.metadata.annotations?.[ROTATE_KEY_ANNOTATION];
  const parsed = live ? parseSigningKeySecret(live) : undefined;
  const log = ctx.logger.child({ profile: `${ns}/${name}`, object: `Secret/${secretName}` });

  let seed: Uint8Array;
  let rotatedFor: string | undefined;
  let retired: RetiredKey[];
  if (parsed?.ok && (want === undefined || want === parsed.key.rotatedFor)) {
    seed = parsed.key.seed;
    rotatedFor = parsed.key.rotatedFor;
    retired = parsed.key.retired;
  } else if (parsed?.ok) {
    seed = ctx.newSeed();
    rotatedFor = want;
    retired = retire(parsed.key, new Date(ctx.now().getTime() + ROTATION_GRACE_MS));
    log.info("rotating the signing key", { oldKeyId: parsed.key.keyId, rotateKey: want });
  } else {
    if (parsed) log.warn("unreadable signing key, making a new one", { reason: parsed.reason });
    seed = ctx.newSeed();
    rotatedFor = want;
    retired = [];
  }
  const { keyId } = keyPairFromSeed(seed);
  const desired = signingKeySecret(profile, seed, keyId, {
    ...(rotatedFor !== undefined && { rotatedFor }),
    retired,
  });
  if (!live) {
    await ctx.client.create(desired, { signal: ctx.signal }); // AlreadyExists: the cache lags, retry
    log.info("signing key created", { keyId });
  } else if (!isApplied(desired, live)) {
    await ctx.client.replace(
      {
        ...desired,
        metadata: { ...desired.metadata, resourceVersion: live.metadata?.resourceVersion },
      },
      { signal: ctx.signal },
    );
    log.info("signing key written", { keyId, field: firstDifference(desired, live) });
  }
  return { keyId, seed };
}

/**
 * Carries out planApply(): applies each desired object that differs from the
 * cache, then deletes the objects this profile owns that are no longer desired
 * - only when every apply succeeded. When the workload changes kind, the old
 * one is deleted first (foreground) once the new objects pass a server-side
 * dry run, and nothing else is written until its deletion event brings us
 * back. Returns the apiserver's message when it refused an object as invalid
 * (422): then the last good workload keeps running.
 */
async function applyAndPrune(
  ctx: ReconcileContext,
  profile: CollectorProfile,
  desired: DesiredCollector,
): Promise<string | undefined> {
  const ns = profile.metadata.namespace ?? "";
  const log = ctx.logger.child({ profile: `${ns}/${profile.metadata.name}` });
  const owned = OWNED_KINDS.flatMap(({ kind }) =>
    (ctx.caches.owned[kind].list(ns) as KubernetesObject[]).filter(
      (o) => profileOwner(o)?.uid === profile.metadata.uid,
    ),
  );
  const plan = planApply(
    desired,
    (kind, name) => ctx.caches.owned[kind as OwnedKind]?.get(ns, name),
    owned,
    [`Secret/${signingSecretName(profile.metadata.name ?? "")}`],
  );
  const errors: unknown[] = [];
  let invalid: string | undefined;
  const write = async (obj: KubernetesObject, dryRun: boolean) => {
    try {
      await ctx.client.apply(obj, { signal: ctx.signal, dryRun });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 422) invalid ??= err.message;
      else errors.push(err);
      return false;
    }
  };
  const remove = async (obj: KubernetesObject, propagationPolicy: "Foreground" | "Background") => {
    const kind = obj.kind as OwnedKind;
    const name = obj.metadata?.name ?? "";
    const apiVersion = OWNED_KINDS.find((k) => k.kind === kind)?.apiVersion ?? "";
    await ctx.client.delete(apiVersion, kind, ns, name, { propagationPolicy, signal: ctx.signal });
    log.info(propagationPolicy === "Foreground" ? "replacing" : "pruned", { kind, name });
  };

  if (plan.step === "replace") {
    for (const obj of plan.validate) await write(obj, true);
    if (errors.length > 0) throw errors[0];
    if (invalid !== undefined) return invalid;
    for (const obj of plan.delete) await remove(obj, "Foreground");
    return undefined;
  }
  for (const { obj, field } of plan.apply) {
    if (await write(obj, false))
      log.info("applied", { kind: obj.kind, name: obj.metadata?.name, field });
  }
  if (errors.length > 0) throw errors[0];
  if (invalid !== undefined) return invalid;
  for (const obj of plan.prune) await remove(obj, "Background");
  return undefined;
}

async function writeStatus(
  ctx: ReconcileContext,
  profile: CollectorProfile,
  outcome: ProfileOutcome,
): Promise<void> {
  const status = profileStatus(profile, outcome, ctx.now());
  if (sameStatus(profile.status, status)) return;
  await ctx.client.applyStatus(
    {
      apiVersion: API_VERSION,
      kind: "CollectorProfile",
      metadata: { name: profile.metadata.name, namespace: profile.metadata.namespace },
      status,
    },
    { signal: ctx.signal },
  );
}

/** Left-out Devices make the profile Degraded (reason InvalidDevice), whatever the pods do. */
function withInvalidDevices(
  conditions: ReturnType<typeof workloadConditions>,
  problems: Parameters<typeof invalidDevicesCondition>[0],
): ReturnType<typeof workloadConditions> {
  return problems.length > 0
    ? { ready: conditions.ready, degraded: invalidDevicesCondition(problems) }
    : conditions;
}

/** Remembers which Devices this profile serves, to route their later events here. */
function indexServed(ctx: ReconcileContext, profile: CollectorProfile, devices: string[]): void {
  const me = profileKey(profile.metadata.namespace ?? "", profile.metadata.name ?? "");
  for (const [device, owner] of ctx.servedBy) {
    if (owner === me) ctx.servedBy.delete(device);
  }
  for (const d of devices) ctx.servedBy.set(d, me);
}
