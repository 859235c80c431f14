// The poller against a real Modbus/TCP server: pymodbus 3.0 from e2e/env with
// its documented default layout (e2e/env/services/modbus.ts), and a second one
// with a layout of our own for byte and word orders. A counting TCP proxy in
// front of the server records every request the poller really sends.
import assert from "node:assert/strict";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { type Env, startEnv } from "../../../e2e/env/index.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import { defaultModbusLayout, type ModbusLayout } from "../../../e2e/env/services/modbus.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, eventId, Source } from "../../events.ts";
import { memorySink, testContext } from "../../testing.ts";
import { createModbusPoller } from "./poller.ts";
import type { ModbusRegister } from "./value.ts";

interface Req {
  unitId: number;
  functionCode: number;
  address: number;
  quantity: number;
}

/** A TCP proxy that parses the client's MBAP frames (on its own) and counts them. */
async function countingProxy(targetPort: number, listenPort = 0) {
  const requests: Req[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = netConnect({ host: "127.0.0.1", port: targetPort });
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 6 && buf.length >= 6 + buf.readUInt16BE(4)) {
        const size = 6 + buf.readUInt16BE(4);
        requests.push({
          unitId: buf[6] as number,
          functionCode: buf[7] as number,
          address: buf.readUInt16BE(8),
          quantity: buf.readUInt16BE(10),
        });
        buf = buf.subarray(size);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((res) => server.listen(listenPort, "127.0.0.1", res));
  const addr = server.address();
  assert.ok(addr && typeof addr === "object");
  return {
    port: addr.port,
    requests,
    /** Refuses new connections and cuts the open ones. */
    async close() {
      await new Promise<void>((res) => {
        server.close(() => res());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

let n = 0;
const reg = (name: string, over: Partial<ModbusRegister>): ModbusRegister => ({
  name,
  table: "holding",
  address: 0,
  type: "uint16",
  byteOrder: "big",
  wordOrder: "big",
  scale: 1,
  offset: 0,
  ...over,
});

function device(
  port: number,
  registers: ModbusRegister[],
  over: Partial<AgentDevice["modbus"]> = {},
): AgentDevice {
  const name = `plc-${++n}`;
  return {
    namespace: "plant",
    name,
    address: "127.0.0.1",
    type: "ot",
    subject: `amoskys.telemetry.plant.${name}`,
    modbus: { port, unitId: 1, intervalSeconds: 0.25, timeoutSeconds: 3, registers, ...over },
  };
}

const metrics = (events: TelemetryEvent[]) => events.filter((e) => e.metric);
const statuses = (events: TelemetryEvent[]) => events.filter((e) => e.status);
/** name -> value of the first poll's metrics. */
function values(events: TelemetryEvent[]) {
  const out: Record<string, number> = {};
  for (const { metric } of metrics(events)) {
    const name = metric?.name;
    if (name && !(name in out)) out[name] = metric?.value ?? Number.NaN;
  }
  return out;
}

let env: Env & { modbus: NonNullable<Env["modbus"]> };
let orders: Env & { modbus: NonNullable<Env["modbus"]> };

// Our own layout: the same values in every byte/word order (hand-computed:
// 0x12345678 = 305419896; -123.25 = 0xC2F68000; 21.5 = 0x41AC0000;
// -2 = 0xFFFFFFFE; -100000 = 0xFFFE7960; -200 = 0xFF38).
const ordersLayout: ModbusLayout = {
  unit: 1,
  co: [0, 0],
  di: [0, 0],
  hr: [
    0x1234,
    0x5678, // 0: big/big
    0x3412,
    0x7856, // 2: byte little, word big
    0x5678,
    0x1234, // 4: byte big, word little
    0x7856,
    0x3412, // 6: little/little
    0xc2f6,
    0x8000, // 8: float -123.25 big/big
    0x0080,
    0xf6c2, // 10: float -123.25 little/little
    0x0000,
    0x41ac, // 12: float 21.5 word little
    0xac41,
    0x0000, // 14: float 21.5 byte little
    0xfffe,
    0xffff, // 16: int32 -2 word little
    0xfffe,
    0x7960, // 18: int32 -100000 big/big
    0x6079,
    0xfeff, // 20: int32 -100000 little/little
    0x38ff, // 22: int16 -200 byte little
    0xffff, // 23
  ],
  ir: [0xff38, 0x0000],
};

before(async () => {
  [env, orders] = await Promise.all([
    startEnv({ modbus: true, verbose: false }),
    startEnv({ modbus: ordersLayout, verbose: false }),
  ]);
});

after(async () => {
  await Promise.all([env?.stop(), orders?.stop()]);
});

test("reads every table and type of the env layout, one request per table", async () => {
  const proxy = await countingProxy(env.modbus.port);
  const sink = memorySink();
  const ctx = testContext(sink);
  const registers = [
    reg("hr0", { address: 0 }),
    reg("hr1", { address: 1, type: "int16" }),
    reg("hr2", { address: 2, scale: 0.5, offset: -10, unit: "Cel" }),
    reg("hr3", { address: 3 }),
    reg("hr4", { address: 4 }),
    reg("temp", { address: 10, type: "float32", unit: "Cel" }),
    reg("neg", { address: 12, type: "int32" }),
    reg("negu", { address: 12, type: "uint32" }),
    reg("ir0", { table: "input", address: 0 }),
    reg("ir7", { table: "input", address: 7, type: "int16" }),
    reg("ir20", { table: "input", address: 20, type: "uint32" }),
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((a) =>
      reg(`co${a}`, { table: "coil", address: a, type: "bool" }),
    ),
    ...[0, 1, 2, 3].map((a) => reg(`di${a}`, { table: "discrete", address: a, type: "bool" })),
  ];
  const poller = createModbusPoller(device(proxy.port, registers), ctx);
  assert.equal(poller.name, `modbus/plant/plc-${n}`);
  await poller.start();
  try {
    await sink.waitFor(1, (e) => !!e.status);
    const first = [...sink.events];
    const L = defaultModbusLayout; // hr[0..4] = 100..500, ir[i] = 1000 + i
    assert.deepEqual(values(first), {
      hr0: L.hr[0],
      hr1: 200,
      hr2: 300 * 0.5 - 10,
      hr3: 400,
      hr4: 500,
      temp: 21.5, // 0x41AC 0x0000
      neg: -2, // 0xFFFF 0xFFFE
      negu: 4294967294,
      ir0: 1000,
      ir7: 1007,
      ir20: 1020 * 65536 + 1021, // 66847741
      co0: 1,
      co1: 0,
      co2: 1,
      co3: 1,
      co4: 0,
      co5: 0,
      co6: 0,
      co7: 1,
      di0: 0,
      di1: 1,
      di2: 0,
      di3: 1,
    });
    // One request per table: hr 0..13 (the unused 5..9 ride along), ir 0..21.
    assert.deepEqual(proxy.requests.slice(0, 4), [
      { unitId: 1, functionCode: 1, address: 0, quantity: 8 },
      { unitId: 1, functionCode: 2, address: 0, quantity: 4 },
      { unitId: 1, functionCode: 3, address: 0, quantity: 14 },
      { unitId: 1, functionCode: 4, address: 0, quantity: 22 },
    ]);
    const temp = first.find((e) => e.metric?.name === "temp");
    assert.deepEqual(temp?.metric?.labels, { table: "holding", address: "10" });
    assert.equal(temp?.metric?.unit, "Cel");
    assert.equal(temp?.metric?.kind, 1); // GAUGE
    assert.equal(temp?.source, Source.SOURCE_PROTOCOL_MODBUS);
    assert.deepEqual(temp?.device, { namespace: "plant", name: `plc-${n}`, address: "127.0.0.1" });
    const [status] = statuses(first);
    assert.equal(status?.status?.capability, Capability.CAPABILITY_REAL);
    assert.equal(status?.status?.reachable, true);
    assert.equal(status?.status?.reason, "");
    assert.ok((status?.status?.latencyMs ?? -1) > 0);

    // More polls: more readings, the same 4 requests each, no new Status (nothing changed).
    await sink.waitFor(3 * registers.length, (e) => !!e.metric);
    assert.equal(statuses(sink.events).length, 1);
    // Each poll sends exactly this sequence (the last may have been cut short by stop()).
    const perPoll = ["1:0:8", "2:0:4", "3:0:14", "4:0:22"];
    const seen = proxy.requests.map((r) => `${r.functionCode}:${r.address}:${r.quantity}`);
    assert.ok(seen.length >= 12);
    for (const [i, s] of seen.entries()) assert.equal(s, perPoll[i % 4], `request ${i}`);
    // Ids are distinct per reading and per poll.
    const ids = metrics(sink.events).map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const m = await ctx.registry.getSingleMetricAsString("amoskys_agent_modbus_requests_total");
    assert.match(m, /function="3",result="ok"\} [1-9]/);
  } finally {
    await poller.stop();
    await proxy.close();
  }
});

test("byte and word orders, from a server holding each order", async () => {
  const sink = memorySink();
  const registers = [
    reg("u32.bb", { address: 0, type: "uint32" }),
    reg("u32.lb", { address: 2, type: "uint32", byteOrder: "little" }),
    reg("u32.bl", { address: 4, type: "uint32", wordOrder: "little" }),
    reg("u32.ll", { address: 6, type: "uint32", byteOrder: "little", wordOrder: "little" }),
    reg("i32.ll", { address: 6, type: "int32", byteOrder: "little", wordOrder: "little" }),
    reg("f.bb", { address: 8, type: "float32" }),
    reg("f.ll", { address: 10, type: "float32", byteOrder: "little", wordOrder: "little" }),
    reg("f.bl", { address: 12, type: "float32", wordOrder: "little" }),
    reg("f.lb", { address: 14, type: "float32", byteOrder: "little" }),
    reg("i32.bl", { address: 16, type: "int32", wordOrder: "little" }),
    reg("i32.big", { address: 18, type: "int32" }),
    reg("i32.little", { address: 20, type: "int32", byteOrder: "little", wordOrder: "little" }),
    reg("i16.l", { address: 22, type: "int16", byteOrder: "little" }),
    reg("u16.l", { address: 22, type: "uint16", byteOrder: "little" }),
    reg("i16.ffff", { address: 23, type: "int16" }),
    reg("u16.ffff", { address: 23, type: "uint16", scale: 0.01, offset: 1 }),
    reg("ir.i16", { table: "input", address: 0, type: "int16", scale: 0.25 }),
  ];
  const poller = createModbusPoller(device(orders.modbus.port, registers), testContext(sink));
  await poller.start();
  try {
    await sink.waitFor(1, (e) => !!e.status);
    assert.deepEqual(values(sink.events), {
      "u32.bb": 305419896,
      "u32.lb": 305419896,
      "u32.bl": 305419896,
      "u32.ll": 305419896,
      "i32.ll": 305419896,
      "f.bb": -123.25,
      "f.ll": -123.25,
      "f.bl": 21.5,
      "f.lb": 21.5,
      "i32.bl": -2,
      "i32.big": -100000,
      "i32.little": -100000,
      "i16.l": -200,
      "u16.l": 65336,
      "i16.ffff": -1,
      "u16.ffff": 65535 * 0.01 + 1,
      "ir.i16": -50, // 0xFF38 = -200, * 0.25
    });
    assert.equal(statuses(sink.events)[0]?.status?.capability, Capability.CAPABILITY_REAL);
  } finally {
    await poller.stop();
  }
});

test("exception responses: DEGRADED, an event naming function, code and address; bad merges split", async () => {
  const proxy = await countingProxy(env.modbus.port);
  const sink = memorySink();
  const ctx = testContext(sink);
  // The server maps hr 0..199. 5000 is far outside; 198 and 201 merge into 198..201,
  // which the server refuses as a whole.
  const registers = [
    reg("ok", { address: 1 }),
    reg("far", { address: 5000 }),
    reg("edge", { address: 198 }),
    reg("beyond", { address: 201 }),
  ];
  const poller = createModbusPoller(device(proxy.port, registers), ctx);
  await poller.start();
  try {
    await sink.waitFor(2, (e) => !!e.status || e.metric?.name === "ok", 20_000);
    // Two polls' worth of exceptions: each poll reports "far" and "beyond".
    const exc = await sink.waitFor(4, (e) => e.security?.kind === "modbus.exception");
    assert.deepEqual(values(sink.events), { ok: 200, edge: 0 });
    const evidence = exc.slice(0, 2).map((e) => e.security?.evidence);
    assert.deepEqual(
      evidence.map(
        (e) =>
          e && [e.functionCode, e.exceptionCode, e.exception, e.address, e.quantity, e.registers],
      ),
      [
        ["3", "2", "illegal data address", "201", "1", "beyond"],
        ["3", "2", "illegal data address", "5000", "1", "far"],
      ],
    );
    assert.equal(exc[0]?.security?.evidence?.table, "holding");
    assert.equal(exc[0]?.security?.evidence?.unitId, "1");
    assert.match(
      exc[0]?.security?.detail ?? "",
      /read holding registers holding 201 \(FC 3\) answered exception 2: illegal data address/,
    );
    const [status, ...more] = statuses(sink.events);
    assert.equal(more.length, 0);
    assert.equal(status?.status?.capability, Capability.CAPABILITY_DEGRADED);
    assert.equal(status?.status?.reachable, true);
    assert.equal(
      status?.status?.reason,
      "FC 3 holding 201: exception 2 (illegal data address); FC 3 holding 5000: exception 2 (illegal data address)",
    );
    // First poll: hr 1 alone, then 198..201 refused and split, then 5000; later polls
    // read 198 and 201 apart from the start.
    const seen = proxy.requests.map((r) => `${r.functionCode}:${r.address}:${r.quantity}`);
    assert.deepEqual(seen.slice(0, 8), [
      "3:1:1",
      "3:198:4",
      "3:198:1",
      "3:201:1",
      "3:5000:1",
      "3:1:1",
      "3:198:1",
      "3:201:1",
    ]);
    const m = await ctx.registry.getSingleMetricAsString("amoskys_agent_modbus_requests_total");
    assert.match(m, /function="3",result="exception"\} [3-9]/);
  } finally {
    await poller.stop();
    await proxy.close();
  }
});

test("a device that answers nothing usable is BLIND but reachable", async () => {
  const sink = memorySink();
  const poller = createModbusPoller(
    device(env.modbus.port, [reg("far", { table: "input", address: 9000 })]),
    testContext(sink),
  );
  await poller.start();
  try {
    const [s] = await sink.waitFor(1, (e) => !!e.status);
    assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
    assert.equal(s?.status?.reachable, true);
    assert.equal(s?.status?.reason, "FC 4 input 9000: exception 2 (illegal data address)");
  } finally {
    await poller.stop();
  }
});

test("a closed port is BLIND and unreachable; the device coming back is REAL again", async () => {
  const proxy = await countingProxy(env.modbus.port);
  const sink = memorySink();
  const poller = createModbusPoller(
    device(proxy.port, [reg("hr0", { address: 0 })]),
    testContext(sink),
  );
  await poller.start();
  try {
    await sink.waitFor(1, (e) => e.status?.capability === Capability.CAPABILITY_REAL);
    await proxy.close(); // the port is now closed: connection cut, then refused
    const [blind] = await sink.waitFor(
      1,
      (e) => e.status?.capability === Capability.CAPABILITY_BLIND,
    );
    assert.equal(blind?.status?.reachable, false);
    // The cut shows as a failed read or, if it came between polls, a refused connect.
    assert.match(blind?.status?.reason ?? "", /connection closed by peer|ECONNRESET|ECONNREFUSED/);
    // Listening again on the same port: the next poll reconnects and reads.
    const back = await countingProxy(env.modbus.port, proxy.port);
    try {
      const real = await sink.waitFor(
        2,
        (e) => e.status?.capability === Capability.CAPABILITY_REAL,
      );
      assert.equal(real[1]?.status?.reachable, true);
      assert.deepEqual(
        statuses(sink.events).map((e) => e.status?.capability),
        [Capability.CAPABILITY_REAL, Capability.CAPABILITY_BLIND, Capability.CAPABILITY_REAL],
      );
      assert.ok(back.requests.length >= 1);
    } finally {
      await poller.stop();
      await back.close();
    }
  } finally {
    await poller.stop();
  }

  // A port nothing listens on, from the start.
  const closed = await freePort();
  const sink2 = memorySink();
  const p2 = createModbusPoller(device(closed, [reg("hr0", { address: 0 })]), testContext(sink2));
  await p2.start();
  try {
    const [s] = await sink2.waitFor(1, (e) => !!e.status);
    assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
    assert.equal(s?.status?.reachable, false);
    assert.equal(s?.status?.reason, `connect 127.0.0.1:${closed}: ECONNREFUSED`);
    assert.equal(metrics(sink2.events).length, 0);
  } finally {
    await p2.stop();
  }
});

test("a unit id the server does not serve times out: BLIND", async () => {
  // pymodbus drops requests for units it does not have (no response at all).
  const sink = memorySink();
  const poller = createModbusPoller(
    device(env.modbus.port, [reg("hr0", { address: 0 })], { unitId: 7, timeoutSeconds: 0.5 }),
    testContext(sink),
  );
  await poller.start();
  try {
    const [s] = await sink.waitFor(1, (e) => !!e.status);
    assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
    assert.equal(s?.status?.reachable, false);
    assert.equal(s?.status?.reason, "FC 3 holding 0: timeout after 0.5 s");
  } finally {
    await poller.stop();
  }
});

test("Status again after 5 minutes without change; ids follow the poll time", async () => {
  const sink = memorySink();
  const ctx = testContext(sink);
  let t = 1_700_000_000_000;
  ctx.now = () => t;
  const d = device(env.modbus.port, [reg("hr4", { address: 4 })]);
  const poller = createModbusPoller(d, ctx);
  await poller.start();
  try {
    await sink.waitFor(1, (e) => !!e.status);
    await sink.waitFor(3, (e) => !!e.metric);
    assert.equal(statuses(sink.events).length, 1);
    // Same poll time, same facts: the same id (a retry is recognisably the same).
    const ids = new Set(metrics(sink.events).map((e) => e.id));
    assert.deepEqual(
      [...ids],
      [eventId("plant", d.name, Source.SOURCE_PROTOCOL_MODBUS, "metric", "hr4", t)],
    );
    t += 5 * 60_000;
    const [, again] = await sink.waitFor(2, (e) => !!e.status);
    assert.equal(again?.status?.capability, Capability.CAPABILITY_REAL);
    assert.deepEqual(again?.observed, { seconds: t / 1000, nanos: 0 });
    assert.equal(metrics(sink.events).at(-1)?.metric?.value, 500);
  } finally {
    await poller.stop();
  }
});

test("a bad configuration is refused at start", async () => {
  const ctx = testContext();
  const d = device(502, [reg("x", { table: "coil", type: "float32" })]);
  await assert.rejects(createModbusPoller(d, ctx).start(), /registers\[0\]\.type: coil holds bits/);
  const { modbus: _, ...none } = d;
  await assert.rejects(createModbusPoller(none, ctx).start(), /no modbus configuration/);
});
