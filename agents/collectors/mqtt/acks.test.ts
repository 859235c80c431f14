// PUBACKs against a real Mosquitto (startEnv({ mqtt: true }), log_type all):
// what the broker logs it sent to the collector and received from it is the
// evidence. Many QoS 1 messages are in flight at once, each acknowledged only
// after the sink stored its events, in the order the messages arrived; a
// store that fails leaves the message unacknowledged and it comes again.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type EnvWith, startEnv } from "../../../e2e/env/index.ts";
import type { Sink, TelemetryEvent } from "../../collector.ts";
import { memorySink, testContext } from "../../testing.ts";
import { createMqttCollector } from "./collector.ts";
import { messageHash } from "./messages.ts";
import { publishLines, tlsLogin } from "./mosquitto-clients.ts";
import { orderedAcks } from "./ordered-acks.ts";
import { arrivalClock } from "./redelivery.ts";

let env: EnvWith<{ mqtt: true }>;
let dir: string;

before(async () => {
  env = await startEnv({ mqtt: true, verbose: false });
  dir = await mkdtemp(join(tmpdir(), "amoskys-mqtt-acks-"));
  await writeFile(join(dir, "username"), `${env.mqtt.username}\n`);
  await writeFile(join(dir, "password"), `${env.mqtt.password}\n`);
});

