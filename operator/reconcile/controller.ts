// The AMOSKYS controller: informers on CollectorProfiles, Devices, the
// objects the operator owns (label-selected) and the trust ConfigMap; one work
// queue; N workers. Events only say which key to look at:
//
//   CollectorProfile  -> that profile; on a change of its generation, deletion
//                        or existence also every profile and Device of its
//                        namespace (who serves what may change), and the trust
//                        document
//   Device            -> that Device's status; on a change of its generation
//                        or labels also the profiles that select it or served it
//   owned object      -> its controlling profile (this is what corrects drift);
//                        a signing-key Secret also -> the trust document
//   trust ConfigMap   -> the trust document
//
// Leader election is the caller's (operator/main.ts): start on leading, stop
// on losing. Everything reconciles once after the caches sync, so a restart or
// a new leader converges without writing anything that is already right.
import { randomBytes } from "node:crypto";
import type { KubeConfig, KubernetesObject, V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { API_VERSION, type CollectorProfile, type Device, kindInfo } from "../../crds/index.ts";
import { createLogger, type Logger } from "../../runtime/log.ts";
import { createKubeClient, type KubeClient } from "../kube/client.ts";
import { type EventType, type Informer, startInformer } from "../kube/informer.ts";
import { counter, histogram } from "../kube/metrics.ts";
import { createWorkQueue, runWorkers } from "../kube/workqueue.ts";
import {
  APP_NAME,
  FIELD_MANAGER,
  MANAGED_SELECTOR,
  SIGNING_KEY_COMPONENT,
  TRUST_CONFIGMAP,
} from "../manifests/names.ts";
import { deviceKey, profileSelects } from "../manifests/selection.ts";
import { toWire } from "./compare.ts";
import {
  type Caches,
  createMutex,
  deviceQueueKey,
  isDeleting,
  OWNED_KINDS,
  type OwnedKind,
  parseKey,
  profileKey,
  profileOwner,
  type ReconcileContext,
  TRUST_KEY,
} from "./context.ts";
import { reconcileDevice } from "./device.ts";
import { reconcileProfile } from "./profile.ts";
import { syncTrust } from "./trust.ts";

export interface ControllerOptions {
  kc: KubeConfig;
  /** Watch one namespace; undefined or empty: all namespaces. */
  namespace?: string | undefined;
  /** Where the trust ConfigMap is kept (the operator's own namespace). */
  operatorNamespace: string;
  /** Collector image for profiles that name none (the operator's own image). */
  image: string;
  /** NATS URL rendered into every collector's configuration. */
  natsUrl: string;
  /**
   * Secret in operatorNamespace with the collectors' NATS client credentials
   * (ca.crt; username + password and/or tls.crt + tls.key), copied into each
   * profile's namespace. Undefined: collectors get bus.url only.
   */
  natsSecret?: string | undefined;
  /** Receives the client, queue, informer and reconcile metrics. */
  registry: Registry;
  logger?: Logger;
  /** Concurrent reconciles (never two for one key). Default 4. */
  workers?: number;
  /** Use this client instead of making one from kc (it must count into `registry`). */
  client?: KubeClient;
  /** Informer restart backoff (tests shorten it). */
  informerBackoffMs?: { initial: number; max: number };
}

export interface Controller {
  /** true once every informer has synced and its watch is up; otherwise why not (for /readyz). */
  ready(): true | string;
  /** Resolves when the caches have synced and the workers run. */
  readonly started: Promise<void>;
  /** Stops the informers, aborts requests in flight, drains the workers. Idempotent. */
  stop(): Promise<void>;
}

/** Collection path of a kind, e.g. /apis/apps/v1/namespaces/ns/deployments (no discovery needed). */
function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}

