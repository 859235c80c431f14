// The poller against real peers: net-snmp's snmpd (v1, v2c, v3 authPriv) and
// snmpsim serving the device recordings of ../shared/testdata/snmp (etingof/
// snmpsim and etingof/snmpsim-data, BSD-2-Clause; see SOURCES.md). Expected
// values are read from the .snmprec files, never from our own output.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type EnvWith, startEnv } from "../../../e2e/env/index.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import type { Service } from "../../../e2e/env/proc.ts";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import type { AgentDevice } from "../../../operator/manifests/agent-config.ts";
import type { TelemetryEvent } from "../../collector.ts";
import { Capability, MetricKind } from "../../events.ts";
import { memorySink, testContext } from "../../testing.ts";
import { createSnmpPoller } from "./poller.ts";
import { createSnmpScheduler, type SnmpScheduler } from "./scheduler.ts";
import {
  metricsOf,
  metricValue,
  recValue,
  secretFile,
  snmpDevice,
  startPublicSnmpd,
} from "./testutil.ts";

const { REAL, DEGRADED, BLIND } = {
  REAL: Capability.CAPABILITY_REAL,
  DEGRADED: Capability.CAPABILITY_DEGRADED,
  BLIND: Capability.CAPABILITY_BLIND,
};
const GAUGE = MetricKind.METRIC_KIND_GAUGE;
const COUNTER = MetricKind.METRIC_KIND_COUNTER;
const RATE = MetricKind.METRIC_KIND_RATE;

let env: EnvWith<{ snmp: true }>;
let publicSnmpd: { port: number; svc: Service };

const rec = (name: string) => {
  for (const sub of ["snmp/snmpsim", "snmp/snmpsim-data"]) {
    try {
      return readFileSync(join(sharedDir, "testdata", sub, `${name}.snmprec`), "utf8");
    } catch {}
  }
  throw new Error(`no recording ${name}`);
};

before(async () => {
  env = await startEnv({ snmp: true, verbose: false });
  // A second snmpd whose community is the factory default "public" (posture check).
  publicSnmpd = await startPublicSnmpd(env.root);
});

after(async () => {
  await publicSnmpd?.svc.stop();
  await env?.stop();
});

async function poll(device: AgentDevice, opts: { scheduler?: SnmpScheduler } = {}) {
  const sink = memorySink();
  const ctx = testContext(sink);
  const p = createSnmpPoller(device, ctx, { retries: 1, ...opts });
  return { p, sink, ctx, r: await p.pollOnce() };
}

const statusOf = (events: TelemetryEvent[]) => events.find((e) => e.status)?.status;
const securityKinds = (events: TelemetryEvent[]) =>
  events.flatMap((e) => (e.security ? [e.security.kind] : []));
const ms = (e: TelemetryEvent) =>
  Number(e.observed?.seconds) * 1000 + Number(e.observed?.nanos) / 1e6;

test("v2c against snmpd: system, IF-MIB and HOST-RESOURCES with GETBULK; REAL; v1/v2c posture", async () => {
  const community = await secretFile("snmpd-community", env.snmpd.community);
  const { r } = await poll(
    snmpDevice("snmpd-v2c", env.snmpd.host, {
      port: env.snmpd.port,
      profiles: ["system", "if-mib", "host-resources"],
      credentials: { communityFile: community },
    }),
  );
  assert.equal(r.capability, REAL, r.reason);
  const info = metricsOf(r.events, "sys.info")[0];
  assert.equal(info?.labels.sysName, env.snmpd.sysName);
  assert.equal(info?.labels.sysLocation, "AMOSKYS test rack"); // e2e/env/services/snmp.ts
  // The loopback interface, labelled from ifTable (ifDescr) and ifXTable (ifName) alike.
  const lo = metricsOf(r.events, "if.in.octets", COUNTER).find((m) => m.labels.ifDescr === "lo");
  assert.equal(lo?.labels.ifName, "lo");
  assert.ok(metricsOf(r.events, "if.hc.in.octets", COUNTER).some((m) => m.labels.ifName === "lo"));
  assert.ok(Number(metricsOf(r.events, "hr.system.processes", GAUGE)[0]?.value) > 0);
  assert.ok(
    metricsOf(r.events, "hr.storage.size").some(
      (m) => m.labels.storage === "Physical memory" && m.value > 0,
    ),
  );
  const st = statusOf(r.events);
  assert.equal(st?.reachable, true);
  assert.equal(st?.capability, REAL);
  assert.deepEqual(securityKinds(r.events), ["snmp.v1v2c_enabled"]); // community is random, not a default
  assert.ok(
    !JSON.stringify(r.events).includes(env.snmpd.community),
    "community never leaves the collector",
  );
});

