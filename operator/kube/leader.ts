// Leader election on a coordination.k8s.io/v1 Lease, with the semantics of
// client-go's tools/leaderelection:
//
// - a candidate acquires the lease when it is absent (create), free (empty
//   holder, as left by a release) or expired: unchanged for
//   leaseDurationSeconds by the candidate's own clock (it never compares
//   renewTime with its clock, so clock skew does not matter);
// - every write is a replace carrying the resourceVersion read, so of two
//   candidates only one wins (the other gets a 409 Conflict);
// - the leader renews every retryPeriod; if a renewal round does not succeed
//   within renewDeadline, or the lease shows another holder, it gives up:
//   the signal passed to onStartedLeading is aborted, onStoppedLeading runs,
//   and it becomes a candidate again;
// - candidates retry every retryPeriod (+ up to 20 % jitter), and also right
//   when the lease they watch would expire;
// - stop() gives up leadership and releases the lease (empty holder,
//   leaseDurationSeconds 1), so a successor takes over on its next retry;
// - leaseTransitions counts changes of holder.
import type { V1Lease } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { createLogger, type Logger } from "../../runtime/log.ts";
import { isAlreadyExists, isConflict, type KubeClient } from "./client.ts";
import { gauge } from "./metrics.ts";

const apiVersion = "coordination.k8s.io/v1";
const kind = "Lease";
/** Candidates retry after retryPeriod * (1 + random * JITTER). */
const JITTER = 0.2;

export interface LeaderElectionOptions {
  client: KubeClient;
  /** Namespace and name of the Lease. */
  namespace: string;
  name: string;
  /** Unique per process (e.g. pod name + random suffix). */
  identity: string;
  /** How long a lease stays valid without renewal (whole seconds on the Lease). Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before giving up. Default 10 s. */
  renewDeadlineMs?: number;
  /** Interval between renewals and between candidates' attempts. Default 2 s. */
  retryPeriodMs?: number;
  /** Release the lease on stop(). Default true. */
  releaseOnStop?: boolean;
  /** Became leader; `signal` aborts when leadership is lost or given up. Not awaited. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** No longer leader (called after the signal is aborted, before the lease is released). */
  onStoppedLeading?: () => void;
  /** The holder observed on the lease changed ("" = free). */
  onNewLeader?: (identity: string) => void;
  logger?: Logger;
  /** Receives amoskys_operator_leader_is_leader{lease}. */
  registry?: Registry;
}

export interface LeaderElector {
  readonly identity: string;
  isLeader(): boolean;
  /** Holder last observed on the lease ("" when free, undefined before the first read). */
  leader(): string | undefined;
  /** Gives up leadership, releases the lease, stops campaigning. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once the election has stopped. */
  readonly done: Promise<void>;
}

/** A metav1.MicroTime: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

/** AbortSignal.timeout() takes whole milliseconds only. */
function timeout(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish, { once: true });
  });
}

