// The built-in rule pack (examples/rules) on REAL data: each rule fires on the
// capture, log or message that shows its attack or weakness, and the pack stays
// quiet on normal traffic. Events come from the project's own decoders:
// capture's replayPcap for pcaps, the syslog decoder, the NetFlow decoder, the
// SNMP trap receiver and the HL7 parser. Files and their ground truth are in
// ../shared/testdata/SOURCES.md. Where testdata has no example of an attack,
// a real program makes one on loopback (said where it happens).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createReadStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { replayPcap } from "../../agents/capture/collector.ts";
import { decodePacket } from "../../agents/capture/packet.ts";
import { readPcap } from "../../agents/capture/pcap.ts";
import type { AgentDevice, TelemetryEvent } from "../../agents/collector.ts";
import { decodeNetflow } from "../../agents/collectors/flows/decode.ts";
import { TemplateCache } from "../../agents/collectors/flows/templates.ts";
import { interpret } from "../../agents/collectors/hl7/hl7-observations.ts";
import { parseHl7 } from "../../agents/collectors/hl7/hl7-parse.ts";
import { createTrapReceiver } from "../../agents/collectors/snmp/traps.ts";
import { decodeMessage } from "../../agents/collectors/syslog/decode.ts";
import { Source, timestamp } from "../../agents/events.ts";
import { memorySink, staticDirectory, testContext } from "../../agents/testing.ts";
import { agentDevices, NS, runPack, TESTDATA, type TestDevice } from "./testdata.ts";

const pcap = (p: string) => join(TESTDATA, "pcap", p);

async function replay(path: string, devs: TestDevice[]): Promise<TelemetryEvent[]> {
  const sink = memorySink();
  await replayPcap(path, staticDirectory(agentDevices(devs)), testContext(sink));
  return sink.events;
}

const firedNames = (fired: Map<string, unknown>) => [...fired.keys()].sort();

// ModbusTCP.pcap (ITI/ICS-Security-Tools, CC-BY-4.0): one master, 141.81.0.10,
// polls 13 slaves; SOURCES.md: FC 1, 2, 4, 15 (2115 writes) and 16 (14 writes),
// no exceptions, "a good normal-baseline ICS capture; the writes are routine".
// The master is the only host that writes, and it is the plant's own master, so
// it is each slave's allowedWriter.
const ITI_SLAVES = [24, 26, 44, 46, 64, 66, 84, 86, 104, 143, 144, 163, 164].map((h) => ({
  name: `slave-${h}`,
  address: `141.81.0.${h}`,
  allowedWriters: ["141.81.0.10"],
}));

describe("normal traffic stays quiet", () => {
  it("ModbusTCP.pcap (busy, normal Modbus): no finding at all", async () => {
    const events = await replay(pcap("iti-ics/ModbusTCP.pcap"), ITI_SLAVES);
    const wire = events.filter((e) => e.wire?.protocol === "modbus");
    // SOURCES.md: 15,387 packets; requests by FC 1:1519 2:1574 4:2768 15:2115 16:14.
    const writes = wire.filter(
      (e) =>
        e.wire?.action === "request" && ["15", "16"].includes(e.wire.fields?.functionCode ?? ""),
    );
    assert.equal(writes.length, 2115 + 14);
    assert.ok(events.some((e) => e.flow));
    const { updates } = runPack(events, ITI_SLAVES);
    assert.deepEqual(updates, []);
  });

  it("ModbusTCP.pcap with an empty allowedWriters: the routine writes are flagged", async () => {
    // The same traffic, but the Devices do not list the master: proves the quiet
    // run above is quiet because of allowedWriters, not because the rule is blind.
    const devs = ITI_SLAVES.map((d) => ({ ...d, allowedWriters: [] }));
    const { fired } = runPack(await replay(pcap("iti-ics/ModbusTCP.pcap"), devs), devs);
    const w = fired.get("modbus-unauthorized-write") ?? [];
    assert.ok(w.length >= 1);
    assert.ok(w.every((u) => u.key === "141.81.0.10"));
    assert.deepEqual(firedNames(fired), ["modbus-unauthorized-write"]);
  });

  it("SNMPv2c gets, syslog over UDP/TCP, NetFlow/IPFIX exports: no finding", async () => {
    const events: TelemetryEvent[] = [];
    // zeek traces (BSD-3-Clause): SNMPv1 get of a printer (172.31.19.54 → .73),
    // SNMPv2c gets, syslog 'Hello, syslog!' to 127.0.0.1 and TCP syslog.
    events.push(
      ...(await replay(pcap("zeek/Traces__snmp__snmpv2_get.pcap"), [
        { name: "agent", address: "10.10.3.109", type: "network" },
      ])),
      ...(await replay(pcap("suricata-verify/tests__snmp-v2c-get__SNMPv2c_get_requests.pcap"), [
        { name: "agent2", address: "10.144.246.161", type: "network" },
      ])),
      ...(await replay(pcap("zeek/Traces__syslog-single-udp.pcap"), [
        { name: "lo", address: "127.0.0.1" },
      ])),
      ...(await replay(pcap("zeek/Traces__tcp-syslog.pcap"), [
        { name: "syslog-srv", address: "192.168.1.2" },
      ])),
    );
    assert.ok(events.some((e) => e.wire?.protocol === "snmp"));
    assert.ok(events.some((e) => e.wire?.protocol === "syslog"));
    // logstash-codec-netflow (Apache-2.0): softflowd v5, MikroTik v5 (30 flows),
    // Juniper MX80 v5 (29), OpenBSD pflow IPFIX (26), netflow9 softflowd (7).
    const flows = netflowEvents([
      "netflow5.dat",
      "netflow5_test_microtik.dat",
      "netflow5_test_juniper_mx80.dat",
      "netflow9_test_valid01.dat",
      "ipfix_test_openbsd_pflow_tpl.dat",
      "ipfix_test_openbsd_pflow_data.dat",
    ]);
    assert.equal(flows.length, 2 + 30 + 29 + 7 + 26);
    events.push(...flows);
    const { updates } = runPack(events, []);
    assert.deepEqual(updates, []);
  });
});

