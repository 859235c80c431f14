// The detection engine: compiled DetectionRules over TelemetryEvents, with
// bounded per-(rule, device, key) state. Pure: no I/O and no clock of its own
// (time is each event's observed time, so a replay behaves as live traffic);
// the caller feeds events, rules and Device specs, and persists checkpoints.
import type { DetectionRule } from "../../crds/index.ts";
import type { FindingUpdate, RuleStatusUpdate, TelemetryEvent } from "../model.ts";
import { addSample, type BaselineState, newBaseline, SAMPLE, score } from "./baseline.ts";
import { type CompiledRule, compileRule } from "./compile.ts";
import { type BodyKind, bodyKind, eventTimeMs, read, readText } from "./fields.ts";
import type { DeviceLookup } from "./selector.ts";

/** Event ids kept as evidence per finding. */
export const MAX_EVIDENCE = 10;
/** Distinct values remembered per novelty key; beyond, the key stops learning and never fires. */
export const MAX_NOVELTY_VALUES = 4096;
const MAX_SUMMARY = 1024;

export interface EngineOptions {
  devices: DeviceLookup;
  /** Clock for events without a time (default Date.now). */
  now?: () => number;
  /** Most (rule, device, key) states kept across all rules; the least recently used go first. Default 100 000. */
  maxKeys?: number;
  /** Called for each state evicted because maxKeys was reached. */
  onEvict?: (e: { rule: { namespace: string; name: string }; device: string; key: string }) => void;
  /** Idle time after which a key's state is dropped (window and suppression permitting). Default 24 h. */
  retainMs?: number;
  /** Idle time after which an anomaly baseline is dropped. Default 7 days. */
  retainBaselineMs?: number;
}

export interface EngineStats {
  /** States held (each a (rule, device, key)). */
  keys: number;
  /** Rough size of the states: window timestamps, distinct values, baseline samples, seen values. */
  cells: number;
  /** States dropped because maxKeys was reached (each also reported through onEvict). */
  evicted: number;
  /** States dropped because they were idle past their retention. */
  expired: number;
  /** Rule evaluations that threw (a bug, counted; the event goes on to the other rules). */
  errors: number;
}

export interface Engine {
  /** Replaces the rule set; returns every rule's status. Unchanged rules keep their state. */
  setRules(rules: readonly DetectionRule[]): RuleStatusUpdate[];
  /** Runs the events (in order) through the rules; one update per finding touched. */
  process(events: readonly TelemetryEvent[]): FindingUpdate[];
  ruleStatus(): RuleStatusUpdate[];
  checkpoint(): string;
  /** Loads a checkpoint; states of rules that are not (or no longer) loaded are dropped at setRules. */
  restore(data: string | Uint8Array): { ok: true; keys: number } | { ok: false; reason: string };
  stats(): EngineStats;
}

interface KeyState {
  /** Rule "namespace/name". */
  rule: string;
  fp: string;
  ns: string;
  dev: string;
  key: string;
  /** Last event time that touched it. */
  at: number;
  // The finding so far (count 0: never fired).
  count: number;
  suppressed: number;
  first: number;
  last: number;
  lastFired: number | null;
  ids: string[];
  summary: string;
  // Accumulating towards the next firing.
  pend: number;
  pendFirst: number;
  times?: number[];
  values?: Map<string, number>;
  step?: number;
  stepStart?: number;
  base?: BaselineState;
  seen?: Set<string>;
  overflow?: boolean;
}

interface RuleEntry {
  ref: { namespace: string; name: string };
  generation: number;
  compiled?: CompiledRule;
  reason?: string;
}

interface RuleStats {
  fp: string;
  hits: number;
  suppressed: number;
  lastFiredMs?: number;
  active: boolean;
}

const CHECKPOINT_VERSION = 1;

