// Syslog over UDP: the same datagrams from the same blaster process
// (agents/collectors/syslog/blaster.ts: RFC 5424 and 3164 messages) to
//   ours: the agent's syslog listener, counted as log events verified in JetStream;
//   peer: rsyslogd, imudp → omfile, counted as lines in its file.
// Rate = messages that made it / (when the last one made it − first send).
// UDP drops under load lower either side's count, as they would in production.
// Two loads: the collector bench's (200,000 messages: a burst of ~0.5 s that
// socket buffers and batching dominate) and one that lasts seconds, where what
// is measured is each side's sustained rate (the rest is dropped by the kernel).
import { createSocket } from "node:dgram";
import { blast, settle } from "../../../agents/collectors/syslog/bench.ts";
import { startRsyslogUdpFile } from "../../../agents/collectors/syslog/rsyslog.ts";
import { device } from "../../../agents/testing-agent.ts";
import type { NatsEnv } from "../../env/index.ts";
import { type AgentProcess, startAgentProcess } from "./process.ts";
import { settled, udpDrops, until } from "./settle.ts";
import { streamState } from "./stream.ts";
import type { Measurement } from "./table.ts";

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
  const r = await startRsyslogUdpFile();
  try {
    const b = blast(r.port, messages);
    const t0 = await b.started;
    // Until every message is in or the file stops growing for a second.
    await settle(b.finished, r.lines, messages, 1_000, r.poll);
    // Polled every 50 ms: a line is seen up to 50 ms late, a bias against rsyslog.
    return { rate: r.lines() / ((r.lastAt() - t0) / 1000), n: r.lines() };
  } finally {
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