after(async () => {
  await env?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Mosquitto's default max_inflight_messages: QoS 1 messages it sends one client unacknowledged. */
const BROKER_WINDOW = 20;

/**
 * A collector for `name`, mapping `{"n": …}` on test/<name> to metric n, with
 * a known client id; over TLS, or cleartext to `plainUrl` (a proxy's).
 */
async function start(name: string, sink: Sink, qos: 0 | 1 | 2 = 1, plainUrl?: string) {
  const clientId = `amoskys-acks-${name}-${randomBytes(3).toString("hex")}`;
  const ctx = testContext(sink);
  const c = createMqttCollector(
    {
      namespace: "plant",
      name,
      address: "127.0.0.1",
      type: "iot",
      subject: `amoskys.telemetry.plant.${name}`,
      mqtt: {
        brokerUrl: plainUrl ?? env.mqtt.tlsUrl,
        topics: [`test/${name}`],
        payload: "json",
        qos,
        mappings: [{ topic: `test/${name}`, jsonPath: "n", metric: "n" }],
        credentials: { usernameFile: join(dir, "username"), passwordFile: join(dir, "password") },
        // No client certificate files exist: only the CA is used.
        ...(!plainUrl && {
          tls: {
            caFile: env.mqtt.ca,
            certFile: join(dir, "absent.crt"),
            keyFile: join(dir, "absent.key"),
          },
        }),
      },
    },
    ctx,
    { clientId, probeAnonymous: false, backoff: { initialMs: 100, maxMs: 500 } },
  );
  await c.start();
  await brokerLog(clientId, (l) => l.subacks > 0);
  return { c, clientId };
}

interface BrokerLog {
  /** Packet ids of the PUBLISHes Mosquitto sent the client, in order (redeliveries too). */
  published: number[];
  /** Packet ids of the PUBACKs it received from the client, in order. */
  pubacks: number[];
  /** Packet ids of the PUBRECs and PUBCOMPs (QoS 2) it received from the client, in order. */
  pubrecs: number[];
  pubcomps: number[];
  subacks: number;
}

/** Mosquitto's log lines about `clientId`, parsed; polls until `until` holds (20 s at most). */
async function brokerLog(clientId: string, until: (l: BrokerLog) => boolean): Promise<BrokerLog> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await readFile(env.mqtt.logFile, "utf8");
    const l: BrokerLog = { published: [], pubacks: [], pubrecs: [], pubcomps: [], subacks: 0 };
    for (const line of text.split("\n")) {
      const pub = line.match(/Sending PUBLISH to (\S+) \(d\d, q1, r\d, m(\d+),/);
      if (pub?.[1] === clientId) l.published.push(Number(pub[2]));
      const ack = line.match(/Received PUBACK from (\S+) \(Mid: (\d+),/);
      if (ack?.[1] === clientId) l.pubacks.push(Number(ack[2]));
      const rec = line.match(/Received PUBREC from (\S+) \(Mid: (\d+)/);
      if (rec?.[1] === clientId) l.pubrecs.push(Number(rec[2]));
      const comp = line.match(/Received PUBCOMP from (\S+) \(Mid: (\d+),/);
      if (comp?.[1] === clientId) l.pubcomps.push(Number(comp[2]));
      if (line.includes(`Sending SUBACK to ${clientId}`)) l.subacks++;
    }
    if (until(l)) return l;
    if (Date.now() > deadline)
      throw new Error(`broker log for ${clientId}: condition not met: ${JSON.stringify(l)}`);
    await sleep(20);
  }
}

const values = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.metric ? [e.metric.value] : []));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (n: number) => range(n).map((i) => JSON.stringify({ n: i }));

test("500 QoS 1 messages published at once: each emitted once, in order; 500 PUBACKs in arrival order", async () => {
  const sink = memorySink();
  const { c, clientId } = await start("burst", sink);
  try {
    await publishLines(tlsLogin(env.mqtt), "test/burst", lines(500));
    await sink.waitFor(500, (e) => !!e.metric, 60_000);
    assert.deepEqual(values(sink.events), range(500));
    const log = await brokerLog(clientId, (l) => l.pubacks.length >= 500);
    assert.equal(log.published.length, 500); // nothing delivered twice
    assert.deepEqual(log.pubacks, log.published);
  } finally {
    await c.stop();
  }
});

/** A sink that holds every emit with a metric until the test settles it. */
function heldSink() {
  const events: TelemetryEvent[] = [];
  const held: { n: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const sink: Sink = {
    emit(batch) {
      events.push(...batch);
      const n = batch.find((e) => e.metric)?.metric?.value;
      if (n === undefined || n === null) return Promise.resolve();
      return new Promise((resolve, reject) => held.push({ n, resolve, reject }));
    },
  };
  const waitHeld = async (count: number) => {
    const deadline = Date.now() + 20_000;
    while (held.length < count) {
      if (Date.now() > deadline) throw new Error(`${held.length}/${count} emits held`);
      await sleep(10);
    }
  };
  return { sink, events, held, waitHeld };
}

test("a PUBACK waits for its message's store and every earlier one; the broker's whole window is in flight", async () => {
  const { sink, events, held, waitHeld } = heldSink();
  const { c, clientId } = await start("held", sink);
  try {
    await publishLines(tlsLogin(env.mqtt), "test/held", lines(30));
    // Mosquitto sends its whole window before any PUBACK: all of it reaches the sink at once.
    await waitHeld(BROKER_WINDOW);
    assert.deepEqual(
      held.map((h) => h.n),
      range(BROKER_WINDOW),
    );
    // Stored last to second: the first is not stored, so nothing may be acknowledged.
    for (const h of held.slice(1).reverse()) h.resolve();
    // A settle time can only hide a wrong PUBACK here, never invent one.
    await sleep(500);
    let log = await brokerLog(clientId, (l) => l.published.length >= BROKER_WINDOW);
    assert.deepEqual(log.pubacks, []);
    assert.equal(log.published.length, BROKER_WINDOW); // the broker waits for PUBACKs
    assert.equal(held.length, BROKER_WINDOW);

    // The first is stored: the whole window is acknowledged, in arrival order, and the rest comes.
    held[0]?.resolve();
    await waitHeld(30);
    for (const h of held.slice(BROKER_WINDOW)) h.resolve();
    log = await brokerLog(clientId, (l) => l.pubacks.length >= 30);
    assert.deepEqual(log.pubacks, log.published);
    assert.equal(log.published.length, 30);
    assert.deepEqual(values(events), range(30));
  } finally {
    for (const h of held) h.resolve(); // stop() waits for every emit
    await c.stop();
  }
});

test("a store that fails: no PUBACK for it or later messages; the broker delivers them again", async () => {
  const { sink, events, held, waitHeld } = heldSink();
  const { c, clientId } = await start("failing", sink);
  try {
    await publishLines(tlsLogin(env.mqtt), "test/failing", lines(10));
    await waitHeld(10);
    // 0..3 stored and acknowledged; then 4 fails while 5..9 are stored.
    for (const h of held.slice(0, 4)) h.resolve();
    const before = await brokerLog(clientId, (l) => l.pubacks.length >= 4);
    assert.deepEqual(before.pubacks, before.published.slice(0, 4));
    held[4]?.reject(new Error("disk full"));
    for (const h of held.slice(5, 10)) h.resolve();
    // Reconnected (a second SUBACK): the broker sends 4..9 again, with the same packet ids.
    await brokerLog(clientId, (l) => l.subacks >= 2);
    await waitHeld(16);
    assert.deepEqual(
      held.slice(10).map((h) => h.n),
      [4, 5, 6, 7, 8, 9],
    );
    for (const h of held.slice(10)) h.resolve();
    const log = await brokerLog(clientId, (l) => l.pubacks.length >= 10);
    assert.deepEqual(log.pubacks, [...before.pubacks, ...before.published.slice(4, 10)]);
    assert.deepEqual(log.published.slice(10), before.published.slice(4, 10));
    assert.deepEqual(values(events), [...range(10), 4, 5, 6, 7, 8, 9]);
    // Redelivered (DUP): the same event ids as at first, so 5..9, which were
    // stored, are stored once (plain JSON ids include the arrival time).
    const metricIds = events.filter((e) => e.metric).map((e) => e.id);
    assert.deepEqual(metricIds.slice(10), metricIds.slice(4, 10));
    assert.equal(new Set(metricIds.slice(0, 10)).size, 10);
  } finally {
    for (const h of held) h.resolve();
    await c.stop();
  }
});

test("QoS 2: one message at a time, PUBREC once stored, then PUBCOMP; QoS 0: no acknowledgement, all read", async () => {
  const two = heldSink();
  const q2 = await start("qos2", two.sink, 2);
  const zero = memorySink();
  const q0 = await start("qos0", zero, 0);
  try {
    await publishLines(tlsLogin(env.mqtt), "test/qos2", lines(5), 2);
    await publishLines(tlsLogin(env.mqtt), "test/qos0", lines(50), 0);
    for (let i = 0; i < 5; i++) {
      await two.waitHeld(i + 1);
      // The next message is read only once this one is stored and its PUBREC sent.
      assert.equal(two.held.length, i + 1);
      two.held[i]?.resolve();
      await brokerLog(q2.clientId, (l) => l.pubrecs.length >= i + 1);
    }
    const log = await brokerLog(q2.clientId, (l) => l.pubcomps.length >= 5);
    assert.deepEqual(log.pubrecs, log.pubcomps);
    assert.deepEqual(values(two.events), range(5));
    await zero.waitFor(50, (e) => !!e.metric);
    assert.deepEqual(values(zero.events), range(50));
  } finally {
    for (const h of two.held) h.resolve();
    await q2.c.stop();
    await q0.c.stop();
  }
});

/**
 * A TCP proxy to the broker's cleartext port that cuts the first connection
 * right after it forwarded the client's first PUBREC: the broker's PUBREL
 * never reaches that client. Later connections pass through.
 */
async function pubrecCutter(): Promise<{
  url: string;
  cuts: () => number;
  close(): Promise<void>;
}> {
  const broker = new URL(env.mqtt.plainUrl);
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(broker.port), broker.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    upstream.pipe(client);
    let buf = Buffer.alloc(0);
    const armed = cuts === 0;
    client.on("data", (chunk: Buffer) => {
      if (!armed || cuts > 0) return void upstream.write(chunk);
      buf = Buffer.concat([buf, chunk]);
      // MQTT fixed header: type in the high nibble, then the remaining length (varint).
      for (;;) {
        let len = 0;
        let i = 1;
        for (let mul = 1; i < buf.length && i <= 4; i++, mul *= 128) {
          len += ((buf[i] as number) & 127) * mul;
          if (((buf[i] as number) & 128) === 0) break;
        }
        if (i >= buf.length || buf.length < i + 1 + len) return;
        const packet = buf.subarray(0, i + 1 + len);
        buf = buf.subarray(i + 1 + len);
        upstream.write(packet);
        if (((packet[0] as number) & 0xf0) === 0x50) {
          cuts++;
          client.destroy(); // before the broker's PUBREL can come back
          upstream.end();
          return;
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cuts: () => cuts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

test("QoS 2: stored before the PUBREC, so a connection lost before the PUBREL loses nothing", async () => {
  const proxy = await pubrecCutter();
  const two = heldSink();
  const q2 = await start("qos2cut", two.sink, 2, proxy.url);
  try {
    await publishLines(tlsLogin(env.mqtt), "test/qos2cut", lines(1), 2);
    await two.waitHeld(1);
    // A settle time can only hide a wrong PUBREC here, never invent one.
    await sleep(300);
    assert.deepEqual(
      (await brokerLog(q2.clientId, () => true)).pubrecs,
      [],
      "no PUBREC before the store",
    );
    two.held[0]?.resolve();
    // The broker got the PUBREC; the connection is cut; the collector reconnects,
    // the broker sends the PUBREL again, and the new connection completes it.
    await brokerLog(q2.clientId, (l) => l.subacks >= 2 && l.pubcomps.length >= 1);
    assert.equal(proxy.cuts(), 1);
    assert.deepEqual(values(two.events), [0]);
  } finally {
    for (const h of two.held) h.resolve();
    await q2.c.stop();
    await proxy.close();
  }
});

test("arrivalClock: a redelivery (DUP, same packet id, topic and payload) gets the first arrival's time", () => {
  const clock = arrivalClock(2);
  const p = Buffer.from('{"n":1}');
  assert.equal(clock({ qos: 1, messageId: 7 }, messageHash("t", p), 100), 100);
  assert.equal(clock({ qos: 1, messageId: 7, dup: true }, messageHash("t", p), 200), 100);
  // Not a redelivery: DUP unset (a packet id reused), QoS 0, another payload or topic.
  assert.equal(clock({ qos: 1, messageId: 7 }, messageHash("t", p), 300), 300);
  assert.equal(clock({ qos: 0, dup: true }, messageHash("t", p), 400), 400);
  assert.equal(
    clock({ qos: 2, messageId: 7, dup: true }, messageHash("t", Buffer.from('{"n":2}')), 500),
    500,
  );
  assert.equal(clock({ qos: 1, messageId: 7, dup: true }, messageHash("u", p), 600), 600);
  // Bounded (capacity 2): the oldest, t with p, was forgotten when u came; the
  // newer two are still known.
  assert.equal(clock({ qos: 1, messageId: 7, dup: true }, messageHash("u", p), 700), 600);
  assert.equal(clock({ qos: 1, messageId: 7, dup: true }, messageHash("t", p), 800), 800);
});

test("orderedAcks: at most `limit` wait; sent in order; the first failed store stops everything", async () => {
  const sent: number[] = [];
  const resumed: number[] = [];
  let failed = 0;
  const q = orderedAcks(2, () => failed++);
  const stores = range(5).map(() => Promise.withResolvers<boolean>());
  const arrive = (i: number) => {
    q.add(stores[i]?.promise as Promise<boolean>, () => sent.push(i));
    q.whenRoom(() => resumed.push(i));
  };
  arrive(0);
  arrive(1); // two wait: the next message is not read yet
  assert.deepEqual(resumed, [0]);
  stores[1]?.resolve(true);
  await sleep(0);
  assert.deepEqual(sent, []); // 0 is not stored yet
  stores[0]?.resolve(true);
  await sleep(0);
  assert.deepEqual(
    [sent, resumed],
    [
      [0, 1],
      [0, 1],
    ],
  );
  arrive(2);
  arrive(3); // waits for room
  assert.deepEqual(resumed, [0, 1, 2]);
  stores[3]?.resolve(true);
  stores[2]?.resolve(false);
  await sleep(0);
  // 2 failed: neither it nor 3 is acknowledged, and no further message is read.
  assert.deepEqual([sent, resumed, failed, q.waiting], [[0, 1], [0, 1, 2], 1, 0]);
  arrive(4);
  stores[4]?.resolve(true);
  await sleep(0);
  assert.deepEqual(
    [sent, resumed],
    [
      [0, 1],
      [0, 1, 2],
    ],
  );
});