function netflowEvents(files: string[]): TelemetryEvent[] {
  const cache = new TemplateCache();
  const out: TelemetryEvent[] = [];
  for (const f of files) {
    const r = decodeNetflow(
      readFileSync(join(TESTDATA, "netflow/logstash-codec-netflow", f)),
      "127.0.0.1",
      cache,
      0,
    );
    for (const rec of r.flows) {
      out.push({
        id: `${f}-${rec.position}`,
        device: { namespace: NS, name: "router", address: "127.0.0.1" },
        observed: timestamp(rec.endMs ?? rec.source.exportMs),
        source:
          rec.exportVersion === 10 ? Source.SOURCE_PROTOCOL_IPFIX : Source.SOURCE_PROTOCOL_NETFLOW,
        flow: {
          srcAddress: rec.srcAddress,
          dstAddress: rec.dstAddress,
          srcPort: rec.srcPort,
          dstPort: rec.dstPort,
          protocol: rec.protocol,
          bytes: rec.bytes,
          packets: rec.packets,
          tcpFlags: rec.tcpFlags,
          exporter: rec.exporter,
          exportVersion: rec.exportVersion,
        },
      });
    }
  }
  return out;
}

describe("Modbus rules fire on real attacks", () => {
  it("writes from a host not in allowedWriters (zeek modbus-and-non-modbus-p502)", async () => {
    // SOURCES.md: FC 1, 3, 5, 6 from 10.0.0.9 to 10.0.0.3.
    const devs = [{ name: "plc", address: "10.0.0.3", allowedWriters: ["10.0.0.200"] }];
    const events = await replay(pcap("zeek/Traces__modbus__modbus-and-non-modbus-p502.pcap"), devs);
    const { fired } = runPack(events, devs);
    const w = fired.get("modbus-unauthorized-write");
    assert.equal(w?.length, 1);
    assert.equal(w?.[0]?.key, "10.0.0.9");
    assert.equal(w?.[0]?.severity, "critical");
    assert.deepEqual(w?.[0]?.mitre, ["T0855", "T0836", "T0831"]);
    assert.match(
      w?.[0]?.evidence.summary ?? "",
      /modbus request 10\.0\.0\.9:\d+ → 10\.0\.0\.3:502/,
    );
    // Allowed: quiet.
    const ok = [{ ...devs[0], allowedWriters: ["10.0.0.8/30"] }] as TestDevice[];
    assert.equal(runPack(events, ok).fired.has("modbus-unauthorized-write"), false);
  });

  it("FC 23 read/write multiple registers (4SICS) and FC 15 (zeek modbusSmall)", async () => {
    const a = [{ name: "plc95", address: "192.168.88.95", allowedWriters: [] }];
    const fa = runPack(
      await replay(pcap("zeek/Traces__modbus__4SICS-GeekLounge-151022-min.pcap"), a),
      a,
    );
    assert.equal(fa.fired.get("modbus-unauthorized-write")?.[0]?.key, "192.168.2.166");
    const b = [{ name: "plc132", address: "118.189.96.132" }];
    const fb = runPack(await replay(pcap("zeek/Traces__modbus__modbusSmall.pcap"), b), b);
    assert.equal(fb.fired.get("modbus-unauthorized-write")?.[0]?.key, "118.189.96.132");
  });

  it("recon functions, exception burst and writes (Digital Bond modbus_test_data_part1)", async () => {
    // SOURCES.md: FC 1, 3, 5, 6, 8, 17, 43 and 14 exception responses (codes 11, 5, 6).
    // tshark: 10.0.0.57 sends FC 8 and 17 to 10.0.0.3 and FC 43 to 10.0.0.8;
    // 10.0.0.9 sends FC 1, 3, 5, 6 to 10.0.0.3. Neither Device lists a writer.
    const devs = [
      { name: "plc3", address: "10.0.0.3" },
      { name: "plc8", address: "10.0.0.8" },
    ];
    const events = await replay(pcap("iti-ics/modbus_test_data_part1.pcap"), devs);
    const { fired } = runPack(events, devs);
    assert.deepEqual(firedNames(fired), [
      "modbus-exception-burst",
      "modbus-recon-functions",
      "modbus-unauthorized-write",
    ]);
    const recon = fired.get("modbus-recon-functions") ?? [];
    assert.deepEqual(recon.map((u) => `${u.device.name}:${u.key}`).sort(), [
      "plc3:10.0.0.57",
      "plc8:10.0.0.57",
    ]);
    const exc = fired.get("modbus-exception-burst") ?? [];
    assert.ok(exc.length >= 1);
    assert.match(exc[0]?.key ?? "", /^10\.0\.0\.(57|9)$/);
    assert.equal(fired.get("modbus-unauthorized-write")?.[0]?.key, "10.0.0.9");
  });
});

