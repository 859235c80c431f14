// `npm run bench -- agents`: the whole agent against each protocol's peer,
// measured in the same run on the same machine with the same load.
//
// "Ours" is a real `amoskys agent` process (node agents/cli.ts --config
// agent.yaml --root <pod files>) with agent.yaml rendered by the operator's
// renderAgentConfig: collectors, batching (profile defaults: 500 events or
// 1 s), Ed25519 signing, the fsynced outbox and JetStream on a real
// nats-server (TLS, password). An event counts once it is in the stream and
// its batch verifies with the pod's key; its time is when JetStream stored it.
//   syslog UDP messages/s  vs rsyslogd (imudp → omfile)
//   NetFlow v9 records/s   vs nfcapd
//   MQTT messages/s        vs mosquitto_sub > /dev/null (when mqtt is wired)
//   SNMP devices polled/s  vs a loop of snmpbulkget, both against snmpsim
//   RSS with 1,000 devices (goal < 100 MB)
// Goals (the issue): ours ≥ 50% of each peer's rate; RSS under 100 MB.
// AMOSKYS_BENCH_CPU_PROF=<dir>: also write a CPU profile of each agent
// there (node --cpu-prof) and print where its time went.
// AMOSKYS_BENCH_ONLY=syslog,flows,mqtt,snmp,rss: run only those.
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { startEnv } from "../env/index.ts";
import { benchFlowsAgent } from "./agents/flows.ts";
import { benchMqttAgent, mqttWired } from "./agents/mqtt.ts";
import { benchAgentMemory } from "./agents/rss.ts";
import { benchSnmpAgent } from "./agents/snmp.ts";
import { provision } from "./agents/stream.ts";
import { benchSyslogAgent } from "./agents/syslog.ts";
import { printTable, type Row } from "./agents/table.ts";
import { summarizeProfile } from "./profile.ts";

export async function main(): Promise<void> {
  const prof = process.env.AMOSKYS_BENCH_CPU_PROF || undefined;
  if (prof) await mkdir(prof, { recursive: true });
  const only = process.env.AMOSKYS_BENCH_ONLY?.split(",");
  const want = (name: string) => !only || only.includes(name);
  const withMqtt = await mqttWired();
  const env = await startEnv({
    nats: { users: ["collector"] },
    snmp: true,
    mqtt: withMqtt,
    verbose: false,
  });
  const t0 = performance.now();
  const rows: Row[] = [];
  try {
    await provision(env.nats);
    console.log(
      `agents: the whole agent process vs each peer, same load, same run (nats-server ${env.nats.version}, TLS)`,
    );
    const step = async (name: string, f: () => Promise<Row | Row[]>) => {
      if (!want(name)) return;
      const s = performance.now();
      try {
        rows.push(...[await f()].flat());
      } catch (err) {
        rows.push({ name, reason: `failed: ${(err as Error).message.split("\n")[0]}` });
      }
      console.error(`# ${name}: ${((performance.now() - s) / 1000).toFixed(0)} s`);
    };
    await step("syslog", () =>
      benchSyslogAgent(env.nats, { burst: 200_000, sustained: 1_200_000 }, prof),
    );
    await step("flows", () =>
      benchFlowsAgent(env.nats, { burst: 2_000, sustained: 150_000 }, prof),
    );
    if (withMqtt && env.mqtt) {
      const mqtt = env.mqtt;
      await step("mqtt", () => benchMqttAgent(env.nats, mqtt, 20_000, prof));
    } else if (want("mqtt")) {
      rows.push({
        name: "MQTT JSON",
        reason: "agents/collectors/index.ts does not wire an mqtt collector yet",
      });
    }
    await step("snmp", () =>
      benchSnmpAgent(env.nats, env.snmpsim, {
        peerPolls: 400,
        maxDevices: 3_000,
        cpuProfDir: prof,
      }),
    );
    await step("rss", () =>
      benchAgentMemory(env.nats, env.snmpsim, { devices: 1_000, cpuProfDir: prof }),
    );
  } finally {
    await env.stop();
  }
  console.log("");
  printTable(rows);
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  if (prof) {
    for (const f of (await readdir(prof)).filter((f) => f.endsWith(".cpuprofile")).sort()) {
      console.log(`\nCPU profile of the ${f.replace(".cpuprofile", "")} agent (${join(prof, f)}):`);
      console.log(await summarizeProfile(join(prof, f), { title: "agent", by: "file", top: 12 }));
    }
  }
}
