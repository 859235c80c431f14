// Benchmark: NetFlow v9 records per second that our listener turns into
// events vs what nfcapd (the reference collector) stores, same datagrams,
// same run. The datagrams are real: softflowd's v9 export of ModbusTCP.pcap
// (a template + data datagram and a data datagram, 28 records), replayed
// with increasing sequence numbers by a node UDP sender.
//
// Rate = records received / (last record processed - first datagram sent).
// Ours: counted in the sink. nfcapd: done when its socket's receive queue
// (/proc/net/udp) is empty after the last send; counted with nfdump.
import { createSocket } from "node:dgram";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { freePort } from "../../../e2e/env/ports.ts";
import type { AgentDevice } from "../../collector.ts";
import { staticDirectory, testContext } from "../../testing.ts";
import { createFlowListener } from "./listener.ts";
import { peerDir, runSoftflowd, rxQueue, startNfcapd } from "./peers.ts";

export interface BenchResult {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  ratio: number;
}

const device: AgentDevice = {
  namespace: "bench",
  name: "exporter",
  address: "127.0.0.1",
  type: "network",
  subject: "amoskys.bench.exporter",
  flows: { exporterAddress: "127.0.0.1" },
};

/** softflowd's v9 datagrams for the pcap, captured on a plain UDP socket. */
async function captureV9(dir: string): Promise<Buffer[]> {
  const got: Buffer[] = [];
  const s = createSocket("udp4");
  s.on("message", (m) => got.push(Buffer.from(m)));
  await new Promise<void>((res) => s.bind(0, "127.0.0.1", () => res()));
  await runSoftflowd(dir, s.address().port, ["-v", "9", "-a"]);
  for (let i = 0; i < 100 && got.length < 2; i++) await sleep(20);
  await new Promise<void>((res) => s.close(() => res()));
  if (!got.length) throw new Error("softflowd exported nothing");
  return got;
}

function recordsIn(datagrams: Buffer[]): number {
  // v9 header count as softflowd fills it: flow records in the datagram.
  return datagrams.reduce((n, d) => n + d.readUInt16BE(2), 0);
}

// The sender runs in a worker thread, so it does not share (and pace itself
// by) the event loop of the listener it measures.
const SENDER = `
const { workerData, parentPort } = require("node:worker_threads");
const dgram = require("node:dgram");
const { datagrams, rounds, port } = workerData;
const s = dgram.createSocket("udp4");
let seq = 1;
s.bind(0, "127.0.0.1", async () => {
  const t0 = performance.timeOrigin + performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const d of datagrams) {
      const copy = Buffer.from(d);
      copy.writeUInt32BE(seq++ >>> 0, 12);
      await new Promise((res) => s.send(copy, port, "127.0.0.1", res));
    }
  }
  s.close(() => parentPort.postMessage(t0));
});
`;

/** Sends `rounds` copies of the datagrams, sequence numbers increasing; resolves with the start time. */
function replay(datagrams: Buffer[], rounds: number, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(SENDER, { eval: true, workerData: { datagrams, rounds, port } });
    w.once("message", (t0: number) => resolve(t0 - performance.timeOrigin));
    w.once("error", reject);
  });
}

/** The same socket receive buffer for both (capped by net.core.rmem_max). */
const RCVBUF = 4 << 20;

export async function benchFlows(opts: { rounds?: number } = {}): Promise<BenchResult> {
  const rounds = opts.rounds ?? 2000;
  const tmp = peerDir("flows-bench");
  try {
    const datagrams = await captureV9(tmp.dir);
    const expected = recordsIn(datagrams) * rounds;

    // Ours.
    let flows = 0;
    let last = 0;
    const ctx = testContext({
      emit: async (evs) => {
        for (const e of evs) if (e.flow) flows++;
        last = performance.now();
      },
    });
    const ourPort = await freePort("udp");
    const listener = createFlowListener(
      { port: ourPort, host: "127.0.0.1", recvBufferSize: RCVBUF },
      staticDirectory([device]),
      ctx,
    );
    await listener.start();
    let t0 = await replay(datagrams, rounds, ourPort);
    for (let seen = -1; flows < expected && flows !== seen; ) {
      seen = flows;
      await sleep(500);
    }
    await listener.stop();
    const ours = flows / ((last - t0) / 1000);

    // nfcapd.
    const peerPort = await freePort("udp");
    const nfcapd = await startNfcapd(tmp.dir, peerPort, ["-B", String(RCVBUF)]);
    t0 = await replay(datagrams, rounds, peerPort);
    let drained = performance.now();
    for (let i = 0; i < 600; i++) {
      const q = rxQueue(peerPort);
      drained = performance.now();
      if (!q) break;
      await sleep(5);
    }
    const stored = (await nfcapd.stopAndDump()).length;
    const peer = stored / ((drained - t0) / 1000);

    return {
      name: `netflow v9 records/s (${expected} sent; ours ${flows}, nfcapd ${stored})`,
      ours: Math.round(ours),
      peer: Math.round(peer),
      unit: "records/s",
      ratio: peer > 0 ? ours / peer : 0,
    };
  } finally {
    tmp.cleanup();
  }
}

export async function main(): Promise<void> {
  console.log(JSON.stringify(await benchFlows()));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
