// The template cache of a NetFlow v9 / IPFIX collector. Templates are state
// the exporter pushes; a hostile or broken exporter can push any number, so
// the cache is bounded (oldest out first) and templates expire after their
// lifetime unless refreshed (exporters resend them periodically).

export interface TemplateField {
  /** Information element id (enterprise bit cleared). */
  id: number;
  /** Bytes; 0xffff = variable length (IPFIX only). */
  length: number;
  /** Private enterprise number; 0 for IANA elements. */
  enterprise: number;
}

export interface Template {
  templateId: number;
  fields: TemplateField[];
  /** Options template: the first `scopeCount` fields are scope fields. */
  options: boolean;
  scopeCount: number;
  /** Bytes of the smallest possible record (a variable-length field counts 1). */
  minLength: number;
  learnedMs: number;
}

export type EvictReason = "capacity" | "expired" | "withdrawn";

/** A data set that arrived before its template, kept briefly. */
export interface PendingSet {
  key: string;
  body: Uint8Array;
  receivedMs: number;
  /** What the decoder needs to decode it later (header facts). */
  context: unknown;
}

export interface TemplateCacheOptions {
  /** Most templates kept over all exporters (default 4096). */
  maxTemplates?: number;
  /** A template not refreshed for this long is dropped (default 30 min). */
  lifetimeMs?: number;
  /** Most data sets buffered while waiting for their template (default 64; 0 disables). */
  maxPending?: number;
  /** How long a buffered data set waits for its template (default 10 s). */
  pendingMs?: number;
  onEvict?: (reason: EvictReason, n: number) => void;
  /** A buffered data set whose template never came (or that was pushed out). */
  onPendingDropped?: (n: number) => void;
}

export function templateKey(
  exporter: string,
  version: number,
  domain: number,
  templateId: number,
): string {
  return `${exporter}|${version}|${domain}|${templateId}`;
}

function domainPrefix(exporter: string, version: number, domain: number): string {
  return `${exporter}|${version}|${domain}|`;
}

export class TemplateCache {
  readonly maxTemplates: number;
  readonly lifetimeMs: number;
  readonly maxPending: number;
  readonly pendingMs: number;
  // Map iteration order is insertion order: re-inserting on refresh makes
  // the first entry the least recently learned one.
  readonly #templates = new Map<string, Template>();
  readonly #pending: PendingSet[] = [];
  /** Exporter facts from options records (systemInitTimeMilliseconds), per domain. */
  readonly #initTimes = new Map<string, number>();
  readonly #onEvict: TemplateCacheOptions["onEvict"];
  readonly #onPendingDropped: TemplateCacheOptions["onPendingDropped"];

  constructor(opts: TemplateCacheOptions = {}) {
    this.maxTemplates = Math.max(1, opts.maxTemplates ?? 4096);
    this.lifetimeMs = opts.lifetimeMs ?? 30 * 60_000;
    this.maxPending = Math.max(0, opts.maxPending ?? 64);
    this.pendingMs = opts.pendingMs ?? 10_000;
    this.#onEvict = opts.onEvict;
    this.#onPendingDropped = opts.onPendingDropped;
  }

  get size(): number {
    return this.#templates.size;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  get(key: string, nowMs: number): Template | undefined {
    const t = this.#templates.get(key);
    if (t && nowMs - t.learnedMs > this.lifetimeMs) {
      this.#templates.delete(key);
      this.#onEvict?.("expired", 1);
      return undefined;
    }
    return t;
  }

  set(key: string, t: Template): void {
    this.#templates.delete(key);
    this.#templates.set(key, t);
    let over = this.#templates.size - this.maxTemplates;
    if (over <= 0) return;
    let n = 0;
    for (const k of this.#templates.keys()) {
      if (over-- <= 0) break;
      this.#templates.delete(k);
      n++;
    }
    this.#onEvict?.("capacity", n);
  }

  /** RFC 7011 8.1: withdraws one template. */
  withdraw(key: string): void {
    if (this.#templates.delete(key)) this.#onEvict?.("withdrawn", 1);
  }

  /** RFC 7011 8.1: withdraws all (options) templates of an observation domain. */
  withdrawAll(exporter: string, version: number, domain: number, options: boolean): void {
    const prefix = domainPrefix(exporter, version, domain);
    let n = 0;
    for (const [k, t] of this.#templates) {
      if (k.startsWith(prefix) && t.options === options) {
        this.#templates.delete(k);
        n++;
      }
    }
    if (n) this.#onEvict?.("withdrawn", n);
  }

  /** Drops expired templates and buffered sets (call now and then). */
  sweep(nowMs: number): void {
    let n = 0;
    for (const [k, t] of this.#templates) {
      if (nowMs - t.learnedMs > this.lifetimeMs) {
        this.#templates.delete(k);
        n++;
      }
    }
    if (n) this.#onEvict?.("expired", n);
    const before = this.#pending.length;
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      if (nowMs - (this.#pending[i] as PendingSet).receivedMs > this.pendingMs) {
        this.#pending.splice(i, 1);
      }
    }
    if (before > this.#pending.length) this.#onPendingDropped?.(before - this.#pending.length);
  }

  addPending(p: PendingSet): void {
    if (this.maxPending === 0) {
      this.#onPendingDropped?.(1);
      return;
    }
    this.#pending.push({ ...p, body: p.body.slice() }); // own copy: the datagram buffer is reused
    if (this.#pending.length > this.maxPending) {
      this.#pending.shift();
      this.#onPendingDropped?.(1);
    }
  }

  /** Removes and returns the buffered sets waiting for `key` that are still fresh. */
  takePending(key: string, nowMs: number): PendingSet[] {
    const out: PendingSet[] = [];
    for (let i = 0; i < this.#pending.length; ) {
      const p = this.#pending[i] as PendingSet;
      if (p.key === key) {
        this.#pending.splice(i, 1);
        if (nowMs - p.receivedMs <= this.pendingMs) out.push(p);
        else this.#onPendingDropped?.(1);
      } else i++;
    }
    return out;
  }

  setInitTime(exporter: string, version: number, domain: number, ms: number): void {
    const k = domainPrefix(exporter, version, domain);
    this.#initTimes.delete(k);
    this.#initTimes.set(k, ms);
    // Bounded like the templates: one entry per (exporter, domain).
    if (this.#initTimes.size > this.maxTemplates) {
      const first = this.#initTimes.keys().next().value;
      if (first !== undefined) this.#initTimes.delete(first);
    }
  }

  initTime(exporter: string, version: number, domain: number): number | undefined {
    return this.#initTimes.get(domainPrefix(exporter, version, domain));
  }
}
