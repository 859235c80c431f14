// Metrics of the flow listener (the shared ones are in agents/metrics.ts).
import { Counter, Gauge, type Registry } from "prom-client";

export interface FlowMetrics {
  templates: Gauge;
  templateEvictions: Counter<"reason">;
  missingTemplateSets: Counter<"protocol">;
  pendingDropped: Counter;
  records: Counter<"protocol" | "kind">;
}

const byRegistry = new WeakMap<Registry, FlowMetrics>();

export function flowMetrics(registry: Registry): FlowMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    const registers = [registry];
    m = {
      templates: new Gauge({
        name: "amoskys_agent_flow_templates",
        help: "NetFlow v9 / IPFIX templates in the cache.",
        registers,
      }),
      templateEvictions: new Counter({
        name: "amoskys_agent_flow_template_evictions_total",
        help: "Templates dropped from the cache: capacity, expired (lifetime) or withdrawn (IPFIX).",
        labelNames: ["reason"],
        registers,
      }),
      missingTemplateSets: new Counter({
        name: "amoskys_agent_flow_missing_template_sets_total",
        help: "Data sets that arrived before (or without) their template.",
        labelNames: ["protocol"],
        registers,
      }),
      pendingDropped: new Counter({
        name: "amoskys_agent_flow_pending_dropped_total",
        help: "Buffered data sets dropped because their template never came in time.",
        registers,
      }),
      records: new Counter({
        name: "amoskys_agent_flow_records_total",
        help: "Records decoded, by kind: flow, options (exporter metadata), other (no addresses).",
        labelNames: ["protocol", "kind"],
        registers,
      }),
    };
    byRegistry.set(registry, m);
  }
  return m;
}
