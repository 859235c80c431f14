// The findings writer: what detection concludes, into Kubernetes. Finding
// objects (one per rule, device and key), the analytics-owned part of Device
// and DetectionRule status, and the rules' responses (webhook, Event,
// quarantine label).
//
// Updates are coalesced: everything said about one (rule, device, key)
// between two flushes becomes one write, and every write waits for a token
// of one bucket, so a storm of detections turns into at most one write per
// finding per flush, at most maxWritesPerSecond. Status is written only when
// the computed value differs from what was last written (or read), so a
// quiet system makes no writes at all.
//
// Ownership (server-side apply, field manager amoskys-analytics): analytics
// applies every Finding spec field but `state`, which people set with kubectl
// patch; a Finding whose rule fires again (FindingUpdate.fire) while resolved
// is set back to open with a merge patch. In Device status it owns riskScore,
// openFindings, lastSeen, capabilities and the Reachable and Collecting
// conditions (the operator owns the rest); in DetectionRule status, all of it.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import type { DetectionRule, Device, Finding } from "../../crds/index.ts";
import { API_VERSION } from "../../crds/index.ts";
import { isNotFound, KubeApiError, type KubeClient } from "../../operator/kube/client.ts";
import { type Informer, startInformer } from "../../operator/kube/informer.ts";
import { counter, gauge, histogram } from "../../operator/kube/metrics.ts";
import type { Logger } from "../../runtime/log.ts";
import type { FindingUpdate, IntegrityProblem, RuleStatusUpdate, Severity } from "../model.ts";
import { bounded, dnsPart, findingName, hash8, rfc3339, rfc3339Seconds } from "./names.ts";
import { createTokenBucket } from "./ratelimit.ts";
import { DEFAULT_HALF_LIFE_MS, type FindingFacts } from "./risk.ts";
import {
  applyStatusFacts,
  type CapabilityKey,
  type Condition,
  canonical,
  deviceStatus,
  FIELD_MANAGER,
  type FindingSpecOut,
  factsOf,
  findingObject,
  findingSpec,
  LABEL_QUARANTINE,
  MANAGED_BY,
  type Owner,
  ownedDeviceStatus,
  ownedRuleStatus,
  type ProtocolState,
  ruleStatus,
  type StatusFact,
} from "./status.ts";
import { alertmanagerPayload, postWebhook } from "./webhook.ts";

export interface FindingsWriterOptions {
  /** A client from operator/kube createKubeClient (its requests are counted in its registry). */
  kube: KubeClient;
  logger: Logger;
  registry: Registry;
  /** All writes together (findings, statuses, events, labels). Default 20. */
  maxWritesPerSecond?: number;
  /** Bucket size: writes allowed at once after a quiet period. Default maxWritesPerSecond. */
  burst?: number;
  /** How often pending updates are written. Default 2000 ms. */
  flushIntervalMs?: number;
  /** The clock (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** Watch only this namespace (a Role suffices); default all namespaces (ClusterRole). */
  namespace?: string;
  /** Risk score: a finding's weight halves every halfLife since it was last seen. Default 24 h. */
  riskHalfLifeMs?: number;
  /** Collecting turns False (Stale) after this long without telemetry. Default 10 min. */
  staleAfterMs?: number;
  /** Device status.lastSeen is rewritten only when it moved by this much. Default 60 s. */
  lastSeenResolutionMs?: number;
  /** Every device's status is recomputed (decay, staleness) this often. Default 60 s. */
  refreshMs?: number;
  /** Distinct findings waiting for a flush; more are dropped (counted). Default 10000. */
  maxPending?: number;
  /** Response jobs waiting; more are dropped (counted, and recorded as Failed). Default 1000. */
  maxQueuedResponses?: number;
  /** Response jobs run at once. Default 4. */
  responseConcurrency?: number;
  /** PEM CA bundle(s) trusted for webhooks, besides the system's and the Secret's ca.crt. */
  webhookCa?: string | string[];
  webhook?: { timeoutMs?: number; retries?: number; backoffMs?: number };
  informerBackoffMs?: { initial: number; max: number };
}

export interface FindingsWriter {
  /** Resolves once the Device, DetectionRule and Finding caches are synced. */
  readonly started: Promise<void>;
  /** Readiness: true, or why not. */
  check(): true | string;
  update(u: FindingUpdate): void;
  ruleStatus(u: RuleStatusUpdate): void;
  /** Telemetry from the device arrived at `atMs`; `status` holds its Status events, if any. */
  deviceSeen(namespace: string, name: string, atMs: number, status?: readonly StatusFact[]): void;
  integrity(p: IntegrityProblem): void;
  /** Writes what is pending now (waiting for tokens); resolves when done. */
  flush(): Promise<void>;
  /** Response jobs queued or running (for tests and shutdown). */
  responsesIdle(): Promise<void>;
  stop(): Promise<void>;
}

