// Pure planning: from an AgentConfig and where this agent runs, the devices it
// serves and the collectors it should be running. The runtime compares the
// plan with what runs and starts, stops or restarts the difference.
import { createHash } from "node:crypto";
import type { AgentConfig, AgentDevice } from "../operator/manifests/agent-config.ts";

export type PollProtocol = "snmp" | "modbus" | "mqtt" | "fhir";
export type ListenProtocol = "syslog" | "hl7" | "flows" | "snmpTraps";

export type CollectorSpec =
  | { key: string; hash: string; kind: "poll"; protocol: PollProtocol; device: AgentDevice }
  | { key: string; hash: string; kind: "listen"; protocol: ListenProtocol; port: number }
  | { key: string; hash: string; kind: "capture"; capture: NonNullable<AgentConfig["capture"]> };

export interface Placement {
  /**
   * Mode deployment: which shard this pod is (undefined when it cannot know).
   * The operator runs a sharded profile as a StatefulSet and sets
   * AMOSKYS_SHARD to the pod's ordinal (label apps.kubernetes.io/pod-index).
   */
  shard?: number;
  /** Mode daemonset: the node this pod runs on. */
  nodeName?: string;
}

export class PlacementError extends Error {
  override readonly name = "PlacementError";
}

/** The devices this pod serves. */
export function servedDevices(cfg: AgentConfig, where: Placement): AgentDevice[] {
  if (cfg.collector.mode === "daemonset") {
    return cfg.devices.filter((d) => {
      const node = d.placement?.nodeName;
      return node === undefined || node === where.nodeName;
    });
  }
  const { shards } = cfg.collector;
  if (shards <= 1) return cfg.devices;
  const shard = where.shard;
  // Never guess: a wrong shard serves devices another pod serves too.
  if (shard === undefined || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new PlacementError(
      `collector.shards is ${shards}: AMOSKYS_SHARD must be this pod's shard, an integer from 0 to ${shards - 1}` +
        (shard === undefined ? " (it is not set)" : ` (it is ${shard})`),
    );
  }
  return cfg.devices.filter((d) => (d.shard ?? 0) === shard);
}

/**
 * The devices whose pushed messages (syslog, traps, HL7, flows) this pod
 * accepts, given the ones it polls (servedDevices). A deployment's Service
 * hands a message to any of its pods, so every pod of a sharded deployment
 * hears every device of the profile: shards divide the polling only, and a
 * message reaches one pod, so it is stored once. A daemonset pod is reached
 * on its node's ports: it hears its node's devices.
 */
export function heardDevices(cfg: AgentConfig, served: AgentDevice[]): AgentDevice[] {
  return cfg.collector.mode === "daemonset" ? served : cfg.devices;
}

function hashOf(v: unknown): string {
  return createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);
}

const POLLED: PollProtocol[] = ["snmp", "modbus", "mqtt", "fhir"];

/** Pollers for `devices`, listeners for what `heard` devices push; sorted by key. */
export function planCollectors(
  cfg: AgentConfig,
  devices: readonly AgentDevice[],
  heard: readonly AgentDevice[] = devices,
): CollectorSpec[] {
  const specs: CollectorSpec[] = [];
  for (const d of devices) {
    for (const protocol of POLLED) {
      const block = d[protocol];
      if (!block) continue;
      specs.push({
        key: `${protocol}/${d.namespace}/${d.name}`,
        // A change to anything the poller uses restarts it.
        hash: hashOf([d.address, d.subject, block]),
        kind: "poll",
        protocol,
        device: d,
      });
    }
  }
  const wants: Record<ListenProtocol, boolean> = {
    syslog: heard.some((d) => d.syslog),
    hl7: heard.some((d) => d.hl7),
    flows: heard.some((d) => d.flows),
    snmpTraps: heard.some((d) => d.snmp),
  };
  for (const protocol of Object.keys(wants) as ListenProtocol[]) {
    const port = cfg.listeners[protocol];
    if (!wants[protocol] || port === 0) continue;
    // Listeners look devices up in the live directory: only the port restarts them.
    specs.push({ key: `${protocol}-listener`, hash: String(port), kind: "listen", protocol, port });
  }
  if (cfg.capture) {
    specs.push({
      key: "capture",
      hash: hashOf(cfg.capture),
      kind: "capture",
      capture: cfg.capture,
    });
  }
  return specs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** What to stop and start to go from `running` (key → hash) to `want`. */
export function diffCollectors(
  running: ReadonlyMap<string, string>,
  want: readonly CollectorSpec[],
): { stop: string[]; start: CollectorSpec[] } {
  const wanted = new Map(want.map((s) => [s.key, s]));
  const stop: string[] = [];
  for (const [key, hash] of running) {
    if (wanted.get(key)?.hash !== hash) stop.push(key);
  }
  const start = want.filter((s) => running.get(s.key) !== s.hash);
  return { stop, start };
}
