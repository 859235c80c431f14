// Smoke test of Mosquitto in the test environment: publish/subscribe over TLS
// with a password; anonymous clients are refused.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import mqtt from "mqtt";
import { type EnvWith, startEnv } from "../env/index.ts";

describe("mosquitto", () => {
  let env: EnvWith<{ mqtt: true }>;

  before(async () => {
    env = await startEnv({ mqtt: true });
  });
  after(() => env?.stop());

  const tlsOpts = () => ({
    ca: readFileSync(env.mqtt.ca),
    username: env.mqtt.username,
    password: env.mqtt.password,
    reconnectPeriod: 0,
  });

  it("delivers a message published over TLS to a subscriber", async () => {
    const sub = await mqtt.connectAsync(env.mqtt.tlsUrl, { ...tlsOpts(), clientId: "smoke-sub" });
    const pub = await mqtt.connectAsync(env.mqtt.tlsUrl, { ...tlsOpts(), clientId: "smoke-pub" });
    try {
      await sub.subscribeAsync("plant/line1/+/temp", { qos: 1 });
      const got = new Promise<[string, Buffer]>((resolve) =>
        sub.once("message", (topic, payload) => resolve([topic, payload])),
      );
      await pub.publishAsync("plant/line1/sensor7/temp", JSON.stringify({ c: 21.5 }), { qos: 1 });
      const [topic, payload] = await got;
      assert.equal(topic, "plant/line1/sensor7/temp");
      assert.deepEqual(JSON.parse(payload.toString()), { c: 21.5 });
    } finally {
      await Promise.all([sub.endAsync(), pub.endAsync()]);
    }
  });

  it("refuses anonymous clients, and clients that do not trust the broker", async () => {
    await assert.rejects(
      mqtt.connectAsync(env.mqtt.tlsUrl, { ca: readFileSync(env.mqtt.ca), reconnectPeriod: 0 }),
      /Not authorized|Bad username or password/i,
    );
    await assert.rejects(
      mqtt.connectAsync(env.mqtt.tlsUrl, {
        username: env.mqtt.username,
        password: env.mqtt.password,
        reconnectPeriod: 0,
      }),
      /certificate|self.signed|unable to verify/i,
    );
  });
});