describe("SNMP rules", () => {
  it("set-requests on the wire fire (zeek snmpv1_set and snmpv1_get)", async () => {
    // SOURCES.md: SNMPv1 set-request of sysName.0 := 'musec' on loopback.
    const devs = [{ name: "agent", address: "127.0.0.1", type: "network" as const }];
    const { fired } = runPack(await replay(pcap("zeek/Traces__snmp__snmpv1_set.pcap"), devs), devs);
    assert.deepEqual(firedNames(fired), ["snmp-write-attempt"]);
    assert.equal(fired.get("snmp-write-attempt")?.[0]?.key, "127.0.0.1");
    // The printer trace holds 5 set-requests too (Xerox OIDs), which zeek's
    // baseline Baseline__scripts.base.protocols.snmp.v1__out1 lists as 5 snmp_set_request.
    const printer = [{ name: "printer", address: "172.31.19.73", type: "network" as const }];
    const p = runPack(await replay(pcap("zeek/Traces__snmp__snmpv1_get.pcap"), printer), printer);
    assert.deepEqual(firedNames(p.fired), ["snmp-write-attempt"]);
    const last = p.updates.at(-1);
    assert.deepEqual([last?.key, last?.count], ["172.31.19.54", 5]);
  });

  it("authenticationFailure trap from snmptrap fires; zeek's coldStart trap does not", async () => {
    const device = {
      ...agentDevices([{ name: "switch", address: "127.0.0.1", type: "network" }])[0],
      snmp: { version: "v2c", port: 161 },
    } as AgentDevice;
    const sink = memorySink();
    const rx = createTrapReceiver(
      { port: 0, host: "127.0.0.1" },
      staticDirectory([device]),
      testContext(sink),
    );
    await rx.start();
    try {
      // zeek snmpv1_trap.pcap: generic 0 (coldStart) → 1.3.6.1.6.3.1.1.5.1.
      for await (const pkt of readPcap(
        createReadStream(pcap("zeek/Traces__snmp__snmpv1_trap.pcap")),
      )) {
        const d = decodePacket(pkt.linkType, pkt.data);
        if (d.kind === "ip")
          rx.handle(d.packet.payload, { address: d.packet.src, port: d.packet.srcPort });
      }
      const [cold] = await sink.waitFor(1, (e) => !!e.trap);
      assert.equal(cold?.trap?.trapOid, "1.3.6.1.6.3.1.1.5.1");
      // A real notification from net-snmp's snmptrap: SNMPv1 generic trap 4,
      // authenticationFailure (testdata has no capture of one).
      const child = spawn("snmptrap", [
        "-v",
        "1",
        "-c",
        "public",
        `127.0.0.1:${rx.port}`,
        "1.3.6.1.4.1.8072.3.2.10",
        "127.0.0.1",
        "4",
        "0",
        "",
      ]);
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      const traps = await sink.waitFor(2, (e) => !!e.trap);
      assert.equal(traps[1]?.trap?.trapOid, "1.3.6.1.6.3.1.1.5.5");
      const { fired } = runPack(sink.events, [{ name: "switch", address: "127.0.0.1" }]);
      assert.deepEqual(firedNames(fired), ["snmp-auth-failure-trap"]);
      assert.equal(fired.get("snmp-auth-failure-trap")?.[0]?.count, 1);
      assert.equal(runPack([cold as TelemetryEvent]).updates.length, 0);
    } finally {
      await rx.stop();
    }
  });
});

