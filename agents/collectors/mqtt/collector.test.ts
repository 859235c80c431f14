// The MQTT collector against a real Mosquitto (startEnv({ mqtt: true }): TLS
// and plain listeners, both with a password, anonymous refused) and, for the
// anonymous case, a second Mosquitto started here with allow_anonymous true.
// Messages are published with the real mosquitto_pub. Payload values come from
// the Sparkplug spec's example payloads,
// ../shared/testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl
// (eclipse-sparkplug/sparkplug chapter 6 @e45b61002a2a, EPL-2.0; SOURCES.md).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type EnvWith, startEnv } from "../../../e2e/env/index.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import type { AgentMqtt } from "../../../operator/manifests/agent-config.ts";
import { createLogger } from "../../../runtime/log.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, Source } from "../../events.ts";
import { memorySink, testContext } from "../../testing.ts";
import { benchMqtt } from "./bench.ts";
import { createMqttCollector, type MqttCollectorOptions } from "./collector.ts";
import { publish, tlsLogin } from "./mosquitto-clients.ts";
import { encodePayload } from "./sparkplug-codec.ts";
import { type Example, encodeExample, loadExamples, toProtoMetric } from "./spec-examples.ts";
import { anonymousBroker, startAnonymousBroker } from "./testing.ts";

let env: EnvWith<{ mqtt: true }>;
let dir: string;
const examples = loadExamples();
const byType = (t: string) => examples.find((e) => e.message_type === t) as Example;

before(async () => {
  env = await startEnv({ mqtt: true, verbose: false });
  dir = await mkdtemp(join(tmpdir(), "amoskys-mqtt-test-"));
  await writeFile(join(dir, "username"), `${env.mqtt.username}\n`);
  await writeFile(join(dir, "password"), `${env.mqtt.password}\n`);
  await writeFile(join(dir, "wrong-password"), "not-the-password\n");
});

