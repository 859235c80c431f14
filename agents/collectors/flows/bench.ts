// Benchmark: NetFlow v9 records our listener turns into events vs what
// nfcapd (the reference collector) stores, same datagrams, same sender, same
// run. The datagrams are real: softflowd's v9 export of ModbusTCP.pcap (a
// template + data datagram and a data datagram, 28 records), replayed with
// increasing sequence numbers.
//
// The sender is a separate node process (so its CPU is nobody's), sending as
// fast as it can (or at `rate` datagrams/s) to one collector at a time. On
// loopback nfcapd keeps up with any sender node can drive, so its records/s
// is the sender's rate; the fair throughput figure is CPU time per record of
// each receiving process (getrusage of ours, /proc/<pid>/stat of nfcapd),
// reported as CPU-seconds per million records, next to records/s and loss.
//
// records/s = records processed / (last record processed - first datagram sent).
// Ours: counted in the sink. nfcapd: its last record is processed when its
// socket's receive queue (/proc/net/udp) is empty after the last send;
// counted with nfdump. Loss = sent - processed (kernel drops shown too).
import { setTimeout as sleep } from "node:timers/promises";
import { cpuSeconds } from "../../../e2e/bench/agents/settle.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import type { AgentDevice } from "../../collector.ts";
import { staticDirectory, testContext } from "../../testing.ts";
import { createFlowListener } from "./listener.ts";
import {
  captureV9,
  peerDir,
  recordsIn,
  replay,
  type Sent,
  startNfcapd,
  udpSocket,
} from "./peers.ts";

export interface BenchSide {
  records: number;
  recordsPerSec: number;
  /** Records sent but not processed. */
  lost: number;
  /** Datagrams the kernel dropped on the receiving socket (full buffer). */
  kernelDrops: number;
  cpuSecPerMillion: number;
}

export interface BenchResult {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  /** ours / peer records/s (bounded by the sender for nfcapd). */
  ratio: number;
  /** nfcapd CPU per record / ours: ours' throughput per core relative to nfcapd's. */
  cpuRatio: number;
  sent: number;
  senderRecordsPerSec: { ours: number; nfcapd: number };
  detail: { ours: BenchSide; nfcapd: BenchSide };
}

export interface BenchOptions {
  /** Skip nfcapd (profiling our side). */
  oursOnly?: boolean;
  /** Times the two datagrams are sent (default 20000: 560k records). */
  rounds?: number;
  /** Datagrams/s offered; 0 = as fast as the sender can (default). */
  rate?: number;
  /** SO_RCVBUF asked for on both sides (default 16 MiB; Linux caps it at rmem_max). */
  rcvbuf?: number;
}

const device: AgentDevice = {
  namespace: "bench",
  name: "exporter",
  address: "127.0.0.1",
  type: "network",
  subject: "amoskys.bench.exporter",
  flows: { exporterAddress: "127.0.0.1" },
};

const epochMs = () => performance.timeOrigin + performance.now();

function side(
  records: number,
  sent: Sent,
  lastMs: number,
  cpuSec: number,
  perDatagram: number,
  drops: number,
): BenchSide {
  return {
    records,
    recordsPerSec: Math.round(records / ((lastMs - sent.t0) / 1000)),
    lost: sent.sent * perDatagram - records,
    kernelDrops: drops,
    cpuSecPerMillion: records ? Number(((cpuSec / records) * 1e6).toFixed(3)) : 0,
  };
}

