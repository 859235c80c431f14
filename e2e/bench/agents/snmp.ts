// SNMP: devices polled per second, against snmpsim serving a real recording
// (geist-temperature-sensor). One device poll is sysUpTime plus ifTable's
// ifDescr, ifInOctets, ifOutOctets (as agents/collectors/snmp/bench.ts).
//   peer: a loop of net-snmp's snmpbulkget, 16 at once (the collector bench's
//         concurrency), one process per device poll;
//   ours: an agent configured with N such devices at the shortest interval the
//         CRD allows (10 s), N chosen so the polls due equal the peer's rate
//         (at most maxDevices, to bound the run): the agent then works flat out (its shared limiter: 64 polls in
//         flight) and the rate is N / (last first-poll's events stored in
//         JetStream − first poll). If it keeps up with the offered load
//         instead, the figure is that load (a lower bound) and the detail says so.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { device } from "../../../agents/testing-agent.ts";
import type { Device } from "../../../crds/index.ts";
import type { NatsEnv, SnmpsimEnv } from "../../env/index.ts";
import { startAgentProcess } from "./process.ts";
import { cpuSeconds, until } from "./settle.ts";
import { rejections } from "./syslog.ts";
import type { Measurement } from "./table.ts";

const run = promisify(execFile);
const RECORDING = "geist-temperature-sensor";
const INTERVAL_S = 10;
const CONCURRENCY = 16;

async function pool(n: number, concurrency: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await job(next++);
    }),
  );
}

export function snmpBenchDevice(name: string, port: number, secret: string): Device {
  return device(name, {
    type: "network",
    snmp: {
      port,
      version: "v2c",
      intervalSeconds: INTERVAL_S,
      profiles: [],
      oids: [{ name: "sys.uptime", oid: "1.3.6.1.2.1.1.3.0", type: "gauge" }],
      tables: [
        {
          name: "if",
          baseOid: "1.3.6.1.2.1.2.2.1",
          columns: [
            { name: "descr", column: 2, type: "label" },
            { name: "in_octets", column: 10, type: "counter" },
            { name: "out_octets", column: 16, type: "counter" },
          ],
        },
      ],
      credentialsSecretRef: { name: secret },
    },
  } as Partial<Device["spec"]>);
}

async function peer(sim: SnmpsimEnv, polls: number): Promise<number> {
  const cli = [
    ...["-v2c", "-c", RECORDING, "-t", "5", "-r", "1", "-Cn1", "-Cr10", `${sim.host}:${sim.port}`],
    ...["1.3.6.1.2.1.1.3", "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.10", "1.3.6.1.2.1.2.2.1.16"],
  ];
  const t0 = performance.now();
  await pool(polls, CONCURRENCY, () =>
    run("snmpbulkget", cli, { env: { ...process.env, MIBS: "" } }),
  );
  return polls / ((performance.now() - t0) / 1000);
}

export async function benchSnmpAgent(
  nats: NatsEnv,
  sim: SnmpsimEnv,
  opts: { peerPolls: number; maxDevices: number; cpuProfDir?: string },
): Promise<Measurement> {
  const simPid = sim.services[0]?.pid ?? 0;
  await peer(sim, 32); // warm-up: snmpsim's first answers are slower
  let c0 = cpuSeconds(simPid);
  let w0 = performance.now();
  const peerRate = await peer(sim, opts.peerPolls);
  const simPeer = (cpuSeconds(simPid) - c0) / ((performance.now() - w0) / 1000);
  const n = Math.min(opts.maxDevices, Math.max(200, Math.ceil(peerRate * INTERVAL_S)));
  const secret = "snmp-bench";
  const agent = await startAgentProcess(nats, {
    name: "snmp",
    devices: Array.from({ length: n }, (_, i) =>
      snmpBenchDevice(`sw-${String(i).padStart(5, "0")}`, sim.port, secret),
    ),
    secrets: [[secret, "community", RECORDING]],
    cpuProfDir: opts.cpuProfDir,
  });
  let ours = 0;
  let detail = "";
  try {
    c0 = cpuSeconds(simPid);
    const a0 = cpuSeconds(agent.pid);
    w0 = performance.now();
    await until(
      async () => (await agent.metric("amoskys_agent_snmp_polls_total")) >= n,
      300_000,
      `${n} SNMP polls`,
    );
    const real = await agent.metric("amoskys_agent_snmp_polls_total", 'capability="real"');
    const wall = (performance.now() - w0) / 1000;
    const simOurs = (cpuSeconds(simPid) - c0) / wall;
    const agentCpu = (cpuSeconds(agent.pid) - a0) / wall;
    // Polling goes on: stop now (SIGTERM stores and ships what is batched).
    const s0 = Date.now();
    await agent.stop();
    console.error(`# snmp: the agent took ${Date.now() - s0} ms to stop (SIGTERM)`);
    const r = await agent.drain();
    // Each device's first poll: its earliest observation time; done when its last event is stored.
    const first = new Map<string, { observedMs: number; doneMs: number; events: number }>();
    for (const b of r.batches) {
      for (const e of b.events) {
        if (!e.metric) continue;
        const name = e.device?.name ?? "";
        const at =
          Number(e.observed?.seconds ?? 0) * 1000 + Math.round((e.observed?.nanos ?? 0) / 1e6);
        const f = first.get(name);
        if (!f || at < f.observedMs)
          first.set(name, { observedMs: at, doneMs: b.storedMs, events: 1 });
        else if (at === f.observedMs) {
          f.doneMs = Math.max(f.doneMs, b.storedMs);
          f.events++;
        }
      }
    }
    const polls = [...first.values()];
    const t0 = Math.min(...polls.map((p) => p.observedMs));
    const t1 = Math.max(...polls.map((p) => p.doneMs));
    ours = polls.length / ((t1 - t0) / 1000);
    const offered = n / INTERVAL_S;
    const capped = t1 - t0 < INTERVAL_S * 1000 * 1.1;
    const perPoll = polls.length ? polls.reduce((s, p) => s + p.events, 0) / polls.length : 0;
    detail =
      `snmpbulkget: ${opts.peerPolls} polls, ${CONCURRENCY} at once; agent: ${n} devices every ${INTERVAL_S} s ` +
      `(${offered.toFixed(0)} polls/s due), first polls of ${polls.length} devices in JetStream ` +
      `(${perPoll.toFixed(1)} metrics each; ${real} of the agent's polls REAL) in ${((t1 - t0) / 1000).toFixed(1)} s` +
      (capped ? " — the agent kept up with the load offered: its rate is a lower bound" : "") +
      `; CPU (cores busy): snmpsim ${simPeer.toFixed(2)} under snmpbulkget, ${simOurs.toFixed(2)} under the agent; agent ${agentCpu.toFixed(2)}` +
      rejections(r.rejected);
  } finally {
    await agent.stop();
    await agent.cleanup();
  }
  return {
    name: "SNMP polling",
    unit: "devices/s",
    ours,
    peer: peerRate,
    peerName: "snmpbulkget loop → snmpsim",
    goal: 0.5,
    detail,
  };
}
