// Agent memory with 1,000 configured devices: SNMP devices (profiles system
// and if-mib) spread over every recording snmpsim serves, polled every 60 s
// (the profile default). VmRSS and VmHWM of the agent process from
// /proc/<pid>/status once every device has been polled once and its events
// are shipped.
import { device } from "../../../agents/testing-agent.ts";
import type { Device } from "../../../crds/index.ts";
import type { NatsEnv, SnmpsimEnv } from "../../env/index.ts";
import { startAgentProcess } from "./process.ts";
import { shipped, until } from "./settle.ts";
import { rejections } from "./syslog.ts";
import type { Memory } from "./table.ts";

const MB = 2 ** 20;

export async function benchAgentMemory(
  nats: NatsEnv,
  sim: SnmpsimEnv,
  opts: { devices: number; cpuProfDir?: string },
): Promise<Memory> {
  const recordings = sim.recordings;
  const devices: Device[] = Array.from({ length: opts.devices }, (_, i) => {
    const rec = recordings[i % recordings.length] as string;
    return device(`dev-${String(i).padStart(5, "0")}`, {
      type: "network",
      snmp: {
        port: sim.port,
        version: "v2c",
        intervalSeconds: 60,
        profiles: ["system", "if-mib"],
        credentialsSecretRef: { name: `snmp-${rec}` },
      },
    } as Partial<Device["spec"]>);
  });
  // For scale: the same agent with one device, just started.
  const one = await startAgentProcess(nats, {
    name: "rss-1",
    devices: devices.slice(0, 1),
    secrets: recordings.map((r) => [`snmp-${r}`, "community", r] as [string, string, string]),
  });
  const oneMem = await one.memory();
  await one.stop();
  await one.drain();
  await one.cleanup();
  const agent = await startAgentProcess(nats, {
    name: "rss",
    devices,
    secrets: recordings.map((r) => [`snmp-${r}`, "community", r] as [string, string, string]),
    cpuProfDir: opts.cpuProfDir,
  });
  try {
    const atStart = await agent.memory();
    const t0 = Date.now();
    await until(
      async () => (await agent.metric("amoskys_agent_snmp_polls_total")) >= opts.devices,
      180_000,
      `${opts.devices} first polls`,
    );
    const roundS = (Date.now() - t0) / 1000;
    await shipped(agent);
    const mem = await agent.memory();
    const events = await agent.metric("amoskys_agent_events_total");
    const real = await agent.metric("amoskys_agent_snmp_polls_total", 'capability="real"');
    const degraded = await agent.metric("amoskys_agent_snmp_polls_total", 'capability="degraded"');
    const blind = await agent.metric("amoskys_agent_snmp_polls_total", 'capability="blind"');
    const heap = await agent.metric("amoskys_agent_nodejs_heap_size_used_bytes");
    const heapTotal = await agent.metric("amoskys_agent_nodejs_heap_size_total_bytes");
    const external = await agent.metric("amoskys_agent_nodejs_external_memory_bytes");
    await agent.stop();
    const r = await agent.drain();
    const inStream = r.batches.reduce((n, b) => n + b.events.length, 0);
    return {
      name: `RSS, ${opts.devices} devices`,
      rssMb: mem.rss / MB,
      hwmMb: mem.hwm / MB,
      limitMb: 100,
      detail:
        `${opts.devices} SNMP devices (system + if-mib, ${recordings.length} snmpsim recordings, every 60 s); ` +
        `RSS ${(oneMem.rss / MB).toFixed(1)} MB for one device once started; with ${opts.devices}: ` +
        `${(atStart.rss / MB).toFixed(1)} MB once started, ${(mem.rss / MB).toFixed(1)} MB after the first round ` +
        `(V8 heap used ${(heap / MB).toFixed(1)} of ${(heapTotal / MB).toFixed(1)} MB, external ${(external / MB).toFixed(1)} MB; ` +
        `${roundS.toFixed(0)} s, polls REAL ${real}, DEGRADED ${degraded}, BLIND ${blind}, ${events} events; ${inStream} verified in JetStream)${rejections(r.rejected)}`,
    };
  } finally {
    await agent.stop();
    await agent.cleanup();
  }
}
