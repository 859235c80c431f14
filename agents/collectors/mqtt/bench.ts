// Benchmark: JSON messages per second our collector ingests (subscribed over
// TLS with a password, every message mapped into a Metric event) against
// mosquitto_sub writing the same messages to /dev/null: the same Mosquitto,
// the same publisher (one mosquitto_pub -l, QoS 1), measured in the same run.
// The payload is the Sparkplug spec's NDATA example in JSON form
// (../shared/testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttEnv } from "../../../e2e/env/index.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { testContext } from "../../testing.ts";
import { createMqttCollector } from "./collector.ts";
import { publishLines, subscribeCount, tlsLogin } from "./mosquitto-clients.ts";
import { loadExamples } from "./spec-examples.ts";

/** Messages per publish (below Mosquitto's default max_queued_messages of 1000). */
const CHUNK = 500;

/** A chunk not consumed in this time means messages were lost: fail rather than hang. */
const CHUNK_TIMEOUT_MS = 60_000;

function within<T>(p: Promise<T>, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what}: a chunk was not consumed within ${CHUNK_TIMEOUT_MS} ms`));
    }, CHUNK_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface BenchResult {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  ratio: number;
}

export interface BenchOptions {
  /** Messages per side (default 20,000). */
  messages?: number;
  /** A running broker from startEnv({ mqtt: true }); default: one started (and stopped) here. */
  mqtt?: MqttEnv;
}

export async function benchMqtt(opts: BenchOptions = {}): Promise<BenchResult> {
  const n = opts.messages ?? 20_000;
  let stopEnv: (() => Promise<void>) | undefined;
  let mqttEnv = opts.mqtt;
  if (!mqttEnv) {
    const { startEnv } = await import("../../../e2e/env/index.ts");
    const env = await startEnv({ mqtt: true, verbose: false });
    mqttEnv = env.mqtt;
    stopEnv = () => env.stop();
  }
  const dir = await mkdtemp(join(tmpdir(), "amoskys-mqtt-bench-"));
  try {
    const ndata = loadExamples().find((e) => e.message_type === "NDATA");
    if (!ndata) throw new Error("NDATA example missing");
    const line = JSON.stringify(ndata);
    const lines = Array.from({ length: n }, () => line);
    const login = tlsLogin(mqttEnv);

    // Mosquitto queues at most 1000 QoS 1 messages per subscriber (max_queued_messages)
    // and drops the rest, so the load comes in chunks below that, each one
    // published by its own mosquitto_pub -l once the previous one was consumed.
    const chunks: number[] = [];
    for (let left = n; left > 0; left -= CHUNK) chunks.push(Math.min(CHUNK, left));

    // The peer: mosquitto_sub -C <chunk> > /dev/null, one per chunk (timed from the publish on).
    let peerMs = 0;
    for (const k of chunks) {
      const sub = subscribeCount(login, "bench/peer", k, mqttEnv.logFile);
      await sub.subscribed;
      const t0 = performance.now();
      await within(
        Promise.all([publishLines(login, "bench/peer", lines.slice(0, k)), sub.done]),
        "mosquitto_sub",
        sub.kill,
      );
      peerMs += performance.now() - t0;
    }

    // Ours: the collector with one mapping, into an in-memory sink that counts.
    await writeFile(join(dir, "username"), mqttEnv.username);
    await writeFile(join(dir, "password"), mqttEnv.password);
    let metrics = 0;
    let target = 0;
    let reached: () => void = () => {};
    const sink = {
      async emit(events: TelemetryEvent[]) {
        for (const e of events) if (e.metric) metrics++;
        if (metrics >= target) reached();
      },
    };
    const logLines: string[] = [];
    const ctx = testContext(sink);
    const { createLogger } = await import("../../../runtime/log.ts");
    ctx.logger = createLogger("mqtt-bench", { level: "info", write: (l) => logLines.push(l) });
    const device: AgentDevice = {
      namespace: "bench",
      name: "mqtt-ingest",
      address: "127.0.0.1",
      type: "iot",
      subject: "amoskys.telemetry.bench.mqtt-ingest",
      mqtt: {
        brokerUrl: mqttEnv.tlsUrl,
        topics: ["bench/ours"],
        payload: "json",
        qos: 1,
        mappings: [
          {
            topic: "bench/ours",
            jsonPath: "payload.metrics[0].value",
            metric: "supply.voltage",
            unit: "V",
          },
        ],
        credentials: { usernameFile: join(dir, "username"), passwordFile: join(dir, "password") },
        tls: {
          caFile: mqttEnv.ca,
          certFile: join(dir, "none.crt"),
          keyFile: join(dir, "none.key"),
        },
      },
    };
    const collector = createMqttCollector(device, ctx, { probeAnonymous: false });
    await collector.start();
    try {
      const deadline = Date.now() + 20_000;
      while (!logLines.some((l) => l.includes('"msg":"subscribed"'))) {
        if (Date.now() > deadline) throw new Error("collector did not subscribe");
        await new Promise((r) => setTimeout(r, 20));
      }
      let oursMs = 0;
      for (const k of chunks) {
        target += k;
        const consumed = new Promise<void>((res) => {
          reached = res;
        });
        const t0 = performance.now();
        await within(
          Promise.all([publishLines(login, "bench/ours", lines.slice(0, k)), consumed]),
          "collector",
        );
        oursMs += performance.now() - t0;
      }
      const ours = n / (oursMs / 1000);
      const peer = n / (peerMs / 1000);
      return { name: "mqtt-json-ingest", ours, peer, unit: "msg/s", ratio: ours / peer };
    } finally {
      await collector.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await stopEnv?.();
  }
}

export async function main(): Promise<void> {
  const r = await benchMqtt();
  console.log(
    `${r.name}: ours ${Math.round(r.ours)} ${r.unit}, mosquitto_sub ${Math.round(r.peer)} ${r.unit}, ratio ${r.ratio.toFixed(2)}`,
  );
}

if (import.meta.main) await main();
