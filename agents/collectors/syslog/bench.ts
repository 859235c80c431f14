// Benchmark: UDP syslog messages per second that our listener turns into
// events, against rsyslog's imudp writing them to a file, under the same load
// (blaster.ts in its own process, the same message set), in the same run.
// Rate = messages processed / (time of the last one processed − first send).
// UDP may drop under load on either side; drops lower the rate, as they would
// in production. On a shared machine the rate follows the CPU share each side
// gets, so the CPU time each receiving process spent per message processed is
// reported too (ours: process.cpuUsage; rsyslogd: /proc/<pid>/stat, all its
// threads), and cpuRatio = rsyslog's CPU per message / ours. Both sides ask for the same UDP receive buffer (our default,
// 16 MiB; Linux grants up to net.core.rmem_max): rsyslog's imudp `rcvbufSize`,
// our listener's default. Nothing else is tuned on either side.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { cpuSeconds } from "../../../e2e/bench/agents/settle.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import type { TelemetryEvent } from "../../collector.ts";
import { staticDirectory, testContext } from "../../testing.ts";
import { createSyslogListener } from "./listener.ts";
import { startRsyslogUdpFile } from "./rsyslog.ts";
import { syslogDevice } from "./testdata.ts";

export interface BenchOptions {
  /** Messages per side (default 200000). */
  messages?: number;
  /** How long without progress ends a side's measurement (default 1000 ms). */
  quietMs?: number;
  /**
   * Messages each side gets first, unmeasured (default 20000): both are
   * long-running daemons, and ours (JIT-compiled JavaScript) runs several
   * times slower in its first ~100k messages than after. 0 measures from cold.
   */
  warmup?: number;
  /**
   * Rounds, alternating ours and rsyslog (default 3); each side's median round
   * is reported. The machine's other load changes from second to second, and
   * alternating spreads it over both sides.
   */
  rounds?: number;
}

export interface BenchResult {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  ratio: number;
  /** Messages each side processed of those sent (UDP loss shows here). */
  detail?: string;
  /** Messages processed and lost (of those sent) on each side, and our granted UDP buffer. */
  processed?: { ours: number; peer: number };
  loss?: { ours: number; peer: number };
  udpReceiveBufferBytes?: number;
  /** CPU microseconds per message processed, each side (median round). */
  cpuUsPerMessage?: { ours: number; peer: number };
  /** rsyslog's CPU per message / ours: throughput per core relative to rsyslog's. */
  cpuRatio?: number;
}

interface Side {
  rate: number;
  processed: number;
  cpuUsPerMessage: number;
}

/** utime + stime of a process (all its threads), in µs. */
const procCpuUs = (pid: number) => cpuSeconds(pid) * 1e6;

/** UDP receive buffer both sides ask for. */
const RCVBUF = 16 * 1024 * 1024;

const BLASTER = fileURLToPath(new URL("./blaster.ts", import.meta.url));