export function createEngine(opts: EngineOptions): Engine {
  const now = opts.now ?? Date.now;
  const maxKeys = Math.max(1, opts.maxKeys ?? 100_000);
  const retainMs = opts.retainMs ?? 24 * 3_600_000;
  const retainBaselineMs = opts.retainBaselineMs ?? 7 * 24 * 3_600_000;

  let rules: RuleEntry[] = [];
  let byNamespace = new Map<string, CompiledRule[]>();
  const stats = new Map<string, RuleStats>();
  // Insertion order is recency: a touched state is moved to the end.
  const states = new Map<string, KeyState>();
  const counters = { evicted: 0, expired: 0, errors: 0 };
  let latestMs = 0;
  let sinceSweep = 0;

  const ruleId = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;

  function statsOf(r: CompiledRule): RuleStats {
    const id = ruleId(r);
    let s = stats.get(id);
    if (!s) {
      s = { fp: r.fingerprint, hits: 0, suppressed: 0, active: false };
      stats.set(id, s);
    }
    return s;
  }

  /** Drops states whose rule is gone or changed what it counts. */
  function pruneStates(): void {
    const live = new Map<string, string>();
    for (const e of rules) if (e.compiled) live.set(ruleId(e.ref), e.compiled.fingerprint);
    for (const [k, st] of states) if (live.get(st.rule) !== st.fp) states.delete(k);
  }

  function setRules(list: readonly DetectionRule[]): RuleStatusUpdate[] {
    const next: RuleEntry[] = [];
    const seen = new Set<string>();
    for (const r of list) {
      const ref = { namespace: r?.metadata?.namespace ?? "", name: r?.metadata?.name ?? "" };
      const entry: RuleEntry = { ref, generation: r?.metadata?.generation ?? 0 };
      const id = ruleId(ref);
      if (seen.has(id)) entry.reason = "metadata.name: the same rule is listed twice";
      else {
        seen.add(id);
        const c = compileRule(r, opts.devices);
        if (c.accepted) entry.compiled = c.rule;
        else entry.reason = c.reason;
      }
      next.push(entry);
    }
    rules = next;
    byNamespace = new Map();
    for (const e of rules) {
      if (!e.compiled) continue;
      const list = byNamespace.get(e.ref.namespace) ?? [];
      list.push(e.compiled);
      byNamespace.set(e.ref.namespace, list);
      const s = statsOf(e.compiled);
      // A changed rule learns afresh; its hit counts go on (they are the rule's history).
      if (s.fp !== e.compiled.fingerprint) {
        s.fp = e.compiled.fingerprint;
        s.active = false;
      }
    }
    for (const id of [...stats.keys()]) if (!seen.has(id)) stats.delete(id);
    pruneStates();
    return ruleStatus();
  }

  function ruleStatus(): RuleStatusUpdate[] {
    return rules.map((e) => {
      const u: RuleStatusUpdate = {
        rule: { ...e.ref },
        generation: e.generation,
        accepted: !!e.compiled,
        hits: 0,
        suppressed: 0,
      };
      if (!e.compiled) {
        u.reason = e.reason ?? "invalid";
        return u;
      }
      const s = statsOf(e.compiled);
      u.hits = s.hits;
      u.suppressed = s.suppressed;
      if (s.lastFiredMs !== undefined) u.lastFiredMs = s.lastFiredMs;
      if (e.compiled.type === "anomaly") u.learning = s.active ? "Active" : "Learning";
      return u;
    });
  }

  function stateOf(r: CompiledRule, ns: string, dev: string, key: string, t: number): KeyState {
    const id = `${ruleId(r)}\u0000${ns}\u0000${dev}\u0000${key}`;
    let st = states.get(id);
    if (st) states.delete(id);
    else
      st = {
        rule: ruleId(r),
        fp: r.fingerprint,
        ns,
        dev,
        key,
        at: t,
        count: 0,
        suppressed: 0,
        first: t,
        last: t,
        lastFired: null,
        ids: [],
        summary: "",
        pend: 0,
        pendFirst: t,
      };
    st.at = Math.max(st.at, t);
    states.set(id, st);
    while (states.size > maxKeys) {
      const [oldId, old] = states.entries().next().value as [string, KeyState];
      states.delete(oldId);
      counters.evicted++;
      const [namespace = "", name = ""] = old.rule.split("/");
      opts.onEvict?.({ rule: { namespace, name }, device: `${old.ns}/${old.dev}`, key: old.key });
    }
    return st;
  }

  function remember(st: KeyState, ev: TelemetryEvent): void {
    const id = ev.id ?? "";
    if (!id) return;
    st.ids.push(id);
    if (st.ids.length > MAX_EVIDENCE) st.ids.splice(0, st.ids.length - MAX_EVIDENCE);
  }

  function process(events: readonly TelemetryEvent[]): FindingUpdate[] {
    const touched = new Map<KeyState, { rule: CompiledRule; fire: boolean }>();

    const fire = (r: CompiledRule, st: KeyState, t: number, n: number, why: string) => {
      const s = statsOf(r);
      if (st.count === 0) st.first = Math.min(st.pendFirst, t);
      st.count += n;
      st.last = Math.max(st.last, t);
      st.lastFired = t;
      st.summary = why;
      st.pend = 0;
      s.hits++;
      s.lastFiredMs = Math.max(s.lastFiredMs ?? 0, t);
      touched.set(st, { rule: r, fire: true });
    };
    const repeat = (r: CompiledRule, st: KeyState, ev: TelemetryEvent, t: number) => {
      st.count++;
      st.suppressed++;
      st.last = Math.max(st.last, t);
      statsOf(r).suppressed++;
      remember(st, ev);
      if (!touched.has(st)) touched.set(st, { rule: r, fire: false });
    };
    const inSuppression = (r: CompiledRule, st: KeyState, t: number) =>
      st.lastFired !== null && t - st.lastFired < r.suppressionMs;
    const pending = (st: KeyState, ev: TelemetryEvent, t: number) => {
      if (st.pend === 0) st.pendFirst = t;
      st.pend++;
      remember(st, ev);
    };

    for (const ev of events) {
      const ns = ev.device?.namespace ?? "";
      const list = byNamespace.get(ns);
      if (!list) continue;
      const t = eventTimeMs(ev) ?? now();
      if (t > latestMs) latestMs = t;
      const kind = bodyKind(ev);
      const dev = ev.device?.name ?? "";
      for (const r of list) {
        try {
          evaluate(r, ev, t, kind, dev);
        } catch {
          counters.errors++;
        }
      }
      if (++sinceSweep >= 4096) sweep();
    }

    function evaluate(
      r: CompiledRule,
      ev: TelemetryEvent,
      t: number,
      kind: BodyKind | undefined,
      dev: string,
    ): void {
      if (r.type === "sequence") {
        evalSequence(r, ev, t, kind, dev);
        return;
      }
      if (!r.select(ev, kind)) return;
      const key = r.groupBy.map((p) => readText(ev, p)).join("|");
      switch (r.type) {
        case "match":
        case "posture": {
          const st = stateOf(r, ns(ev), dev, key, t);
          if (inSuppression(r, st, t)) {
            repeat(r, st, ev, t);
            return;
          }
          remember(st, ev);
          st.pendFirst = t;
          fire(r, st, t, 1, `${r.title}: ${describe(ev)}`);
          return;
        }
        case "threshold": {
          const st = stateOf(r, ns(ev), dev, key, t);
          if (inSuppression(r, st, t)) {
            repeat(r, st, ev, t);
            return;
          }
          const count = r.threshold?.count ?? 1;
          st.times ??= [];
          const times = st.times;
          times.push(t);
          while (times.length && (times[0] as number) <= t - r.windowMs) times.shift();
          if (times.length > count) times.splice(0, times.length - count);
          pending(st, ev, t);
          if (times.length >= count) {
            const n = times.length;
            st.pendFirst = times[0] as number;
            st.times = [];
            fire(
              r,
              st,
              t,
              n,
              `${r.title}: ${n} matching events${keyText(key)} within ${fmtMs(r.windowMs)} (threshold ${count}); last: ${describe(ev)}`,
            );
            return;
          }
          return;
        }
        case "distinct": {
          const d = r.distinct as NonNullable<CompiledRule["distinct"]>;
          const vals = read(ev, d.field);
          if (vals.length === 0) return;
          const v = (vals[0] as { text: string }).text;
          const st = stateOf(r, ns(ev), dev, key, t);
          if (inSuppression(r, st, t)) {
            repeat(r, st, ev, t);
            return;
          }
          st.values ??= new Map<string, number>();
          const values = st.values;
          values.delete(v);
          values.set(v, t);
          // Oldest first (re-inserted on every sighting): drop those out of the window.
          for (const [x, at] of values) {
            if (at > t - r.windowMs) break;
            values.delete(x);
          }
          if (values.size > d.count) {
            const drop = values.size - d.count;
            let i = 0;
            for (const x of values.keys()) {
              if (i++ >= drop) break;
              values.delete(x);
            }
          }
          pending(st, ev, t);
          if (values.size >= d.count) {
            const sample = [...values.keys()].slice(-10).join(", ");
            st.pendFirst = Math.min(...values.values());
            st.values = new Map();
            fire(
              r,
              st,
              t,
              st.pend,
              `${r.title}: ${d.count} distinct ${d.field.text}${keyText(key)} within ${fmtMs(r.windowMs)} (latest: ${sample}); last: ${describe(ev)}`,
            );
            return;
          }
          return;
        }
        case "anomaly": {
          evalAnomaly(r, ev, t, dev, key);
          return;
        }
      }
    }

    function evalSequence(
      r: CompiledRule,
      ev: TelemetryEvent,
      t: number,
      kind: BodyKind | undefined,
      dev: string,
    ): void {
      if (!r.select(ev, kind)) return;
      const steps = (r.sequence as NonNullable<CompiledRule["sequence"]>).steps;
      const matches = steps.map((s) => s(ev, kind));
      if (!matches.some(Boolean)) return;
      const key = r.groupBy.map((p) => readText(ev, p)).join("|");
      const st = stateOf(r, ns(ev), dev, key, t);
      if (inSuppression(r, st, t)) {
        repeat(r, st, ev, t);
        return;
      }
      let step = st.step ?? 0;
      if (step > 0 && t - (st.stepStart ?? t) > r.windowMs) step = 0;
      if (matches[step]) {
        if (step === 0) {
          st.stepStart = t;
          st.pend = 0;
        }
        pending(st, ev, t);
        step++;
      } else if (step > 0 && matches[0]) {
        // Still at an earlier step: a later step-0 event neither advances nor restarts (the first start counts).
        pending(st, ev, t);
      }
      if (step === steps.length) {
        st.step = 0;
        st.pendFirst = st.stepStart ?? t;
        fire(
          r,
          st,
          t,
          st.pend,
          `${r.title}: ${steps.length} steps in order${keyText(key)} within ${fmtMs(r.windowMs)}; last: ${describe(ev)}`,
        );
        return;
      }
      st.step = step;
    }

    function evalAnomaly(
      r: CompiledRule,
      ev: TelemetryEvent,
      t: number,
      dev: string,
      key: string,
    ): void {
      const a = r.anomaly as NonNullable<CompiledRule["anomaly"]>;
      if (a.model === "novelty") {
        const vals = read(ev, a.field as NonNullable<typeof a.field>);
        if (vals.length === 0) return;
        const v = (vals[0] as { text: string }).text;
        const st = stateOf(r, ns(ev), dev, key, t);
        st.base ??= newBaseline(t);
        st.seen ??= new Set<string>();
        const seen = st.seen;
        const learning = t - st.base.firstMs < a.learningMs || st.base.n < a.minSamples;
        st.base.n++;
        if (seen.has(v)) return;
        if (seen.size >= MAX_NOVELTY_VALUES) {
          st.overflow = true;
          return;
        }
        seen.add(v);
        if (learning || st.overflow) return;
        statsOf(r).active = true;
        if (inSuppression(r, st, t)) {
          repeat(r, st, ev, t);
          return;
        }
        remember(st, ev);
        st.pendFirst = t;
        fire(
          r,
          st,
          t,
          1,
          `${r.title}: new ${a.field?.text} "${v}"${keyText(key)}, never seen in ${seen.size - 1} values learned; ${describe(ev)}`,
        );
        return;
      }
      let value: number;
      let label: string;
      if (a.metric && "path" in a.metric) {
        const l = read(ev, a.metric.path)[0];
        if (!l || l.text === "") return;
        value = Number(l.text);
        label = a.metric.path.text;
      } else {
        value = Number(ev.metric?.value ?? 0);
        label = ev.metric?.name ?? "";
      }
      if (!Number.isFinite(value)) return;
      const st = stateOf(r, ns(ev), dev, key, t);
      st.base ??= newBaseline(t);
      const b = st.base;
      const learning = t - b.firstMs < a.learningMs || b.n < a.minSamples;
      if (!learning) {
        statsOf(r).active = true;
        const sc = score(b, value);
        if (sc.z > a.k) {
          if (inSuppression(r, st, t)) repeat(r, st, ev, t);
          else {
            remember(st, ev);
            st.pendFirst = t;
            fire(
              r,
              st,
              t,
              1,
              `${r.title}: ${label} = ${value}${keyText(key)} is ${sc.z.toFixed(1)} σ from its baseline (median ${round(sc.median)}, σ ${round(sc.sigma)}, EWMA ${round(b.ewma)}, ${b.n} samples; threshold ${a.k} σ)`,
            );
          }
        }
      }
      addSample(b, value);
    }

    const out: FindingUpdate[] = [];
    for (const [st, { rule: r, fire: f }] of touched) {
      out.push({
        rule: { namespace: r.namespace, name: r.name },
        device: { namespace: st.ns, name: st.dev },
        key: st.key,
        severity: r.severity,
        title: r.title,
        mitre: [...r.mitre],
        count: st.count,
        suppressed: st.suppressed,
        firstSeenMs: st.first,
        lastSeenMs: st.last,
        evidence: {
          eventIds: [...st.ids],
          summary:
            st.suppressed > 0
              ? clip(`${st.summary} (${st.suppressed} repeats suppressed)`)
              : clip(st.summary),
        },
        fire: f,
      });
    }
    return out;
  }

  /** Drops idle states (by event time): a window that can no longer fire, a finding long quiet. */
  function sweep(): void {
    sinceSweep = 0;
    const ruleById = new Map<string, CompiledRule>();
    for (const e of rules) if (e.compiled) ruleById.set(ruleId(e.ref), e.compiled);
    for (const [id, st] of states) {
      const r = ruleById.get(st.rule);
      const keep =
        r?.type === "anomaly"
          ? retainBaselineMs
          : Math.max(r?.windowMs ?? 0, r?.suppressionMs ?? 0, retainMs);
      if (latestMs - st.at > keep) {
        states.delete(id);
        counters.expired++;
      }
    }
  }

  function checkpoint(): string {
    const keys = [...states.values()].map((st) => ({
      ...st,
      values: st.values ? [...st.values] : undefined,
      seen: st.seen ? [...st.seen] : undefined,
    }));
    return JSON.stringify({
      v: CHECKPOINT_VERSION,
      latestMs,
      rules: Object.fromEntries(stats),
      keys,
    });
  }

  function restore(
    data: string | Uint8Array,
  ): { ok: true; keys: number } | { ok: false; reason: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof data === "string" ? data : Buffer.from(data).toString("utf8"));
    } catch (err) {
      return { ok: false, reason: `not JSON: ${(err as Error).message}` };
    }
    const p = parsed as { v?: unknown; latestMs?: unknown; rules?: unknown; keys?: unknown };
    if (!p || p.v !== CHECKPOINT_VERSION || !Array.isArray(p.keys) || typeof p.rules !== "object")
      return { ok: false, reason: `not a version ${CHECKPOINT_VERSION} detection checkpoint` };
    const restored: [string, KeyState][] = [];
    for (const raw of p.keys.slice(-maxKeys)) {
      const k = raw as KeyState & { values?: [string, number][]; seen?: string[] };
      if (!k || typeof k.rule !== "string" || typeof k.fp !== "string" || typeof k.key !== "string")
        return { ok: false, reason: "a key state lacks rule, fp or key" };
      const st: KeyState = {
        ...k,
        ids: Array.isArray(k.ids) ? k.ids.slice(-MAX_EVIDENCE).map(String) : [],
        values: Array.isArray(k.values) ? new Map(k.values) : undefined,
        seen: Array.isArray(k.seen) ? new Set(k.seen.slice(0, MAX_NOVELTY_VALUES)) : undefined,
      };
      if (st.base && Array.isArray(st.base.ring)) st.base.ring = st.base.ring.slice(-SAMPLE);
      restored.push([`${st.rule}\u0000${st.ns}\u0000${st.dev}\u0000${st.key}`, st]);
    }
    states.clear();
    for (const [id, st] of restored) states.set(id, st);
    stats.clear();
    for (const [id, s] of Object.entries(p.rules as Record<string, RuleStats>)) {
      if (s && typeof s.fp === "string")
        stats.set(id, {
          fp: s.fp,
          hits: Number(s.hits) || 0,
          suppressed: Number(s.suppressed) || 0,
          lastFiredMs: typeof s.lastFiredMs === "number" ? s.lastFiredMs : undefined,
          active: !!s.active,
        });
    }
    if (typeof p.latestMs === "number") latestMs = Math.max(latestMs, p.latestMs);
    // Rules already loaded: keep only the states that are theirs and unchanged.
    if (rules.length) {
      pruneStates();
      for (const e of rules) {
        if (!e.compiled) continue;
        const s = stats.get(ruleId(e.ref));
        if (s && s.fp !== e.compiled.fingerprint) {
          s.fp = e.compiled.fingerprint;
          s.active = false;
        }
      }
    }
    return { ok: true, keys: states.size };
  }

  function engineStats(): EngineStats {
    let cells = 0;
    for (const st of states.values())
      cells +=
        1 +
        (st.times?.length ?? 0) +
        (st.values?.size ?? 0) +
        (st.base?.ring.length ?? 0) +
        (st.seen?.size ?? 0);
    return { keys: states.size, cells, ...counters };
  }

  return { setRules, process, ruleStatus, checkpoint, restore, stats: engineStats };
}

