// The posture rules of examples/rules on REAL data: the project's SNMP poller
// and MQTT collector report weaknesses of real peers as SecurityObservations,
// and the rule pack turns exactly those into findings. Weak peers are started
// here (an snmpd answering the factory community "public", a Mosquitto with
// allow_anonymous true: the starters of agents/collectors/{snmp,mqtt} tests); the
// hardened ones are e2e/env's (random community; password-only broker with TLS).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AgentDevice, TelemetryEvent } from "../../agents/collector.ts";
import { createMqttCollector } from "../../agents/collectors/mqtt/collector.ts";
import { startAnonymousBroker } from "../../agents/collectors/mqtt/testing.ts";
import { createSnmpPoller } from "../../agents/collectors/snmp/poller.ts";
import { startPublicSnmpd } from "../../agents/collectors/snmp/testutil.ts";
import { memorySink, testContext } from "../../agents/testing.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import type { Service } from "../../e2e/env/proc.ts";
import type { AgentMqtt, AgentSnmp } from "../../operator/manifests/agent-config.ts";
import { createLogger } from "../../runtime/log.ts";
import { agentDevices, runPack, type TestDevice } from "./testdata.ts";

let env: EnvWith<{ snmp: true; mqtt: true }>;
let secrets: string;
let publicSnmpd: { port: number; svc: Service } | undefined;
let anonBroker: { port: number; svc: Service; root: string } | undefined;

const secret = (name: string) => join(secrets, name);

before(async () => {
  env = await startEnv({ snmp: true, mqtt: true, verbose: false });
  secrets = await mkdtemp(join(tmpdir(), "amoskys-posture-"));
  // As the operator's mounted Secret files would hold them.
  for (const [name, value] of [
    ["public", "public"],
    ["community", env.snmpd.community],
    ["username", env.mqtt.username],
    ["password", env.mqtt.password],
  ] as const)
    await writeFile(secret(name), `${value}\n`, { mode: 0o600 });
  [publicSnmpd, anonBroker] = await Promise.all([
    startPublicSnmpd(env.root),
    startAnonymousBroker(),
  ]);
});

after(async () => {
  await publicSnmpd?.svc.stop();
  await anonBroker?.svc.stop();
  if (anonBroker) await rm(anonBroker.root, { recursive: true, force: true });
  await env?.stop();
  if (secrets) await rm(secrets, { recursive: true, force: true });
});

// Devices in the pack's namespace (testdata.ts NS), so the rules apply to them.
function base(name: string, type: TestDevice["type"]): AgentDevice {
  return agentDevices([{ name, address: "127.0.0.1", type }])[0] as AgentDevice;
}

function snmpDevice(name: string, port: number, communityFile: string, timeoutSeconds = 2) {
  const snmp: AgentSnmp = {
    version: "v2c",
    port,
    intervalSeconds: 60,
    timeoutSeconds,
    profiles: ["system"],
    oids: [],
    tables: [],
    credentials: { communityFile },
  };
  return { ...base(name, "network"), snmp };
}

function mqttDevice(name: string, mqtt: Partial<AgentMqtt>): AgentDevice {
  return {
    ...base(name, "iot"),
    mqtt: {
      brokerUrl: env.mqtt.tlsUrl,
      topics: [`test/${name}/#`],
      payload: "json",
      qos: 1,
      mappings: [],
      credentials: { usernameFile: secret("username"), passwordFile: secret("password") },
      tls: {
        caFile: env.mqtt.ca,
        certFile: join(secrets, "absent.crt"),
        keyFile: join(secrets, "absent.key"),
      },
      ...mqtt,
    },
  };
}

async function snmpPoll(d: AgentDevice): Promise<TelemetryEvent[]> {
  const sink = memorySink();
  const r = await createSnmpPoller(d, testContext(sink), { retries: 1 }).pollOnce();
  assert.equal(r.reachable, true, r.reason);
  return sink.events;
}

/**
 * Runs the collector until it has subscribed and its anonymous probe has
 * answered (both from its log), then stops it; returns its events and the probe result.
 */
