// The live feed behind GET /stream: the runtime publishes new findings and
// stored events; every SSE client gets what its filter selects through a
// bounded queue, and a client that cannot keep up is dropped (and counted)
// rather than holding memory for it.
import type { Writable } from "node:stream";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { v1 } from "../../proto/codec.ts";
import type { FindingUpdate } from "../model.ts";

export type LiveItem =
  /** A finding as detection reported it; `id` and `state` once stored (upsertFinding). */
  | { kind: "finding"; finding: FindingUpdate & { id?: number; state?: string } }
  /** A stored telemetry event. */
  | { kind: "event"; event: TelemetryEvent };

export interface LiveFeed {
  subscribe(fn: (item: LiveItem) => void): () => void;
}

/** An in-process LiveFeed the runtime publishes into (publish never throws or blocks). */
export interface LiveHub extends LiveFeed {
  publish(item: LiveItem): void;
  readonly subscribers: number;
}

export function createLiveHub(): LiveHub {
  const fns = new Set<(item: LiveItem) => void>();
  return {
    subscribe(fn) {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    publish(item) {
      for (const fn of fns) {
        try {
          fn(item);
        } catch {
          // one subscriber's failure is not the publisher's
        }
      }
    },
    get subscribers() {
      return fns.size;
    },
  };
}

export const EVENT_BODIES = [
  "metric",
  "log",
  "trap",
  "flow",
  "status",
  "security",
  "clinical",
  "malformed",
  "wire",
] as const;
export type EventBody = (typeof EVENT_BODIES)[number];

export interface StreamFilter {
  kinds: Set<"finding" | "event">;
  namespace?: string;
  device?: string;
  /** Event bodies wanted; empty: all. */
  bodies: Set<EventBody>;
}

export function bodyOf(e: TelemetryEvent): EventBody | undefined {
  for (const b of EVENT_BODIES) if (e[b] != null) return b;
  return undefined;
}

export function selects(f: StreamFilter, item: LiveItem): boolean {
  if (!f.kinds.has(item.kind)) return false;
  const dev = item.kind === "finding" ? item.finding.device : item.event.device;
  if (f.namespace !== undefined && dev?.namespace !== f.namespace) return false;
  if (f.device !== undefined && dev?.name !== f.device) return false;
  if (item.kind === "event" && f.bodies.size > 0) {
    const b = bodyOf(item.event);
    if (!b || !f.bodies.has(b)) return false;
  }
  return true;
}

const iso = (ms: number) => new Date(ms).toISOString();
const tsIso = (t: { seconds?: number | null; nanos?: number | null } | null | undefined) =>
  t ? iso(Number(t.seconds ?? 0) * 1000 + Math.floor(Number(t.nanos ?? 0) / 1e6)) : undefined;

/** The JSON an SSE `finding` carries (FindingUpdate with ISO times). */
export function findingJson(f: FindingUpdate & { id?: number; state?: string }) {
  return {
    ...(f.id !== undefined && { id: f.id }),
    ...(f.state !== undefined && { state: f.state }),
    rule: f.rule,
    device: f.device,
    key: f.key,
    severity: f.severity,
    title: f.title,
    mitre: f.mitre,
    count: f.count,
    suppressed: f.suppressed,
    firstSeen: iso(f.firstSeenMs),
    lastSeen: iso(f.lastSeenMs),
    evidence: f.evidence,
    fire: f.fire,
  };
}

/** The JSON an SSE `event` carries: the protobuf JSON mapping (enum names, base64 bytes), ISO times. */
export function eventJson(e: TelemetryEvent): Record<string, unknown> {
  const o = v1.TelemetryEvent.toObject(v1.TelemetryEvent.fromObject(e), {
    enums: String,
    longs: Number,
    bytes: String,
  }) as Record<string, unknown>;
  o.observed = tsIso(e.observed);
  o.collected = tsIso(e.collected);
  o.body = bodyOf(e);
  return o;
}

/** SSE framing: `data` is one line of JSON, so no line of it can end the message. */
export function sseMessage(event: string, id: number, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * One SSE connection. Writes go straight to the socket until it pushes back;
 * then messages wait for 'drain' in a queue of at most `maxQueueBytes`, and
 * one more drops the client (onDrop). A burst a reading client absorbs within
 * that many bytes is fine; a stalled reader costs at most the socket buffers
 * plus maxQueueBytes.
 */
export class SseClient {
  private readonly out: Writable;
  private readonly maxQueueBytes: number;
  private readonly onDrop: () => void;
  private readonly queue: string[] = [];
  private queueBytes = 0;
  private blocked = false;
  closed = false;

  constructor(out: Writable, maxQueueBytes: number, onDrop: () => void) {
    this.out = out;
    this.maxQueueBytes = maxQueueBytes;
    this.onDrop = onDrop;
  }

  /** Bytes (UTF-16 code units) waiting for the socket. */
  get queued(): number {
    return this.queueBytes;
  }

  send(chunk: string): void {
    if (this.closed) return;
    if (this.blocked) {
      if (this.queueBytes + chunk.length > this.maxQueueBytes) {
        this.closed = true;
        this.queue.length = 0;
        this.queueBytes = 0;
        this.onDrop();
        return;
      }
      this.queue.push(chunk);
      this.queueBytes += chunk.length;
      return;
    }
    if (!this.out.write(chunk)) this.wait();
  }

  private wait(): void {
    this.blocked = true;
    this.out.once("drain", () => this.flush());
  }

  private flush(): void {
    this.blocked = false;
    while (!this.closed && this.queue.length > 0) {
      const next = this.queue.shift() as string;
      this.queueBytes -= next.length;
      if (!this.out.write(next)) {
        this.wait();
        return;
      }
    }
  }
}