test("counters become rates from two real polls (snmpd's own loopback traffic)", async () => {
  const community = await secretFile("snmpd-community", env.snmpd.community);
  const sink = memorySink();
  const p = createSnmpPoller(
    snmpDevice("snmpd-rates", env.snmpd.host, {
      port: env.snmpd.port,
      profiles: ["if-mib"],
      credentials: { communityFile: community },
    }),
    testContext(sink),
  );
  const first = await p.pollOnce();
  assert.equal(metricsOf(first.events, "if.in.octets", RATE).length, 0, "no rate from one reading");
  const lo = (events: TelemetryEvent[], kind: number) =>
    events.find(
      (e) =>
        e.metric?.name === "if.hc.in.octets" &&
        e.metric.kind === kind &&
        e.metric.labels?.ifName === "lo",
    );
  const v = (e: TelemetryEvent | undefined) => Number(e?.metric?.value);
  // snmpd caches interface statistics for a few seconds: poll until lo's
  // counter moved (our own SNMP traffic crosses lo), at most 30 times.
  let prev = first;
  let second = first;
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    prev = second;
    second = await p.pollOnce();
    if (v(lo(second.events, COUNTER)) > v(lo(prev.events, COUNTER))) break;
  }
  const c1 = lo(prev.events, COUNTER);
  const c2 = lo(second.events, COUNTER);
  const rate = lo(second.events, RATE);
  assert.ok(c1 && c2 && rate, "counters and a rate for lo");
  assert.ok(v(c2) > v(c1), "lo's counter moved");
  const expected = (v(c2) - v(c1)) / ((ms(c2) - ms(c1)) / 1000);
  assert.ok(Math.abs(v(rate) - expected) < 1e-6 * expected, `${v(rate)} vs ${expected}`);
  assert.equal(rate.metric?.unit, "By/s");
  // The Status is sent once while nothing changes.
  assert.equal(second.events.filter((e) => e.status).length, 0);
});

test("v1 against snmpd: GET and a GETNEXT walk of a configured table", async () => {
  const community = await secretFile("snmpd-community", env.snmpd.community);
  const { r } = await poll(
    snmpDevice("snmpd-v1", env.snmpd.host, {
      port: env.snmpd.port,
      version: "v1",
      profiles: ["system"],
      oids: [{ name: "snmp.in_pkts", oid: "1.3.6.1.2.1.11.1.0", type: "counter" }],
      tables: [
        {
          name: "iftab",
          baseOid: "1.3.6.1.2.1.2.2.1",
          columns: [
            { name: "descr", column: 2, type: "label" },
            { name: "mtu", column: 4, type: "gauge", unit: "By" },
          ],
        },
      ],
      credentials: { communityFile: community },
    }),
  );
  assert.equal(r.capability, REAL, r.reason);
  assert.equal(metricsOf(r.events, "sys.info")[0]?.labels.sysName, env.snmpd.sysName);
  assert.equal(metricValue(r.events, "iftab.mtu", { descr: "lo" }), 65536);
  assert.ok(Number(metricValue(r.events, "snmp.in_pkts", {}, COUNTER)) > 0);
  assert.deepEqual(securityKinds(r.events), ["snmp.v1v2c_enabled"]);
});

test("v3 authPriv SHA/AES against snmpd; a wrong key is BLIND (reachable, auth failure)", async () => {
  const v3 = env.snmpd.v3;
  const dev = (authKey: string) =>
    snmpDevice("snmpd-v3", env.snmpd.host, {
      port: env.snmpd.port,
      version: "v3",
      profiles: ["system", "if-mib"],
      v3: { securityLevel: "authPriv", authProtocol: "SHA", privProtocol: "AES" },
      credentials: { usernameFile: user, authKeyFile: authKey, privKeyFile: priv },
    });
  const user = await secretFile("v3-user", v3.user);
  const priv = await secretFile("v3-priv", v3.privKey);
  const good = await poll(dev(await secretFile("v3-auth", v3.authKey)));
  assert.equal(good.r.capability, REAL, good.r.reason);
  assert.equal(metricsOf(good.r.events, "sys.info")[0]?.labels.sysName, env.snmpd.sysName);
  assert.ok(metricsOf(good.r.events, "if.in.octets").some((m) => m.labels.ifDescr === "lo"));
  assert.deepEqual(securityKinds(good.r.events), []);
  const bad = await poll(dev(await secretFile("v3-auth-wrong", `${v3.authKey}x`)));
  assert.equal(bad.r.capability, BLIND);
  assert.equal(bad.r.reachable, true);
  assert.match(bad.r.reason, /authentication/);
});