describe("MQTT rules", () => {
  it("plain MQTT connect is cleartext; no password in it (zeek mqtt.pcap)", async () => {
    // SOURCES.md: Paho client 10.0.1.4 → broker 198.41.30.241:1883, no credentials.
    const devs = [{ name: "broker", address: "198.41.30.241", type: "iot" as const }];
    const { fired } = runPack(await replay(pcap("zeek/Traces__mqtt.pcap"), devs), devs);
    assert.deepEqual(firedNames(fired), ["cleartext-protocol"]);
    assert.equal(fired.get("cleartext-protocol")?.[0]?.key, "mqtt|10.0.1.4");
  });

  it("CONNECT with username and password over plain TCP (suricata mqtt5)", async () => {
    // SOURCES.md: MQTT v5 CONNECT with user/pass on ::1 → ::1:1883.
    const devs = [{ name: "broker", address: "::1", type: "iot" as const }];
    const { fired } = runPack(
      await replay(pcap("suricata-verify/tests__mqtt5-pub-mosquittoprops__input.pcap"), devs),
      devs,
    );
    assert.deepEqual(firedNames(fired), ["cleartext-protocol", "mqtt-cleartext-credentials"]);
    assert.equal(fired.get("mqtt-cleartext-credentials")?.[0]?.key, "::1");
  });
});

