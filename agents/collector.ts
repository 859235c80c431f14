// The contract between the agent runtime and its collectors. A collector turns
// what a real device or peer said into TelemetryEvents and hands them to the
// sink; it never invents a reading. The runtime owns batching, signing, the
// outbox and publishing.
import type { Registry } from "prom-client";
import type { AgentDevice } from "../operator/manifests/agent-config.ts";
import type { TelemetryEvent } from "../proto/codec.ts";
import type { Logger } from "../runtime/log.ts";

export type { AgentDevice, TelemetryEvent };

export interface EmitOptions {
  /**
   * The caller waits for the result before it acknowledges its peer or moves
   * on (an HL7 ACK, an MQTT PUBACK, the next poll): store within a few
   * milliseconds (a group commit) instead of waiting for the batch to fill.
   * Pushed high-volume data (syslog, flows, capture) leaves it unset and is
   * batched by size and time.
   */
  urgent?: boolean;
}

export interface Sink {
  /**
   * Queues events for the next signed batch. Resolves once they are durably
   * in the on-disk outbox (fsynced), so a listener may acknowledge its peer
   * (HL7 ACK) only after it resolves. Rejects if they could not be stored.
   */
  emit(events: TelemetryEvent[], opts?: EmitOptions): Promise<void>;
}

/** Finds the Device a pushed message belongs to, by the address it came from. */
export interface DeviceDirectory {
  /** Devices with `protocol` configured whose source address list (or address) contains `ip`. */
  bySource(protocol: "syslog" | "hl7" | "flows" | "snmpTraps", ip: string): AgentDevice | undefined;
  /** The Device whose configured address is `ip` (passive capture: either end of a packet). */
  byAddress(ip: string): AgentDevice | undefined;
  all(): readonly AgentDevice[];
}

export interface CollectorContext {
  sink: Sink;
  logger: Logger;
  /** The agent's Prometheus registry; metric names start with amoskys_agent_. */
  registry: Registry;
  /** Reads a mounted Secret file (credentials), trimmed of one trailing newline. */
  readSecret(path: string): Promise<string>;
  /** Milliseconds since the epoch; tests may pin it. */
  now(): number;
}

export interface Collector {
  /** e.g. "snmp/default/ups-1", "syslog-listener". */
  readonly name: string;
  /** Starts polling or listening. Rejects only on a bad configuration or a port already in use. */
  start(): Promise<void>;
  /** Stops polling or listening; resolves when in-flight emits have settled. */
  stop(): Promise<void>;
}
