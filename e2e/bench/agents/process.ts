// A real `amoskys agent` process for the benchmark: the pod's files laid out
// as the kubelet would mount them (agent.yaml rendered by the operator's
// renderAgentConfig, the signing key, the bus and device Secrets), then
// `node agents/cli.ts --config … --root …` supervised like any peer, so it
// dies with the bench. Everything the agent does is in the measurement:
// collectors, batching, signing, the fsynced outbox and JetStream.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { type PodFiles, podFiles } from "../../../agents/testing-agent.ts";
import type { CollectorProfile, Device } from "../../../crds/index.ts";
import { AGENT_NODE_OPTIONS } from "../../../operator/manifests/collector.ts";
import { TrustStore } from "../../../proto/trust.ts";
import { BatchVerifier } from "../../../proto/verify-batch.ts";
import type { NatsEnv } from "../../env/index.ts";
import { freePort } from "../../env/ports.ts";
import { type Service, startService } from "../../env/proc.ts";
import { type Drained, drainTimed } from "./stream.ts";

const CLI = fileURLToPath(new URL("../../../agents/cli.ts", import.meta.url));

export interface AgentProcess {
  pod: PodFiles;
  service: Service;
  pid: number;
  opsPort: number;
  /** The listener ports written into agent.yaml. */
  ports: { syslog: number; hl7: number; flows: number; snmpTraps: number };
  /** Sum of a Prometheus counter or gauge over the label sets containing `labels` (0 when absent). */
  metric(name: string, labels?: string): Promise<number>;
  /** VmRSS and VmHWM of the agent process, in bytes. */
  memory(): Promise<{ rss: number; hwm: number }>;
  /** SIGTERM (the agent flushes and ships what is pending), then wait for the exit. */
  stop(): Promise<void>;
  /** Every batch the agent published since the last drain, verified (one chain across drains), with when JetStream stored it. */
  drain(): Promise<Drained>;
  /** Prometheus text lines of the agent's /metrics whose name starts with one of `prefixes`. */
  metricLines(prefixes: string[]): Promise<string[]>;
  cleanup(): Promise<void>;
}

export interface AgentProcessOptions {
  name: string;
  devices: Device[];
  profile?: Partial<CollectorProfile["spec"]>;
  /** Device Secrets: [secret, key, value]. */
  secrets?: [string, string, string][];
  /** Write a V8 CPU profile of the agent into this folder (node --cpu-prof). */
  cpuProfDir?: string;
  /** Extra node flags (e.g. --max-old-space-size). */
  nodeFlags?: string[];
}

export async function startAgentProcess(
  nats: NatsEnv,
  o: AgentProcessOptions,
): Promise<AgentProcess> {
  const pod = await podFiles(nats, "collector");
  for (const [s, k, v] of o.secrets ?? []) await pod.secret(s, k, v);
  const ports = {
    syslog: await freePort("udp"),
    hl7: await freePort("tcp"),
    flows: await freePort("udp"),
    snmpTraps: await freePort("udp"),
  };
  await pod.write(o.devices, { ...o.profile, listeners: ports });
  // The ops port is fixed in agent.yaml (9464 in a pod); on a shared machine pick a free one.
  const opsPort = await freePort("tcp");
  const doc = parse(await readFile(pod.configPath, "utf8")) as { ops: { port: number } };
  doc.ops.port = opsPort;
  await writeFile(pod.configPath, stringify(doc));

  const prof = o.cpuProfDir
    ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`, `--cpu-prof-name=${o.name}.cpuprofile`]
    : [];
  const service = startService({
    name: `agent-${o.name}`,
    command: process.execPath,
    args: [
      ...(o.nodeFlags ?? []),
      ...prof,
      CLI,
      "--config",
      pod.configPath,
      "--root",
      pod.root,
      "--host",
      "127.0.0.1",
    ],
    logFile: join(pod.root, "agent.log"),
    env: {
      ...process.env,
      AMOSKYS_POD_NAME: `bench-${o.name}`,
      AMOSKYS_LOG_LEVEL: "info",
      NODE_OPTIONS: AGENT_NODE_OPTIONS, // as in the pod (operator/manifests/collector.ts)
    },
  });
  const metric = async (name: string, labels = "") => {
    const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    let sum = 0;
    for (const line of text.split("\n")) {
      if (!line.startsWith(name)) continue;
      const rest = line.slice(name.length);
      if (rest[0] !== " " && rest[0] !== "{") continue;
      if (labels && !rest.includes(labels)) continue;
      sum += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
    }
    return sum;
  };
  // Ready: the ops server answers (collectors started) and the agent says it reached NATS.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!service.isRunning())
      throw new Error(`agent ${o.name} exited (${await service.exited}): ${service.logTail()}`);
    const log = await readFile(service.logFile, "utf8").catch(() => "");
    const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready && log.includes('"connected to NATS"')) break;
    if (Date.now() > deadline) {
      await service.stop(2_000);
      throw new Error(`agent ${o.name} not ready after 60 s: ${service.logTail()}`);
    }
    await sleep(50);
  }
  const verifier = new BatchVerifier(
    TrustStore.fromDocument({
      producers: {
        "plant-1/edge": [{ keyId: pod.keyId, publicKey: pod.publicKey.toString("base64") }],
      },
    }),
    { replayWindow: 1_000_000 },
  );
  return {
    pod,
    service,
    pid: service.pid,
    opsPort,
    ports,
    metric,
    async memory() {
      const status = await readFile(`/proc/${service.pid}/status`, "utf8");
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
      return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
    },
    stop: () => service.stop(30_000),
    drain: () => drainTimed(nats, pod, verifier),
    async metricLines(prefixes) {
      const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
      return text.split("\n").filter((l) => prefixes.some((p) => l.startsWith(p)));
    },
    cleanup: () => pod.cleanup(),
  };
}
