// What the reconcilers share: the client, the informer caches they read
// instead of the apiserver, the operator's settings, and the work-queue keys.
import type { KubernetesObject, V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import type { CollectorProfile, Device } from "../../crds/index.ts";
import type { Logger } from "../../runtime/log.ts";
import type { KubeClient } from "../kube/client.ts";
import type { Informer } from "../kube/informer.ts";

/** The kinds a profile owns, with their collection names (for informer paths). */
export const OWNED_KINDS = [
  { apiVersion: "apps/v1", kind: "Deployment", plural: "deployments" },
  { apiVersion: "apps/v1", kind: "DaemonSet", plural: "daemonsets" },
  { apiVersion: "apps/v1", kind: "StatefulSet", plural: "statefulsets" },
  { apiVersion: "v1", kind: "Service", plural: "services" },
  { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps" },
  { apiVersion: "v1", kind: "ServiceAccount", plural: "serviceaccounts" },
  { apiVersion: "v1", kind: "Secret", plural: "secrets" },
] as const;

export type OwnedKind = (typeof OWNED_KINDS)[number]["kind"];

export interface Caches {
  profiles: Informer<CollectorProfile>;
  devices: Informer<Device>;
  /** Objects labelled app.kubernetes.io/managed-by=amoskys-operator, by kind. */
  owned: Record<OwnedKind, Informer<KubernetesObject>>;
  /** The trust ConfigMap (one object, in the operator's namespace). */
  trust: Informer<V1ConfigMap>;
  /** With --nats-secret: that one Secret, in the operator's namespace. */
  natsSecret?: Informer<V1Secret>;
}

export interface ReconcileContext {
  client: KubeClient;
  caches: Caches;
  /** Where the trust ConfigMap lives. */
  operatorNamespace: string;
  /** Collector image when a profile names none. */
  image: string;
  natsUrl: string;
  /**
   * --nats-secret: the Secret in operatorNamespace with the collectors' NATS
   * client credentials, copied into every profile's namespace. Undefined: none.
   */
  natsSecret?: string | undefined;
  logger: Logger;
  now(): Date;
  /** 32 random bytes: a new signing key seed. */
  newSeed(): Uint8Array;
  /** Aborted when the controller stops: requests in flight end at once. */
  signal: AbortSignal;
  /** Serializes the writes of the trust document. */
  trustLock: Mutex;
  /** `<ns>/<device>` -> `<ns>/<profile>` that served it at the last reconcile (event routing). */
  servedBy: Map<string, string>;
}

export const TRUST_KEY = "trust";

export function profileKey(namespace: string, name: string): string {
  return `profile/${namespace}/${name}`;
}

export function deviceQueueKey(namespace: string, name: string): string {
  return `device/${namespace}/${name}`;
}

/** A work-queue key split into its kind and object. */
export function parseKey(
  key: string,
): { kind: "profile" | "device"; namespace: string; name: string } | { kind: "trust" } {
  if (key === TRUST_KEY) return { kind: "trust" };
  const [kind, namespace = "", name = ""] = key.split("/");
  if ((kind !== "profile" && kind !== "device") || !namespace || !name)
    throw new Error(`not a work-queue key: ${key}`);
  return { kind, namespace, name };
}

/** One holder at a time, in call order. */
export interface Mutex {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      tail = result.catch(() => {});
      return result;
    },
  };
}

/** The controller owner reference of an object, if it is a CollectorProfile. */
export function profileOwner(obj: KubernetesObject): { name: string; uid: string } | undefined {
  const ref = obj.metadata?.ownerReferences?.find(
    (r) => r.controller && r.kind === "CollectorProfile" && r.apiVersion.startsWith("amoskys.io/"),
  );
  return ref ? { name: ref.name, uid: ref.uid } : undefined;
}

export function isDeleting(obj: KubernetesObject): boolean {
  const t = obj.metadata?.deletionTimestamp as unknown;
  return t !== undefined && t !== null;
}
