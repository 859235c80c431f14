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
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../../../e2e/env/ports.ts";
import type { AgentDevice } from "../../../collector.ts";
import { staticDirectory, testContext } from "../../../testing.ts";
import { createFlowListener } from "./listener.ts";
import { peerDir, runSoftflowd, startNfcapd } from "./peers.ts";

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

// The sender: a separate process, so it shares neither the event loop nor
// the CPU account of the collector it measures. Prints {t0, t1, sent} (epoch ms).
const SENDER = `
const dgram = require("node:dgram");
const fs = require("node:fs");
const [file, port, rounds, rate] = process.argv.slice(1).map((x, i) => (i ? Number(x) : x));
const raw = fs.readFileSync(file);
const datagrams = [];
for (let o = 0; o < raw.length; ) { const n = raw.readUInt32BE(o); datagrams.push(raw.subarray(o + 4, o + 4 + n)); o += 4 + n; }
const s = dgram.createSocket("udp4");
const now = () => performance.timeOrigin + performance.now();
s.bind(0, "127.0.0.1", async () => {
  let seq = 1, sent = 0, outstanding = 0, wake = null;
  const done = () => { outstanding--; if (wake && outstanding < 32) { const w = wake; wake = null; w(); } };
  const total = rounds * datagrams.length;
  const t0 = now();
  while (sent < total) {
    if (rate > 0) {
      const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
      if (sent >= due) { await new Promise((r) => setTimeout(r, 1)); continue; }
    }
    const d = datagrams[sent % datagrams.length];
    const copy = Buffer.from(d);
    copy.writeUInt32BE(seq++ >>> 0, 12);
    outstanding++;
    s.send(copy, port, "127.0.0.1", done);
    sent++;
    if (outstanding >= 128) await new Promise((r) => { wake = r; });
  }
  while (outstanding > 0) await new Promise((r) => { wake = r; });
  const t1 = now();
  s.close(() => { process.stdout.write(JSON.stringify({ t0, t1, sent })); });
});
`;

interface Sent {
  t0: number;
  t1: number;
  sent: number;
}

function send(file: string, port: number, rounds: number, rate: number): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-e", SENDER, file, String(port), String(rounds), String(rate)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (b) => {
      out += b;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out) as Sent);
      else reject(new Error(`sender exited with ${code}`));
    });
  });
}

const epochMs = () => performance.timeOrigin + performance.now();

/** rx_queue and drops of the UDP socket bound to 127.0.0.1:port (/proc/net/udp). */
function udpSocket(port: number): { rxQueue: number; drops: number } | undefined {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    const c = line.trim().split(/\s+/);
    if (c[1] === local) {
      return {
        rxQueue: Number.parseInt(c[4]?.split(":")[1] ?? "0", 16),
        drops: Number(c[12] ?? 0),
      };
    }
  }
  return undefined;
}

/** utime + stime of a process (all its threads), in seconds. */
function procCpuSec(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // CLK_TCK is 100 on Linux
}

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
    const file = join(tmp.dir, "datagrams.bin");
    writeFileSync(
      file,
      Buffer.concat(
        datagrams.flatMap((d) => {
          const n = Buffer.alloc(4);
          n.writeUInt32BE(d.length);
          return [n, d];
        }),
      ),
    );

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
    const sentOurs = await send(file, ourPort, rounds, rate);
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
    const nfCpu0 = procCpuSec(pid);
    const sentPeer = await send(file, peerPort, rounds, rate);
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
    const nfCpu = procCpuSec(pid) - nfCpu0;
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