test("a closed port is BLIND and unreachable", async () => {
  const port = await freePort("udp");
  const { r } = await poll(
    snmpDevice("nobody-home", "127.0.0.1", {
      port,
      timeoutSeconds: 1,
      credentials: { communityFile: await secretFile("c-x", "x") },
    }),
  );
  assert.equal(r.reachable, false);
  assert.equal(r.capability, BLIND);
  assert.equal(statusOf(r.events)?.capability, BLIND);
  assert.equal(r.events.filter((e) => e.metric || e.security).length, 0);
});

test("the default community 'public' is reported", async () => {
  const { r } = await poll(
    snmpDevice("public", "127.0.0.1", {
      port: publicSnmpd.port,
      credentials: { communityFile: await secretFile("public", "public") },
    }),
  );
  assert.equal(metricsOf(r.events, "sys.info")[0]?.labels.sysName, "public-snmpd");
  assert.deepEqual(securityKinds(r.events).sort(), [
    "snmp.default_community",
    "snmp.v1v2c_enabled",
  ]);
  const ev = r.events.find((e) => e.security?.kind === "snmp.default_community");
  assert.equal(ev?.security?.evidence?.community, "public");
});

// --- device-class profiles against their recordings (community = recording name) ---

async function recorded(name: string, profiles: string[]) {
  return poll(
    snmpDevice(name, env.snmpsim.host, {
      port: env.snmpsim.port,
      profiles,
      credentials: { communityFile: await secretFile(`sim-${name}`, name) },
    }),
  );
}

test("ups: Eaton 9PX (XUPS-MIB) values from eaton-9PX-partial-walk.snmprec", async () => {
  const f = rec("eaton-9PX-partial-walk");
  const { r } = await recorded("eaton-9PX-partial-walk", ["ups"]);
  assert.equal(r.capability, REAL, r.reason);
  const n = (oid: string) => Number(recValue(f, oid));
  assert.equal(metricValue(r.events, "ups.battery.runtime"), n("1.3.6.1.4.1.534.1.2.1.0")); // 17218 s
  assert.equal(metricValue(r.events, "ups.battery.voltage"), n("1.3.6.1.4.1.534.1.2.2.0"));
  assert.equal(metricValue(r.events, "ups.battery.charge"), n("1.3.6.1.4.1.534.1.2.4.0"));
  assert.equal(metricValue(r.events, "ups.input.frequency"), n("1.3.6.1.4.1.534.1.3.1.0") / 10);
  assert.equal(
    metricValue(r.events, "ups.input.voltage", { index: "1" }),
    n("1.3.6.1.4.1.534.1.3.4.1.2.1"),
  );
  assert.equal(metricValue(r.events, "ups.output.load"), n("1.3.6.1.4.1.534.1.4.1.0"));
  assert.equal(
    metricValue(r.events, "ups.output.voltage", { index: "1" }),
    n("1.3.6.1.4.1.534.1.4.4.1.2.1"),
  );
  assert.equal(
    metricValue(r.events, "ups.output.power", { index: "1" }),
    n("1.3.6.1.4.1.534.1.4.4.1.4.1"),
  );
  assert.equal(metricValue(r.events, "ups.ambient.temperature"), n("1.3.6.1.4.1.534.1.6.1.0"));
  assert.equal(
    metricValue(r.events, "ups.input.line_bads", {}, COUNTER),
    n("1.3.6.1.4.1.534.1.3.2.0"),
  );
});

