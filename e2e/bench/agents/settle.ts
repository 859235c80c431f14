// Waiting for an agent to have shipped everything: its event counter has
// stopped moving for longer than a batch may wait, and every sealed batch is
// published with the outbox empty.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { udpSocket } from "../../../agents/collectors/flows/peers.ts";
import type { AgentProcess } from "./process.ts";

export async function settled(agent: AgentProcess, quietMs = 2_000, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let still = Date.now();
  for (;;) {
    const events = await agent.metric("amoskys_agent_events_total");
    const sealed = await agent.metric("amoskys_agent_batches_sealed_total");
    const published = await agent.metric("amoskys_agent_batches_published_total");
    const pending = await agent.metric("amoskys_agent_outbox_batches");
    if (events !== last) {
      last = events;
      still = Date.now();
    } else if (Date.now() - still > quietMs && sealed === published && pending === 0) return;
    if (Date.now() > deadline) return;
    await sleep(100);
  }
}

/** Waits until every batch sealed so far is published and the outbox is empty. */
export async function shipped(agent: AgentProcess, timeoutMs = 60_000): Promise<void> {
  await until(
    async () =>
      (await agent.metric("amoskys_agent_batches_sealed_total")) ===
        (await agent.metric("amoskys_agent_batches_published_total")) &&
      (await agent.metric("amoskys_agent_outbox_batches")) === 0,
    timeoutMs,
    "the outbox to empty",
  );
}

/** Waits until `check` is true (polled), or the timeout. */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Datagrams the kernel dropped on the UDP socket bound to 127.0.0.1:port (full receive buffer). */
export const udpDrops = (port: number): number => udpSocket(port)?.drops ?? 0;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}