export async function startController(opts: ControllerOptions): Promise<Controller> {
  const log = (opts.logger ?? createLogger("operator")).child({ controller: "collectorprofiles" });
  const registry = opts.registry;
  const client =
    opts.client ?? createKubeClient(opts.kc, { registry, fieldManager: FIELD_MANAGER });
  const namespace = opts.namespace || undefined;
  const abort = new AbortController();
  const queue = createWorkQueue({ name: "amoskys", registry });

  const reconciles = counter(
    registry,
    "amoskys_operator_reconciles_total",
    "Reconciles by kind of key (profile, device, trust) and result (success, error).",
    ["kind", "result"],
  );
  const duration = histogram(
    registry,
    "amoskys_operator_reconcile_duration_seconds",
    "Time of one reconcile, by kind of key.",
    ["kind"],
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  );

  const informerOpts = {
    registry,
    logger: log,
    ...(opts.informerBackoffMs && {
      initialBackoffMs: opts.informerBackoffMs.initial,
      maxBackoffMs: opts.informerBackoffMs.max,
    }),
  };
  /** An informer whose cache holds plain JSON (client-node's typed lists carry Dates). */
  function inform<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    plural: string,
    onEvent: (type: EventType, obj: T) => void,
    sel: {
      namespace?: string | undefined;
      labelSelector?: string;
      fieldSelector?: string;
      name?: string;
    } = {},
  ): Informer<T> {
    const ns = sel.namespace;
    return startInformer<T>(client, {
      ...informerOpts,
      kind,
      name: sel.name ?? kind,
      path: collectionPath(apiVersion, plural, ns),
      ...(sel.labelSelector && { labelSelector: sel.labelSelector }),
      ...(sel.fieldSelector && { fieldSelector: sel.fieldSelector }),
      list: async () => {
        const list = await client.list<T>(apiVersion, kind, {
          ...(ns && { namespace: ns }),
          ...(sel.labelSelector && { labelSelector: sel.labelSelector }),
          ...(sel.fieldSelector && { fieldSelector: sel.fieldSelector }),
          signal: abort.signal,
        });
        // List items carry no apiVersion and kind (watch events do): add them.
        return { ...list, items: list.items.map((o) => ({ ...toWire(o), apiVersion, kind })) };
      },
      onEvent,
    });
  }

  // Which changes of a profile or Device move Devices between profiles.
  const profileMarks = new Map<string, string>();
  const deviceMarks = new Map<string, string>();
  const mark = (o: KubernetesObject, withLabels: boolean) =>
    JSON.stringify([
      o.metadata?.uid,
      o.metadata?.generation,
      isDeleting(o),
      withLabels ? (o.metadata?.labels ?? {}) : null,
    ]);

  // The caches are filled in below; handlers only run once they exist.
  const caches = {} as Caches;

  function onProfile(type: EventType, p: CollectorProfile): void {
    const ns = p.metadata.namespace ?? "";
    const key = profileKey(ns, p.metadata.name ?? "");
    queue.add(key);
    const m = type === "DELETED" ? undefined : mark(p, false);
    if (m !== undefined && profileMarks.get(key) === m) return;
    if (m === undefined) profileMarks.delete(key);
    else profileMarks.set(key, m);
    for (const d of caches.devices.list(ns)) queue.add(deviceQueueKey(ns, d.metadata.name ?? ""));
    for (const other of caches.profiles.list(ns))
      queue.add(profileKey(ns, other.metadata.name ?? ""));
    if (type === "DELETED" || isDeleting(p)) queue.add(TRUST_KEY);
  }

  function onDevice(type: EventType, d: Device): void {
    const ns = d.metadata.namespace ?? "";
    const key = deviceKey(d);
    queue.add(deviceQueueKey(ns, d.metadata.name ?? ""));
    const m = type === "DELETED" ? undefined : mark(d, true);
    if (m !== undefined && deviceMarks.get(key) === m) return; // a status-only change
    if (m === undefined) deviceMarks.delete(key);
    else deviceMarks.set(key, m);
    for (const p of caches.profiles.list(ns)) {
      if (profileSelects(p, d)) queue.add(profileKey(ns, p.metadata.name ?? ""));
    }
    const servedBy = ctx.servedBy.get(key);
    if (servedBy) queue.add(servedBy);
    if (d.status?.collector) queue.add(profileKey(ns, d.status.collector));
  }

  function onOwned(_type: EventType, obj: KubernetesObject): void {
    const owner = profileOwner(obj);
    if (owner) queue.add(profileKey(obj.metadata?.namespace ?? "", owner.name));
    if (obj.metadata?.labels?.["app.kubernetes.io/component"] === SIGNING_KEY_COMPONENT)
      queue.add(TRUST_KEY);
  }

  const ctx: ReconcileContext = {
    client,
    caches,
    operatorNamespace: opts.operatorNamespace,
    image: opts.image,
    natsUrl: opts.natsUrl,
    natsSecret: opts.natsSecret || undefined,
    logger: log,
    now: () => new Date(),
    newSeed: () => randomBytes(32),
    signal: abort.signal,
    trustLock: createMutex(),
    servedBy: new Map(),
  };

  const cp = kindInfo("CollectorProfile");
  const dev = kindInfo("Device");
  caches.profiles = inform<CollectorProfile>(API_VERSION, cp.kind, cp.plural, onProfile, {
    namespace,
  });
  caches.devices = inform<Device>(API_VERSION, dev.kind, dev.plural, onDevice, { namespace });
  caches.owned = {} as Record<OwnedKind, Informer<KubernetesObject>>;
  for (const { apiVersion, kind, plural } of OWNED_KINDS) {
    caches.owned[kind] = inform<KubernetesObject>(apiVersion, kind, plural, onOwned, {
      namespace,
      labelSelector: `${MANAGED_SELECTOR},app.kubernetes.io/name=${APP_NAME}`,
    });
  }
  caches.trust = inform<V1ConfigMap>("v1", "ConfigMap", "configmaps", () => queue.add(TRUST_KEY), {
    namespace: opts.operatorNamespace,
    fieldSelector: `metadata.name=${TRUST_CONFIGMAP}`,
    name: "trust-configmap",
  });
  // One object watched (a name field selector, which RBAC resourceNames can
  // authorize); any change may change every profile's copy.
  if (ctx.natsSecret) {
    caches.natsSecret = inform<V1Secret>(
      "v1",
      "Secret",
      "secrets",
      () => {
        for (const p of caches.profiles.list())
          queue.add(profileKey(p.metadata.namespace ?? "", p.metadata.name ?? ""));
      },
      {
        namespace: opts.operatorNamespace,
        fieldSelector: `metadata.name=${ctx.natsSecret}`,
        name: "nats-secret",
      },
    );
  }
  const informers: Informer<KubernetesObject>[] = [
    caches.profiles,
    caches.devices,
    ...Object.values(caches.owned),
    caches.trust,
    ...(caches.natsSecret ? [caches.natsSecret] : []),
  ] as Informer<KubernetesObject>[];

  async function dispatch(key: string): Promise<void> {
    const k = parseKey(key);
    const end = duration.startTimer({ kind: k.kind });
    try {
      if (k.kind === "trust") await ctx.trustLock.run(() => syncTrust(ctx));
      else if (k.kind === "profile") await reconcileProfile(ctx, k.namespace, k.name);
      else await reconcileDevice(ctx, k.namespace, k.name);
      reconciles.inc({ kind: k.kind, result: "success" });
    } catch (err) {
      if (abort.signal.aborted) return; // stopping: requests in flight were aborted on purpose
      reconciles.inc({ kind: k.kind, result: "error" });
      throw err;
    } finally {
      end();
    }
  }

  let workers: Promise<void> | undefined;
  let stopped = false;
  const started = (async () => {
    await Promise.all(informers.map((i) => i.synced));
    if (stopped) return;
    queue.add(TRUST_KEY);
    log.info("caches synced, reconciling", {
      namespace: namespace ?? "(all)",
      profiles: caches.profiles.list().length,
      devices: caches.devices.list().length,
    });
    workers = runWorkers(queue, opts.workers ?? 4, dispatch, { logger: log });
  })();
  started.catch(() => {}); // rejects only when stopped before syncing

  let stopping: Promise<void> | undefined;
  return {
    ready() {
      const failing = informers
        .map((i) => [i.name, i.check()] as const)
        .filter(([, c]) => c !== true)
        .map(([n, c]) => `${n}: ${c}`);
      if (failing.length > 0) return failing.join("; ");
      return workers ? true : "starting";
    },
    started,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        abort.abort();
        await Promise.all(informers.map((i) => i.stop()));
        await queue.shutdown();
        await workers;
        log.info("controller stopped");
      })();
      return stopping;
    },
  };
}