after(async () => {
  await env?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function device(name: string, mqtt: Partial<AgentMqtt>): AgentDevice {
  return {
    namespace: "plant",
    name,
    address: "127.0.0.1",
    type: "iot",
    subject: `amoskys.telemetry.plant.${name}`,
    mqtt: {
      brokerUrl: env.mqtt.tlsUrl,
      topics: [`test/${name}/#`],
      payload: "json",
      qos: 1,
      mappings: [],
      credentials: { usernameFile: join(dir, "username"), passwordFile: join(dir, "password") },
      // No client certificate files exist: only the CA is used.
      tls: {
        caFile: env.mqtt.ca,
        certFile: join(dir, "absent.crt"),
        keyFile: join(dir, "absent.key"),
      },
      ...mqtt,
    },
  };
}

/** A collector with an in-memory sink and a log we can wait on. */
async function run(d: AgentDevice, opts: MqttCollectorOptions = {}) {
  const sink = memorySink();
  const ctx = testContext(sink);
  const lines: { msg: string; [k: string]: unknown }[] = [];
  ctx.logger = createLogger("mqtt-test", {
    level: "debug",
    write: (l) => lines.push(JSON.parse(l)),
  });
  const c = createMqttCollector(d, ctx, { backoff: { initialMs: 100, maxMs: 1000 }, ...opts });
  await c.start();
  const waitLog = async (
    msg: string,
    pred: (l: Record<string, unknown>) => boolean = () => true,
  ) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const hit = lines.find((l) => l.msg === msg && pred(l));
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no log "${msg}" in: ${lines.map((l) => l.msg).join(", ")}`);
      await sleep(20);
    }
  };
  return { c, sink, ctx, lines, waitLog };
}

const metricsOf = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.metric ? [{ ...e.metric, address: e.device?.address }] : []));
const statusOf = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.status ? [{ ...e.status, address: e.device?.address }] : []));
const securityOf = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.security ? [e.security] : []));

async function counter(
  ctx: ReturnType<typeof testContext>,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const m = (await ctx.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return (v?.value as number | undefined) ?? 0;
}

test("TLS with a password: JSON mappings read real published messages; malformed ones are counted", async () => {
  const { c, sink, ctx, waitLog } = await run(
    device("json-tls", {
      mappings: [
        // The spec's NBIRTH example: metrics[9] is Supply Voltage 12.1; NDATA's metrics[0] is 12.3.
        {
          topic: "test/json-tls/birth",
          jsonPath: "payload.metrics[9].value",
          metric: "supply.voltage",
          unit: "V",
        },
        {
          topic: "test/json-tls/data",
          jsonPath: "payload.metrics[0].value",
          metric: "supply.voltage",
          unit: "V",
        },
        {
          topic: "test/json-tls/+",
          jsonPath: "payload.timestamp",
          metric: "sent.time",
          unit: "ms",
        },
      ],
    }),
  );
  try {
    await waitLog("subscribed");
    await publish(tlsLogin(env.mqtt), "test/json-tls/birth", JSON.stringify(byType("NBIRTH")));
    await publish(tlsLogin(env.mqtt), "test/json-tls/data", JSON.stringify(byType("NDATA")));
    const got = metricsOf(await sink.waitFor(4, (e) => !!e.metric));
    assert.deepEqual(
      got.map((m) => [m.name, m.value, m.unit, m.labels?.topic, m.address]),
      [
        ["supply.voltage", 12.1, "V", "test/json-tls/birth", "test/json-tls/birth"],
        ["sent.time", 1486144502122, "ms", "test/json-tls/birth", "test/json-tls/birth"],
        ["supply.voltage", 12.3, "V", "test/json-tls/data", "test/json-tls/data"],
        ["sent.time", 1486144502122, "ms", "test/json-tls/data", "test/json-tls/data"],
      ],
    );
    const [s] = statusOf(await sink.waitFor(1, (e) => !!e.status));
    assert.equal(s?.capability, Capability.CAPABILITY_REAL);
    assert.equal(s?.reachable, true);
    assert.equal(s?.protocol, Source.SOURCE_PROTOCOL_MQTT);
    assert.equal(s?.address, new URL(env.mqtt.tlsUrl).host);
    assert.ok((s?.latencyMs ?? 0) > 0);

    // Not JSON, and JSON without the path: Malformed events, counted, nothing thrown.
    await publish(tlsLogin(env.mqtt), "test/json-tls/data", "\u0000\u0001 not json");
    await publish(tlsLogin(env.mqtt), "test/json-tls/data", '{"payload":{"metrics":[]}}');
    const bad = await sink.waitFor(3, (e) => !!e.malformed);
    assert.deepEqual(
      bad.map((e) => e.malformed?.reason?.replace(/:.*/, "")),
      ["not JSON", "no value at payload.metrics[0].value", "no value at payload.timestamp"],
    );
    assert.equal(bad[0]?.malformed?.length, 11);
    assert.equal(
      await counter(ctx, "amoskys_agent_malformed_total", {
        protocol: "mqtt",
        reason: "json_invalid",
      }),
      1,
    );
    assert.equal(
      await counter(ctx, "amoskys_agent_malformed_total", {
        protocol: "mqtt",
        reason: "json_path_missing",
      }),
      2,
    );
    assert.equal(
      (await counter(ctx, "amoskys_agent_collected_events_total", { protocol: "mqtt" })) >= 7,
      true,
    );

    // The environment's broker refuses anonymous clients: the probe says so, and no observation.
    const probe = await waitLog("anonymous probe");
    assert.equal(probe.result, "refused");
    assert.deepEqual(securityOf(sink.events), []);
  } finally {
    await c.stop();
  }
});

test("a wrong password: BLIND with the broker's reason, retried with backoff", async () => {
  const { c, sink, ctx } = await run(
    device("wrong-password", {
      credentials: {
        usernameFile: join(dir, "username"),
        passwordFile: join(dir, "wrong-password"),
      },
    }),
  );
  try {
    const [s] = statusOf(await sink.waitFor(1, (e) => !!e.status));
    assert.equal(s?.capability, Capability.CAPABILITY_BLIND);
    assert.equal(s?.reachable, true);
    assert.match(
      s?.reason ?? "",
      /^broker refused the credentials \(Connection refused: Not authorized\)$/,
    );
    // It keeps trying (backoff 100 ms .. 1 s here), and says it only once.
    for (
      let i = 0;
      i < 200 &&
      (await counter(ctx, "amoskys_agent_mqtt_connect_attempts_total", { result: "auth" })) < 2;
      i++
    )
      await sleep(50);
    assert.ok(
      (await counter(ctx, "amoskys_agent_mqtt_connect_attempts_total", { result: "auth" })) >= 2,
    );
    assert.equal(statusOf(sink.events).length, 1);
  } finally {
    await c.stop();
  }
});

test("Sparkplug B through Mosquitto: BIRTH, DATA by alias, a sequence gap, commands, DEATH, bad input", async () => {
  const { c, sink, ctx, waitLog } = await run(
    device("sparkplug", { payload: "sparkplugB", topics: ["spBv1.0/#"] }),
    { probeAnonymous: false },
  );
  const pub = (topic: string, payload: Uint8Array | string) =>
    publish(tlsLogin(env.mqtt), topic, payload);
  try {
    await waitLog("subscribed");
    const nbirth = byType("NBIRTH");
    const dbirth = byType("DBIRTH");
    // BIRTHs as the spec prints them, plus an alias per metric (node 0.., device 100..).
    await pub(
      nbirth.topic,
      encodeExample(nbirth, {
        metrics: (nbirth.payload.metrics ?? []).map((m, i) => toProtoMetric(m, { alias: i })),
      }),
    );
    await pub(
      dbirth.topic,
      encodeExample(dbirth, {
        metrics: (dbirth.payload.metrics ?? []).map((m, i) => toProtoMetric(m, { alias: 100 + i })),
      }),
    );
    // NDATA seq 2 by alias only: alias 9 is Supply Voltage.
    const ndata = byType("NDATA");
    const ndataMetric = ndata.payload.metrics?.[0];
    assert.ok(ndataMetric);
    await pub(
      ndata.topic,
      encodeExample(ndata, {
        metrics: [toProtoMetric(ndataMetric, { alias: 9, withName: false, withDatatype: false })],
      }),
    );
    // DDATA with the spec's seq 0: a gap after seq 2 (SOURCES.md notes the examples are not one session).
    const ddata = byType("DDATA");
    await pub(
      ddata.topic,
      encodeExample(ddata, {
        metrics: (ddata.payload.metrics ?? []).map((m) =>
          toProtoMetric(m, { alias: m.name === "Inputs/A" ? 100 : 102, withName: false }),
        ),
      }),
    );
    await pub(byType("DCMD").topic, encodeExample(byType("DCMD")));
    await pub(byType("NDEATH").topic, encodeExample(byType("NDEATH")));
    // Hostile input: not protobuf, not a Sparkplug topic.
    await pub("spBv1.0/Sparkplug B Devices/NDATA/Other Node", "definitely not protobuf");
    await pub(
      "spBv1.0/Sparkplug B Devices/XDATA/Raspberry Pi",
      encodePayload({ seq: 0, metrics: [] }),
    );

    await sink.waitFor(2, (e) => !!e.malformed);
    await sink.waitFor(2, (e) => !!e.status && e.status.capability === Capability.CAPABILITY_BLIND);
    const m = metricsOf(sink.events);
    assert.equal(m.filter((x) => x.labels?.messageType === "NBIRTH").length, 10);
    assert.equal(m.filter((x) => x.labels?.messageType === "DBIRTH").length, 14);
    assert.deepEqual(
      m
        .filter((x) => x.labels?.messageType === "NBIRTH" && x.name === "Supply Voltage")
        .map((x) => x.value),
      [12.1],
    );
    assert.deepEqual(
      m.filter((x) => x.labels?.messageType === "NDATA").map((x) => [x.name, x.value, x.address]),
      [["Supply Voltage", 12.3, ndata.topic]],
    );
    assert.deepEqual(
      m
        .filter((x) => x.labels?.messageType === "DDATA")
        .map((x) => [x.name, x.value, x.labels?.device]),
      [
        ["Inputs/A", 1, "Pibrella"],
        ["Inputs/C", 1, "Pibrella"],
      ],
    );
    // Observed time is the metric's own timestamp from the payload.
    const sv = sink.events.find((e) => e.metric?.name === "Supply Voltage");
    assert.deepEqual(sv?.observed, { seconds: 1486144502, nanos: 122_000_000 });

    const sec = securityOf(sink.events);
    assert.deepEqual(
      sec.map((s) => s.kind),
      ["sparkplug.sequence_gap", "sparkplug.command"],
    );
    assert.deepEqual(
      { expected: sec[0]?.evidence?.expected, received: sec[0]?.evidence?.received },
      { expected: "3", received: "0" },
    );
    assert.match(
      sec[1]?.detail ?? "",
      /^DCMD to device Sparkplug B Devices\/Raspberry Pi\/Pibrella: Outputs\/LEDs\/Green=1; Outputs\/LEDs\/Yellow=1$/,
    );

    const node = "spBv1.0/Sparkplug B Devices/Raspberry Pi";
    assert.deepEqual(
      statusOf(sink.events)
        .filter((s) => s.address?.startsWith("spBv1.0/"))
        .map((s) => [s.address, s.capability, s.reachable, s.reason]),
      [
        [node, Capability.CAPABILITY_REAL, true, "NBIRTH"],
        [`${node}/Pibrella`, Capability.CAPABILITY_REAL, true, "DBIRTH"],
        [node, Capability.CAPABILITY_DEGRADED, true, "sequence gap: expected seq 3, got 0"],
        [`${node}/Pibrella`, Capability.CAPABILITY_BLIND, false, "edge node sent NDEATH"],
        [node, Capability.CAPABILITY_BLIND, false, "NDEATH (bdSeq 0)"],
      ],
    );
    assert.deepEqual(
      sink.events.filter((e) => e.malformed).map((e) => e.malformed?.reason?.replace(/:.*/, "")),
      ["not a Sparkplug B payload", 'unknown message type "XDATA"'],
    );
    assert.equal(
      await counter(ctx, "amoskys_agent_malformed_total", {
        protocol: "sparkplug_b",
        reason: "sparkplug_decode",
      }),
      1,
    );
    assert.equal(
      await counter(ctx, "amoskys_agent_malformed_total", {
        protocol: "sparkplug_b",
        reason: "sparkplug_topic",
      }),
      1,
    );
    assert.equal(
      await counter(ctx, "amoskys_agent_mqtt_security_observations_total", {
        kind: "sparkplug.sequence_gap",
      }),
      1,
    );
    assert.equal(
      await counter(ctx, "amoskys_agent_mqtt_messages_total", {
        payload: "sparkplugB",
        type: "NBIRTH",
      }),
      1,
    );
  } finally {
    await c.stop();
  }
});

test("credentials over plain mqtt:// are a posture observation", async () => {
  const { c, sink, waitLog } = await run(
    device("cleartext", {
      brokerUrl: env.mqtt.plainUrl,
      tls: undefined,
      mappings: [{ topic: "test/cleartext/x", jsonPath: "payload.seq", metric: "seq" }],
    }),
    { probeAnonymous: false },
  );
  try {
    const [obs] = securityOf(await sink.waitFor(1, (e) => !!e.security));
    assert.equal(obs?.kind, "mqtt.cleartext_credentials");
    assert.deepEqual(obs?.evidence, {
      broker: new URL(env.mqtt.plainUrl).host,
      transport: "plain",
    });
    await waitLog("subscribed");
    await publish(
      { ...tlsLogin(env.mqtt), url: env.mqtt.plainUrl },
      "test/cleartext/x",
      JSON.stringify(byType("NDATA")),
    );
    const [m] = metricsOf(await sink.waitFor(1, (e) => !!e.metric));
    assert.deepEqual([m?.name, m?.value], ["seq", 2]);
  } finally {
    await c.stop();
  }
});

test("subscribed but silent: DEGRADED after the quiet period", async () => {
  const { c, sink } = await run(device("silent", {}), { probeAnonymous: false, quietMs: 1000 });
  try {
    const [s] = statusOf(await sink.waitFor(1, (e) => !!e.status));
    assert.deepEqual(
      [s?.capability, s?.reachable, s?.reason],
      [Capability.CAPABILITY_DEGRADED, true, "subscribed; no messages for 1 s"],
    );
  } finally {
    await c.stop();
  }
});

test("an unreachable broker: BLIND, not reachable", async () => {
  const port = await freePort();
  const { c, sink } = await run(
    device("unreachable", { brokerUrl: `mqtt://127.0.0.1:${port}`, tls: undefined }),
    {
      probeAnonymous: false,
    },
  );
  try {
    const [s] = statusOf(await sink.waitFor(1, (e) => !!e.status));
    assert.deepEqual(
      [s?.capability, s?.reachable, s?.reason],
      [Capability.CAPABILITY_BLIND, false, "unreachable: ECONNREFUSED"],
    );
  } finally {
    await c.stop();
  }
});

