// An informer: a cache of one kind kept current by list + watch, built on
// client-node's ListWatch. ListWatch relists on 410 Gone and reconnects after
// a watch times out or ends, but after any other error (403, 500, connection
// refused, a failed list) it emits 'error' and stops for good. This wrapper
// restarts it after every error with exponential backoff (1 s .. 30 s by
// default, reset after a healthy period), knows whether the watch is up
// (healthy(), for /readyz), and resolves `synced` after the first list.
import {
  KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { createLogger, type Logger } from "../../runtime/log.ts";
import type { KubeClient } from "./client.ts";
import { counter } from "./metrics.ts";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface InformerOptions<T extends KubernetesObject> {
  /** Collection path to watch, e.g. /api/v1/namespaces/ns/configmaps (see KubeClient.listWatchSource). */
  path: string;
  /** Lists the same collection, with the same selectors (see KubeClient.listWatchSource). */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  fieldSelector?: string;
  /** Kind, for the watch requests counted in amoskys_operator_api_requests_total. */
  kind?: string;
  /** Names the informer in metrics (label `informer`) and logs. Default: kind, else path. */
  name?: string;
  /**
   * Called for every change of the cache: ADDED/MODIFIED/DELETED from the watch,
   * and for what a (re)list adds, changes or no longer finds. Must not throw
   * (a throw is logged).
   */
  onEvent?: (type: EventType, obj: T) => void;
  /** Receives amoskys_operator_informer_{restarts,events}_total. Default: a private registry. */
  registry?: Registry;
  logger?: Logger;
  /** First delay before restarting after an error. Default 1 s. */
  initialBackoffMs?: number;
  /** Largest delay between restarts. Default 30 s. */
  maxBackoffMs?: number;
  /** After this long healthy, the next error starts again from initialBackoffMs. Default 60 s. */
  resetBackoffAfterMs?: number;
  /** Server-side timeout of each watch request. Default random in 5..10 min, as client-go. */
  watchTimeoutSeconds?: number;
}

export interface Informer<T extends KubernetesObject> {
  readonly name: string;
  /** Resolves once the first list is in the cache; rejects if stopped before. */
  readonly synced: Promise<void>;
  /** Synced and the watch is up (not failing, not backing off). */
  healthy(): boolean;
  /** true when healthy, else why not: a readiness check for the ops server. */
  check(): true | string;
  /** Restarts after errors so far. */
  readonly restarts: number;
  /** Objects in the cache (of one namespace, or all). */
  list(namespace?: string): T[];
  get(namespace: string | undefined, name: string): T | undefined;
  /** Stops watching; safe to call twice. */
  stop(): Promise<void>;
}

type WatchFn = Watch["watch"];

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { statusCode?: number; code?: unknown }).statusCode;
    return code ? `${code} ${err.message}` : err.message || err.name;
  }
  return String(err);
}

function isKubeClient(x: KubeClient | KubeConfig): x is KubeClient {
  return !(x instanceof KubeConfig) && typeof (x as KubeClient).countRequest === "function";
}

/**
 * Starts an informer at once and returns it; await `synced` before trusting
 * the cache. Pass a KubeClient to have its watch requests counted with the
 * client's other requests, or a bare KubeConfig. With a client:
 *
 *   startInformer(client, { ...(await client.listWatchSource("v1", "ConfigMap", { namespace })), onEvent })
 */