async function mqttRun(d: AgentDevice): Promise<{ events: TelemetryEvent[]; probe: unknown }> {
  const sink = memorySink();
  const ctx = testContext(sink);
  const lines: Record<string, unknown>[] = [];
  ctx.logger = createLogger("posture-test", {
    level: "debug",
    write: (l) => lines.push(JSON.parse(l)),
  });
  const c = createMqttCollector(d, ctx, { backoff: { initialMs: 100, maxMs: 1000 } });
  await c.start();
  try {
    const deadline = Date.now() + 20_000;
    const has = (msg: string) => lines.find((l) => l.msg === msg);
    while (!(has("subscribed") && has("anonymous probe"))) {
      if (Date.now() > deadline)
        throw new Error(`collector did not settle: ${lines.map((l) => l.msg).join(", ")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { events: sink.events, probe: has("anonymous probe")?.result };
  } finally {
    await c.stop();
  }
}

const kinds = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.security ? [e.security.kind] : [])).sort();

describe("snmp-default-community", () => {
  it("fires on an snmpd that answers the community 'public'", async () => {
    const events = await snmpPoll(
      snmpDevice("switch-public", publicSnmpd?.port ?? 0, secret("public")),
    );
    // The answer is the peer's own (sysName from its snmpd.conf above).
    const info = events.find((e) => e.metric?.name === "sys.info");
    assert.equal(info?.metric?.labels?.sysName, "public-snmpd");
    assert.deepEqual(kinds(events), ["snmp.default_community", "snmp.v1v2c_enabled"]);

    const { fired } = runPack(events, [{ name: "switch-public", address: "127.0.0.1" }]);
    assert.deepEqual([...fired.keys()], ["snmp-default-community"]);
    const [f, ...more] = fired.get("snmp-default-community") ?? [];
    assert.equal(more.length, 0);
    assert.deepEqual(f?.device, { namespace: "plant", name: "switch-public" });
    assert.equal(f?.severity, "high");
    assert.deepEqual(f?.mitre, ["T1078.001", "T0812"]);
    const obs = events.find((e) => e.security?.kind === "snmp.default_community");
    assert.deepEqual(f?.evidence.eventIds, [obs?.id]);
  });

  it("stays quiet on the env's snmpd with its random community", async () => {
    const events = await snmpPoll(snmpDevice("switch", env.snmpd.port, secret("community")));
    assert.equal(
      events.find((e) => e.metric?.name === "sys.info")?.metric?.labels?.sysName,
      env.snmpd.sysName,
    );
    // v1/v2c is still reported (no rule for it in the pack), a default community is not.
    assert.deepEqual(kinds(events), ["snmp.v1v2c_enabled"]);
    const { updates } = runPack(events, [{ name: "switch", address: "127.0.0.1" }]);
    assert.deepEqual(updates, []);
  });
});

describe("mqtt-anonymous-access and mqtt-cleartext-credentials-posture", () => {
  it("mqtt-anonymous-access fires on a broker with allow_anonymous true", async () => {
    const url = `mqtt://127.0.0.1:${anonBroker?.port}`;
    const { events, probe } = await mqttRun(
      mqttDevice("broker-anon", { brokerUrl: url, credentials: undefined, tls: undefined }),
    );
    assert.equal(probe, "allowed");
    // No credentials are configured, so nothing crosses in cleartext: only the anonymous finding.
    assert.deepEqual(kinds(events), ["mqtt.anonymous_allowed"]);
    const { fired } = runPack(events, [{ name: "broker-anon", address: "127.0.0.1", type: "iot" }]);
    assert.deepEqual([...fired.keys()], ["mqtt-anonymous-access"]);
    const [f, ...more] = fired.get("mqtt-anonymous-access") ?? [];
    assert.equal(more.length, 0);
    assert.deepEqual(f?.device, { namespace: "plant", name: "broker-anon" });
    assert.equal(f?.severity, "high");
    assert.deepEqual(f?.mitre, ["T1078", "T0859"]);
    assert.match(f?.evidence.summary ?? "", new RegExp(`127\\.0\\.0\\.1:${anonBroker?.port}`));
  });

  it("mqtt-cleartext-credentials-posture fires on credentials over plain mqtt://", async () => {
    const { events, probe } = await mqttRun(
      mqttDevice("broker-plain", { brokerUrl: env.mqtt.plainUrl, tls: undefined }),
    );
    // The env's broker refuses anonymous clients on this listener too.
    assert.equal(probe, "refused");
    assert.deepEqual(kinds(events), ["mqtt.cleartext_credentials"]);
    // mqttRun waited for "subscribed": the password really logged in over this URL.
    const { fired } = runPack(events, [
      { name: "broker-plain", address: "127.0.0.1", type: "iot" },
    ]);
    assert.deepEqual([...fired.keys()], ["mqtt-cleartext-credentials-posture"]);
    const [f, ...more] = fired.get("mqtt-cleartext-credentials-posture") ?? [];
    assert.equal(more.length, 0);
    assert.deepEqual(f?.device, { namespace: "plant", name: "broker-plain" });
    assert.equal(f?.severity, "medium");
    assert.deepEqual(f?.mitre, ["T1040", "T1552"]);
    assert.match(f?.evidence.summary ?? "", new RegExp(new URL(env.mqtt.plainUrl).host));
  });

  it("both stay quiet on the env's broker over TLS with a password, anonymous refused", async () => {
    const { events, probe } = await mqttRun(mqttDevice("broker-tls", {}));
    assert.equal(probe, "refused");
    assert.deepEqual(kinds(events), []);
    const { updates } = runPack(events, [
      { name: "broker-tls", address: "127.0.0.1", type: "iot" },
    ]);
    assert.deepEqual(updates, []);
  });
});
