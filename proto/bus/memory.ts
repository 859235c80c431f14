// The in-process bus of the embedded single-process mode: the same Publisher
// and Consumer as over JetStream, the same conventions and the same rules,
// with nothing surviving the process.
import { setImmediate as nextTurn } from "node:timers/promises";
import { consumerConfig } from "./config.ts";
import { type BatchSource, runBatches } from "./consume.ts";
import { busStreams, type StreamLimits, type StreamSpec } from "./conventions.ts";
import { ConfigConflictError } from "./errors.ts";
import {
  MemoryDurable,
  MemoryStream,
  NoStreamError,
  ResourceNotFoundError,
  StreamFullError,
  subjectsOverlap,
  WorkQueueOverlapError,
} from "./memory-stream.ts";
import { newBusMetrics, snapshotMetrics } from "./metrics.ts";
import { windowedPublisher } from "./publish.ts";
import type {
  Consumer,
  ConsumerConfig,
  ProvisionResult,
  Publisher,
  PublisherConfig,
} from "./types.ts";

export {
  MessageTooLargeError,
  NoStreamError,
  ResourceNotFoundError,
  StreamFullError,
  WorkQueueOverlapError,
} from "./memory-stream.ts";

export interface MemoryBus {
  /** Creates or updates streams, like ensureStreams over NATS. */
  ensureStreams(specs: StreamSpec[]): ProvisionResult[];
  publisher(cfg?: Partial<PublisherConfig>): Publisher;
  /** Creates or updates the durable `durable` on `stream`. */
  consumer(stream: string, durable: string, cfg?: Partial<ConsumerConfig>): Consumer;
  streamState(stream: string): { messages: number; bytes: number; lastSeq: number };
  consumerState(stream: string, durable: string): { numPending: number; numAckPending: number };
  /** Stops every timer and wakes waiting consumers. */
  close(): void;
}

/** Failures a retry can fix: the stream is full, or not there yet. */
export function isTransientMemoryError(err: unknown): boolean {
  return err instanceof StreamFullError || err instanceof NoStreamError;
}

export function memoryBus(specs: StreamSpec[] = busStreams()): MemoryBus {
  const streams = new Map<string, MemoryStream>();

  const stream = (name: string) => {
    const s = streams.get(name);
    if (!s) throw new ResourceNotFoundError(`stream ${name}`);
    return s;
  };

  function ensure(spec: StreamSpec): ProvisionResult {
    const have = streams.get(spec.name);
    if (!have) {
      streams.set(spec.name, new MemoryStream(structuredClone(spec)));
      return { stream: spec.name, action: "created", changed: [] };
    }
    for (const f of ["retention", "storage"] as const)
      if (have.spec[f] !== spec[f])
        throw new ConfigConflictError(`stream ${spec.name}`, f, spec[f], have.spec[f]);
    const changed: string[] = [];
    if (have.spec.subjects.join(" ") !== spec.subjects.join(" ")) changed.push("subjects");
    for (const f of ["description", "discard"] as const)
      if (have.spec[f] !== spec[f]) changed.push(f);
    for (const [f, v] of Object.entries(spec.limits))
      if (have.spec.limits[f as keyof StreamLimits] !== v) changed.push(f);
    if (changed.length === 0) return { stream: spec.name, action: "unchanged", changed };
    have.spec = structuredClone(spec);
    return { stream: spec.name, action: "updated", changed };
  }

  const bus: MemoryBus = {
    ensureStreams: (list) => list.map(ensure),

    publisher(cfg = {}) {
      return windowedPublisher(
        async (subject, data, msgId) => {
          for (const s of streams.values())
            if (s.takes(subject)) return s.store(subject, data, msgId);
          throw new NoStreamError(subject);
        },
        isTransientMemoryError,
        cfg,
      );
    },

    consumer(streamName, durable, cfg = {}) {
      const c = consumerConfig(cfg);
      const s = stream(streamName);
      const want = {
        ackWaitMs: c.ackWaitMs,
        maxDeliver: c.maxDeliver,
        maxAckPending: c.maxAckPending,
        filterSubject: c.filterSubject,
      };
      if (s.spec.retention === "workqueue") {
        for (const [name, other] of s.durables) {
          if (name === durable) continue;
          const a = c.filterSubject ?? ">";
          const b = other.cfg.filterSubject ?? ">";
          if (subjectsOverlap(a, b)) throw new WorkQueueOverlapError(streamName, durable, name);
        }
      }
      const durableState = s.durables.get(durable) ?? new MemoryDurable(s, want);
      durableState.cfg = want;
      s.durables.set(durable, durableState);
      const m = c.metrics ?? newBusMetrics();
      const source: BatchSource = {
        async fetch(max, signal) {
          const got = durableState.take(max);
          if (got.length > 0 || signal.aborted) return got;
          await durableState.wait(c.maxWaitMs, signal);
          if (signal.aborted) return [];
          await nextTurn(); // let a burst of publishes land in one batch
          return durableState.take(max);
        },
      };
      return {
        run: (handler, signal) => runBatches(source, handler, signal, c, m),
        metrics: () => snapshotMetrics(m),
      };
    },

    streamState: (name) => stream(name).state(),

    consumerState(name, durable) {
      const d = stream(name).durables.get(durable);
      if (!d) throw new ResourceNotFoundError(`consumer ${name}/${durable}`);
      return d.state();
    },

    close() {
      for (const s of streams.values()) for (const d of s.durables.values()) d.dispose();
    },
  };
  bus.ensureStreams(specs);
  return bus;
}
