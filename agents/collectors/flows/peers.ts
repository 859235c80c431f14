// The real peers of the flow tests and benchmark: softflowd (an exporter
// reading a pcap), nfcapd + nfdump (the reference collector) and a UDP tee
// that hands the same datagrams to both collectors. Child processes run
// under e2e/env/proc.ts, so they are killed with the test.
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

/** rx_queue of a UDP socket bound to 127.0.0.1:port, from /proc/net/udp. */
export function rxQueue(port: number): number | undefined {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    const c = line.trim().split(/\s+/);
    if (c[1] === local) return Number.parseInt(c[4]?.split(":")[1] ?? "0", 16);
  }
  return undefined;
}

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
