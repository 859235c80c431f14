// The agent pipeline against a real NATS server (TLS, password): signed
// batches verify at a consumer, a NATS outage only fills the outbox, a config
// change is applied without losing events, stop() ships what is pending, and
// a restarted agent continues its chain. The source here is scripted (the
// pipeline is under test); every collector has its own tests against its
// real peer.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import type { Collector, CollectorContext } from "./collector.ts";
import { event, Source } from "./events.ts";
import { type Agent, podIdentity, startAgent } from "./runtime.ts";
import { device, drainStream, type PodFiles, podFiles, type Received } from "./testing-agent.ts";

const ticks = new Map<string, number>();

/** Emits one gauge per tick for its device, numbered; logs each once the sink says it is stored. */
function scriptedSource(name: string, ctx: CollectorContext, log: string[]): Collector {
  let timer: NodeJS.Timeout | undefined;
  const inflight = new Set<Promise<void>>();
  return {
    name: `scripted/${name}`,
    async start() {
      timer = setInterval(() => {
        // Numbered across agent restarts, like readings of a real device.
        const i = ticks.get(name) ?? 0;
        ticks.set(name, i + 1);
        const now = ctx.now();
        const e = event(
          {
            device: { namespace: "plant-1", name, address: "127.0.0.1" },
            source: Source.SOURCE_PROTOCOL_MODBUS,
            observedMs: now,
            collectedMs: now,
            idParts: [i],
          },
          { metric: { name: "tick", value: i } },
        );
        const p = ctx.sink.emit([e]).then(
          () => void log.push(`${name}:${i}`),
          () => {}, // refused at shutdown: never counted as stored
        );
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }, 20);
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
    },
  };
}

const modbus = {
  registers: [{ name: "t", table: "holding" as const, address: 0, type: "int16" as const }],
};

