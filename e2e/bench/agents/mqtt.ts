// MQTT: JSON messages per second from one Mosquitto (TLS, password), the
// same publisher for both (one `mosquitto_pub -l`, QoS 1, the Sparkplug
// spec's NDATA example as JSON, as agents/collectors/mqtt/bench.ts) to
//   peer: mosquitto_sub -C n > /dev/null;
//   ours: the agent subscribed for an MQTT Device with one mapping, counted as
//         metric events verified in JetStream.
// Measured only when agents/collectors/index.ts wires the mqtt collector.
// Rate = messages / time from the first publish until the last was consumed
// (peer: mosquitto_sub exited; ours: its events stored in JetStream).
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import {
  publishLines,
  subscribeCount,
  tlsLogin,
} from "../../../agents/collectors/mqtt/mosquitto-clients.ts";
import { loadExamples } from "../../../agents/collectors/mqtt/spec-examples.ts";
import { device } from "../../../agents/testing-agent.ts";
import type { Device } from "../../../crds/index.ts";
import type { MqttEnv, NatsEnv } from "../../env/index.ts";
import { startAgentProcess } from "./process.ts";
import { settled, until } from "./settle.ts";
import { rejections } from "./syslog.ts";
import type { Measurement } from "./table.ts";

/** Whether the agent's collectors include mqtt (another helper may still be wiring it). */
export async function mqttWired(): Promise<boolean> {
  const src = await readFile(
    new URL("../../../agents/collectors/index.ts", import.meta.url),
    "utf8",
  );
  return /^\s*mqtt\s*:/m.test(src);
}

const CHUNK = 500;
const OURS_LIMIT_MS = 30_000;

export async function benchMqttAgent(
  nats: NatsEnv,
  mqtt: MqttEnv,
  messages: number,
  cpuProfDir?: string,
): Promise<Measurement> {
  const ndata = loadExamples().find((e) => e.message_type === "NDATA");
  if (!ndata) throw new Error("NDATA example missing");
  const lines = Array.from({ length: messages }, () => JSON.stringify(ndata));
  const login = tlsLogin(mqtt);

  // Mosquitto queues at most 1000 QoS 1 messages per subscriber and drops the
  // rest, so the load comes in chunks of 500 (as the collector bench), each
  // from its own mosquitto_pub -l once the previous one was consumed.
  const chunks: number[] = [];
  for (let left = messages; left > 0; left -= CHUNK) chunks.push(Math.min(CHUNK, left));
  let peerMs = 0;
  for (const k of chunks) {
    const sub = subscribeCount(login, "bench/peer", k, mqtt.logFile);
    await sub.subscribed;
    const t0 = performance.now();
    const timeout = new AbortController();
    const all = await Promise.race([
      Promise.all([publishLines(login, "bench/peer", lines.slice(0, k)), sub.done]).then(
        () => true,
      ),
      sleep(60_000, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (!all) {
      sub.kill();
      throw new Error(`mosquitto_sub did not receive a chunk of ${k} within 60 s`);
    }
    peerMs += performance.now() - t0;
  }
  const peer = messages / (peerMs / 1000);

  const agent = await startAgentProcess(nats, {
    name: "mqtt",
    devices: [
      device("sensor-1", {
        type: "iot",
        mqtt: {
          brokerUrl: mqtt.tlsUrl,
          topics: ["bench/ours"],
          payload: "json",
          qos: 1,
          mappings: [
            { topic: "bench/ours", jsonPath: "payload.metrics[0].value", metric: "supply.voltage" },
          ],
          credentialsSecretRef: { name: "mqtt-login" },
          tlsSecretRef: { name: "mqtt-tls" },
        },
      } as Partial<Device["spec"]>),
    ],
    secrets: [
      ["mqtt-login", "username", mqtt.username],
      ["mqtt-login", "password", mqtt.password],
      ["mqtt-tls", "ca.crt", await readFile(mqtt.ca, "utf8")],
    ],
    cpuProfDir,
  });
  try {
    const log = () => readFile(agent.service.logFile, "utf8").catch(() => "");
    await until(async () => (await log()).includes('"subscribed"'), 30_000, "the agent's SUBACK");
    await settled(agent, 1_500);
    await agent.drain();
    // The agent acknowledges a QoS 1 message once its events are stored; a
    // chunk is consumed when the agent has taken all its messages. Bounded: a
    // slow agent would take minutes; what it stored by then gives its rate.
    const t0 = Date.now();
    const deadline = t0 + OURS_LIMIT_MS;
    let target = await agent.metric("amoskys_agent_events_total");
    let published = 0;
    for (const k of chunks) {
      if (Date.now() > deadline) break;
      target += k;
      await publishLines(login, "bench/ours", lines.slice(0, k));
      published += k;
      while (Date.now() < deadline && (await agent.metric("amoskys_agent_events_total")) < target)
        await sleep(50);
    }
    await settled(agent, 2_000, 5_000);
    await agent.stop();
    const r = await agent.drain();
    let n = 0;
    let last = 0;
    for (const b of r.batches) {
      const m = b.events.filter((e) => e.metric?.name === "supply.voltage").length;
      n += m;
      if (m) last = Math.max(last, b.storedMs);
    }
    return {
      name: "MQTT JSON",
      unit: "messages/s",
      ours: n / ((last - t0) / 1000),
      peer,
      peerName: "mosquitto_sub > /dev/null",
      goal: 0.5,
      detail: `${messages} messages in chunks of ${CHUNK} (one mosquitto_pub -l each, QoS 1, TLS; the peer: one mosquitto_sub -C per chunk); ours: ${published} published within ${OURS_LIMIT_MS / 1000} s, in JetStream, verified: ${n}${rejections(r.rejected)}`,
    };
  } finally {
    await agent.stop();
    await agent.cleanup();
  }
}