test("ups: Tripp Lite answers only part of UPS-MIB (RFC 1628): DEGRADED, with what it has", async () => {
  const f = rec("tripplite-poweralert");
  const { r } = await recorded("tripplite-poweralert", ["ups"]);
  assert.equal(r.capability, DEGRADED);
  assert.match(r.reason, /1\.3\.6\.1\.2\.1\.33\.1\.2\.1\.0 \(noSuch/);
  assert.equal(
    metricValue(r.events, "ups.alarms.present"),
    Number(recValue(f, "1.3.6.1.2.1.33.1.6.1.0")),
  );
});

test("pdu: APC AP7902B (PowerNet-MIB) from apc-7902b.snmprec", async () => {
  const f = rec("apc-7902b");
  const { r } = await recorded("apc-7902b", ["system", "pdu"]);
  assert.equal(r.capability, REAL, r.reason);
  assert.equal(
    metricValue(r.events, "pdu.power"),
    Number(recValue(f, "1.3.6.1.4.1.318.1.1.12.1.16.0")),
  );
  assert.equal(
    metricsOf(r.events, "pdu.info")[0]?.labels.model,
    recValue(f, "1.3.6.1.4.1.318.1.1.12.1.5.0"),
  );
  assert.equal(
    metricValue(r.events, "pdu.load.current", { index: "1" }),
    Number(recValue(f, "1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1")) / 10,
  );
  const outlet16 = metricsOf(r.events, "pdu.outlet.state").find((m) => m.labels.index === "16");
  assert.equal(outlet16?.labels.outlet, recValue(f, "1.3.6.1.4.1.318.1.1.12.3.5.1.1.2.16"));
  assert.equal(outlet16?.value, Number(recValue(f, "1.3.6.1.4.1.318.1.1.12.3.5.1.1.4.16")));
  assert.equal(
    metricsOf(r.events, "sys.info")[0]?.labels.sysName,
    recValue(f, "1.3.6.1.2.1.1.5.0"),
  );
});

test("pdu over v3 authPriv: the snmpsim context selects the recording", async () => {
  const v3 = env.snmpsim.v3;
  const { r } = await poll(
    snmpDevice("apc-v3", env.snmpsim.host, {
      port: env.snmpsim.port,
      version: "v3",
      profiles: ["pdu"],
      v3: {
        securityLevel: "authPriv",
        authProtocol: "SHA",
        privProtocol: "AES",
        contextName: "apc-7902b",
      },
      credentials: {
        usernameFile: await secretFile("sim-user", v3.user),
        authKeyFile: await secretFile("sim-auth", v3.authKey),
        privKeyFile: await secretFile("sim-priv", v3.privKey),
      },
    }),
  );
  assert.equal(r.capability, REAL, r.reason);
  assert.equal(
    metricValue(r.events, "pdu.power"),
    Number(recValue(rec("apc-7902b"), "1.3.6.1.4.1.318.1.1.12.1.16.0")),
  );
});

test("sensor: Geist WATCHDOG and ENTITY-SENSOR-MIB (Palo Alto fans)", async () => {
  const g = await recorded("geist-temperature-sensor", ["sensor"]);
  // ENTITY-SENSOR-MIB is absent, which is fine: one MIB of the profile answers in full.
  assert.equal(g.r.capability, REAL, g.r.reason);
  const temps = metricsOf(g.r.events, "sensor.temperature");
  // The recording serves temperature through snmpsim's numeric variation: min=100,max=300 tenths.
  const internal = temps.find((m) => m.labels.sensor === "Watchdog Rack 01");
  assert.ok(internal && internal.value >= 10 && internal.value <= 30, JSON.stringify(internal));
  assert.deepEqual(temps.map((m) => m.labels.sensor).sort(), [
    "Above Rack 02",
    "Above Rack 03",
    "Watchdog Rack 01",
  ]);
  const pa = await recorded("paloalto-pa-5000", ["sensor"]);
  const f = rec("paloalto-pa-5000");
  const fan = metricsOf(pa.r.events, "sensor.value").find((m) => m.labels.index === "2");
  assert.equal(fan?.value, Number(recValue(f, "1.3.6.1.2.1.99.1.1.1.4.2"))); // scale units, precision 0
  assert.equal(fan?.labels.units, recValue(f, "1.3.6.1.2.1.99.1.1.1.6.2"));
});

test("camera: Hikvision text values become numbers", async () => {
  const f = rec("hikvision");
  const { r } = await recorded("hikvision", ["camera"]);
  assert.equal(r.capability, REAL, r.reason);
  assert.equal(recValue(f, "1.3.6.1.4.1.39165.1.7.0"), "52 PERCENT");
  assert.equal(metricValue(r.events, "camera.cpu.utilization"), 52);
  assert.equal(metricValue(r.events, "camera.memory.size"), 512 * 1024 * 1024); // "512 MB"
  assert.equal(
    metricsOf(r.events, "camera.info")[0]?.labels.model,
    recValue(f, "1.3.6.1.4.1.39165.1.1.0"),
  );
});

test("switch + if-mib: Cisco Catalyst 3560 (bzip2 recording)", async () => {
  const { r } = await recorded("cisco-c3560", ["switch", "if-mib"]);
  // Values from cisco-c3560.snmprec.bz2: cpmCPUTotal1minRev.1 = 58, 5minRev = 28,
  // ciscoMemoryPoolUsed.1 (Processor) = 22188980, ifName.10101 = Gi0/1, ifOperStatus.10101 = 2.
  assert.equal(metricValue(r.events, "cpu.utilization.1m", { index: "1" }), 58);
  assert.equal(metricValue(r.events, "cpu.utilization.5m", { index: "1" }), 28);
  assert.equal(metricValue(r.events, "memory.pool.used", { pool: "Processor" }), 22188980);
  assert.equal(metricValue(r.events, "if.oper_status", { index: "10101" }), 2);
  assert.equal(
    metricsOf(r.events, "if.oper_status").find((m) => m.labels.index === "10101")?.labels.ifName,
    "Gi0/1",
  );
  assert.equal(metricsOf(r.events, "if.oper_status").length, 57); // ifNumber.0 = 57
});

test("host-resources + if-mib: Linux full walk, Counter64 beyond 2^32", async () => {
  const f = rec("linux-full-walk");
  const { r } = await recorded("linux-full-walk", ["host-resources", "if-mib"]);
  assert.equal(
    metricValue(r.events, "hr.system.processes"),
    Number(recValue(f, "1.3.6.1.2.1.25.1.6.0")),
  );
  assert.equal(
    metricValue(r.events, "hr.processor.load", { index: "768" }),
    Number(recValue(f, "1.3.6.1.2.1.25.3.3.1.2.768")),
  );
  assert.equal(
    metricValue(r.events, "hr.storage.size", { storage: "/" }),
    Number(recValue(f, "1.3.6.1.2.1.25.2.3.1.5.31")) *
      Number(recValue(f, "1.3.6.1.2.1.25.2.3.1.4.31")),
  );
  assert.equal(metricValue(r.events, "if.hc.in.octets", { ifName: "eth0" }, COUNTER), 24167091249);
  assert.equal(metricValue(r.events, "if.in.octets", { ifDescr: "eth0" }, COUNTER), 2692239107);
});

test("60 devices through a scheduler of 8: all answered, never more than 8 in flight", async () => {
  const sched = createSnmpScheduler({ maxInFlight: 8 });
  // Counted here, independently of the scheduler's own bookkeeping.
  let live = 0;
  let maxLive = 0;
  const counting: SnmpScheduler = {
    ...sched,
    get inFlight() {
      return sched.inFlight;
    },
    get queued() {
      return sched.queued;
    },
    get maxObserved() {
      return sched.maxObserved;
    },
    run: (task) =>
      sched.run(async () => {
        live++;
        maxLive = Math.max(maxLive, live);
        try {
          return await task();
        } finally {
          live--;
        }
      }),
  };
  const names = [
    "apc-7902b",
    "geist-temperature-sensor",
    "hikvision",
    "ubiquiti-m5",
    "vertiv-power",
    "tripplite-poweralert",
  ];
  const sink = memorySink();
  const ctx = testContext(sink);
  const pollers = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const name = names[i % names.length] as string;
      return createSnmpPoller(
        snmpDevice(`dev-${i}`, env.snmpsim.host, {
          port: env.snmpsim.port,
          profiles: ["system", "if-mib"],
          credentials: { communityFile: await secretFile(`sim-${name}`, name) },
        }),
        ctx,
        { scheduler: counting },
      );
    }),
  );
  const results = await Promise.all(pollers.map((p) => p.pollOnce()));
  assert.equal(results.filter((r) => r.reachable).length, 60);
  assert.ok(maxLive <= 8, `max in flight ${maxLive}`);
  assert.ok(maxLive >= 2, "polls did overlap");
  assert.equal(sched.maxObserved, maxLive);
  assert.equal(sched.inFlight, 0);
  assert.equal(sink.events.filter((e) => e.status).length, 60);
});

test("start() polls on its interval; stop() ends it; a bad config is rejected", async () => {
  const community = await secretFile("snmpd-community", env.snmpd.community);
  const sink = memorySink();
  const p = createSnmpPoller(
    snmpDevice("timer", env.snmpd.host, {
      port: env.snmpd.port,
      intervalSeconds: 1,
      credentials: { communityFile: community },
    }),
    testContext(sink),
    { startDelayMs: 0 },
  );
  await p.start();
  await sink.waitFor(2, (e) => e.metric?.name === "sys.uptime", 15_000);
  await p.stop();
  const n = sink.events.length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(sink.events.length, n, "no polls after stop()");
  const bad = createSnmpPoller(
    snmpDevice("bad", "127.0.0.1", {
      port: 161,
      oids: [{ name: "x", oid: "not-an-oid", type: "gauge" }],
    }),
    testContext(),
  );
  await assert.rejects(bad.start(), /bad OID/);
});
