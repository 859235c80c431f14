// Metrics of the MQTT collector, created once per registry (beside the
// shared ones in agents/metrics.ts).
import { Counter, type Registry } from "prom-client";

export interface MqttMetrics {
  messages: Counter<"payload" | "type">;
  connects: Counter<"result">;
  skipped: Counter<"datatype">;
  observations: Counter<"kind">;
}

const byRegistry = new WeakMap<Registry, MqttMetrics>();

export function mqttMetrics(registry: Registry): MqttMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    const registers = [registry];
    m = {
      messages: new Counter({
        name: "amoskys_agent_mqtt_messages_total",
        help: "MQTT messages received, by payload kind and Sparkplug message type.",
        labelNames: ["payload", "type"],
        registers,
      }),
      connects: new Counter({
        name: "amoskys_agent_mqtt_connect_attempts_total",
        help: "Connection attempts to MQTT brokers, by result (ok, auth, tls, unreachable, refused, config).",
        labelNames: ["result"],
        registers,
      }),
      skipped: new Counter({
        name: "amoskys_agent_mqtt_sparkplug_skipped_metrics_total",
        help: "Sparkplug metrics not turned into readings (Template, DataSet, Bytes, File, unknown datatypes).",
        labelNames: ["datatype"],
        registers,
      }),
      observations: new Counter({
        name: "amoskys_agent_mqtt_security_observations_total",
        help: "SecurityObservations the MQTT collector emitted, by kind.",
        labelNames: ["kind"],
        registers,
      }),
    };
    byRegistry.set(registry, m);
  }
  return m;
}
