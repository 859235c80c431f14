// The MQTT / Sparkplug B collector: what the agent runtime wires.
export { createMqttCollector, type MqttCollectorOptions } from "./collector.ts";
