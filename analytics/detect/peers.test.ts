// Rules whose real data cannot come from a file: a learned baseline and a
// device that stops answering need a live device over time, and testdata has
// no Modbus function-code scan. The peer is the pymodbus server of e2e/env;
// the project's Modbus poller reads it, modbus-serial plays the attacker, and
// tcpdump on lo captures the exchange for the capture pipeline.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import modbusSerial from "modbus-serial";
import { replayPcap } from "../../agents/capture/collector.ts";
import type { AgentDevice } from "../../agents/collector.ts";
import { createModbusPoller } from "../../agents/collectors/modbus/poller.ts";
import { memorySink, staticDirectory, testContext } from "../../agents/testing.ts";
import type { DetectionRule } from "../../crds/index.ts";
import { type Env, startEnv } from "../../e2e/env/index.ts";
import { freePort } from "../../e2e/env/ports.ts";
import { agentDevices, loadPack, runPack } from "./testdata.ts";

const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

let env: Env & { modbus: NonNullable<Env["modbus"]> };
before(async () => {
  env = (await startEnv({ modbus: true, verbose: false })) as typeof env;
});
after(async () => {
  await env?.stop();
});

function plc(port: number): AgentDevice {
  const [d] = agentDevices([{ name: "plc", address: "127.0.0.1" }]);
  return {
    ...(d as AgentDevice),
    modbus: {
      port,
      unitId: 1,
      intervalSeconds: 1,
      timeoutSeconds: 1,
      registers: [
        {
          name: "tank.level",
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
}

/** The pack, with tank-level-anomaly learning for 5 s and 10 samples instead of 24 h and 100. */
function fastPack(): DetectionRule[] {
  return loadPack().map((r) => {
    if (r.metadata.name !== "tank-level-anomaly" || !r.spec.anomaly) return r;
    return {
      ...r,
      spec: { ...r.spec, anomaly: { ...r.spec.anomaly, learningPeriod: "5s", minSamples: 10 } },
    };
  });
}

describe("live Modbus device", () => {
  it("a write far outside the learned range is an anomaly; the scan that made it is caught on the wire", async () => {
    const port = env.modbus.port;
    const dir = await mkdtemp(join(tmpdir(), "amoskys-modbus-"));
    const file = join(dir, "modbus.pcap");
    const dump = spawn("tcpdump", ["-i", "lo", "-n", "-U", "-w", file, `tcp port ${port}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const sink = memorySink();
    const poller = createModbusPoller(plc(port), testContext(sink));
    try {
      await new Promise<void>((resolve, reject) => {
        let err = "";
        dump.stderr.on("data", (b: Buffer) => {
          err += b;
          if (err.includes("listening on")) resolve();
        });
        dump.on("exit", (c) => reject(new Error(`tcpdump exited ${c}: ${err}`)));
      });
      await poller.start();
      // e2e/env/services/modbus.ts: hr[0] = 100. Learn it for 12 polls.
      const learned = await sink.waitFor(12, (e) => e.metric?.name === "tank.level", 60_000);
      assert.ok(learned.every((e) => e.metric?.value === 100));

      // The attacker: every common function code, then a write of 9000 to hr[0].
      const c = new ModbusRTU();
      await c.connectTCP("127.0.0.1", { port });
      c.setID(1);
      c.setTimeout(2000);
      await c.readCoils(0, 4);
      await c.readDiscreteInputs(0, 4);
      await c.readHoldingRegisters(0, 2);
      await c.readInputRegisters(0, 2);
      await c.writeCoil(100, true);
      await c.writeRegisters(100, [1, 2]);
      await c.writeCoils(110, [true, false]);
      await c.readDeviceIdentification(1, 0).catch(() => undefined);
      await c.writeRegister(0, 9000);
      await new Promise<void>((r) => c.close(() => r()));
      await sink.waitFor(
        1,
        (e) => e.metric?.name === "tank.level" && e.metric.value === 9000,
        30_000,
      );
    } finally {
      await poller.stop();
      await new Promise((r) => setTimeout(r, 500));
      dump.kill("SIGINT");
      if (dump.exitCode === null) await once(dump, "exit");
    }
    try {
      const polled = runPack(sink.events, [], fastPack());
      assert.deepEqual([...polled.fired.keys()], ["tank-level-anomaly"]);
      const a = polled.fired.get("tank-level-anomaly")?.[0];
      assert.match(
        a?.evidence.summary ?? "",
        /tank\.level = 9000 is .* from its baseline \(median 100/,
      );

      const devs = [{ name: "plc", address: "127.0.0.1", allowedWriters: [] }];
      const ctx = testContext(memorySink());
      const wire = memorySink();
      await replayPcap(
        file,
        staticDirectory(agentDevices(devs)),
        { ...ctx, sink: wire },
        {
          services: [{ protocol: "modbus", transport: "tcp", port }],
        },
      );
      const fcs = new Set(wire.events.map((e) => e.wire?.fields?.functionCode).filter(Boolean));
      assert.ok(fcs.size >= 8, [...fcs].join(","));
      const seen = runPack(wire.events, devs, fastPack());
      for (const r of [
        "modbus-function-scan",
        "modbus-unauthorized-write",
        "modbus-recon-functions",
      ])
        assert.ok(seen.fired.has(r), `${r} did not fire: ${[...seen.fired.keys()]}`);
      assert.equal(seen.fired.get("modbus-function-scan")?.[0]?.key, "127.0.0.1");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a device that stops answering: device-unreachable fires from the poller's Status", async () => {
    // Nothing listens on this port: the poller's connect is refused.
    const sink = memorySink();
    const poller = createModbusPoller(plc(await freePort()), testContext(sink));
    await poller.start();
    try {
      await sink.waitFor(1, (e) => !!e.status, 30_000);
    } finally {
      await poller.stop();
    }
    const status = sink.events.find((e) => e.status);
    assert.equal(status?.status?.reachable, false);
    const { fired } = runPack(sink.events, [], fastPack());
    assert.deepEqual([...fired.keys()], ["device-unreachable"]);
    assert.equal(fired.get("device-unreachable")?.[0]?.key, "SOURCE_PROTOCOL_MODBUS");
  });
});