/** Runs the blaster (its own process) against 127.0.0.1:port; `started` is its first-send time (ms since the epoch). */
export function blast(
  port: number,
  count: number,
): { started: Promise<number>; finished: Promise<void> } {
  const child = spawn(process.execPath, [BLASTER, "127.0.0.1", String(port), String(count)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let onStart: (ms: number) => void = () => {};
  const started = new Promise<number>((res) => {
    onStart = res;
  });
  child.stdout.on("data", (d) => {
    out += d;
    const m = /start (\d+)/.exec(out);
    if (m) onStart(Number(m[1]));
  });
  const finished = new Promise<void>((res, rej) =>
    child.on("exit", (code) => (code === 0 ? res() : rej(new Error(`blaster exited ${code}`)))),
  );
  return { started, finished };
}

/** Waits for the blaster, then until `count()` reaches `total` or stops moving for `quietMs` (`poll` first each time). */
export async function settle(
  finished: Promise<void>,
  count: () => number,
  total: number,
  quietMs: number,
  poll?: () => Promise<void>,
): Promise<void> {
  await finished;
  let last = -1;
  let still = Date.now();
  for (;;) {
    await poll?.();
    const n = count();
    if (n >= total) return;
    if (n !== last) {
      last = n;
      still = Date.now();
    } else if (Date.now() - still > quietMs) return;
    await sleep(50);
  }
}

async function ours(
  messages: number,
  quietMs: number,
  warmup: number,
): Promise<Side & { rcvbuf: number }> {
  let processed = 0;
  let lastAt = 0;
  const ctx = testContext({
    async emit(events: TelemetryEvent[]) {
      for (const e of events) if (e.log || e.malformed) processed++;
      lastAt = Date.now();
    },
  });
  const port = await freePort("tcp");
  const listener = createSyslogListener(
    {
      port,
      host: "127.0.0.1",
      maxPendingEvents: Number.MAX_SAFE_INTEGER,
      udpReceiveBufferBytes: RCVBUF,
    },
    staticDirectory([syslogDevice("bench", ["127.0.0.1"])]),
    ctx,
  );
  await listener.start();
  try {
    if (warmup > 0) {
      const w = blast(port, warmup);
      await settle(w.finished, () => processed, warmup, quietMs);
      processed = 0;
    }
    const cpu = process.cpuUsage();
    const b = blast(port, messages);
    const start = await b.started;
    await settle(b.finished, () => processed, messages, quietMs);
    const used = process.cpuUsage(cpu);
    return {
      rate: processed / ((lastAt - start) / 1000),
      processed,
      cpuUsPerMessage: (used.user + used.system) / processed,
      rcvbuf: listener.udpReceiveBufferBytes,
    };
  } finally {
    await listener.stop();
  }
}

async function rsyslog(messages: number, quietMs: number, warmup: number): Promise<Side> {
  const r = await startRsyslogUdpFile({ rcvbufSize: RCVBUF });
  try {
    if (warmup > 0) {
      const w = blast(r.port, warmup);
      const before = r.lines();
      await settle(w.finished, () => r.lines() - before, warmup, quietMs, r.poll);
    }
    const baseline = r.lines();
    const cpu = procCpuUs(r.pid);
    const b = blast(r.port, messages);
    const start = await b.started;
    await settle(b.finished, () => r.lines() - baseline, messages, quietMs, r.poll);
    const processed = r.lines() - baseline;
    // Polling sees a line up to 50 ms after rsyslog wrote it: a small bias in rsyslog's disfavour.
    return {
      rate: processed / ((r.lastAt() - start) / 1000),
      processed,
      cpuUsPerMessage: (procCpuUs(r.pid) - cpu) / processed,
    };
  } finally {
    await r.stop();
  }
}

export async function benchSyslog(opts: BenchOptions = {}): Promise<BenchResult> {
  const messages = opts.messages ?? 200_000;
  const quietMs = opts.quietMs ?? 1000;
  const warmup = opts.warmup ?? 20_000;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const as: Awaited<ReturnType<typeof ours>>[] = [];
  const bs: Awaited<ReturnType<typeof rsyslog>>[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await ours(messages, quietMs, warmup));
    bs.push(await rsyslog(messages, quietMs, warmup));
  }
  const a = median(as);
  const b = median(bs);
  const all = (xs: Side[]) =>
    xs.map((x) => `${Math.round(x.rate)}/s ${x.cpuUsPerMessage.toFixed(2)} µs`).join(", ");
  const aCpu = medianOf(as.map((x) => x.cpuUsPerMessage));
  const bCpu = medianOf(bs.map((x) => x.cpuUsPerMessage));
  return {
    name: "syslog-udp",
    ours: a.rate,
    peer: b.rate,
    unit: "messages/s",
    ratio: a.rate / b.rate,
    detail: `${messages} sent (after ${warmup} unmeasured); processed: ours ${a.processed}, rsyslog ${b.processed}; loss: ours ${pct(1 - a.processed / messages)}, rsyslog ${pct(1 - b.processed / messages)}; our UDP buffer ${a.rcvbuf} bytes; CPU per message: ours ${aCpu.toFixed(2)} µs, rsyslog ${bCpu.toFixed(2)} µs; ${rounds} alternating rounds (rate, CPU/message): ours [${all(as)}], rsyslog [${all(bs)}]`,
    processed: { ours: a.processed, peer: b.processed },
    loss: { ours: 1 - a.processed / messages, peer: 1 - b.processed / messages },
    udpReceiveBufferBytes: a.rcvbuf,
    cpuUsPerMessage: { ours: aCpu, peer: bCpu },
    cpuRatio: bCpu / aCpu,
  };
}

/** The round with the median rate. */
function median<T extends { rate: number }>(xs: T[]): T {
  return [...xs].sort((x, y) => x.rate - y.rate)[(xs.length - 1) >> 1] as T;
}

function medianOf(xs: number[]): number {
  return [...xs].sort((x, y) => x - y)[(xs.length - 1) >> 1] as number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

if (import.meta.main) {
  // node bench.ts [messages] [warmup] [rounds]
  const [messages, warmup, rounds] = process.argv.slice(2).map(Number);
  console.log(
    JSON.stringify(
      await benchSyslog({
        messages: messages || undefined,
        warmup: Number.isInteger(warmup) ? warmup : undefined,
        rounds: rounds || undefined,
      }),
    ),
  );
}
