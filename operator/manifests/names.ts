// The names, labels, annotations and paths the operator and its collectors
// agree on. One place, so builders, the reconciler, the agent and the docs
// (operator/reconcile/README.md) cannot drift apart.
import type { V1OwnerReference } from "@kubernetes/client-node";
import { API_VERSION, type CollectorProfile } from "../../crds/index.ts";

/** The one field manager of every object and status the operator writes. */
export const FIELD_MANAGER = "amoskys-operator";
/** On every CollectorProfile: removed only after its keys left the trust document. */
export const FINALIZER = "amoskys.io/trust-cleanup";

/** Set on a CollectorProfile (any value) to rotate its signing key; a new value rotates again. */
export const ROTATE_KEY_ANNOTATION = "amoskys.io/rotate-key";
/** On the signing-key Secret: the rotate-key value its current key was made for. */
export const ROTATED_FOR_ANNOTATION = "amoskys.io/rotated-for";
/** On the signing-key Secret: the id of its current key. */
export const KEY_ID_ANNOTATION = "amoskys.io/key-id";
/** On the collector ConfigMap and the pod template: the hash of agent.yaml. */
export const CONFIG_HASH_ANNOTATION = "amoskys.io/config-hash";
/**
 * On the pod template, with --nats-secret: a digest of the bus credentials
 * (HMAC keyed by the profile's signing seed, so a weak password cannot be
 * guessed from it), so that new credentials roll the pods.
 */
export const BUS_HASH_ANNOTATION = "amoskys.io/bus-credentials-hash";
/** The operator's annotations: a profile's spec.podAnnotations may not use the prefix. */
export const OPERATOR_ANNOTATION_PREFIX = "amoskys.io/";
/** Other annotations the operator sets on the collector pods (spec.podAnnotations may not). */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
export const OPERATOR_POD_ANNOTATIONS: readonly string[] = [DEFAULT_CONTAINER_ANNOTATION];
/** On every owned object and pod: the CollectorProfile it belongs to. */
export const PROFILE_LABEL = "amoskys.io/profile";

export const APP_NAME = "amoskys-collector";
export const MANAGED_BY = "amoskys-operator";
/** Selects every object the operator manages (for its informers). */
export const MANAGED_SELECTOR = `app.kubernetes.io/managed-by=${MANAGED_BY}`;
/** app.kubernetes.io/component of the signing-key Secret. */
export const SIGNING_KEY_COMPONENT = "signing-key";
/** app.kubernetes.io/component of the copy of the NATS client credentials. */
export const BUS_COMPONENT = "bus-credentials";
/** app.kubernetes.io/component of the collector's ConfigMap, ServiceAccount, workload, Service. */
export const COLLECTOR_COMPONENT = "collector";

/** The trust ConfigMap, in the operator's namespace. */
export const TRUST_CONFIGMAP = "amoskys-trust";
export const TRUST_APP_NAME = "amoskys-trust";

/** How long a rotated-out key stays valid, so batches in flight still verify. */
export const ROTATION_GRACE_MS = 60 * 60 * 1000;
/** Rotated-out keys kept in the signing-key Secret and the trust document. */
export const MAX_RETIRED_KEYS = 4;

// Inside the collector container.
export const CONFIG_DIR = "/etc/amoskys";
export const CONFIG_FILE = `${CONFIG_DIR}/agent.yaml`;
export const CONFIG_KEY = "agent.yaml";
export const SIGNING_KEY_FILE = `${CONFIG_DIR}/signing/ed25519.key`;
export const SECRETS_DIR = `${CONFIG_DIR}/secrets`;
export const OUTBOX_DIR = "/var/lib/amoskys/outbox";
/**
 * The pod label the StatefulSet controller sets to the pod's ordinal
 * (Kubernetes 1.28+): a sharded collector's AMOSKYS_SHARD, by the downward API.
 */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
/** The agent's /metrics, /healthz and /readyz. */
export const OPS_PORT = 9464;
/** uid/gid of the image's `node` user (the Dockerfile's USER node). */
export const RUN_AS = 1000;

/** Keys of the signing-key Secret. */
export const SIGNING_KEY_DATA_KEY = "ed25519.key";
export const KEY_ID_DATA_KEY = "key-id";
export const RETIRED_KEYS_DATA_KEY = "retired-keys.yaml";

/** amoskys-collector-<profile>: the ConfigMap, ServiceAccount, workload and Service. */
export function collectorName(profileName: string): string {
  return `${APP_NAME}-${profileName}`;
}

export function signingSecretName(profileName: string): string {
  return `${APP_NAME}-${profileName}-signing-key`;
}

/** amoskys-collector-<profile>-bus: the profile's copy of the --nats-secret Secret. */
export function busSecretName(profileName: string): string {
  return `${collectorName(profileName)}-bus`;
}

/** `<namespace>/<profile>`: whom analytics trusts a collector's key for. */
export function producerId(namespace: string, profileName: string): string {
  return `${namespace}/${profileName}`;
}

/** Where the agent finds data key `key` of the device Secret `secret`. */
export function secretFile(secret: string, key: string): string {
  return `${SECRETS_DIR}/${secret}/${key}`;
}

/** The labels every object owned by a profile carries. */
export function ownedLabels(profileName: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": APP_NAME,
    "app.kubernetes.io/instance": profileName,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "amoskys",
    "app.kubernetes.io/managed-by": MANAGED_BY,
    [PROFILE_LABEL]: profileName,
  };
}

/** The (immutable) workload selector. */
export function selectorLabels(profileName: string): Record<string, string> {
  return { "app.kubernetes.io/name": APP_NAME, "app.kubernetes.io/instance": profileName };
}

/** The controller owner reference to a profile (for garbage collection and Owns() watches). */
export function ownerReference(profile: CollectorProfile): V1OwnerReference {
  const { name, uid } = profile.metadata;
  if (!name || !uid) throw new TypeError("the profile needs metadata.name and metadata.uid");
  return {
    apiVersion: API_VERSION,
    kind: "CollectorProfile",
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
