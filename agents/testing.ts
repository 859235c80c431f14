// Test helpers for collectors: an in-memory sink and a context. Pure plumbing;
// the peers a collector talks to in tests are always real.
import { readFile } from "node:fs/promises";
import { Registry } from "prom-client";
import type { AgentDevice } from "../operator/manifests/agent-config.ts";
import { createLogger } from "../runtime/log.ts";
import type { CollectorContext, DeviceDirectory, Sink, TelemetryEvent } from "./collector.ts";
import { createDirectory } from "./directory.ts";

export interface MemorySink extends Sink {
  readonly events: TelemetryEvent[];
  /** Resolves when at least `n` events matching `pred` arrived; rejects after `timeoutMs`. */
  waitFor(
    n: number,
    pred?: (e: TelemetryEvent) => boolean,
    timeoutMs?: number,
  ): Promise<TelemetryEvent[]>;
}

export function memorySink(): MemorySink {
  const events: TelemetryEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    async emit(batch) {
      events.push(...batch);
      for (const w of [...waiters]) w();
    },
    waitFor(n, pred = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const got = events.filter(pred);
          if (got.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(got);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `waitFor: ${events.filter(pred).length}/${n} matching events after ${timeoutMs} ms (${events.length} in all)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export function testContext(sink: Sink = memorySink()): CollectorContext & { registry: Registry } {
  return {
    sink,
    logger: createLogger("agent-test", {
      level: (process.env.AMOSKYS_LOG_LEVEL as "debug") ?? "error",
    }),
    registry: new Registry(),
    readSecret: async (path) => (await readFile(path, "utf8")).replace(/\r?\n$/, ""),
    now: Date.now,
  };
}

/** A directory over a fixed device list, with the runtime's rules. */
export function staticDirectory(devices: AgentDevice[]): DeviceDirectory {
  return createDirectory(devices);
}