function ns(ev: TelemetryEvent): string {
  return ev.device?.namespace ?? "";
}

function keyText(key: string): string {
  return key ? ` for ${key}` : "";
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

function clip(s: string): string {
  return s.length > MAX_SUMMARY ? `${s.slice(0, MAX_SUMMARY - 1)}…` : s;
}

export function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** One line about an event, for summaries (bounded; never a password: collectors never send one). */
export function describe(ev: TelemetryEvent): string {
  const text = (s: unknown) => String(s ?? "").slice(0, 200);
  if (ev.log)
    return `log "${text(ev.log.message)}"${ev.log.hostname ? ` from ${ev.log.hostname}` : ""}`;
  if (ev.wire) {
    const w = ev.wire;
    const f = Object.entries(w.fields ?? {})
      .slice(0, 6)
      .map(([k, v]) => `${k}=${text(v).slice(0, 40)}`)
      .join(" ");
    return `${w.protocol} ${w.action} ${w.srcAddress}:${w.srcPort} → ${w.dstAddress}:${w.dstPort}${f ? ` (${f})` : ""}`;
  }
  if (ev.flow) {
    const f = ev.flow;
    return `flow ${f.srcAddress}:${f.srcPort} → ${f.dstAddress}:${f.dstPort} proto ${f.protocol}, ${f.packets} packets, ${f.bytes} bytes`;
  }
  if (ev.trap)
    return `trap ${ev.trap.trapOid} (${ev.trap.version}) from ${ev.trap.agentAddress || ev.device?.address}`;
  if (ev.metric) return `metric ${ev.metric.name} = ${ev.metric.value}`;
  if (ev.status)
    return `status reachable=${!!ev.status.reachable}${ev.status.reason ? `: ${text(ev.status.reason)}` : ""}`;
  if (ev.security) return `${ev.security.kind}: ${text(ev.security.detail)}`;
  if (ev.clinical) {
    const c = ev.clinical;
    return `observation ${c.code} ${text(c.display)} = ${text(c.value)} ${c.unit ?? ""} (flag ${c.abnormalFlag || "none"}, range ${c.referenceRange || "none"})`;
  }
  if (ev.malformed) return `malformed input: ${text(ev.malformed.reason)}`;
  return "event";
}