test("a configuration that cannot work is rejected by start()", async () => {
  const ctx = testContext();
  for (const [mqtt, msg] of [
    [{ brokerUrl: "ws://127.0.0.1:1" }, /must be mqtt:\/\/ or mqtts:\/\//],
    [{ topics: [] }, /topics is empty/],
    [{ topics: ["a/#/b"] }, /not a topic filter/],
    [{ mappings: [{ topic: "a", jsonPath: "a..b", metric: "m" }] }, /jsonPath/],
  ] as const) {
    const c = createMqttCollector(device("bad", mqtt as Partial<AgentMqtt>), ctx);
    await assert.rejects(c.start(), msg);
    await c.stop();
  }
});

test("a broker that admits anonymous clients is observed; the collector reconnects after a restart", async () => {
  const { port, root, svc } = await startAnonymousBroker();
  let broker = svc;
  const url = `mqtt://127.0.0.1:${port}`;
  const { c, sink, lines, waitLog } = await run(
    device("anonymous", {
      brokerUrl: url,
      credentials: undefined,
      tls: undefined,
      mappings: [
        {
          topic: "test/anonymous/v",
          jsonPath: "payload.metrics[0].value",
          metric: "supply.voltage",
        },
      ],
    }),
  );
  try {
    const [obs] = securityOf(await sink.waitFor(1, (e) => !!e.security));
    assert.equal(obs?.kind, "mqtt.anonymous_allowed");
    assert.deepEqual(obs?.evidence, { broker: `127.0.0.1:${port}`, transport: "plain" });

    await waitLog("subscribed");
    await publish({ url }, "test/anonymous/v", JSON.stringify(byType("NDATA")));
    await sink.waitFor(1, (e) => e.status?.capability === Capability.CAPABILITY_REAL);

    // The broker goes away: BLIND; it comes back on the same port: subscribed again, REAL.
    await broker.stop();
    const lost = await sink.waitFor(1, (e) => e.status?.capability === Capability.CAPABILITY_BLIND);
    assert.equal(lost[0]?.status?.reachable, false);
    const subscribedBefore = lines.filter((l) => l.msg === "subscribed").length;
    broker = await anonymousBroker(port, root);
    await waitLog(
      "subscribed",
      () => lines.filter((l) => l.msg === "subscribed").length > subscribedBefore,
    );
    await publish({ url }, "test/anonymous/v", JSON.stringify(byType("NDATA")));
    await sink.waitFor(2, (e) => e.status?.capability === Capability.CAPABILITY_REAL);
    assert.deepEqual(
      metricsOf(sink.events).map((m) => m.value),
      [12.3, 12.3],
    );
  } finally {
    await c.stop();
    await broker.stop();
    await rm(root, { recursive: true, force: true });
  }
});

test("benchmark: messages/s of the collector and of mosquitto_sub, same broker and load", async () => {
  const r = await benchMqtt({ messages: 2000, mqtt: env.mqtt });
  assert.equal(r.name, "mqtt-json-ingest");
  assert.equal(r.unit, "msg/s");
  assert.ok(r.ours > 0 && r.peer > 0 && Number.isFinite(r.ratio));
  console.log(
    `# ${r.name}: ours ${Math.round(r.ours)} ${r.unit}, mosquitto_sub ${Math.round(r.peer)}, ratio ${r.ratio.toFixed(2)}`,
  );
});
