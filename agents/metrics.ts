// Metrics every collector shares, created once per registry.
import { Counter, type Registry } from "prom-client";

export interface CollectorMetrics {
  /** Input that could not be parsed, by protocol and reason (each also becomes a Malformed event). */
  malformed: Counter<"protocol" | "reason">;
  /** Events a collector handed to the sink, by protocol. */
  events: Counter<"protocol">;
  /** Pushed messages from an address no Device claims; dropped. */
  unknownSource: Counter<"protocol">;
}

const byRegistry = new WeakMap<Registry, CollectorMetrics>();

export function collectorMetrics(registry: Registry): CollectorMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    const registers = [registry];
    m = {
      malformed: new Counter({
        name: "amoskys_agent_malformed_total",
        help: "Input that could not be parsed, by protocol and reason.",
        labelNames: ["protocol", "reason"],
        registers,
      }),
      events: new Counter({
        name: "amoskys_agent_collected_events_total",
        help: "Telemetry events collectors handed to the pipeline, by protocol.",
        labelNames: ["protocol"],
        registers,
      }),
      unknownSource: new Counter({
        name: "amoskys_agent_unknown_source_total",
        help: "Pushed messages from an address no Device claims (dropped), by protocol.",
        labelNames: ["protocol"],
        registers,
      }),
    };
    byRegistry.set(registry, m);
  }
  return m;
}
