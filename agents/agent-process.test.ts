// `amoskys agent` as a process, from the files the operator renders (agent.yaml,
// the signing key, device Secrets), with its real collectors against real
// peers: snmpd (SNMP v2c), the pymodbus server (Modbus/TCP) and `logger`
// (syslog over UDP). Everything it publishes verifies at a consumer; SIGTERM
// flushes what was accepted and exits 0.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { freePort } from "../e2e/env/ports.ts";
import { type TelemetryEvent, v1 } from "../proto/codec.ts";
import { device, drainStream, type PodFiles, podFiles } from "./testing-agent.ts";

const run = promisify(execFile);

/** pymodbus is a simulator: the label makes the agent say so in Status. */
function simulated<T extends { metadata: { labels?: Record<string, string> } }>(d: T): T {
  d.metadata.labels = { ...d.metadata.labels, "amoskys.io/simulated": "true" };
  return d;
}

describe("amoskys agent process", () => {
  let env: EnvWith<{ nats: { users: ["collector"] }; snmp: true; modbus: true }>;
  let pod: PodFiles;
  let agent: ChildProcess | undefined;
  let stderr = "";
  let syslogPort = 0;
  const events: TelemetryEvent[] = [];

  const collect = async () => {
    const r = await drainStream(env.nats, pod);
    assert.deepEqual(r.rejected, {}, "every batch verifies");
    events.push(...r.events());
  };
  const waitFor = async (
    what: string,
    pred: (e: TelemetryEvent) => boolean,
    timeoutMs = 60_000,
  ) => {
    const until = Date.now() + timeoutMs;
    while (!events.some(pred)) {
      if (Date.now() > until)
        throw new Error(`no ${what} after ${timeoutMs} ms; agent log:\n${stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
      await collect();
    }
  };

  before(async () => {
    env = await startEnv({
      nats: { users: ["collector"] },
      snmp: true,
      modbus: true,
      verbose: false,
    });
    pod = await podFiles(env.nats, "collector");
    await drainStream(env.nats, pod); // provisions the streams, as analytics does
    syslogPort = await freePort();
    await pod.secret("snmpd", "community", env.snmpd.community);
    await pod.write(
      [
        device("switch-1", {
          snmp: {
            version: "v2c",
            port: env.snmpd.port,
            credentialsSecretRef: { name: "snmpd" },
            profiles: ["system"],
          },
        }),
        simulated(
          device("plc-1", {
            modbus: {
              port: env.modbus.port,
              registers: [
                { name: "hr0", table: "holding", address: 0, type: "uint16" },
                { name: "temp", table: "holding", address: 10, type: "float32", unit: "Cel" },
              ],
            },
          }),
        ),
        device("server-1", { syslog: { sourceAddresses: ["127.0.0.1"] } }),
      ] as Parameters<PodFiles["write"]>[0],
      {
        intervals: { snmp: 10, modbus: 1, fhir: 300 },
        batching: { maxEvents: 100, maxDelayMs: 200 },
        listeners: {
          syslog: syslogPort,
          hl7: await freePort(),
          flows: await freePort(),
          snmpTraps: await freePort(),
        },
      } as Parameters<PodFiles["write"]>[1],
    );
    agent = spawn(
      process.execPath,
      [
        "agents/cli.ts",
        "--config",
        pod.configPath,
        "--root",
        pod.root,
        "--host",
        "127.0.0.1",
        "--ops-port",
        "0",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    agent.stderr?.on("data", (d) => {
      stderr += d;
    });
  });
  after(async () => {
    agent?.kill("SIGKILL");
    await pod?.cleanup();
    await env?.stop();
  });

  it("publishes real readings from each collector, signed, to the device's subject", async () => {
    await waitFor("Modbus reading", (e) => e.device?.name === "plc-1" && e.metric?.name === "hr0");
    const hr0 = events.find((e) => e.device?.name === "plc-1" && e.metric?.name === "hr0");
    assert.equal(hr0?.metric?.value, env.modbus.layout.hr[0]);
    const temp = events.find((e) => e.device?.name === "plc-1" && e.metric?.name === "temp");
    assert.equal(temp?.metric?.value, 21.5);
    await waitFor("Modbus status", (e) => e.device?.name === "plc-1" && e.status != null);
    const status = events.find((e) => e.device?.name === "plc-1" && e.status != null)?.status;
    assert.equal(status?.capability, v1.Capability.CAPABILITY_SIMULATED);
    assert.match(status?.reason ?? "", /^simulated device/);
    const snmpStatus = events.find(
      (e) => e.device?.name === "switch-1" && e.status != null,
    )?.status;
    assert.notEqual(
      snmpStatus?.capability,
      v1.Capability.CAPABILITY_SIMULATED,
      "only labelled devices",
    );
    await waitFor(
      "SNMP sysName",
      (e) => e.device?.name === "switch-1" && JSON.stringify(e).includes(env.snmpd.sysName),
    );
    await run("logger", [
      "--server",
      "127.0.0.1",
      "--port",
      String(syslogPort),
      "--udp",
      "-t",
      "sshd",
      "Failed password for root from 127.0.0.9",
    ]);
    await waitFor(
      "syslog message",
      (e) => e.device?.name === "server-1" && e.log?.message?.includes("Failed password") === true,
    );
    const log = events.find((e) => e.log?.message?.includes("Failed password"));
    assert.equal(log?.log?.appName, "sshd");
  });

  it("on SIGTERM stores and ships what it accepted, then exits 0", async () => {
    await run("logger", [
      "--server",
      "127.0.0.1",
      "--port",
      String(syslogPort),
      "--tcp",
      "--octet-count",
      "-t",
      "app",
      "last words",
    ]);
    // Give the listener the message (accepted), then stop at once: well within maxDelayMs.
    await new Promise((r) => setTimeout(r, 50));
    agent?.kill("SIGTERM");
    const [code] = (await once(agent as ChildProcess, "exit")) as [number | null];
    assert.equal(code, 0, stderr.slice(-2000));
    await collect();
    assert.ok(
      events.some((e) => e.log?.message === "last words"),
      "the message accepted before SIGTERM arrived",
    );
    const ids = events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
  });
});
