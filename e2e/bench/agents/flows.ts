// NetFlow v9: softflowd's real v9 export of ModbusTCP.pcap (template + data
// datagrams, 28 records), replayed `rounds` times with increasing sequence
// numbers by the sender process of agents/collectors/flows/peers.ts (each send
// done before the next) to
//   ours: the agent's flow listener, counted as flow events verified in JetStream;
//   peer: nfcapd, counted with nfdump -I, done when its socket queue is empty.
// Both with their default socket receive buffers (the agent config has no knob).
// Two loads: the collector bench's (2,000 rounds, a burst of ~0.1 s that the
// socket buffers mostly absorb) and one that lasts seconds, where what is
// measured is each side's sustained rate (the rest is dropped by the kernel).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  captureV9,
  peerDir,
  recordsIn,
  replay,
  rxQueue,
  startNfcapd,
} from "../../../agents/collectors/flows/peers.ts";
import { device } from "../../../agents/testing-agent.ts";
import type { NatsEnv } from "../../env/index.ts";
import { freePort } from "../../env/ports.ts";
import { run } from "../../env/proc.ts";
import { startAgentProcess } from "./process.ts";
import { settled, udpDrops } from "./settle.ts";
import { rejections } from "./syslog.ts";
import type { Measurement } from "./table.ts";

/** Sends the datagrams `rounds` times, each send done before the next; resolves with the first-send time (ms since the epoch). */
async function send(datagrams: Buffer[], rounds: number, port: number): Promise<number> {
  return (await replay(datagrams, port, { rounds, window: 1 })).t0;
}

/** nfcapd's own count of the flow records in the files it wrote (nfdump -I). */
async function nfcapdRecords(dir: string): Promise<number> {
  const data = join(dir, "nfcapd");
  let n = 0;
  for (const f of readdirSync(data).filter((f) => /^nfcapd\.\d{12}$/.test(f))) {
    const { stdout } = await run("nfdump", ["-I", "-r", join(data, f)]);
    n += Number(/^Flows:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  }
  return n;
}

async function peer(datagrams: Buffer[], rounds: number) {
  const tmp = peerDir("flows-agent-nfcapd");
  try {
    const port = await freePort("udp");
    const nfcapd = await startNfcapd(tmp.dir, port);
    const t0 = await send(datagrams, rounds, port);
    let drained = Date.now();
    for (let i = 0; i < 4_000; i++) {
      drained = Date.now();
      if (!rxQueue(port)) break;
      await sleep(5);
    }
    await nfcapd.service.stop(5_000); // it writes its file on SIGTERM
    const n = await nfcapdRecords(tmp.dir);
    return { rate: n / ((drained - t0) / 1000), n };
  } finally {
    tmp.cleanup();
  }
}

async function ours(nats: NatsEnv, datagrams: Buffer[], rounds: number, cpuProfDir?: string) {
  const agent = await startAgentProcess(nats, {
    name: `flows-${rounds}`,
    devices: [device("exporter-1", { type: "network", flows: { exporterAddress: "127.0.0.1" } })],
    cpuProfDir,
  });
  try {
    // One round end to end first (the template is learnt, the bus warm).
    await send(datagrams, 1, agent.ports.flows);
    await settled(agent, 1_500);
    await agent.drain();
    const drops0 = udpDrops(agent.ports.flows);
    const t0 = await send(datagrams, rounds, agent.ports.flows);
    await settled(agent);
    const kernelDrops = udpDrops(agent.ports.flows) - drops0;
    await agent.stop();
    const r = await agent.drain();
    let n = 0;
    let last = 0;
    for (const b of r.batches) {
      const f = b.events.filter((e) => e.flow).length;
      n += f;
      if (f) last = Math.max(last, b.storedMs);
    }
    return { rate: n / ((last - t0) / 1000), n, kernelDrops, rejected: r.rejected };
  } finally {
    await agent.stop();
    await agent.cleanup();
  }
}

/** The collector bench's load (`burst` rounds) and a longer one (`sustained` rounds). */
export async function benchFlowsAgent(
  nats: NatsEnv,
  loads: { burst: number; sustained: number },
  cpuProfDir?: string,
): Promise<Measurement[]> {
  const tmp = peerDir("flows-agent-bench");
  let datagrams: Buffer[];
  try {
    datagrams = await captureV9(tmp.dir);
  } finally {
    tmp.cleanup();
  }
  const perRound = recordsIn(datagrams);
  const out: Measurement[] = [];
  for (const [label, rounds] of [
    ["burst", loads.burst],
    ["sustained", loads.sustained],
  ] as const) {
    const a = await ours(nats, datagrams, rounds, cpuProfDir);
    const p = await peer(datagrams, rounds);
    out.push({
      name: `NetFlow v9 ${label}`,
      unit: "records/s",
      ours: a.rate,
      peer: p.rate,
      peerName: "nfcapd (nfdump -I)",
      goal: 0.5,
      detail: `${perRound * rounds} records in ${rounds * datagrams.length} datagrams, as fast as one sender goes; in JetStream, verified: ${a.n} (kernel dropped ${a.kernelDrops} datagrams at the agent); stored by nfcapd: ${p.n}${rejections(a.rejected)}`,
    });
  }
  return out;
}