export async function benchFlows(opts: BenchOptions = {}): Promise<BenchResult> {
  const rounds = opts.rounds ?? 20_000;
  const rate = opts.rate ?? 0;
  const rcvbuf = opts.rcvbuf ?? 16 << 20;
  const tmp = peerDir("flows-bench");
  try {
    const datagrams = await captureV9(tmp.dir);
    const perRound = recordsIn(datagrams);
    const perDatagram = perRound / datagrams.length;
    const expected = perRound * rounds;

    // Ours: the listener in this process, a sink that only counts (the
    // runtime's batching and signing are not the listener's cost).
    let flows = 0;
    let last = 0;
    const ctx = testContext({
      emit: async (evs) => {
        for (const e of evs) if (e.flow) flows++;
        last = epochMs();
      },
    });
    const ourPort = await freePort("udp");
    const listener = createFlowListener(
      { port: ourPort, host: "127.0.0.1", recvBufferSize: rcvbuf },
      staticDirectory([device]),
      ctx,
    );
    await listener.start();
    const cpu0 = process.cpuUsage();
    const sentOurs = await replay(datagrams, ourPort, { rounds, rate });
    for (let seen = -1; flows < expected && flows !== seen; ) {
      seen = flows;
      await sleep(300);
    }
    // Up to here this process only waited (a timer per 300 ms) after the last record.
    const used = process.cpuUsage(cpu0);
    const oursCpu = (used.user + used.system) / 1e6;
    const oursDrops = udpSocket(ourPort)?.drops ?? 0;
    await listener.stop();
    const ours = side(flows, sentOurs, last, oursCpu, perDatagram, oursDrops);

    if (opts.oursOnly) {
      return {
        name: "ours only",
        ours: ours.recordsPerSec,
        peer: 0,
        unit: "records/s",
        ratio: 0,
        cpuRatio: 0,
        sent: expected,
        senderRecordsPerSec: { ours: 0, nfcapd: 0 },
        detail: { ours, nfcapd: ours },
      };
    }
    // nfcapd, same datagrams, same sender.
    const peerPort = await freePort("udp");
    const nfcapd = await startNfcapd(tmp.dir, peerPort, ["-B", String(rcvbuf)]);
    const pid = nfcapd.service.pid;
    const nfCpu0 = cpuSeconds(pid);
    const sentPeer = await replay(datagrams, peerPort, { rounds, rate });
    let drained = epochMs();
    let nfDrops = 0;
    for (let i = 0; i < 5000; i++) {
      const q = udpSocket(peerPort);
      drained = epochMs();
      nfDrops = q?.drops ?? 0;
      if (!q?.rxQueue) break;
      await sleep(2);
    }
    // Empty already when the sender finished: it kept up, done with the last send.
    if (drained < sentPeer.t1) drained = sentPeer.t1;
    const nfCpu = cpuSeconds(pid) - nfCpu0;
    const stored = (await nfcapd.stopAndDump()).length;
    const peer = side(
      stored,
      sentPeer,
      Math.max(drained, sentPeer.t1),
      nfCpu,
      perDatagram,
      nfDrops,
    );

    const rateOf = (s: Sent) => Math.round((s.sent * perDatagram) / ((s.t1 - s.t0) / 1000));
    return {
      name: `netflow v9 records/s (${expected} sent${rate ? ` at ${rate} datagrams/s` : ", sender saturated"}; ours ${flows}, nfcapd ${stored})`,
      ours: ours.recordsPerSec,
      peer: peer.recordsPerSec,
      unit: "records/s",
      ratio: peer.recordsPerSec > 0 ? ours.recordsPerSec / peer.recordsPerSec : 0,
      cpuRatio: ours.cpuSecPerMillion > 0 ? peer.cpuSecPerMillion / ours.cpuSecPerMillion : 0,
      sent: expected,
      senderRecordsPerSec: { ours: rateOf(sentOurs), nfcapd: rateOf(sentPeer) },
      detail: { ours, nfcapd: peer },
    };
  } finally {
    tmp.cleanup();
  }
}

export async function main(): Promise<void> {
  const arg = (name: string) => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.split("=")[1]) : undefined;
  };
  console.log(
    JSON.stringify(
      await benchFlows({
        rounds: arg("rounds"),
        rate: arg("rate"),
        rcvbuf: arg("rcvbuf"),
        oursOnly: process.argv.includes("--ours-only"),
      }),
      null,
      2,
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
