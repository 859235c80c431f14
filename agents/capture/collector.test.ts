// The collectors end to end. Live: tcpdump on the loopback interface watches
// a real Modbus/TCP exchange between the npm modbus-serial client and the
// pymodbus server of e2e/env. Replay: zeek's modbus-and-non-modbus-p502
// trace (SOURCES.md) through the file collector, attributed to a Device.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import modbusSerial from "modbus-serial";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import type { AgentDevice } from "../collector.ts";
import { memorySink, staticDirectory, testContext } from "../testing.ts";
import { createCaptureCollector, createPcapFileCollector } from "./collector.ts";
import { pcapPath } from "./testdata.ts";

const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

const device = (address: string, name = "plc-1"): AgentDevice => ({
  namespace: "default",
  name,
  address,
  type: "plc" as AgentDevice["type"],
  subject: `amoskys.telemetry.default.${name}`,
});

let env: EnvWith<{ modbus: true; verbose: false }>;
before(async () => {
  env = await startEnv({ modbus: true, verbose: false });
});
after(async () => {
  await env?.stop();
});

test("live: tcpdump on lo sees a real Modbus exchange as wire events and flows", async () => {
  const sink = memorySink();
  const ctx = testContext(sink);
  const port = env.modbus.port;
  const collector = createCaptureCollector(
    {
      interface: "lo",
      bpf: `tcp port ${port}`,
      services: [{ protocol: "modbus", transport: "tcp", port }],
    },
    staticDirectory([device("127.0.0.1")]),
    ctx,
  );
  await collector.start();
  try {
    const client = new ModbusRTU();
    await client.connectTCP("127.0.0.1", { port });
    client.setID(env.modbus.layout.unit);
    client.setTimeout(5000);
    const read = await client.readHoldingRegisters(0, 5);
    assert.deepEqual(read.data, env.modbus.layout.hr.slice(0, 5)); // 100..500 (e2e/env/services/modbus.ts)
    await client.writeRegister(3, 777);
    // Address 1000 is beyond the server's 200 registers: a real exception response.
    await assert.rejects(client.readHoldingRegisters(1000, 2));
    await new Promise<void>((res) => client.close(() => res()));

    const wire =
      (action: string, fc: string) =>
      (e: { wire?: { action?: string | null; fields?: Record<string, string> | null } | null }) =>
        e.wire?.action === action && e.wire.fields?.functionCode === fc;
    const [req] = await sink.waitFor(
      1,
      (e) => wire("request", "3")(e) && e.wire?.fields?.address === "0",
    );
    assert.equal(req?.wire?.fields?.quantity, "5");
    assert.equal(req?.wire?.dstPort, port);
    assert.equal(req?.wire?.fields?.unitId, String(env.modbus.layout.unit));
    assert.equal(req?.device?.name, "plc-1");
    const [resp] = await sink.waitFor(1, wire("response", "3"));
    assert.equal(resp?.wire?.fields?.byteCount, "10");
    assert.equal(resp?.wire?.srcPort, port);
    const [write] = await sink.waitFor(1, wire("request", "6"));
    assert.equal(write?.wire?.fields?.address, "3");
    assert.equal(write?.wire?.fields?.value, "777");
    const [exc] = await sink.waitFor(1, wire("exception", "3"));
    assert.equal(exc?.wire?.fields?.exceptionName, "ILLEGAL_DATA_ADDRESS");
    // One Status for the device, on its first traffic.
    assert.equal(sink.events.filter((e) => e.status).length, 1);
  } finally {
    await collector.stop();
  }
  // stop() exports the open flows: both directions of the connection.
  const flows = sink.events.filter((e) => e.flow);
  const toServer = flows.filter((e) => e.flow?.dstPort === port);
  const fromServer = flows.filter((e) => e.flow?.srcPort === port);
  assert.ok(toServer.length >= 1 && fromServer.length >= 1);
  for (const f of flows) assert.equal(f.flow?.exportVersion, 0);
  // 3 requests + SYN + final ACK/FIN at least.
  assert.ok(toServer.reduce((n, e) => n + Number(e.flow?.packets), 0) >= 5);
  assert.ok((toServer[0]?.flow?.tcpFlags ?? 0) & 0x02); // SYN seen
  const text = await ctx.registry.metrics();
  assert.match(text, /amoskys_agent_capture_packets_total [1-9]/);
});

test("live: a bad interface makes start() reject", async () => {
  const ctx = testContext();
  const c = createCaptureCollector({ interface: "nonexistent0" }, staticDirectory([]), ctx);
  await assert.rejects(c.start(), /exited/);
  await c.stop();
});

test("replay: events go to the Device at either end; traffic of unknown hosts is counted and dropped", async () => {
  const sink = memorySink();
  const ctx = testContext(sink);
  // 10.0.0.3 is the Modbus server of the valid connection (zeek baseline).
  const c = createPcapFileCollector(
    pcapPath("zeek/Traces__modbus__modbus-and-non-modbus-p502.pcap"),
    staticDirectory([device("10.0.0.3")]),
    ctx,
  );
  await c.start();
  const stats = await c.done;
  await c.stop();
  assert.equal(stats.packets, 86); // SOURCES.md
  const wire = sink.events.filter((e) => e.wire);
  assert.equal(wire.length, 12); // Zeek's modbus.log has 12 rows for this trace
  assert.ok(sink.events.every((e) => e.device?.name === "plc-1"));
  // The non-Modbus connections were between other hosts: their flows are dropped, counted.
  const text = await ctx.registry.metrics();
  assert.match(text, /amoskys_agent_capture_unattributed_total\{kind="flow"\} [1-9]/);
  assert.match(
    text,
    /amoskys_agent_malformed_total\{protocol="modbus",reason="not Modbus\/TCP \(protocol id N\)"\} [1-9]/,
  );
  // Replaying again gives the same event ids (stable for the same facts).
  const sink2 = memorySink();
  const c2 = createPcapFileCollector(
    pcapPath("zeek/Traces__modbus__modbus-and-non-modbus-p502.pcap"),
    staticDirectory([device("10.0.0.3")]),
    testContext(sink2),
  );
  await c2.start();
  await c2.done;
  assert.deepEqual(
    sink2.events.map((e) => e.id),
    sink.events.map((e) => e.id),
  );
  assert.equal(new Set(sink.events.map((e) => e.id)).size, sink.events.length);
});