export function startInformer<T extends KubernetesObject>(
  clientOrKc: KubeClient | KubeConfig,
  opts: InformerOptions<T>,
): Informer<T> {
  const client = isKubeClient(clientOrKc) ? clientOrKc : undefined;
  const kc = client ? client.kc : (clientOrKc as KubeConfig);
  const name = opts.name ?? opts.kind ?? opts.path;
  const kind = opts.kind ?? "unknown";
  const log = (opts.logger ?? createLogger("operator")).child({ informer: name });
  const registry = opts.registry ?? new Registry();
  const labels = { informer: name };
  const restartsTotal = counter(
    registry,
    "amoskys_operator_informer_restarts_total",
    "Restarts of an informer's list/watch after an error.",
    ["informer"],
  );
  const eventsTotal = counter(
    registry,
    "amoskys_operator_informer_events_total",
    "Changes of an informer's cache, by type.",
    ["informer", "type"],
  );
  restartsTotal.inc(labels, 0);
  const initialBackoff = opts.initialBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const resetAfter = opts.resetBackoffAfterMs ?? 60_000;
  const watchTimeout = () => opts.watchTimeoutSeconds ?? Math.round(300 * (1 + Math.random()));

  let stopped = false;
  let listed = false;
  let isSynced = false;
  let failing = false;
  let lastError = "";
  let backoff = 0;
  let healthySince: number | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restartCount = 0;

  let resolveSynced: () => void = () => {};
  let rejectSynced: (err: Error) => void = () => {};
  const synced = new Promise<void>((resolve, reject) => {
    resolveSynced = resolve;
    rejectSynced = reject;
  });
  synced.catch(() => {}); // a rejection nobody awaits is not a crash

  // ListWatch calls watch() right after it has put a list into its cache, and
  // whenever it (re)connects. The wrapper adds bookmarks and a server-side
  // timeout, counts the request, and tells a connected watch from a failed one.
  const inner = new Watch(kc);
  const watchFn: WatchFn = async (path, query, callback, done) => {
    if (stopped) return new AbortController(); // ListWatch may go on after stop() during a list
    if (listed && !isSynced) {
      isSynced = true;
      resolveSynced();
    }
    let returned = false;
    let earlyError: unknown;
    let endedEarly = false;
    let ctrl: AbortController;
    try {
      ctrl = await inner.watch(
        path,
        { ...query, allowWatchBookmarks: true, timeoutSeconds: watchTimeout() },
        callback,
        (err) => {
          if (!returned) {
            endedEarly = true;
            earlyError = err;
          }
          done(err);
        },
      );
    } catch (err) {
      // Watch throws only before its request (e.g. credentials); ListWatch would
      // leave that rejection unhandled when reconnecting: report it as an error.
      returned = true;
      client?.countRequest("watch", kind, "<error>");
      done(err);
      return new AbortController();
    }
    returned = true;
    if (!endedEarly) {
      client?.countRequest("watch", kind, 200);
      if (failing) log.info("list/watch recovered", { restarts: restartCount });
      failing = false;
      healthySince = performance.now();
    } else if (earlyError) {
      const code = (earlyError as { statusCode?: number }).statusCode;
      client?.countRequest("watch", kind, code ?? "<error>");
    }
    return ctrl;
  };
  const watch = { watch: watchFn } as unknown as Watch;

  const listFn = async (): Promise<KubernetesListObject<T>> => {
    const list = await opts.list();
    listed = true;
    return list;
  };

  const lw = new ListWatch<T>(
    opts.path,
    watch,
    listFn,
    false,
    opts.labelSelector,
    opts.fieldSelector,
  );

  const emit = (type: EventType) => (obj: T) => {
    eventsTotal.inc({ informer: name, type });
    try {
      opts.onEvent?.(type, obj);
    } catch (err) {
      log.error("onEvent threw", { type, error: err instanceof Error ? err : String(err) });
    }
  };
  lw.on("add", emit("ADDED"));
  lw.on("update", emit("MODIFIED"));
  lw.on("delete", emit("DELETED"));

  const nextBackoff = (): number => {
    const now = performance.now();
    if (healthySince !== undefined && now - healthySince >= resetAfter) backoff = initialBackoff;
    else backoff = backoff === 0 ? initialBackoff : Math.min(backoff * 2, maxBackoff);
    healthySince = undefined;
    return backoff;
  };

  const start = () => {
    lw.start().catch(onError);
  };

  function onError(err: unknown): void {
    if (stopped) return;
    failing = true;
    lastError = describe(err);
    if (restartTimer) return; // a restart is already scheduled
    const delayMs = nextBackoff();
    restartCount++;
    restartsTotal.inc(labels);
    log.warn("list/watch failed, restarting", { error: lastError, delayMs });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (!stopped) start();
    }, delayMs);
  }
  lw.on("error", onError);

  start();

  const check = (): true | string => {
    if (stopped) return "stopped";
    if (!isSynced) return `not synced${failing ? ` (list/watch failing: ${lastError})` : ""}`;
    if (failing) return `list/watch failing: ${lastError}`;
    return true;
  };

  return {
    name,
    synced,
    healthy: () => check() === true,
    check,
    get restarts() {
      return restartCount;
    },
    list: (namespace) => [...lw.list(namespace)],
    get: (namespace, n) => lw.get(n, namespace),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      if (!isSynced) rejectSynced(new Error(`informer ${name} stopped before it synced`));
      await lw.stop();
    },
  };
}
