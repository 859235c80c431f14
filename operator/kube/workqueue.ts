// A rate-limited work queue with client-go's semantics (k8s.io/client-go/util/workqueue):
//
// - a key is queued at most once ("dirty" set); a key being processed is not
//   handed out again: if it is added meanwhile, it is queued again on done();
// - addAfter() delays an add (the earliest of several pending delays wins);
// - addRateLimited() delays by the larger of a per-key exponential backoff and
//   an overall token bucket; forget() resets the key's backoff;
// - shutdown() stops intake, wakes every get() with undefined, drops what is
//   still queued or delayed, and resolves once the keys in flight are done.
//
// runWorkers() is the controller-runtime loop on top: n workers, reconcile is
// never concurrent for one key, a TerminalError is not retried.
import type { Registry } from "prom-client";
import { createLogger, type Logger } from "../../runtime/log.ts";
import { counter, gauge, histogram } from "./metrics.ts";

export interface RateLimiterOptions {
  /** First retry delay of a key (doubles per failure). Default 5 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key delay. Default 5 min. */
  maxDelayMs?: number;
  /** Overall token bucket refill rate, retries per second. Default 10; 0 or Infinity: no bucket. */
  qps?: number;
  /** Token bucket size. Default 100. */
  burst?: number;
}

export interface RateLimiter {
  /** Delay before the next retry of `key` (counts one more failure of it). */
  when(key: string): number;
  /** Forget the failures of `key`. */
  forget(key: string): void;
  /** Failures counted for `key` since it was last forgotten. */
  numRequeues(key: string): number;
}

/**
 * client-go's default controller rate limiter: the maximum of an exponential
 * per-key backoff and an overall token bucket. `now` is injectable for tests.
 */