describe("syslog brute force", () => {
  // testdata has no SSH brute-force log: util-linux `logger` sends sshd's exact
  // lines (OpenSSH's "Failed password for invalid user ..." format) over UDP to
  // a socket here, and the syslog decoder turns the datagrams into events.
  async function viaLogger(lines: string[]): Promise<TelemetryEvent[]> {
    const sock = dgram.createSocket("udp4");
    sock.bind(0, "127.0.0.1");
    await once(sock, "listening");
    const got: Buffer[] = [];
    sock.on("message", (m) => got.push(m));
    try {
      const child = spawn(
        "logger",
        [
          "-n",
          "127.0.0.1",
          "-P",
          String(sock.address().port),
          "-d",
          "--rfc3164",
          "-p",
          "auth.info",
          "-t",
          "sshd",
          "--id=4242",
        ],
        { stdio: ["pipe", "ignore", "inherit"] },
      );
      child.stdin.end(`${lines.join("\n")}\n`);
      await once(child, "exit");
      const deadline = Date.now() + 10_000;
      while (got.length < lines.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      sock.close();
    }
    assert.equal(got.length, lines.length);
    const device = agentDevices([
      { name: "bastion", address: "127.0.0.1", type: "endpoint" },
    ])[0] as AgentDevice;
    return got.map((raw, i) => {
      const d = decodeMessage(raw, {
        device,
        ip: "127.0.0.1",
        receivedMs: Date.now(),
        occurrence: i,
      });
      assert.ok(d.ok, raw.toString());
      return d.event;
    });
  }
  const failed = (i: number) =>
    `Failed password for invalid user admin${i} from 127.0.0.1 port ${50000 + i} ssh2`;

  it("10 failed logins fire; 9 and successful ones do not", async () => {
    const attack = await viaLogger(Array.from({ length: 12 }, (_, i) => failed(i)));
    assert.equal(attack[0]?.log?.appName, "sshd");
    assert.match(attack[0]?.log?.message ?? "", /^Failed password for invalid user admin0 from/);
    const { fired } = runPack(attack);
    assert.deepEqual(firedNames(fired), ["login-brute-force"]);
    const u = fired.get("login-brute-force")?.[0];
    // Fires at the 10th; the 11th and 12th are repeats inside suppression.
    assert.deepEqual([u?.key, u?.count, u?.suppressed], ["sshd", 12, 2]);

    const normal = await viaLogger([
      ...Array.from({ length: 9 }, (_, i) => failed(i)),
      "Accepted publickey for ops from 127.0.0.1 port 50100 ssh2: ED25519 SHA256:abc",
      "Accepted password for ops from 127.0.0.1 port 50101 ssh2",
    ]);
    assert.deepEqual(runPack(normal).updates, []);
  });
});

describe("flow scans", () => {
  // testdata has no scan: this one is real TCP on loopback. A connect() scan of
  // 40 closed ports on 127.0.0.1 and a sweep of 127.0.0.2-41 (the kernel answers
  // RST), captured by tcpdump on lo and replayed through the capture pipeline.
  it("port scan and host scan fire from a real capture", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amoskys-scan-"));
    const file = join(dir, "scan.pcap");
    const dump = spawn(
      "tcpdump",
      ["-i", "lo", "-n", "-U", "-w", file, "tcp portrange 21000-21100"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let err = "";
        dump.stderr.on("data", (b: Buffer) => {
          err += b;
          if (err.includes("listening on")) resolve();
        });
        dump.on("exit", (c) => reject(new Error(`tcpdump exited ${c}: ${err}`)));
      });
      const attempt = (host: string, port: number) =>
        new Promise<void>((resolve) => {
          const s = net.connect({ host, port, localAddress: "127.0.0.1" });
          s.on("connect", () => s.destroy());
          s.on("error", () => resolve());
          s.on("close", () => resolve());
        });
      for (let p = 21000; p < 21040; p++) await attempt("127.0.0.1", p);
      for (let h = 2; h < 42; h++) await attempt(`127.0.0.${h}`, 21099);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      dump.kill("SIGINT");
      if (dump.exitCode === null) await once(dump, "exit");
    }
    try {
      const devs = [{ name: "workstation", address: "127.0.0.1", type: "endpoint" as const }];
      const events = await replay(file, devs);
      const flows = events.filter((e) => e.flow);
      assert.ok(flows.length >= 80, `${flows.length} flows`);
      const { fired } = runPack(events, devs);
      assert.deepEqual(firedNames(fired), ["host-scan", "port-scan"]);
      assert.equal(fired.get("port-scan")?.[0]?.key, "127.0.0.1");
      assert.equal(fired.get("host-scan")?.[0]?.key, "127.0.0.1");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("clinical values", () => {
  // microsoft/FHIR-Converter samples (MIT): ORU-R01-RMGEAD has glucose 182 mg/dl
  // flagged H (range 70_105); LAB-ORU-1's CBC results are all N or unflagged.
  function hl7Events(file: string): TelemetryEvent[] {
    const p = parseHl7(readFileSync(join(TESTDATA, "health/hl7v2/fhir-converter", file), "utf8"));
    assert.ok(p.ok, file);
    const { info, observations } = interpret(p.message);
    // The same ClinicalObservation fields the MLLP listener fills.
    return observations.map((o) => ({
      id: `${file}-${o.ordinal}`,
      device: { namespace: NS, name: "monitor", address: "127.0.0.1" },
      observed: timestamp(o.observedMs ?? info.timeMs ?? Date.now()),
      source: Source.SOURCE_PROTOCOL_HL7,
      clinical: {
        codeSystem: o.codeSystem,
        code: o.code,
        display: o.display,
        value: o.value,
        numericValue: o.numericValue ?? 0,
        isNumeric: o.numericValue !== undefined,
        unit: o.unit,
        referenceRange: o.referenceRange,
        abnormalFlag: o.abnormalFlag,
        resultStatus: o.resultStatus,
        sourceId: info.controlId,
      },
    }));
  }
  it("glucose flagged H fires; a normal CBC does not", () => {
    const { fired } = runPack(hl7Events("ORU-R01-RMGEAD.hl7"));
    assert.deepEqual(firedNames(fired), ["clinical-abnormal-result"]);
    const u = fired.get("clinical-abnormal-result")?.[0];
    assert.equal(u?.key, "1554-5");
    assert.match(u?.evidence.summary ?? "", /182.*flag H, range 70_105/);
    const normal = hl7Events("LAB-ORU-1.hl7");
    assert.equal(normal.length, 10);
    assert.deepEqual(runPack(normal).updates, []);
  });
});