export function runLeaderElection(opts: LeaderElectionOptions): LeaderElector {
  const leaseDurationMs = opts.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = opts.retryPeriodMs ?? 2_000;
  if (!(retryPeriodMs > 0)) throw new RangeError("retryPeriodMs must be > 0");
  if (!(renewDeadlineMs > retryPeriodMs * (1 + JITTER))) {
    throw new RangeError(`renewDeadlineMs must be > ${1 + JITTER} * retryPeriodMs`);
  }
  if (!(leaseDurationMs > renewDeadlineMs)) {
    throw new RangeError("leaseDurationMs must be > renewDeadlineMs");
  }
  if (!opts.identity) throw new RangeError("identity must not be empty");
  const { client, namespace, name, identity } = opts;
  const leaseSeconds = Math.ceil(leaseDurationMs / 1000);
  const log = (opts.logger ?? createLogger("operator")).child({
    lease: `${namespace}/${name}`,
    identity,
  });
  const isLeaderGauge = opts.registry
    ? gauge(
        opts.registry,
        "amoskys_operator_leader_is_leader",
        "1 while this process holds the leader lease.",
        ["lease"],
      )
    : undefined;
  const leaseLabel = { lease: `${namespace}/${name}` };
  isLeaderGauge?.set(leaseLabel, 0);

  const stopAc = new AbortController();
  let leading = false;
  let leadAc: AbortController | undefined;
  // The record as last observed, and when (monotonic clock) it last changed.
  let observedRecord = "";
  let observedHolder: string | undefined;
  let observedDurationMs = leaseDurationMs;
  let observedAt = 0;

  const observe = (lease: V1Lease) => {
    const s = lease.spec ?? {};
    const record = JSON.stringify([
      s.holderIdentity ?? "",
      String(s.renewTime ?? ""),
      String(s.acquireTime ?? ""),
      s.leaseDurationSeconds ?? 0,
      s.leaseTransitions ?? 0,
    ]);
    if (record !== observedRecord) {
      observedRecord = record;
      observedAt = performance.now();
      observedDurationMs = (s.leaseDurationSeconds ?? leaseSeconds) * 1000;
    }
    const holder = s.holderIdentity ?? "";
    if (holder !== observedHolder) {
      observedHolder = holder;
      log.info("lease holder observed", { holder });
      try {
        opts.onNewLeader?.(holder);
      } catch (err) {
        log.error("onNewLeader threw", { error: err instanceof Error ? err : String(err) });
      }
    }
  };

  /** One attempt to acquire or renew; false if the lease is held by another or the write lost a race. */
  const tryAcquireOrRenew = async (signal: AbortSignal): Promise<boolean> => {
    const now = Date.now();
    const current = await client.get<V1Lease>(apiVersion, kind, namespace, name, { signal });
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: leaseSeconds,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    if (!current) {
      try {
        const created = await client.create<V1Lease>(
          { apiVersion, kind, metadata: { name, namespace }, spec } as unknown as V1Lease,
          { signal },
        );
        observe(created);
        return true;
      } catch (err) {
        if (isAlreadyExists(err)) return false;
        throw err;
      }
    }
    observe(current);
    const holder = current.spec?.holderIdentity ?? "";
    const valid = observedAt + observedDurationMs > performance.now();
    if (holder && holder !== identity && valid) return false;
    const transitions = current.spec?.leaseTransitions ?? 0;
    if (holder === identity) {
      spec.acquireTime = String(current.spec?.acquireTime ?? spec.acquireTime);
      spec.leaseTransitions = transitions;
    } else {
      spec.leaseTransitions = transitions + 1;
    }
    try {
      const updated = await client.replace<V1Lease>(
        { ...current, apiVersion, kind, spec } as unknown as V1Lease,
        { signal },
      );
      observe(updated);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  };

  const attempt = async (signal: AbortSignal): Promise<boolean> => {
    try {
      return await tryAcquireOrRenew(signal);
    } catch (err) {
      if (!stopAc.signal.aborted) {
        log.warn("lease request failed", { error: err instanceof Error ? err : String(err) });
      }
      return false;
    }
  };

  const acquire = async (): Promise<boolean> => {
    while (!stopAc.signal.aborted) {
      const signal = AbortSignal.any([stopAc.signal, timeout(renewDeadlineMs)]);
      if (await attempt(signal)) return !stopAc.signal.aborted;
      // Held by another: try again after retryPeriod, or as soon as it expires if sooner.
      let wait = retryPeriodMs * (1 + Math.random() * JITTER);
      if (observedHolder && observedHolder !== identity) {
        const untilExpiry = observedAt + observedDurationMs - performance.now();
        if (untilExpiry > 0) wait = Math.min(wait, untilExpiry + 1);
      }
      await sleep(wait, stopAc.signal);
    }
    return false;
  };

  /** Renews until a round fails (returns) or stop() (returns). */
  const renew = async (): Promise<void> => {
    while (!stopAc.signal.aborted) {
      await sleep(retryPeriodMs, stopAc.signal);
      if (stopAc.signal.aborted) return;
      const roundEnd = performance.now() + renewDeadlineMs;
      let renewed = false;
      for (;;) {
        const left = roundEnd - performance.now();
        if (left <= 0 || stopAc.signal.aborted) break;
        renewed = await attempt(timeout(left));
        if (renewed || stopAc.signal.aborted) break;
        if (observedHolder !== identity) {
          log.warn("lease taken over by another holder", { holder: observedHolder });
          return;
        }
        const after = roundEnd - performance.now();
        if (after <= 0) break;
        await sleep(Math.min(retryPeriodMs, after), stopAc.signal);
      }
      if (stopAc.signal.aborted) return;
      if (!renewed) {
        log.warn("could not renew the lease within renewDeadline, giving up leadership", {
          renewDeadlineMs,
        });
        return;
      }
    }
  };

  const startLeading = () => {
    leading = true;
    leadAc = new AbortController();
    isLeaderGauge?.set(leaseLabel, 1);
    log.info("became leader");
    const signal = leadAc.signal;
    Promise.resolve()
      .then(() => opts.onStartedLeading(signal))
      .catch((err) =>
        log.error("onStartedLeading failed", { error: err instanceof Error ? err : String(err) }),
      );
  };

  const stopLeading = () => {
    leading = false;
    leadAc?.abort();
    isLeaderGauge?.set(leaseLabel, 0);
    log.info("stopped leading");
    try {
      opts.onStoppedLeading?.();
    } catch (err) {
      log.error("onStoppedLeading threw", { error: err instanceof Error ? err : String(err) });
    }
  };

  const release = async () => {
    try {
      const signal = timeout(renewDeadlineMs);
      const current = await client.get<V1Lease>(apiVersion, kind, namespace, name, { signal });
      if (!current || current.spec?.holderIdentity !== identity) return;
      const now = Date.now();
      const released = await client.replace<V1Lease>(
        {
          ...current,
          apiVersion,
          kind,
          spec: {
            holderIdentity: "",
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: current.spec?.leaseTransitions ?? 0,
          },
        } as unknown as V1Lease,
        { signal },
      );
      observe(released);
      log.info("released the lease");
    } catch (err) {
      log.warn("could not release the lease", { error: err instanceof Error ? err : String(err) });
    }
  };

  const loop = async () => {
    try {
      while (!stopAc.signal.aborted) {
        if (!(await acquire())) break;
        startLeading();
        await renew();
        stopLeading();
      }
    } catch (err) {
      log.error("leader election failed", { error: err instanceof Error ? err : String(err) });
    } finally {
      if (leading) stopLeading(); // whatever went wrong, never go on leading without renewing
    }
    if (opts.releaseOnStop !== false && observedHolder === identity) await release();
  };

  const done = loop();

  return {
    identity,
    isLeader: () => leading,
    leader: () => observedHolder,
    done,
    async stop() {
      stopAc.abort();
      await done;
    },
  };
}