type Response = "webhook" | "event" | "quarantine";

interface PendingFinding {
  namespace: string;
  name: string;
  spec: FindingSpecOut;
  owner: { kind: "Device" | "CollectorProfile"; name: string };
  /** Run the rule's responses and reopen a resolved finding. */
  fire: boolean;
  /** The update that fired (for the responses' payload). */
  fired?: FindingUpdate;
  ruleRef?: { namespace: string; name: string };
  attempts: number;
}

interface DeviceState {
  seenMs?: number;
  lastSeenMs?: number;
  protocols: Map<CapabilityKey, ProtocolState>;
  conditions: Condition[];
  written?: string;
}

interface ResponseJob {
  finding: { namespace: string; name: string };
  update: FindingUpdate;
  rule: DetectionRule;
}

const INTEGRITY_SEVERITY: Record<string, Severity> = {
  bad_signature: "high",
  replay: "high",
  chain_break: "high",
  unknown_key: "high",
  revoked_key: "high",
  expired_key: "medium",
  sequence_gap: "medium",
  malformed: "medium",
  oversize: "medium",
  unsupported_schema: "low",
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Transient: worth retrying at the next flush. */
function transient(err: unknown): boolean {
  return (
    err instanceof KubeApiError &&
    (err.code === 0 || err.code === 409 || err.code === 429 || err.code >= 500)
  );
}

export function createFindingsWriter(opts: FindingsWriterOptions): FindingsWriter {
  const { kube, registry } = opts;
  const log = opts.logger;
  const now = opts.now ?? Date.now;
  const rate = opts.maxWritesPerSecond ?? 20;
  const bucket = createTokenBucket(rate, opts.burst ?? rate);
  const flushIntervalMs = opts.flushIntervalMs ?? 2000;
  const halfLifeMs = opts.riskHalfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const staleAfterMs = opts.staleAfterMs ?? 600_000;
  const lastSeenResolutionMs = opts.lastSeenResolutionMs ?? 60_000;
  const refreshMs = opts.refreshMs ?? 60_000;
  const maxPending = opts.maxPending ?? 10_000;
  const maxQueuedResponses = opts.maxQueuedResponses ?? 1000;
  const responseConcurrency = opts.responseConcurrency ?? 4;
  const stopping = new AbortController();

  const m = {
    updates: counter(
      registry,
      "amoskys_analytics_findings_updates_total",
      "Updates handed to the findings writer, by kind (finding, rule, device, integrity).",
      ["kind"],
    ),
    coalesced: counter(
      registry,
      "amoskys_analytics_findings_coalesced_total",
      "Updates merged into one already waiting for the same object (writes saved).",
      ["kind"],
    ),
    writes: counter(
      registry,
      "amoskys_analytics_findings_writes_total",
      "Writes to the Kubernetes API, by object (finding, finding_state, finding_status, device_status, rule_status, event, device_label) and result (ok, error).",
      ["object", "result"],
    ),
    dropped: counter(
      registry,
      "amoskys_analytics_findings_dropped_total",
      "Updates not written, by reason (no_device, no_owner, bad_producer, pending_full, invalid, forbidden, gave_up, responses_full).",
      ["reason"],
    ),
    responses: counter(
      registry,
      "amoskys_analytics_findings_responses_total",
      "Responses run, by type (webhook, event, quarantine) and result (Succeeded, Failed).",
      ["type", "result"],
    ),
    pending: gauge(
      registry,
      "amoskys_analytics_findings_pending",
      "Findings waiting for the next flush.",
      [],
    ),
    throttled: counter(
      registry,
      "amoskys_analytics_findings_throttled_seconds_total",
      "Time writes waited for the rate limit.",
      [],
    ),
    flushSeconds: histogram(
      registry,
      "amoskys_analytics_findings_flush_duration_seconds",
      "Duration of one flush (rate-limit waits included).",
      [],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    ),
  };

  // ---- caches ----------------------------------------------------------------
  const backoff = opts.informerBackoffMs ?? { initial: 1000, max: 30_000 };
  const facts = new Map<string, Map<string, FindingFacts>>(); // "ns/device" -> finding name -> facts
  const findingIndex = new Map<string, string>(); // "ns/finding" -> "ns/device"
  const devices = new Map<string, DeviceState>();
  const dirtyDevices = new Set<string>();
  const ruleWritten = new Map<string, string>(); // "ns/rule" -> canonical status
  const ruleConditions = new Map<string, Condition[]>();
  const pending = new Map<string, PendingFinding>();
  const pendingRules = new Map<string, RuleStatusUpdate>();
  const integrityAgg = new Map<string, { count: number; firstSeenMs: number }>();
  const profileUids = new Map<string, { uid?: string; atMs: number }>();
  const missingDevices = new Map<string, number>(); // "ns/name" -> when a get() found nothing
  const dk = (ns: string, name: string) => `${ns}/${name}`;

  const setFacts = (f: Finding) => {
    const ns = f.metadata?.namespace ?? "";
    const name = f.metadata?.name ?? "";
    const device = dk(ns, f.spec?.device ?? "");
    const fk = dk(ns, name);
    const old = findingIndex.get(fk);
    if (old && old !== device) {
      facts.get(old)?.delete(name);
      dirtyDevices.add(old);
    }
    const ff = factsOf(f);
    if (!ff) return;
    let byName = facts.get(device);
    if (!byName) {
      byName = new Map();
      facts.set(device, byName);
    }
    const prev = byName.get(name);
    byName.set(name, ff);
    findingIndex.set(fk, device);
    if (!prev || canonical(prev) !== canonical(ff)) dirtyDevices.add(device);
  };
  const dropFacts = (f: Finding) => {
    const fk = dk(f.metadata?.namespace ?? "", f.metadata?.name ?? "");
    const device = findingIndex.get(fk);
    findingIndex.delete(fk);
    if (device && facts.get(device)?.delete(f.metadata?.name ?? "")) dirtyDevices.add(device);
  };

  const common = {
    registry,
    logger: log,
    initialBackoffMs: backoff.initial,
    maxBackoffMs: backoff.max,
  };
  const nsOpt = opts.namespace !== undefined ? { namespace: opts.namespace } : {};
  let deviceInf: Informer<Device> | undefined;
  let ruleInf: Informer<DetectionRule> | undefined;
  let findingInf: Informer<Finding> | undefined;
  const informers: Informer<KubernetesObject>[] = [];
  const started = (async () => {
    const [dSrc, rSrc, fSrc] = await Promise.all([
      kube.listWatchSource<Device>(API_VERSION, "Device", nsOpt),
      kube.listWatchSource<DetectionRule>(API_VERSION, "DetectionRule", nsOpt),
      kube.listWatchSource<Finding>(API_VERSION, "Finding", {
        ...nsOpt,
        labelSelector: `app.kubernetes.io/managed-by=${MANAGED_BY}`,
      }),
    ]);
    deviceInf = startInformer(kube, {
      ...dSrc,
      ...common,
      name: "analytics-devices",
      onEvent: (type, d) => {
        const key = dk(d.metadata?.namespace ?? "", d.metadata?.name ?? "");
        if (type === "DELETED") {
          devices.delete(key);
          facts.delete(key);
          dirtyDevices.delete(key);
        } else {
          missingDevices.delete(key);
          dirtyDevices.add(key);
        }
      },
    });
    ruleInf = startInformer(kube, { ...rSrc, ...common, name: "analytics-rules" });
    findingInf = startInformer(kube, {
      ...fSrc,
      ...common,
      name: "analytics-findings",
      onEvent: (type, f) => (type === "DELETED" ? dropFacts(f) : setFacts(f)),
    });
    informers.push(
      deviceInf as Informer<KubernetesObject>,
      ruleInf as Informer<KubernetesObject>,
      findingInf as Informer<KubernetesObject>,
    );
    await Promise.all(informers.map((i) => i.synced));
  })();
  started.catch(() => {}); // observed through check() and flush()

  const deviceObj = (ns: string, name: string) => deviceInf?.get(ns, name);

  /** The Device, from the cache or (cache lag) one get(); undefined if it does not exist. */
  async function lookupDevice(ns: string, name: string): Promise<Device | undefined> {
    const cached = deviceObj(ns, name);
    if (cached) return cached;
    const key = dk(ns, name);
    const missAt = missingDevices.get(key);
    if (missAt !== undefined && performance.now() - missAt < 30_000) return undefined;
    const d = await kube.get<Device>(API_VERSION, "Device", ns, name, {
      signal: stopping.signal,
    });
    if (!d) missingDevices.set(key, performance.now());
    return d;
  }

  async function lookupProfileUid(ns: string, name: string): Promise<string | undefined> {
    const key = dk(ns, name);
    const c = profileUids.get(key);
    if (c && performance.now() - c.atMs < 60_000) return c.uid;
    const p = await kube.get(API_VERSION, "CollectorProfile", ns, name, {
      signal: stopping.signal,
    });
    const uid = p?.metadata?.uid;
    profileUids.set(key, { ...(uid && { uid }), atMs: performance.now() });
    return uid;
  }

  async function write<T>(object: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    await bucket.take(stopping.signal);
    m.throttled.inc((performance.now() - t0) / 1000);
    try {
      const r = await fn();
      m.writes.inc({ object, result: "ok" });
      return r;
    } catch (err) {
      m.writes.inc({ object, result: "error" });
      throw err;
    }
  }

  // ---- intake ---------------------------------------------------------------
  function enqueue(key: string, next: PendingFinding, kind: string): void {
    const prev = pending.get(key);
    if (prev) {
      m.coalesced.inc({ kind });
      next.fire = next.fire || prev.fire;
      if (!next.fired && prev.fired) next.fired = prev.fired;
      next.attempts = prev.attempts;
    } else if (pending.size >= maxPending) {
      m.dropped.inc({ reason: "pending_full" });
      return;
    }
    pending.set(key, next);
    m.pending.set(pending.size);
  }

  function update(u: FindingUpdate): void {
    m.updates.inc({ kind: "finding" });
    const ns = u.device.namespace;
    const name = findingName(u.device.name, u.rule.name, u.key);
    enqueue(
      dk(ns, name),
      {
        namespace: ns,
        name,
        spec: findingSpec(u),
        owner: { kind: "Device", name: u.device.name },
        fire: u.fire,
        ...(u.fire && { fired: u }),
        ruleRef: u.rule,
        attempts: 0,
      },
      "finding",
    );
  }

  function integrity(p: IntegrityProblem): void {
    m.updates.inc({ kind: "integrity" });
    // Producer <namespace>/<profile>[/<pod>]; subject amoskys.telemetry.<namespace>.<device>.
    const [ns = "", profile = ""] = p.producerId.split("/");
    const subj = p.subject.split(".");
    const subjectDevice = subj.length === 4 && subj[2] === ns ? (subj[3] ?? "") : "";
    const reason = dnsPart(p.reason, 40).replace(/-/g, "_") || "unknown";
    if (!DNS_LABEL.test(ns) || !DNS_SUBDOMAIN.test(profile)) {
      m.dropped.inc({ reason: "bad_producer" });
      log.warn("integrity problem with an unusable producer id", {
        producer: bounded(p.producerId, 200),
        reason,
      });
      return;
    }
    const rule = `integrity/${reason}`;
    const device = DNS_SUBDOMAIN.test(subjectDevice) ? subjectDevice : profile;
    const key = bounded(p.producerId, 256);
    const name = findingName(device, rule, key);
    const fk = dk(ns, name);
    let agg = integrityAgg.get(fk);
    if (!agg) {
      // Continue the count of a finding that already exists (e.g. after a restart).
      const stored = findingInf?.get(ns, name);
      const first = Date.parse(stored?.spec?.firstSeen ?? "");
      agg = {
        count: stored?.spec?.count ?? 0,
        firstSeenMs: Number.isFinite(first) ? first : p.atMs,
      };
      integrityAgg.set(fk, agg);
      if (integrityAgg.size > maxPending) {
        const oldest = integrityAgg.keys().next().value;
        if (oldest !== undefined) integrityAgg.delete(oldest);
      }
    }
    agg.count++;
    const severity = INTEGRITY_SEVERITY[reason] ?? "medium";
    enqueue(
      fk,
      {
        namespace: ns,
        name,
        spec: {
          device,
          rule,
          key,
          severity,
          title: bounded(`Telemetry integrity: ${reason.replace(/_/g, " ")}`, 256),
          count: Math.max(1, agg.count),
          firstSeen: rfc3339(Math.min(agg.firstSeenMs, p.atMs)),
          lastSeen: rfc3339(Math.max(agg.firstSeenMs, p.atMs)),
          evidence: {
            summary: bounded(
              `${agg.count} batch(es) from producer ${p.producerId} refused (${p.reason}): ${p.detail}`,
              1024,
            ),
            samples: [bounded(`subject ${p.subject}`, 512)],
          },
        },
        owner: { kind: "CollectorProfile", name: profile },
        fire: true,
        attempts: 0,
      },
      "integrity",
    );
  }

  function setRuleStatus(u: RuleStatusUpdate): void {
    m.updates.inc({ kind: "rule" });
    const key = dk(u.rule.namespace, u.rule.name);
    if (pendingRules.has(key)) m.coalesced.inc({ kind: "rule" });
    pendingRules.set(key, u);
  }

  function deviceSeen(
    ns: string,
    name: string,
    atMs: number,
    status?: readonly StatusFact[],
  ): void {
    m.updates.inc({ kind: "device" });
    const key = dk(ns, name);
    const d = deviceObj(ns, name);
    // Only Devices that exist: a bogus subject must not grow memory.
    if (!d) {
      m.dropped.inc({ reason: "no_device" });
      return;
    }
    const st = deviceState(key, d);
    if (st.seenMs === undefined || atMs > st.seenMs) st.seenMs = atMs;
    if (status?.length) applyStatusFacts(st.protocols, status);
    dirtyDevices.add(key);
  }

  /** The writer's state for a device, seeded from the Device's stored status the first time. */
  function deviceState(key: string, d: Device): DeviceState {
    let st = devices.get(key);
    if (!st) {
      const owned = ownedDeviceStatus(d.status as Record<string, unknown> | undefined);
      st = {
        ...(owned.lastSeenMs !== undefined && {
          lastSeenMs: owned.lastSeenMs,
          seenMs: owned.lastSeenMs,
        }),
        protocols: owned.protocols,
        conditions: owned.conditions,
      };
      const stored = storedDeviceStatus(d);
      if (stored) st.written = stored;
      devices.set(key, st);
    }
    return st;
  }

  // ---- flush ------------------------------------------------------------------
  let flushing: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let lastRefresh = performance.now();

  function flush(): Promise<void> {
    if (queued) return queued;
    if (!flushing) {
      flushing = doFlush().finally(() => {
        flushing = undefined;
      });
      return flushing;
    }
    const after = flushing;
    queued = after
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return flush();
      });
    return queued;
  }

  async function doFlush(): Promise<void> {
    await started;
    const end = m.flushSeconds.startTimer();
    try {
      const batch = [...pending.values()];
      pending.clear();
      m.pending.set(0);
      await pool(batch, 4, writeFinding);
      const rules = [...pendingRules.values()];
      pendingRules.clear();
      await pool(rules, 4, writeRuleStatus);
      if (performance.now() - lastRefresh >= refreshMs) {
        lastRefresh = performance.now();
        for (const key of devices.keys()) dirtyDevices.add(key);
        for (const key of facts.keys()) dirtyDevices.add(key);
      }
      const dirty = [...dirtyDevices];
      dirtyDevices.clear();
      await pool(dirty, 4, writeDeviceStatus);
    } finally {
      end();
    }
  }

  async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
    let i = 0;
    const worker = async () => {
      while (i < items.length && !stopping.signal.aborted) {
        const item = items[i++] as T;
        await fn(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  }

  function requeue(p: PendingFinding, err: unknown): void {
    const key = dk(p.namespace, p.name);
    if (p.attempts >= 10) {
      m.dropped.inc({ reason: "gave_up" });
      log.error("giving up on a finding", { finding: key, err: String(err) });
      return;
    }
    // A newer update waiting for the same finding carries the newer spec.
    const newer = pending.get(key);
    if (newer) {
      newer.fire = newer.fire || p.fire;
      if (!newer.fired && p.fired) newer.fired = p.fired;
      newer.attempts = p.attempts + 1;
    } else {
      pending.set(key, { ...p, attempts: p.attempts + 1 });
    }
    m.pending.set(pending.size);
  }

  async function ownerOf(p: PendingFinding): Promise<Owner | undefined> {
    if (p.owner.kind === "Device") {
      const d = await lookupDevice(p.namespace, p.owner.name);
      const uid = d?.metadata?.uid;
      return uid ? { apiVersion: API_VERSION, kind: "Device", name: p.owner.name, uid } : undefined;
    }
    const uid = await lookupProfileUid(p.namespace, p.owner.name);
    if (uid) return { apiVersion: API_VERSION, kind: "CollectorProfile", name: p.owner.name, uid };
    // No such profile (the producer id is a claim): fall back to the Device named by the subject.
    const d = await lookupDevice(p.namespace, p.spec.device);
    const duid = d?.metadata?.uid;
    return duid
      ? { apiVersion: API_VERSION, kind: "Device", name: p.spec.device, uid: duid }
      : undefined;
  }

  async function writeFinding(p: PendingFinding): Promise<void> {
    const key = dk(p.namespace, p.name);
    try {
      const owner = await ownerOf(p);
      if (!owner) {
        m.dropped.inc({ reason: p.owner.kind === "Device" ? "no_device" : "no_owner" });
        log.debug("finding dropped: owner does not exist", { finding: key, owner: p.owner });
        return;
      }
      let stored: Finding;
      try {
        stored = await write("finding", () =>
          kube.apply<Finding>(
            findingObject(p.namespace, p.name, p.spec, owner, now()) as unknown as Finding,
            { fieldManager: FIELD_MANAGER, force: true, signal: stopping.signal },
          ),
        );
      } catch (err) {
        // firstSeen is immutable: detection restarted with a later first
        // sighting. Keep the stored one (and lastSeen ≥ it), then retry once.
        if (!(err instanceof KubeApiError && err.code === 422 && /firstSeen/.test(err.message)))
          throw err;
        const cur = await kube.get<Finding>(API_VERSION, "Finding", p.namespace, p.name, {
          signal: stopping.signal,
        });
        if (!cur?.spec?.firstSeen) throw err;
        const spec = {
          ...p.spec,
          firstSeen: cur.spec.firstSeen,
          lastSeen:
            Date.parse(p.spec.lastSeen) < Date.parse(cur.spec.firstSeen)
              ? cur.spec.firstSeen
              : p.spec.lastSeen,
        };
        stored = await write("finding", () =>
          kube.apply<Finding>(
            findingObject(p.namespace, p.name, spec, owner, now()) as unknown as Finding,
            { fieldManager: FIELD_MANAGER, force: true, signal: stopping.signal },
          ),
        );
      }
      setFacts(stored);
      if (p.fire && stored.spec?.state === "resolved") {
        // Fired again after someone resolved it: open again (people may resolve it again).
        const reopened = await write("finding_state", () =>
          kube.patchMerge<Finding>(
            API_VERSION,
            "Finding",
            p.namespace,
            p.name,
            { spec: { state: "open" } },
            { signal: stopping.signal },
          ),
        );
        setFacts(reopened);
        log.info("finding reopened", { finding: key });
      }
      if (p.fired && p.ruleRef) queueResponses(p, p.fired);
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (transient(err)) {
        requeue(p, err);
        log.warn("finding write failed; retrying at the next flush", {
          finding: key,
          err: String(err),
        });
        return;
      }
      const forbidden = err instanceof KubeApiError && err.code === 403;
      m.dropped.inc({ reason: forbidden ? "forbidden" : "invalid" });
      log.error("finding write refused", { finding: key, err: String(err) });
    }
  }

  function storedRuleStatus(r: DetectionRule | undefined): string | undefined {
    const s = r?.status as Record<string, unknown> | undefined;
    if (!s) return undefined;
    const owned = {
      ...(s.observedGeneration !== undefined && { observedGeneration: s.observedGeneration }),
      conditions: ownedRuleStatus(s).conditions,
      ...(s.hits !== undefined && { hits: s.hits }),
      ...(s.suppressed !== undefined && { suppressed: s.suppressed }),
      ...(s.lastFired !== undefined && { lastFired: s.lastFired }),
      ...(s.learning !== undefined && { learning: s.learning }),
    };
    return canonical(owned);
  }

  async function writeRuleStatus(u: RuleStatusUpdate): Promise<void> {
    const key = dk(u.rule.namespace, u.rule.name);
    const cached = ruleInf?.get(u.rule.namespace, u.rule.name);
    if (!ruleWritten.has(key) && cached) {
      const stored = storedRuleStatus(cached);
      if (stored) ruleWritten.set(key, stored);
      ruleConditions.set(
        key,
        ownedRuleStatus(cached.status as Record<string, unknown> | undefined).conditions,
      );
    }
    const status = ruleStatus(u, ruleConditions.get(key) ?? [], now());
    const c = canonical(status);
    if (ruleWritten.get(key) === c) return;
    try {
      await write("rule_status", () =>
        kube.applyStatus(
          {
            apiVersion: API_VERSION,
            kind: "DetectionRule",
            metadata: { name: u.rule.name, namespace: u.rule.namespace },
            status,
          } as KubernetesObject,
          { fieldManager: FIELD_MANAGER, force: true, signal: stopping.signal },
        ),
      );
      ruleWritten.set(key, c);
      ruleConditions.set(key, status.conditions);
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (isNotFound(err)) return; // the rule is gone
      if (transient(err) && !pendingRules.has(key)) pendingRules.set(key, u);
      log.warn("rule status write failed", { rule: key, err: String(err) });
    }
  }

  function storedDeviceStatus(d: Device): string | undefined {
    const s = d.status as Record<string, unknown> | undefined;
    if (!s || s.riskScore === undefined) return undefined;
    const conditions = ((s.conditions as Condition[] | undefined) ?? []).filter(
      (c) => c.type === "Reachable" || c.type === "Collecting",
    );
    conditions.sort((a, b) => (a.type === "Reachable" ? -1 : b.type === "Reachable" ? 1 : 0));
    return canonical({
      riskScore: s.riskScore,
      openFindings: s.openFindings,
      ...(s.lastSeen !== undefined && { lastSeen: s.lastSeen }),
      ...(s.capabilities !== undefined && { capabilities: s.capabilities }),
      ...(conditions.length > 0 && { conditions }),
    });
  }

  async function writeDeviceStatus(key: string): Promise<void> {
    const slash = key.indexOf("/");
    const ns = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const d = deviceObj(ns, name);
    if (!d) return; // gone (or never existed): nothing to write
    const st = deviceState(key, d);
    // lastSeen moves in steps of lastSeenResolutionMs, so busy devices do not churn.
    if (
      st.seenMs !== undefined &&
      (st.lastSeenMs === undefined || st.seenMs - st.lastSeenMs >= lastSeenResolutionMs)
    ) {
      st.lastSeenMs = st.seenMs;
    }
    const crit = d.spec?.criticality;
    const status = deviceStatus(
      {
        generation: d.metadata?.generation,
        criticality: crit,
        findings: facts.get(key)?.values() ?? [],
        lastSeenMs: st.lastSeenMs,
        seenMs: st.seenMs,
        protocols: st.protocols,
        prevConditions: st.conditions,
      },
      now(),
      { halfLifeMs, staleAfterMs },
    );
    const c = canonical(status);
    if (st.written === c) return;
    try {
      await write("device_status", () =>
        kube.applyStatus(
          {
            apiVersion: API_VERSION,
            kind: "Device",
            metadata: { name, namespace: ns },
            status,
          } as KubernetesObject,
          { fieldManager: FIELD_MANAGER, force: true, signal: stopping.signal },
        ),
      );
      st.written = c;
      st.conditions = status.conditions ?? [];
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (isNotFound(err)) return;
      if (transient(err)) dirtyDevices.add(key);
      log.warn("device status write failed", { device: key, err: String(err) });
    }
  }

  // ---- responses ----------------------------------------------------------------
  const jobs: ResponseJob[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];

  function queueResponses(p: PendingFinding, u: FindingUpdate): void {
    const ref = p.ruleRef;
    if (!ref) return;
    const rule = ruleInf?.get(ref.namespace, ref.name);
    const r = rule?.spec?.responses;
    if (!rule || !r || (!r.webhook && !r.event && !r.quarantine)) return;
    if (jobs.length >= maxQueuedResponses) {
      m.dropped.inc({ reason: "responses_full" });
      log.warn("response queue full; responses dropped", { finding: `${p.namespace}/${p.name}` });
      return;
    }
    jobs.push({ finding: { namespace: p.namespace, name: p.name }, update: u, rule });
    pump();
  }

  function pump(): void {
    while (running < responseConcurrency && jobs.length > 0 && !stopping.signal.aborted) {
      const job = jobs.shift() as ResponseJob;
      running++;
      void runResponses(job)
        .catch((err) => log.error("responses failed", { err: String(err) }))
        .finally(() => {
          running--;
          pump();
          if (running === 0 && jobs.length === 0) {
            const w = idleWaiters;
            idleWaiters = [];
            for (const f of w) f();
          }
        });
    }
  }

  function responsesIdle(): Promise<void> {
    if (running === 0 && jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  interface Outcome {
    type: Response;
    result: "Succeeded" | "Failed";
    message: string;
    time: string;
  }

  async function runResponses(job: ResponseJob): Promise<void> {
    const r = job.rule.spec.responses ?? {};
    const u = job.update;
    const outcomes: Outcome[] = [];
    const record = (type: Response, ok: boolean, message: string) => {
      m.responses.inc({ type, result: ok ? "Succeeded" : "Failed" });
      outcomes.push({
        type,
        result: ok ? "Succeeded" : "Failed",
        message: bounded(message, 1024),
        time: rfc3339Seconds(now()),
      });
    };
    const tasks: Promise<void>[] = [];
    if (r.webhook) {
      const wh = r.webhook;
      tasks.push(
        (async () => {
          try {
            let secret: Buffer | undefined;
            const ca: string[] = [opts.webhookCa ?? []].flat();
            if (wh.secretRef) {
              const s = await kube.get<{ data?: Record<string, string> } & KubernetesObject>(
                "v1",
                "Secret",
                job.rule.metadata?.namespace,
                wh.secretRef.name,
                { signal: stopping.signal },
              );
              const k = wh.secretRef.key ?? "secret";
              const b64 = s?.data?.[k];
              if (!b64) {
                record("webhook", false, `Secret ${wh.secretRef.name} key ${k} not found`);
                return;
              }
              secret = Buffer.from(b64, "base64");
              const caPem = s?.data?.["ca.crt"];
              if (caPem) ca.push(Buffer.from(caPem, "base64").toString("utf8"));
            }
            const body = JSON.stringify(alertmanagerPayload(u, job.finding.name));
            const res = await postWebhook(wh.url, body, {
              ...(secret && { secret }),
              ...(ca.length > 0 && { ca }),
              ...opts.webhook,
              signal: stopping.signal,
            });
            record(
              "webhook",
              res.ok,
              `${res.message}${res.attempts > 1 ? ` after ${res.attempts} attempts` : ""}`,
            );
          } catch (err) {
            record("webhook", false, String(err));
          }
        })(),
      );
    }
    if (r.event) {
      tasks.push(
        (async () => {
          try {
            const d = await lookupDevice(u.device.namespace, u.device.name);
            if (!d?.metadata?.uid) {
              record("event", false, "Device not found");
              return;
            }
            const t = new Date(now());
            await write("event", () =>
              kube.create({
                apiVersion: "v1",
                kind: "Event",
                metadata: {
                  namespace: u.device.namespace,
                  name: `${dnsPart(u.device.name, 40) || "device"}.${hash8(job.finding.name, String(u.lastSeenMs), String(u.count))}${Math.floor(
                    Math.random() * 1e6,
                  ).toString(36)}`,
                },
                involvedObject: {
                  apiVersion: API_VERSION,
                  kind: "Device",
                  name: u.device.name,
                  namespace: u.device.namespace,
                  uid: d.metadata.uid,
                },
                reason: bounded(u.rule.name, 128),
                message: bounded(
                  `${u.title}: ${u.evidence.summary} (finding ${job.finding.name}, count ${u.count})`,
                  1024,
                ),
                type: "Warning",
                source: { component: FIELD_MANAGER },
                reportingComponent: FIELD_MANAGER,
                reportingInstance: bounded(process.env.HOSTNAME || FIELD_MANAGER, 128),
                firstTimestamp: t,
                lastTimestamp: t,
                count: 1,
              } as KubernetesObject),
            );
            record("event", true, `Event recorded on Device ${u.device.name}`);
          } catch (err) {
            record("event", false, String(err));
          }
        })(),
      );
    }
    if (r.quarantine) {
      tasks.push(
        (async () => {
          try {
            const d = await lookupDevice(u.device.namespace, u.device.name);
            if (!d) {
              record("quarantine", false, "Device not found");
              return;
            }
            if (d.metadata?.labels?.[LABEL_QUARANTINE] === "true") {
              record("quarantine", true, `label ${LABEL_QUARANTINE}=true already set`);
              return;
            }
            // Metadata only: analytics never writes a Device's spec.
            await write("device_label", () =>
              kube.patchMerge(
                API_VERSION,
                "Device",
                u.device.namespace,
                u.device.name,
                { metadata: { labels: { [LABEL_QUARANTINE]: "true" } } },
                { signal: stopping.signal },
              ),
            );
            record("quarantine", true, `label ${LABEL_QUARANTINE}=true set`);
          } catch (err) {
            record("quarantine", false, String(err));
          }
        })(),
      );
    }
    await Promise.all(tasks);
    if (outcomes.length === 0 || stopping.signal.aborted) return;
    outcomes.sort((a, b) => (a.type < b.type ? -1 : 1));
    try {
      await write("finding_status", () =>
        kube.applyStatus(
          {
            apiVersion: API_VERSION,
            kind: "Finding",
            metadata: job.finding,
            status: { responses: outcomes },
          } as KubernetesObject,
          { fieldManager: FIELD_MANAGER, force: true, signal: stopping.signal },
        ),
      );
    } catch (err) {
      if (!stopping.signal.aborted)
        log.warn("could not record responses", {
          finding: `${job.finding.namespace}/${job.finding.name}`,
          err: String(err),
        });
    }
  }

  // ---- lifecycle ---------------------------------------------------------------
  const timer = setInterval(() => {
    if (!flushing) flush().catch((err) => log.error("flush failed", { err: String(err) }));
  }, flushIntervalMs);
  timer.unref();

  return {
    started,
    check() {
      if (stopping.signal.aborted) return "stopped";
      for (const i of informers) {
        const c = i.check();
        if (c !== true) return `${i.name}: ${c}`;
      }
      return informers.length === 3 ? true : "not started";
    },
    update,
    ruleStatus: setRuleStatus,
    deviceSeen,
    integrity,
    flush,
    responsesIdle,
    async stop() {
      clearInterval(timer);
      // One last flush of what is pending, then responses in flight; bounded.
      try {
        await Promise.race([
          flush().then(responsesIdle),
          new Promise((r) => setTimeout(r, 10_000).unref()),
        ]);
      } catch {
        // stopping anyway
      }
      stopping.abort();
      jobs.length = 0;
      await started.catch(() => {});
      await Promise.all(informers.map((i) => i.stop()));
    },
  };
}
