// The bus's counters: a plain object, so any exporter (Prometheus, JSON) can read it.
import type { BusMetrics } from "./types.ts";

export function newBusMetrics(): BusMetrics {
  return {
    published: 0,
    duplicates: 0,
    retries: 0,
    backpressureWaits: 0,
    inFlight: 0,
    inFlightPeak: 0,
    publishFailures: 0,
    delivered: 0,
    redelivered: 0,
    acked: 0,
    ackFailures: 0,
    naked: 0,
    termed: Object.create(null), // a reason like "constructor" must not hit Object.prototype
    handlerErrors: 0,
    fetchErrors: 0,
  };
}

/** A copy that later counting does not change. */
export function snapshotMetrics(m: BusMetrics): BusMetrics {
  return { ...m, termed: Object.fromEntries(Object.entries(m.termed)) };
}
