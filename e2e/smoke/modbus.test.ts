// Smoke test of the Modbus/TCP peer (python3-pymodbus): real reads of the
// layout the environment configured, and an exception response.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import modbusSerial from "modbus-serial";
import { type EnvWith, startEnv } from "../env/index.ts";

// modbus-serial is CommonJS (module.exports = ModbusRTU) but its typings declare an
// ES default export; under NodeNext the default import is the class at run time.
const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

describe("pymodbus server", () => {
  let env: EnvWith<{ modbus: true }>;
  const client = new ModbusRTU();

  before(async () => {
    env = await startEnv({ modbus: true });
    await client.connectTCP(env.modbus.host, { port: env.modbus.port });
    client.setID(env.modbus.layout.unit);
    client.setTimeout(3000);
  });
  after(async () => {
    await new Promise<void>((resolve) =>
      client.isOpen ? client.close(() => resolve()) : resolve(),
    );
    await env?.stop();
  });

  it("reads holding registers, including a big-endian float32", async () => {
    const r = await client.readHoldingRegisters(0, 5);
    assert.deepEqual(r.data, [100, 200, 300, 400, 500]);
    const f = await client.readHoldingRegisters(10, 2);
    assert.equal(f.buffer.readFloatBE(0), 21.5);
    const i = await client.readHoldingRegisters(12, 2);
    assert.equal(i.buffer.readInt32BE(0), -2);
  });

  it("reads coils and input registers", async () => {
    const c = await client.readCoils(0, 8);
    assert.deepEqual(c.data, [true, false, true, true, false, false, false, true]);
    const ir = await client.readInputRegisters(3, 2);
    assert.deepEqual(ir.data, [1003, 1004]);
  });

  it("answers a read past the end of the map with exception 2 (illegal data address)", async () => {
    await assert.rejects(client.readHoldingRegisters(5000, 2), (err: { modbusCode?: number }) => {
      assert.equal(err.modbusCode, 2);
      return true;
    });
  });
});