export function createRateLimiter(
  opts: RateLimiterOptions = {},
  now: () => number = () => performance.now(),
): RateLimiter {
  const base = opts.baseDelayMs ?? 5;
  const max = opts.maxDelayMs ?? 300_000;
  const qps = opts.qps ?? 10;
  const burst = opts.burst ?? 100;
  const bucket = qps > 0 && Number.isFinite(qps);
  const failures = new Map<string, number>();
  let tokens = burst;
  let last = now();

  const bucketDelay = (): number => {
    if (!bucket) return 0;
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) * qps) / 1000);
    last = t;
    tokens -= 1; // reserve a token, even one in the future (as golang.org/x/time/rate)
    return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
  };

  return {
    when(key) {
      const exp = failures.get(key) ?? 0;
      failures.set(key, exp + 1);
      const backoff = exp >= 60 ? max : Math.min(max, base * 2 ** exp);
      return Math.max(backoff, bucketDelay());
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

export interface WorkQueueOptions extends RateLimiterOptions {
  /** Names the queue in metrics (label `name`) and logs. */
  name: string;
  /** Receives amoskys_operator_workqueue_{depth,adds_total,retries_total,work_duration_seconds}. */
  registry: Registry;
}

export interface WorkQueue {
  readonly name: string;
  /** Keys queued and not yet handed out (delayed keys not included). */
  readonly len: number;
  readonly shuttingDown: boolean;
  /** Queue `key` unless it is queued already; if it is being processed, queue it after done(). */
  add(key: string): void;
  /** add() after `ms`; of several delays pending for a key, the earliest wins. */
  addAfter(key: string, ms: number): void;
  /** add() after the rate limiter's delay for `key`; counts a retry. */
  addRateLimited(key: string): void;
  /** Reset the backoff of `key` (call after it was processed successfully). */
  forget(key: string): void;
  /** Times `key` was rate-limited since it was last forgotten. */
  numRequeues(key: string): number;
  /** The next key (marked as being processed), waiting for one; undefined once shut down. */
  get(): Promise<string | undefined>;
  /** Processing of `key` has finished. */
  done(key: string): void;
  /**
   * Stop: adds are ignored, queued and delayed keys are dropped, every get()
   * resolves undefined. Resolves when the keys being processed are done().
   */
  shutdown(): Promise<void>;
}

export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  const { name, registry } = opts;
  const limiter = createRateLimiter(opts);
  const labels = { name };
  const depth = gauge(
    registry,
    "amoskys_operator_workqueue_depth",
    "Keys waiting in the work queue.",
    ["name"],
  );
  const adds = counter(
    registry,
    "amoskys_operator_workqueue_adds_total",
    "Keys added to the work queue (not counting keys already queued).",
    ["name"],
  );
  const retries = counter(
    registry,
    "amoskys_operator_workqueue_retries_total",
    "Rate-limited re-adds of keys to the work queue.",
    ["name"],
  );
  const workDuration = histogram(
    registry,
    "amoskys_operator_workqueue_work_duration_seconds",
    "Time from get() to done() of a key.",
    ["name"],
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
  );
  depth.set(labels, 0);
  adds.inc(labels, 0);
  retries.inc(labels, 0);

  let queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Map<string, number>(); // key -> start time
  const delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  let waiters: ((key: string | undefined) => void)[] = [];
  const drained: (() => void)[] = [];
  let stopping = false;

  const take = (): string => {
    const key = queue.shift() as string;
    dirty.delete(key);
    processing.set(key, performance.now());
    depth.set(labels, queue.length);
    return key;
  };
  const enqueue = (key: string): void => {
    queue.push(key);
    depth.set(labels, queue.length);
    const waiter = waiters.shift();
    if (waiter) waiter(take());
  };

  const q: WorkQueue = {
    name,
    get len() {
      return queue.length;
    },
    get shuttingDown() {
      return stopping;
    },
    add(key) {
      if (stopping || dirty.has(key)) return;
      dirty.add(key);
      adds.inc(labels);
      if (processing.has(key)) return; // done() queues it again
      enqueue(key);
    },
    addAfter(key, ms) {
      if (stopping) return;
      if (!(ms > 0)) {
        q.add(key);
        return;
      }
      const at = performance.now() + ms;
      const pending = delayed.get(key);
      if (pending && pending.at <= at) return;
      if (pending) clearTimeout(pending.timer);
      const timer = setTimeout(() => {
        delayed.delete(key);
        q.add(key);
      }, Math.ceil(ms));
      delayed.set(key, { at, timer });
    },
    addRateLimited(key) {
      if (stopping) return;
      retries.inc(labels);
      q.addAfter(key, limiter.when(key));
    },
    forget: (key) => limiter.forget(key),
    numRequeues: (key) => limiter.numRequeues(key),
    get() {
      if (queue.length > 0) return Promise.resolve(take());
      if (stopping) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push(resolve));
    },
    done(key) {
      const started = processing.get(key);
      if (started === undefined) return;
      processing.delete(key);
      workDuration.observe(labels, (performance.now() - started) / 1000);
      if (stopping) {
        if (processing.size === 0) for (const d of drained.splice(0)) d();
        return;
      }
      if (dirty.has(key)) enqueue(key);
    },
    shutdown() {
      if (!stopping) {
        stopping = true;
        for (const { timer } of delayed.values()) clearTimeout(timer);
        delayed.clear();
        queue = [];
        dirty.clear();
        depth.set(labels, 0);
        const w = waiters;
        waiters = [];
        for (const resolve of w) resolve(undefined);
      }
      if (processing.size === 0) return Promise.resolve();
      return new Promise((resolve) => drained.push(resolve));
    },
  };
  return q;
}

/** A reconcile error that retrying cannot fix: the key is forgotten, not requeued. */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
}

export interface ReconcileResult {
  /** Reconcile the key again after this long (a success: the backoff is reset). */
  requeueAfterMs?: number;
}

/** Reconciles one key; may end with a bare `return` (done, no requeue). */
// biome-ignore lint/suspicious/noConfusingVoidType: a reconciler may end with a bare return
export type Reconciler = (key: string) => Promise<ReconcileResult | undefined | void>;

export interface RunWorkersOptions {
  logger?: Logger;
}

/**
 * Runs `n` workers on `queue` until it is shut down (resolves once all have
 * exited). A key is never reconciled concurrently with itself. Outcome of
 * reconcile(key): a result => forget (reset backoff), then addAfter if asked;
 * a TerminalError => forget, logged, no retry; any other error => addRateLimited.
 */
export async function runWorkers(
  queue: WorkQueue,
  n: number,
  reconcile: Reconciler,
  opts: RunWorkersOptions = {},
): Promise<void> {
  const log = opts.logger ?? createLogger("operator").child({ queue: queue.name });
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await reconcile(key);
        queue.forget(key);
        const after = result?.requeueAfterMs;
        if (after !== undefined && after > 0) queue.addAfter(key, after);
      } catch (err) {
        if (err instanceof TerminalError) {
          queue.forget(key);
          log.error("reconcile failed, not retrying", { key, error: err });
        } else {
          queue.addRateLimited(key);
          log.warn("reconcile failed, retrying", {
            key,
            error: err instanceof Error ? err : String(err),
            retries: queue.numRequeues(key),
          });
        }
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}
