// A hostile Modbus/TCP server (scripted answers that break the protocol in
// ways real devices and attackers do): the poller turns each into a counted
// Malformed event, drops a stream it can no longer frame, and keeps polling.
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { test } from "node:test";
import type { AgentDevice } from "../../collector.ts";
import { Capability, Source } from "../../events.ts";
import { memorySink, testContext } from "../../testing.ts";
import { createModbusPoller } from "./poller.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

test("malformed answers become Malformed events, and polling goes on", async () => {
  let request = 0;
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.on("data", (req: Buffer) => {
      const tid = req.subarray(0, 2).toString("hex");
      switch (request++) {
        case 0: // 2 registers for a request of 1
          sock.write(hex(`${tid} 0000 0007 01 03 04 0064 00c8`));
          break;
        case 1: // not Modbus: protocol id 1 -> the stream cannot be framed any more
          sock.write(hex(`${tid} 0001 0005 01 03 02 0064`));
          break;
        case 2: // a wrong transaction id
          sock.write(
            hex(
              `${((Number.parseInt(tid, 16) + 9) & 0xffff).toString(16).padStart(4, "0")} 0000 0005 01 03 02 0064`,
            ),
          );
          break;
        default: // a good answer, then one nobody asked for
          sock.write(hex(`${tid} 0000 0005 01 03 02 002a ${tid} 0000 0005 01 03 02 002b`));
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const port = (server.address() as { port: number }).port;
  const device: AgentDevice = {
    namespace: "plant",
    name: "hostile",
    address: "127.0.0.1",
    type: "ot",
    subject: "amoskys.telemetry.plant.hostile",
    modbus: {
      port,
      unitId: 1,
      intervalSeconds: 0.1,
      timeoutSeconds: 3,
      registers: [
        {
          name: "x",
          table: "holding",
          address: 0,
          type: "uint16",
          byteOrder: "big",
          wordOrder: "big",
          scale: 1,
          offset: 0,
        },
      ],
    },
  };
  const sink = memorySink();
  const ctx = testContext(sink);
  const poller = createModbusPoller(device, ctx);
  await poller.start();
  try {
    const bad = await sink.waitFor(4, (e) => !!e.malformed);
    assert.deepEqual(
      bad.map((e) => e.malformed?.reason),
      [
        "register count mismatch",
        "protocol id not 0",
        "transaction id mismatch",
        "unsolicited response",
      ],
    );
    for (const e of bad) assert.equal(e.malformed?.protocol, Source.SOURCE_PROTOCOL_MODBUS);
    assert.deepEqual(
      Buffer.from(bad[0]?.malformed?.sample ?? []),
      hex("0001 0000 0007 01 03 04 0064 00c8"),
    );
    assert.equal(bad[0]?.malformed?.length, 13);
    // The stray frame is the second of the last answer.
    assert.deepEqual(
      Buffer.from(bad[3]?.malformed?.sample ?? []).subarray(2),
      hex("0000 0005 01 03 02 002b"),
    );
    const x = sink.events.find((e) => e.metric?.name === "x");
    assert.equal(x?.metric?.value, 42);
    const caps = sink.events.filter((e) => e.status).map((e) => e.status?.capability);
    assert.deepEqual(caps.slice(0, 2), [Capability.CAPABILITY_BLIND, Capability.CAPABILITY_REAL]);
    const m = await ctx.registry.getSingleMetricAsString("amoskys_agent_malformed_total");
    assert.match(m, /protocol="modbus",reason="register count mismatch"\} 1/);
    assert.match(m, /protocol="modbus",reason="protocol id not 0"\} 1/);
  } finally {
    await poller.stop();
    await new Promise<void>((res) => {
      server.close(() => res());
      for (const s of sockets) s.destroy();
    });
  }
});