describe("agent runtime", () => {
  let env: EnvWith<{ nats: { users: ["collector"] } }>;
  let pod: PodFiles;
  let agent: Agent | undefined;
  const stored: string[] = [];
  const received: Received["batches"] = [];

  const start = () =>
    startAgent({
      configPath: pod.configPath,
      root: pod.root,
      podName: "edge-6f7c9-x2x4z",
      host: "127.0.0.1",
      opsPort: 0,
      factories: (ctx) => ({
        poll: { modbus: (d) => scriptedSource(d.name, ctx, stored) },
        listen: {},
      }),
    });
  const drain = async () => {
    const r = await drainStream(env.nats, pod);
    assert.deepEqual(r.rejected, {}, "every batch verifies");
    received.push(...r.batches);
  };

  before(async () => {
    env = await startEnv({ nats: { users: ["collector"] }, verbose: false });
    pod = await podFiles(env.nats, "collector");
    await drainStream(env.nats, pod); // provisions the streams, as analytics does
    await pod.write([device("plc-1", { modbus }), device("plc-2", { modbus })]);
  });
  after(async () => {
    await agent?.stop(1_000);
    await pod?.cleanup();
    await env?.stop();
  });

  it("publishes signed batches per device subject that verify at a consumer", async () => {
    agent = await start();
    assert.equal(agent.producerId, "plant-1/edge/edge-6f7c9-x2x4z");
    assert.deepEqual(agent.collectors(), ["modbus/plant-1/plc-1", "modbus/plant-1/plc-2"]);
    await waitUntil(() => stored.length >= 40, 20_000, `40 stored (${stored.length})`);
    await waitUntil(
      () => agent?.outbox.pending === 0,
      20_000,
      `empty outbox (${agent?.outbox.pending})`,
    );
    await drain();
    const subjects = new Set(received.map((b) => b.subject));
    assert.deepEqual([...subjects].sort(), [
      "amoskys.telemetry.plant-1.plc-1",
      "amoskys.telemetry.plant-1.plc-2",
    ]);
    for (const b of received)
      for (const e of b.events)
        assert.equal(`amoskys.telemetry.plant-1.${e.device?.name}`, b.subject);
    const res = await fetch(`http://127.0.0.1:${agent.opsPort}/metrics`);
    assert.match(await res.text(), /amoskys_agent_batches_published_total \d+/);
    assert.equal((await fetch(`http://127.0.0.1:${agent.opsPort}/readyz`)).status, 200);
  });

  it("keeps batches in the outbox while NATS is down and ships them once, in order, when it is back", async () => {
    const before = stored.length;
    await env.nats.restart(4_000);
    await waitUntil(() => stored.length >= before + 200, 30_000); // ~2 s of events at least while down
    await waitUntil(() => agent?.outbox.pending === 0, 60_000);
    // Polling goes on: what is stored from now on may not be shipped yet when
    // we drain (the test after the next stops the agent and checks all).
    const shipped = [...stored];
    await drain();
    assertExactlyOnceInOrder(shipped);
  });

  it("applies a changed config without losing events in flight", async () => {
    await pod.write([device("plc-1", { modbus }), device("plc-3", { modbus })]);
    await waitUntil(() => agent?.collectors().includes("modbus/plant-1/plc-3") ?? false);
    assert.deepEqual(agent?.collectors(), ["modbus/plant-1/plc-1", "modbus/plant-1/plc-3"]);
    await waitUntil(() => stored.some((s) => s.startsWith("plc-3:")));
    // A broken config is refused; the running one stays.
    const { writeFile } = await import("node:fs/promises");
    await writeFile(pod.configPath, "apiVersion: amoskys.io/v1alpha1\nkind: AgentConfig\n");
    await agent?.reload();
    assert.deepEqual(agent?.collectors(), ["modbus/plant-1/plc-1", "modbus/plant-1/plc-3"]);
    const m = await (await fetch(`http://127.0.0.1:${agent?.opsPort}/metrics`)).text();
    assert.match(m, /amoskys_agent_config_reloads_total\{result="rejected"\} [1-9]/);
    await pod.write([device("plc-1", { modbus }), device("plc-3", { modbus })]);
  });

  it("on stop, stores and ships every event a collector was told is stored", async () => {
    await agent?.stop(10_000);
    agent = undefined;
    await drain();
    assertExactlyOnceInOrder();
  });

  it("a restarted agent continues its chain from the outbox", async () => {
    await env.nats.services[0]?.stop(); // nothing can ship
    agent = await start();
    const n = stored.length;
    await waitUntil(() => stored.length >= n + 30);
    await agent.stop(500); // leaves batches in the outbox
    agent = undefined;
    await env.nats.restart();
    agent = await start();
    await waitUntil(() => agent?.outbox.pending === 0, 30_000);
    await drain();
    assertExactlyOnceInOrder();
    assert.equal(
      new Set(received.map((b) => b.producerId)).size,
      1,
      "one producer chain throughout",
    );
  });

  /** Every batch received once, in sequence order; every event of `expected` among them, once. */
  function assertExactlyOnceInOrder(expected: readonly string[] = stored) {
    const seqs = received.map((b) => b.sequence);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      "stream order is sequence order",
    );
    assert.equal(new Set(seqs).size, seqs.length, "no batch twice");
    const ids = received.flatMap((b) =>
      b.events.map((e) => `${e.device?.name}:${e.metric?.value}`),
    );
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    const got = new Set(ids);
    const missing = expected.filter((s) => !got.has(s));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} stored events never arrived`);
  }
});

async function waitUntil(
  cond: () => boolean,
  timeoutMs = 20_000,
  what = cond.toString(),
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("podIdentity", () => {
  it("names a pod by name and UID: a same-name StatefulSet pod is a new producer", () => {
    const uid = "3f2a9c1b-0d4e-4f5a-9b6c-7d8e9f0a1b2c";
    assert.equal(
      podIdentity({ AMOSKYS_POD_NAME: "amoskys-collector-fleet-0", AMOSKYS_POD_UID: uid }),
      "amoskys-collector-fleet-0@3f2a9c1b",
    );
    assert.notEqual(
      podIdentity({ AMOSKYS_POD_NAME: "p-0", AMOSKYS_POD_UID: uid }),
      podIdentity({
        AMOSKYS_POD_NAME: "p-0",
        AMOSKYS_POD_UID: "9d8c7b6a-0000-4000-8000-000000000000",
      }),
    );
    assert.equal(podIdentity({ AMOSKYS_POD_NAME: "bench-1" }), "bench-1");
  });
});
