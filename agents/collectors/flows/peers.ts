// The real peers of the flow tests and benchmark: softflowd (an exporter
// reading a pcap), nfcapd + nfdump (the reference collector) and a UDP tee
// that hands the same datagrams to both collectors. Child processes run
// under e2e/env/proc.ts, so they are killed with the test.
import { spawn } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { removeOnInterrupt, run, type Service, startService } from "../../../e2e/env/proc.ts";
import { sharedDir } from "../../../e2e/env/toolchain.ts";

export const MODBUS_PCAP = join(sharedDir, "testdata/pcap/iti-ics/ModbusTCP.pcap");
export const NETFLOW_DATA = `${join(sharedDir, "testdata/netflow/logstash-codec-netflow")}/`;

/** A temp dir the peers (run as nobody) can write; removed by `cleanup`. */
export function peerDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `amoskys-${prefix}-`));
  const forget = removeOnInterrupt(dir);
  if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
  return {
    dir,
    cleanup: () => {
      forget();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Nfcapd {
  service: Service;
  /** Stops nfcapd (it writes its file on SIGTERM) and returns the records nfdump reads. */
  stopAndDump(): Promise<NfdumpRecord[]>;
}

export interface NfdumpRecord {
  startMs: number;
  endMs: number;
  protocol: number;
  srcAddress: string;
  dstAddress: string;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  tcpFlags: number;
}

/** nfdump prints TCP flags as "CEUAPRSF" with dots for unset bits. */
function flagBits(s: string): number {
  const order = "CEUAPRSF";
  let v = 0;
  for (let i = 0; i < 8; i++) if (s[i] && s[i] !== "." && s[i] === order[i]) v |= 1 << (7 - i);
  return v;
}

/** rx_queue and drops of the UDP socket bound to 127.0.0.1:port (/proc/net/udp). */
export function udpSocket(port: number): { rxQueue: number; drops: number } | undefined {
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

/** rx_queue of a UDP socket bound to 127.0.0.1:port, from /proc/net/udp. */
export const rxQueue = (port: number): number | undefined => udpSocket(port)?.rxQueue;

export async function startNfcapd(
  dir: string,
  port: number,
  extraArgs: string[] = [],
): Promise<Nfcapd> {
  const data = join(dir, "nfcapd");
  mkdirSync(data);
  if (process.getuid?.() === 0) chownSync(data, 65534, 65534);
  const service = startService({
    name: "nfcapd",
    command: "nfcapd",
    args: [
      ...["-b", "127.0.0.1", "-p", String(port), "-w", data, "-t", "3600", "-P", join(data, "pid")],
      ...extraArgs,
    ],
    logFile: join(dir, "nfcapd.log"),
    user: "nobody",
  });
  // Ready once it has written its pid file (it binds before that).
  for (let i = 0; i < 200 && !readdirSync(data).includes("pid"); i++) {
    if (!service.isRunning()) throw new Error(`nfcapd exited: ${service.logTail()}`);
    await sleep(25);
  }
  return {
    service,
    async stopAndDump() {
      // softflowd may have exited with datagrams still queued for nfcapd,
      // which it would drop on SIGTERM: wait until it has read them all.
      for (let i = 0; i < 400 && rxQueue(port); i++) await sleep(5);
      await sleep(100);
      await service.stop(2000);
      const files = readdirSync(data).filter((f) => /^nfcapd\.\d{12}$/.test(f));
      if (!files.length) {
        throw new Error(`nfcapd wrote no file (${readdirSync(data)}): ${service.logTail()}`);
      }
      const out: NfdumpRecord[] = [];
      for (const f of files) {
        // %tsr: start as epoch seconds.ms; %td: duration (seconds.ms). (%ter
        // prints wrong milliseconds in nfdump 1.7.1.)
        const { stdout } = await run(
          "nfdump",
          [
            "-q",
            "-N",
            "-r",
            join(data, f),
            "-o",
            "fmt:%tsr|%td|%pr|%sa|%da|%sp|%dp|%pkt|%byt|%flg",
          ],
          { maxBuffer: 64 << 20 },
        );
        for (const line of stdout.split("\n")) {
          const c = line.split("|").map((x) => x.trim());
          if (c.length < 10) continue;
          const startMs = Math.round(Number(c[0]) * 1000);
          out.push({
            startMs,
            endMs: startMs + Math.round(Number(c[1]) * 1000),
            protocol: Number(c[2]),
            srcAddress: c[3] as string,
            dstAddress: c[4] as string,
            srcPort: Number(c[5]),
            dstPort: Number(c[6]),
            packets: Number(c[7]),
            bytes: Number(c[8]),
            tcpFlags: flagBits(c[9] as string),
          });
        }
      }
      return out;
    },
  };
}

/**
 * Runs softflowd over a pcap to `port` and resolves when it exits (it does
 * after the pcap's end). Never `-c` with `-r`: it would block (PEERS.md).
 */
export async function runSoftflowd(
  dir: string,
  port: number,
  versionArgs: string[],
  pcap = MODBUS_PCAP,
): Promise<void> {
  const svc = startService({
    name: "softflowd",
    command: "softflowd",
    args: ["-r", pcap, "-n", `127.0.0.1:${port}`, ...versionArgs],
    logFile: join(dir, "softflowd.log"),
  });
  const code = await Promise.race([svc.exited, sleep(60_000, "timeout" as const, { ref: false })]);
  if (code !== 0) {
    await svc.stop(500);
    throw new Error(`softflowd ended with ${code}: ${svc.logTail()}`);
  }
}

/** Forwards every datagram it receives to each target, in order; keeps copies. */
export async function startTee(
  targets: number[],
): Promise<{ port: number; datagrams: Buffer[]; close(): Promise<void> }> {
  const rx: Socket = createSocket("udp4");
  const tx: Socket = createSocket("udp4");
  const datagrams: Buffer[] = [];
  rx.on("message", (msg) => {
    datagrams.push(Buffer.from(msg));
    for (const t of targets) tx.send(msg, t, "127.0.0.1");
  });
  await new Promise<void>((res) => rx.bind(0, "127.0.0.1", () => res()));
  await new Promise<void>((res) => tx.bind(0, "127.0.0.1", () => res()));
  return {
    port: rx.address().port,
    datagrams,
    async close() {
      await new Promise<void>((res) => rx.close(() => res()));
      await new Promise<void>((res) => tx.close(() => res()));
    },
  };
}

/** Sends datagrams from a given loopback source address. */
export async function udpSender(from = "127.0.0.1") {
  const s = createSocket("udp4");
  await new Promise<void>((res) => s.bind(0, from, () => res()));
  return {
    send: (msg: Uint8Array, port: number) =>
      new Promise<void>((res, rej) => s.send(msg, port, "127.0.0.1", (e) => (e ? rej(e) : res()))),
    close: () => new Promise<void>((res) => s.close(() => res())),
  };
}

/** softflowd's v9 datagrams for ModbusTCP.pcap (template + data, 28 records), caught on a plain UDP socket. */
export async function captureV9(dir: string): Promise<Buffer[]> {
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

/** Flow records in v9 datagrams (the header's count, as softflowd fills it). */
export const recordsIn = (datagrams: Buffer[]) =>
  datagrams.reduce((n, d) => n + d.readUInt16BE(2), 0);

// The benchmarks' sender: a separate process, so it shares neither the event
// loop nor the CPU account of the collector it measures. Reads the datagrams
// (length-prefixed) from stdin, sends them `rounds` times with increasing
// sequence numbers, and prints {t0, t1, sent} (epoch ms).
const SENDER = `
const dgram = require("node:dgram");
const [port, rounds, rate, window] = process.argv.slice(1).map(Number);
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const raw = Buffer.concat(chunks);
  const datagrams = [];
  for (let o = 0; o < raw.length; ) { const n = raw.readUInt32BE(o); datagrams.push(raw.subarray(o + 4, o + 4 + n)); o += 4 + n; }
  const s = dgram.createSocket("udp4");
  const now = () => performance.timeOrigin + performance.now();
  const resume = Math.min(32, window);
  s.bind(0, "127.0.0.1", async () => {
    let seq = 1, sent = 0, outstanding = 0, wake = null;
    const done = () => { outstanding--; if (wake && outstanding < resume) { const w = wake; wake = null; w(); } };
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
      if (outstanding >= window) await new Promise((r) => { wake = r; });
    }
    while (outstanding > 0) await new Promise((r) => { wake = r; });
    const t1 = now();
    s.close(() => { process.stdout.write(JSON.stringify({ t0, t1, sent })); });
  });
});
`;

export interface Sent {
  /** First and last send (ms since the epoch), datagrams sent. */
  t0: number;
  t1: number;
  sent: number;
}

/**
 * Sends `datagrams` `rounds` times to 127.0.0.1:port from the sender process,
 * at `rate` datagrams/s (0: as fast as it goes) with at most `window` sends in
 * flight (1: each send completes before the next).
 */
export function replay(
  datagrams: Buffer[],
  port: number,
  opts: { rounds: number; rate?: number; window?: number },
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "-e",
        SENDER,
        String(port),
        String(opts.rounds),
        String(opts.rate ?? 0),
        String(opts.window ?? 128),
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
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
    child.stdin.end(
      Buffer.concat(
        datagrams.flatMap((d) => {
          const n = Buffer.alloc(4);
          n.writeUInt32BE(d.length);
          return [n, d];
        }),
      ),
    );
  });
}
