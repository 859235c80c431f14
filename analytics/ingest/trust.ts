// Where the trusted keys come from: the operator's ConfigMap `amoskys-trust`
// (key trust.yaml), watched with an informer, or a file (embedded mode, or
// the ConfigMap mounted as a volume). A document that does not parse keeps
// the previous keys (and is logged): a bad edit must not make every batch
// "unknown_key" and lose it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import type { KubeClient } from "../../operator/kube/client.ts";
import { startInformer } from "../../operator/kube/informer.ts";
import { counter } from "../../operator/kube/metrics.ts";
import { TrustStore } from "../../proto/trust.ts";
import { createLogger, type Logger } from "../../runtime/log.ts";

export const TRUST_CONFIGMAP = "amoskys-trust";

/** The current trust store; also says when the first load happened and how to stop watching. */
export interface TrustSource {
  (): TrustStore;
  /** Resolves after the first load (the ConfigMap listed, or the file read once). */
  readonly synced: Promise<void>;
  /** Loads so far that changed the store. */
  readonly reloads: number;
  stop(): Promise<void>;
}

interface WatchOptions {
  logger?: Logger;
  registry?: Registry;
}

function reloadsCounter(registry: Registry | undefined) {
  return registry
    ? counter(
        registry,
        "amoskys_analytics_trust_reloads_total",
        "Trust document loads, by result.",
        ["result"],
      )
    : undefined;
}

function source(
  get: () => TrustStore,
  synced: Promise<void>,
  reloads: () => number,
  stop: () => Promise<void>,
): TrustSource {
  const fn = (() => get()) as TrustSource;
  Object.defineProperties(fn, {
    synced: { value: synced },
    reloads: { get: reloads },
    stop: { value: stop },
  });
  return fn;
}

/** Watches ConfigMap `name` in `namespace`; an absent ConfigMap trusts nothing. */
export async function watchTrust(
  kube: KubeClient,
  namespace: string,
  opts: WatchOptions & { name?: string } = {},
): Promise<TrustSource> {
  const log = (opts.logger ?? createLogger("analytics")).child({ part: "trust" });
  const results = reloadsCounter(opts.registry);
  const name = opts.name ?? TRUST_CONFIGMAP;
  let store = new TrustStore();
  let lastHash = "";
  let reloads = 0;
  const load = (cm: { data?: Record<string, string> } | undefined) => {
    const text = cm?.data?.["trust.yaml"] ?? "";
    const hash = createHash("sha256")
      .update(cm ? text : "\u0000absent")
      .digest("hex");
    if (hash === lastHash) return;
    try {
      store = cm ? TrustStore.fromConfigMap(cm) : new TrustStore();
      lastHash = hash;
      reloads++;
      results?.inc({ result: "ok" });
      log.info("trust loaded", {
        configMap: `${namespace}/${name}`,
        producers: store.producers().length,
      });
    } catch (err) {
      lastHash = hash;
      results?.inc({ result: "invalid" });
      log.error("trust document invalid; keeping the previous keys", { err });
    }
  };
  const informer = startInformer<KubernetesObject & { data?: Record<string, string> }>(kube, {
    ...(await kube.listWatchSource("v1", "ConfigMap", {
      namespace,
      fieldSelector: `metadata.name=${name}`,
    })),
    name: "trust",
    registry: opts.registry,
    logger: opts.logger,
    onEvent: (type, obj) => load(type === "DELETED" ? undefined : obj),
  });
  const synced = informer.synced.then(() => load(informer.get(namespace, name)));
  return source(
    () => store,
    synced,
    () => reloads,
    () => informer.stop(),
  );
}

/** Reads a trust document file, and again whenever its content changes (polled). */
export function watchTrustFile(
  path: string,
  opts: WatchOptions & { pollMs?: number } = {},
): TrustSource {
  const log = (opts.logger ?? createLogger("analytics")).child({ part: "trust" });
  const results = reloadsCounter(opts.registry);
  let store = new TrustStore();
  let lastHash = "";
  let reloads = 0;
  const load = async () => {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      log.warn("trust file unreadable; keeping the previous keys", { err, path });
      return;
    }
    const hash = createHash("sha256").update(text).digest("hex");
    if (hash === lastHash) return;
    lastHash = hash;
    try {
      store = TrustStore.fromYaml(text);
      reloads++;
      results?.inc({ result: "ok" });
      log.info("trust loaded", { path, producers: store.producers().length });
    } catch (err) {
      results?.inc({ result: "invalid" });
      log.error("trust document invalid; keeping the previous keys", { err, path });
    }
  };
  // Polling, not fs.watch: a mounted ConfigMap changes by a symlink swap that
  // watchers of the file itself miss.
  const timer = setInterval(() => void load(), opts.pollMs ?? 2_000);
  timer.unref();
  return source(
    () => store,
    load(),
    () => reloads,
    async () => clearInterval(timer),
  );
}
