// Syslog over UDP: the same datagrams from the same blaster process
// (agents/collectors/syslog/blaster.ts: RFC 5424 and 3164 messages) to
//   ours: the agent's syslog listener, counted as log events verified in JetStream;
//   peer: rsyslogd, imudp → omfile, counted as lines in its file.
// Rate = messages that made it / (when the last one made it − first send).
// UDP drops under load lower either side's count, as they would in production.
// Two loads: the collector bench's (200,000 messages: a burst of ~0.5 s that
// socket buffers and batching dominate) and one that lasts seconds, where what
// is measured is each side's sustained rate (the rest is dropped by the kernel).
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startRsyslog } from "../../../agents/collectors/syslog/rsyslog.ts";
import { device } from "../../../agents/testing-agent.ts";
import type { NatsEnv } from "../../env/index.ts";
import { freePort } from "../../env/ports.ts";
import { type AgentProcess, startAgentProcess } from "./process.ts";
import { settled, udpDrops, until } from "./settle.ts";
import { streamState } from "./stream.ts";
import type { Measurement } from "./table.ts";

const BLASTER = fileURLToPath(
  new URL("../../../agents/collectors/syslog/blaster.ts", import.meta.url),
);

/** The blaster in its own process; `started` is its first-send time (ms since the epoch). */
function blast(port: number, count: number) {
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

async function ours(nats: NatsEnv, messages: number, cpuProfDir?: string, label = "") {
  const agent: AgentProcess = await startAgentProcess(nats, {
    name: `syslog-${label}`,
    devices: [device("gw-1", { type: "network", syslog: { sourceAddresses: ["127.0.0.1"] } })],
    cpuProfDir,
  });
  try {
    // One message end to end first (the listener's first-message status, the
    // bus connection warm), then start from an empty stream.
    const probe = createSocket("udp4");
    probe.send("<13>bench probe", agent.ports.syslog, "127.0.0.1");
    await until(
      async () => (await streamState(nats)).messages > 0,
      20_000,
      "the probe in JetStream",
    );
    probe.close();
    await settled(agent, 1_500);
    await agent.drain();

    const drops0 = udpDrops(agent.ports.syslog);
    const b = blast(agent.ports.syslog, messages);
    const t0 = await b.started;
    await b.finished;
    const sentS = (Date.now() - t0) / 1000;
    await settled(agent);
    const rss = await agent.memory();
    const kernelDrops = udpDrops(agent.ports.syslog) - drops0;
    const dropped = await agent.metricLines(["amoskys_agent_syslog_dropped_total"]);
    await agent.stop();
    const r = await agent.drain();
    let n = 0;
    let last = 0;
    for (const batch of r.batches) {
      const logs = batch.events.filter((e) => e.log || e.malformed).length;
      n += logs;
      if (logs) last = Math.max(last, batch.storedMs);
    }
    return {
      rate: n / ((last - t0) / 1000),
      n,
      rejected: r.rejected,
      rss,
      lost: `blaster done in ${sentS.toFixed(1)} s; kernel dropped ${kernelDrops} (full socket buffer)${dropped.length ? `; ${dropped.join(", ")}` : ""}`,
    };
  } finally {
    await agent.stop();
    await agent.cleanup();
  }
}

async function rsyslog(messages: number) {
  const port = await freePort("udp");
  const probe = createSocket("udp4");
  const r = await startRsyslog(
    [
      'global(workDirectory="$D/work")',
      'module(load="imudp")',
      `input(type="imudp" address="127.0.0.1" port="${port}")`,
      'action(type="omfile" file="$D/out.log" template="RSYSLOG_FileFormat")',
    ],
    async (dir) => {
      probe.send("<13>bench probe", port, "127.0.0.1");
      await sleep(50);
      try {
        const f = await open(join(dir, "out.log"));
        const { size } = await f.stat();
        await f.close();
        return size > 0;
      } catch {
        return false;
      }
    },
  );
  probe.close();
  const file = await open(join(r.dir, "out.log"));
  try {
    let offset = 0;
    let lines = 0;
    let lastAt = 0;
    const chunk = Buffer.alloc(1 << 20);
    const poll = async () => {
      for (;;) {
        const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
        if (bytesRead === 0) return;
        offset += bytesRead;
        for (let i = 0; i < bytesRead; i++) if (chunk[i] === 0x0a) lines++;
        lastAt = Date.now();
      }
    };
    await sleep(200);
    await poll();
    const base = lines;
    const b = blast(port, messages);
    const t0 = await b.started;
    await b.finished;
    // Until every message is in or the file stops growing for a second.
    for (let seen = -1, still = Date.now(); lines - base < messages; await sleep(50)) {
      await poll();
      if (lines !== seen) {
        seen = lines;
        still = Date.now();
      } else if (Date.now() - still > 1_000) break;
    }
    // Polled every 50 ms: a line is seen up to 50 ms late, a bias against rsyslog.
    return { rate: (lines - base) / ((lastAt - t0) / 1000), n: lines - base };
  } finally {
    await file.close();
    await r.stop();
  }
}

/** The collector bench's load (`burst` messages) and a longer one (`sustained` messages). */
export async function benchSyslogAgent(
  nats: NatsEnv,
  loads: { burst: number; sustained: number },
  cpuProfDir?: string,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const [label, messages] of [
    ["burst", loads.burst],
    ["sustained", loads.sustained],
  ] as const) {
    const a = await ours(nats, messages, cpuProfDir, label);
    const p = await rsyslog(messages);
    out.push({
      name: `syslog UDP ${label}`,
      unit: "messages/s",
      ours: a.rate,
      peer: p.rate,
      peerName: "rsyslogd imudp→omfile",
      goal: 0.5,
      detail: `${messages} sent; in JetStream, verified: ${a.n}; in rsyslog's file: ${p.n}; agent: ${a.lost}, RSS after ${(a.rss.rss / 2 ** 20).toFixed(0)} MB${rejections(a.rejected)}`,
    });
  }
  return out;
}

export function rejections(r: Record<string, number>): string {
  const e = Object.entries(r);
  return e.length ? `; REJECTED at the consumer: ${JSON.stringify(r)}` : "";
}
