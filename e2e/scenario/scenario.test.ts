// The Kubernetes loop, end to end, on the real test environment:
//
//   kubectl apply Devices, CollectorProfiles, DetectionRules
//     → `amoskys operator` (its ServiceAccount, the chart's RBAC) writes the
//       collector ConfigMap, signing key, bus Secret copy, Deployment/DaemonSet
//     → collectors run from exactly those objects (pod.ts stands in for the kubelet)
//       and poll/listen/capture the environment's real peers
//     → signed batches on NATS → `amoskys analytics` (its ServiceAccount)
//       verifies, stores in Postgres, detects
//     → Findings, DetectionRule hits, Device status (lastSeen, risk) in the apiserver.
//
// The attacks come from real tools: `logger` (sshd brute force), `snmptrap`
// (authenticationFailure), a Modbus client writing from a foreign address and
// scanning function codes, a TCP connect() scan; the edge collector sees the
// last three with tcpdump on lo. Telemetry: snmpd, snmpsim (Cisco C3560
// recording), pymodbus, Mosquitto (TLS), an HL7 file over MLLP, NetFlow v9
// from softflowd replaying a pcap, an HTTPS FHIR R4 server serving the FHIR
// spec's example resources (polled with a bearer token).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type pg from "pg";
import {
  type FhirTestServer,
  startFhirTestServer,
} from "../../agents/collectors/fhir/fhir-test-server.ts";
import {
  type NfdumpRecord,
  peerDir,
  runSoftflowd,
  startNfcapd,
} from "../../agents/collectors/flows/peers.ts";
import { podIdentity } from "../../agents/runtime.ts";
import { createPool } from "../../analytics/store/pool.ts";
import { analyticsArgs } from "../../analytics/testing.ts";
import { renderChart } from "../chart.ts";
import { eventually } from "../env/eventually.ts";
import { type EnvWith, startEnv } from "../env/index.ts";
import { freePort } from "../env/ports.ts";
import { type Service, startService } from "../env/proc.ts";
import { repoRoot, sharedDir } from "../env/toolchain.ts";
import {
  modbusFunctionScan,
  modbusWrite,
  mqttPublish,
  sendHl7,
  snmpAuthFailureTraps,
  sshBruteForce,
  tcpConnectScan,
} from "./attacks.ts";
import { type Pod, startPod } from "./pod.ts";

const run = promisify(execFile);
const SYSTEM_NS = "amoskys-system";
const NS = "plant-1";
const NATS_SECRET = "amoskys-nats";
const NODE = "edge-node-1";
// Attackers: loopback addresses outside the PLC's allowedWriters (127.0.0.10).
const WRITER = "127.0.0.66";
const SCANNER_FC = "127.0.0.88";
const SCANNER_PORTS = "127.0.0.77";
const HL7_FILE = join(sharedDir, "testdata/health/hl7v2/fhir-converter/ORU-R01-RMGEAD.hl7");
// ITI/ICS ModbusTCP.pcap (../shared/testdata/SOURCES.md): master 141.81.0.10 polls
// 13 slaves on tcp/502; softflowd makes 14 flows of it, 28 NetFlow records (PEERS.md).
const FLOW_PCAP = join(sharedDir, "testdata/pcap/iti-ics/ModbusTCP.pcap");
// ward-monitor-5's FHIR server serves these (microsoft/fhir-server TestFiles,
// copies of the FHIR spec examples; ../shared/testdata/SOURCES.md).
const FHIR_DIR = join(sharedDir, "testdata/health/fhir/fhir-server");
const FHIR_FILES = [
  "BloodPressure.json",
  "Observation-For-Patient-f001.json",
  "Weight.json",
  "Device-d1.json",
];
const FHIR_DEVICE = "ward-monitor-5";
// The Findings its flagged results raise (clinical-abnormal-result matches the
// flag, whatever the protocol): diastolic 60 mmHg L and glucose 6.3 mmol/L H.
// Systolic 107 (N) and weight 67 kg (no interpretation) raise none.
const FHIR_FINDINGS = ["8462-4", "15074-8"];

type ScenarioEnv = EnvWith<{
  kube: true;
  nats: { users: ["collector", "analytics"] };
  postgres: true;
  snmp: true;
  modbus: true;
  mqtt: true;
}>;

interface Finding {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { device: string; rule: string; key?: string; severity: string; count: number };
}

/** Fills `__NAME__` placeholders; a quoted one becomes a JSON (= YAML double-quoted) string. */
function fill(template: string, values: Record<string, string | number>): string {
  const get = (k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`no value for __${k}__`);
    return v;
  };
  return template
    .replace(/^#.*$/gm, "")
    .replace(/"__([A-Z][A-Z0-9_]*?)__"/g, (_, k: string) => JSON.stringify(String(get(k))))
    .replace(/__([A-Z][A-Z0-9_]*?)__/g, (_, k: string) => String(get(k)));
}

describe("scenario: Devices → operator → collectors → NATS → analytics → Findings", () => {
  let env: ScenarioEnv;
  let db: pg.Pool;
  const services: Service[] = [];
  const pods: Record<"lab" | "edge", Pod | undefined> = { lab: undefined, edge: undefined };
  let ports: Record<string, number>;
  let podSerial = 0;
  let fhir: FhirTestServer;
  const fhirToken = randomBytes(24).toString("base64url");
  /** When the collectors started: no device's telemetry can be older. */
  let podsStarted = 0;

  const kubectl = async (...args: string[]) =>
    (
      await run(env.kube.kubectl, ["--kubeconfig", env.kube.kubeconfig, ...args], {
        maxBuffer: 32 << 20,
      })
    ).stdout;
  const getJson = async (...args: string[]) =>
    JSON.parse(await kubectl("get", ...args, "-o", "json"));
  const findings = async (): Promise<Finding[]> => (await getJson("findings", "-n", NS)).items;
  const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  /** The tail of every component's log, for failure messages. */
  const logs = (lines = 15) =>
    [
      ...services.map((s) => `--- ${s.name}\n${s.logTail(lines)}`),
      ...Object.values(pods).map((p) => p && `--- pod ${p.name}\n${p.logTail(lines)}`),
    ]
      .filter(Boolean)
      .join("\n");
  const why = (msg: string) => `${msg}\n${logs()}`;

  const startComponent = (name: string, args: string[]) => {
    const s = startService({
      name,
      command: process.execPath,
      args: [join(repoRoot, "operator/cli.ts"), ...args],
      logFile: join(env.root, `${name}.log`),
    });
    services.push(s);
    return s;
  };

  const podFor = async (which: "lab" | "edge") => {
    const profile = which === "lab" ? "lab" : "edge-capture";
    podSerial += 1;
    const pod = await startPod({
      kubectl,
      namespace: NS,
      kind: which === "lab" ? "deployment" : "daemonset",
      workload: `amoskys-collector-${profile}`,
      podName: `amoskys-collector-${profile}-${podSerial}x7k2q`,
      nodeName: NODE,
      parent: join(env.root, "pods"),
    });
    pods[which] = pod;
    return pod;
  };

  before(async () => {
    env = await startEnv({
      kube: true,
      nats: { users: ["collector", "analytics"] },
      postgres: true,
      snmp: true,
      modbus: true,
      mqtt: true,
    });
    db = createPool({ url: env.postgres.url, caFile: env.postgres.ca });
    // The FHIR server holds the examples before the collector's first poll.
    fhir = await startFhirTestServer(join(env.root, "fhir"), fhirToken);
    for (const f of FHIR_FILES) {
      fhir.add(JSON.parse((await readFile(join(FHIR_DIR, f), "utf8")).replace(/^\uFEFF/, "")));
    }
    ports = {
      SYSLOG_PORT: await freePort(),
      HL7_PORT: await freePort(),
      FLOWS_PORT: await freePort(),
      TRAPS_PORT: await freePort(),
      EDGE_SYSLOG_PORT: await freePort(),
      EDGE_HL7_PORT: await freePort(),
      EDGE_FLOWS_PORT: await freePort(),
      EDGE_TRAPS_PORT: await freePort(),
    };

    // The CRDs and the chart's RBAC for both identities.
    await kubectl("apply", "--server-side", "-f", join(repoRoot, "crds"));
    await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
    await kubectl("create", "namespace", SYSTEM_NS);
    await kubectl("create", "namespace", NS);
    for (const t of ["operator-rbac", "analytics-rbac"]) {
      const file = await renderChart({
        namespace: SYSTEM_NS,
        showOnly: `templates/${t}.yaml`,
        set: { "nats.secret": NATS_SECRET },
        file: join(env.root, `${t}.yaml`),
      });
      await kubectl("apply", "--server-side", "-f", file);
    }
    const groups = ["system:serviceaccounts", `system:serviceaccounts:${SYSTEM_NS}`];
    const [operatorKc, analyticsKc] = await Promise.all([
      env.kube.mintKubeconfig(`system:serviceaccount:${SYSTEM_NS}:amoskys-operator`, groups),
      env.kube.mintKubeconfig(`system:serviceaccount:${SYSTEM_NS}:amoskys-analytics`, groups),
    ]);
    // The collectors' NATS client credentials (--nats-secret).
    await kubectl(
      "create",
      "secret",
      "generic",
      NATS_SECRET,
      "-n",
      SYSTEM_NS,
      `--from-file=ca.crt=${env.nats.ca}`,
      "--from-literal=username=collector",
      `--from-literal=password=${env.nats.users.collector}`,
    );

    startComponent("operator", [
      "operator",
      `--kubeconfig=${operatorKc}`,
      `--operator-namespace=${SYSTEM_NS}`,
      "--collector-image=ghcr.io/amoskys/amoskys:scenario",
      `--nats-url=${env.nats.url}`,
      `--nats-secret=${NATS_SECRET}`,
      "--metrics-host=127.0.0.1",
      "--metrics-port=0",
      "--identity=operator-0",
    ]);
    startComponent("analytics", [
      ...(await analyticsArgs(env, analyticsKc, SYSTEM_NS)),
      "--flush-interval-ms=500",
    ]);

    // The scenario's manifests, with this environment's ports and credentials.
    const values = {
      ...ports,
      SNMPD_PORT: env.snmpd.port,
      SNMPD_COMMUNITY: env.snmpd.community,
      SNMPSIM_PORT: env.snmpsim.port,
      SNMPSIM_USER: env.snmpsim.v3.user,
      SNMPSIM_AUTH_KEY: env.snmpsim.v3.authKey,
      SNMPSIM_PRIV_KEY: env.snmpsim.v3.privKey,
      MQTT_TLS_URL: env.mqtt.tlsUrl,
      MQTT_USERNAME: env.mqtt.username,
      MQTT_PASSWORD: env.mqtt.password,
      MQTT_CA: await readFile(env.mqtt.ca, "utf8"),
      MODBUS_PORT: env.modbus.port,
      SCANNER: SCANNER_PORTS,
      FHIR_BASE_URL: fhir.baseUrl,
      FHIR_TOKEN: fhirToken,
      FHIR_CA: await readFile(fhir.caFile, "utf8"),
    };
    const here = join(repoRoot, "e2e/scenario");
    for (const f of ["devices.yaml", "profiles.yaml"]) {
      await writeFile(join(env.root, f), fill(await readFile(join(here, f), "utf8"), values));
    }
    await kubectl(
      "apply",
      "--server-side",
      "-n",
      NS,
      "-f",
      join(env.root, "profiles.yaml"),
      "-f",
      join(env.root, "devices.yaml"),
      "-f",
      join(repoRoot, "examples/rules"),
    );

    // The operator renders both collectors (Ready waits for a rollout no kubelet
    // makes here); then they run, as the kubelet would run them.
    await eventually(async () => {
      for (const [p, kind] of [
        ["lab", "deployment"],
        ["edge-capture", "daemonset"],
      ] as const) {
        const cp = await getJson("collectorprofile", p, "-n", NS);
        const degraded = cp.status?.conditions?.find(
          (c: { type: string }) => c.type === "Degraded",
        );
        assert.equal(degraded?.status, "False", why(`profile ${p}: ${JSON.stringify(cp.status)}`));
        assert.match(cp.status?.configHash ?? "", /^[0-9a-f]{16}$/);
        const w = await getJson(kind, `amoskys-collector-${p}`, "-n", NS);
        assert.equal(
          w.spec.template.metadata.annotations["amoskys.io/config-hash"],
          cp.status.configHash,
        );
      }
    }, 90_000);
    podsStarted = Date.now();
    await Promise.all([podFor("lab"), podFor("edge")]);
  });

  after(async () => {
    await Promise.all(Object.values(pods).map((p) => p?.stop()));
    for (const s of services.reverse()) await s.stop(5_000);
    await db?.end();
    await fhir?.close();
    await env?.stop();
  });

  it("collectors run from the operator's objects; polled telemetry and the capture reach Postgres", async () => {
    const lab = pods.lab as Pod;
    const edge = pods.edge as Pod;
    // What the "kubelet" mounted is what the operator wrote, and it names the bus Secret copy.
    const cp = await getJson("collectorprofile", "lab", "-n", NS);
    assert.equal(lab.configHash, cp.status.configHash);
    assert.match(
      lab.agentConfig,
      /usernameFile: \/etc\/amoskys\/secrets\/amoskys-collector-lab-bus\/username\n/,
    );
    assert.match(edge.agentConfig, /interface: lo\n/);
    assert.equal(edge.env.AMOSKYS_NODE_NAME, NODE);
    assert.equal(lab.env.AMOSKYS_POD_NAME, lab.name);

    // MQTT: the sensor publishes (TLS, password) after the collector subscribed.
    const reading = { temperature: 23.25, humidity: 41.5, battery: { voltage: 3.31 } };
    await eventually(async () => {
      await mqttPublish({
        url: env.mqtt.tlsUrl,
        ca: env.mqtt.ca,
        username: env.mqtt.username,
        password: env.mqtt.password,
        topic: "lab/env/sensor-7/state",
        message: JSON.stringify(reading),
      });
      const rows = await query(
        "SELECT name, value FROM metrics WHERE device_name = 'env-sensor-7' ORDER BY name",
      );
      assert.deepEqual(
        Object.fromEntries(rows.map((r) => [r.name, r.value])),
        { "battery.voltage": 3.31, "env.humidity": 41.5, "env.temperature": 23.25 },
        why("env-sensor-7 metrics"),
      );
    }, 90_000);

    await eventually(async () => {
      // SNMP: sysName as snmpd is configured (the switch's slow first walk of
      // snmpsim is checked after the attacks).
      const sys = await query(
        "SELECT DISTINCT labels->>'sysName' AS sys_name FROM metrics WHERE device_name = 'historian' AND name = 'sys.info' AND source = 'snmp'",
      );
      assert.deepEqual(
        sys.map((r) => r.sys_name),
        [env.snmpd.sysName],
        why("historian sys.info"),
      );
      // Modbus: e2e/env/services/modbus.ts layout: hr[0] = 100 (× 0.1), hr[10..11] = float32 21.5.
      const plc = await query(
        "SELECT DISTINCT name, value FROM metrics WHERE device_name = 'plc-tank-farm' AND source = 'modbus' ORDER BY name",
      );
      assert.deepEqual(
        plc.map((r) => [r.name, r.value]),
        [
          ["pump.running", 1],
          ["tank.high_alarm", 0],
          ["tank.level", 10],
          ["tank.temperature", 21.5],
        ],
        why("plc metrics"),
      );
      // Capture is up: the poller's own Modbus exchange was seen on lo.
      const wire = await query(
        "SELECT count(*)::int AS n FROM wire_events WHERE device_name = 'plc-tank-farm' AND protocol = 'modbus' AND src_address = '127.0.0.1'",
      );
      assert.ok(wire[0]?.n > 0, why("no Modbus wire events from capture"));
    }, 90_000);
  });

  it("softflowd exports a pcap's flows to the switch's flows listener; Postgres has what nfdump reads", async () => {
    // access-switch-1 has `flows: {}`: its exporterAddress is its address,
    // 127.0.0.1, where softflowd sends from; the lab collector listens on FLOWS_PORT.
    const lab = pods.lab as Pod;
    assert.match(lab.agentConfig, /\n {4}flows:\n {6}exporterAddress: 127\.0\.0\.1\n/);
    assert.match(lab.agentConfig, new RegExp(`\n {2}flows: ${ports.FLOWS_PORT}\n`));
    const peers = peerDir("scenario-flows");
    let reference: NfdumpRecord[];
    try {
      // The exporter, straight to the collector.
      await runSoftflowd(peers.dir, ports.FLOWS_PORT as number, ["-v", "9", "-a"], FLOW_PCAP);
      // The reference: the same replay (it depends only on the pcap) into nfcapd.
      const refPort = await freePort();
      const nfcapd = await startNfcapd(peers.dir, refPort);
      await runSoftflowd(peers.dir, refPort, ["-v", "9", "-a"], FLOW_PCAP);
      reference = await nfcapd.stopAndDump();
    } finally {
      peers.cleanup();
    }
    // The 5-tuple, counts, TCP flags and flow times (-a: the pcap's own, 2012).
    const key = (r: NfdumpRecord) =>
      `${r.protocol} ${r.srcAddress}:${r.srcPort} > ${r.dstAddress}:${r.dstPort} ${r.packets}p ${r.bytes}B flags ${r.tcpFlags} ${new Date(r.startMs).toISOString()}..${new Date(r.endMs).toISOString()}`;
    const want = reference.map(key).sort();
    assert.equal(want.length, 28, `nfdump read ${want.length} records`);
    const rows = await eventually(async () => {
      const got = await query(
        `SELECT protocol, src_address, src_port, dst_address, dst_port, packets, bytes, tcp_flags,
                flow_start, flow_end, source, exporter, export_version
           FROM flows WHERE device_name = 'access-switch-1'`,
      );
      assert.equal(got.length, want.length, why(`${got.length} flow rows for access-switch-1`));
      return got;
    }, 30_000);
    assert.deepEqual(
      rows
        .map((r) =>
          key({
            protocol: Number(r.protocol),
            srcAddress: r.src_address,
            srcPort: Number(r.src_port),
            dstAddress: r.dst_address,
            dstPort: Number(r.dst_port),
            packets: Number(r.packets),
            bytes: Number(r.bytes),
            tcpFlags: Number(r.tcp_flags),
            startMs: (r.flow_start as Date).getTime(),
            endMs: (r.flow_end as Date).getTime(),
          }),
        )
        .sort(),
      want,
    );
    assert.deepEqual(
      [...new Set(rows.map((r) => `${r.source} ${r.exporter} v${r.export_version}`))],
      ["netflow 127.0.0.1 v9"],
    );
    // Every record is one side of a Modbus/TCP session with the master (SOURCES.md).
    for (const r of rows) {
      const [client, server] =
        Number(r.dst_port) === 502
          ? [r.src_address, r.dst_address]
          : [r.dst_address, r.src_address];
      assert.equal(client, "141.81.0.10");
      assert.match(server, /^141\.81\.0\.\d+$/);
      assert.ok(Number(r.dst_port) === 502 || Number(r.src_port) === 502);
    }
    const slaves = new Set(
      rows.map((r) => (Number(r.dst_port) === 502 ? r.dst_address : r.src_address)),
    );
    assert.equal(slaves.size, 13);
  });

  it("the FHIR poller reads the server with the Secret's token; its observations reach Postgres, flagged ones raise Findings", async () => {
    const lab = pods.lab as Pod;
    // The operator pointed the poller at the Secret's token and CA, as mounted.
    assert.match(
      lab.agentConfig,
      /tokenFile: \/etc\/amoskys\/secrets\/ward-monitor-5-fhir\/token\n/,
    );
    const rows = await eventually(async () => {
      const got = await query(
        `SELECT source_id, code, numeric_value, unit, reference_range, abnormal_flag, result_status
           FROM clinical_observations WHERE device_name = $1 AND source = 'fhir' ORDER BY code`,
        [FHIR_DEVICE],
      );
      assert.equal(got.length, 4, why(`${got.length} FHIR observations`));
      return got;
    }, 60_000);
    // The served files (SOURCES.md): BloodPressure.json systolic 8480-6 = 107 mmHg (N),
    // diastolic 8462-4 = 60 mmHg (L); Observation-For-Patient-f001.json glucose
    // 15074-8 = 6.3 mmol/L, range 3.1-6.2, H; Weight.json 29463-7 = 67 kg.
    const weightId = rows.find((r) => r.code === "29463-7")?.source_id;
    assert.deepEqual(
      rows.map((r) => [
        r.source_id,
        r.code,
        r.numeric_value,
        r.unit,
        r.reference_range,
        r.abnormal_flag,
        r.result_status,
      ]),
      [
        ["f001", "15074-8", 6.3, "mmol/l", "3.1-6.2", "H", "final"],
        [weightId, "29463-7", 67, "kg", "", "", "final"],
        ["blood-pressure", "8462-4", 60, "mmHg", "", "L", "final"],
        ["blood-pressure", "8480-6", 107, "mmHg", "", "N", "final"],
      ],
    );
    assert.match(String(weightId), /^srv-\d+$/, "Weight.json has no id: the server assigned one");
    // Device-d1.json: ECG monitor, Acme Devices, serial AMID-342135-8464, active (info).
    const logs = await query(
      "SELECT msg_id, proc_id, severity, message FROM logs WHERE device_name = $1 AND source = 'fhir'",
      [FHIR_DEVICE],
    );
    assert.deepEqual(
      logs.map((r) => [r.msg_id, r.proc_id, Number(r.severity)]),
      [["Device", "d1", 6]],
    );
    assert.match(logs[0]?.message, /Acme Devices, Inc, serial AMID-342135-8464\) status active$/);
    // Every request carried the Secret's token and named the monitor's identifier.
    const obs = fhir.requests.filter((r) => r.path === "/fhir/Observation");
    assert.ok(obs.length >= 2, "two pages of Observations (the server pages by 2)");
    assert.ok(fhir.requests.every((r) => r.authorized && r.scheme === "bearer"));
    assert.equal(obs[0]?.query.get("device.identifier"), "http://goodcare.org/devices/id|345675");

    // clinical-abnormal-result is the flag's rule, not HL7's only: the FHIR
    // interpretations L and H raise it; N and no interpretation do not.
    await eventually(async () => {
      const mine = (await findings()).filter((f) => f.spec.device === FHIR_DEVICE);
      assert.deepEqual(
        mine.map((f) => [f.spec.rule, f.spec.key, f.spec.severity, f.spec.count]).sort(),
        FHIR_FINDINGS.map((k) => ["clinical-abnormal-result", k, "medium", 1]).sort(),
        why("ward-monitor-5 findings"),
      );
    }, 60_000);
    // Its status: collecting over FHIR since the collector started.
    await eventually(async () => {
      const s = (await getJson("device", FHIR_DEVICE, "-n", NS)).status ?? {};
      const msg = why(`${FHIR_DEVICE}: ${JSON.stringify(s)}`);
      const cond = (t: string) => s.conditions?.find((c: { type: string }) => c.type === t)?.status;
      assert.equal(cond("Collecting"), "True", msg);
      assert.equal(s.capabilities?.fhir?.state, "REAL", msg);
      // lastSeen has whole seconds.
      assert.ok(Date.parse(s.lastSeen ?? "") >= podsStarted - 1_000, msg);
    }, 60_000);
  });

  it("attacks from real tools become Findings with counts, rule hits and risk on the Devices", async () => {
    const t0 = performance.now();
    // Before the attacks: only ward-monitor-5's clinical findings (the FHIR test).
    const earlier = await findings();
    assert.deepEqual(
      earlier.map((f) => `${f.spec.device} ${f.spec.key}`).sort(),
      FHIR_FINDINGS.map((k) => `${FHIR_DEVICE} ${k}`).sort(),
      "no finding before the attacks but the FHIR ones",
    );
    const before = new Set(earlier.map((f) => f.metadata.name));
    // Watches Findings appear while the attacks run: when each was first listed.
    const appeared = new Map<string, number>();
    let watching = true;
    const watcher = (async () => {
      while (watching && performance.now() - t0 < 150_000) {
        for (const f of await findings().catch(() => [])) {
          const k = `${f.spec.rule}(${f.spec.key ?? ""})`;
          if (!before.has(f.metadata.name) && !appeared.has(k))
            appeared.set(k, performance.now() - t0);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await sshBruteForce(ports.SYSLOG_PORT as number, 12, "203.0.113.9");
    await snmpAuthFailureTraps(ports.TRAPS_PORT as number, 3);
    assert.equal(await sendHl7(ports.HL7_PORT as number, HL7_FILE), "AA");
    await modbusWrite(env.modbus.port, WRITER, 0, 9000);
    const fcs = await modbusFunctionScan(env.modbus.port, SCANNER_FC);
    const scanned = Array.from({ length: 40 }, (_, i) => 100 + i); // below 1024: no reply flow counts
    const open = await tcpConnectScan("127.0.0.1", SCANNER_PORTS, scanned);
    const attacksMs = performance.now() - t0;

    // rule -> device, key, severity, count (from what was sent above).
    const expected: [string, string, string, string, (n: number) => boolean][] = [
      ["login-brute-force", "historian", "sshd", "high", (n) => n === 12],
      ["snmp-auth-failure-trap", "access-switch-1", "", "medium", (n) => n === 3],
      ["clinical-abnormal-result", "icu-monitor-3", "1554-5", "medium", (n) => n === 1],
      ["modbus-unauthorized-write", "plc-tank-farm", WRITER, "critical", (n) => n === 1],
      // FC 5, 16, 15 of the scan are writes too.
      ["modbus-unauthorized-write", "plc-tank-farm", SCANNER_FC, "critical", (n) => n === 3],
      // Its count is the distinct function codes seen: all 8 of the scan.
      ["modbus-function-scan", "plc-tank-farm", SCANNER_FC, "high", (n) => n === fcs.length],
      ["modbus-recon-functions", "plc-tank-farm", SCANNER_FC, "high", (n) => n === 1],
      // Its count is the distinct ports: every one scanned (none open).
      ["port-scan", "plc-tank-farm", SCANNER_PORTS, "medium", (n) => n === scanned.length],
    ];
    const attacks = expected.length;
    // Still there, unchanged.
    for (const k of FHIR_FINDINGS)
      expected.push(["clinical-abnormal-result", FHIR_DEVICE, k, "medium", (n) => n === 1]);
    const seen = await eventually(async () => {
      const list = await findings();
      const show = list.map(
        (f) => `${f.spec.rule} ${f.spec.device} ${f.spec.key ?? ""} ${f.spec.count}`,
      );
      for (const [rule, device, key, severity, count] of expected) {
        const f = list.find(
          (x) => x.spec.rule === rule && x.spec.device === device && (x.spec.key ?? "") === key,
        );
        assert.ok(f, why(`no ${rule} finding on ${device} (${key}); have:\n${show.join("\n")}`));
        assert.equal(f.spec.severity, severity);
        assert.ok(count(f.spec.count), `${rule} ${key}: count ${f.spec.count}`);
        assert.deepEqual(
          f.metadata.ownerReferences?.map((o) => [o.kind, o.name]),
          [["Device", device]],
        );
      }
      return list;
    }, 120_000);
    watching = false;
    await watcher;
    const order = [...appeared].sort((x, y) => x[1] - y[1]);
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.error(
      `# scenario: attacks sent in ${Math.round(attacksMs)} ms; first Finding ${order[0] ? `${Math.round(order[0][1])} ms` : "not seen"} after the first attack; all ${attacks} after ${sec(performance.now() - t0)}`,
    );
    console.error(`# time to Finding: ${order.map(([k, ms]) => `${k} ${sec(ms)}`).join(", ")}`);
    assert.deepEqual(open, [], "the scanned ports are closed");
    const unexpected = seen.filter(
      (f) =>
        !expected.some(
          ([r, d, k]) => r === f.spec.rule && d === f.spec.device && (f.spec.key ?? "") === k,
        ),
    );
    assert.deepEqual(
      unexpected.map((f) => `${f.spec.rule}/${f.spec.device}/${f.spec.key}`),
      [],
      "no finding beyond the attacks",
    );
    const table = await kubectl("get", "findings", "-n", NS);
    assert.match(table, /DEVICE\s+RULE\s+SEVERITY\s+COUNT\s+LAST SEEN\s+STATE/);
    for (const l of table.trim().split("\n")) console.error(`# ${l}`);

    // Rule status: hits and the rules that did not fire at zero.
    await eventually(async () => {
      const rules = (await getJson("detectionrules", "-n", NS)).items as {
        metadata: { name: string };
        status?: { hits?: number };
      }[];
      const hits: Record<string, number> = Object.fromEntries(
        rules.map((r) => [r.metadata.name, r.status?.hits ?? 0]),
      );
      for (const [rule] of expected)
        assert.ok((hits[rule] ?? 0) >= 1, why(`${rule} hits: ${JSON.stringify(hits)}`));
      assert.equal(hits["device-unreachable"], 0, JSON.stringify(hits));
      return hits;
    }, 60_000).then((hits) => console.error(`# DetectionRule hits: ${JSON.stringify(hits)}`));

    // Devices: the operator's fields (collector, protocols, Assigned) and analytics' (lastSeen, risk).
    const profileOf: Record<string, [string, string]> = {
      "access-switch-1": ["lab", "snmp,flows"],
      "env-sensor-7": ["lab", "mqtt"],
      historian: ["lab", "snmp,syslog"],
      "icu-monitor-3": ["lab", "hl7"],
      "plc-tank-farm": ["edge-capture", "modbus"],
      [FHIR_DEVICE]: ["lab", "fhir"],
    };
    await eventually(async () => {
      const devices = (await getJson("devices", "-n", NS)).items as {
        metadata: { name: string };
        status?: {
          collector?: string;
          protocols?: string;
          lastSeen?: string;
          riskScore?: number;
          openFindings?: { total?: number };
          conditions?: { type: string; status: string }[];
        };
      }[];
      assert.deepEqual(devices.map((d) => d.metadata.name).sort(), Object.keys(profileOf).sort());
      for (const d of devices) {
        const s = d.status ?? {};
        const [collector, protocols] = profileOf[d.metadata.name] ?? [];
        const msg = why(`${d.metadata.name}: ${JSON.stringify(s)}`);
        assert.equal(s.collector, collector, msg);
        assert.deepEqual(s.protocols?.split(",").sort(), protocols?.split(",").sort(), msg);
        const cond = (t: string) => s.conditions?.find((c) => c.type === t)?.status;
        assert.equal(cond("Assigned"), "True", msg);
        assert.equal(cond("Collecting"), "True", msg);
        assert.ok(Date.parse(s.lastSeen ?? "") >= podsStarted - 1_000, msg);
        const attacked = seen.filter((f) => f.spec.device === d.metadata.name).length;
        assert.equal(s.openFindings?.total ?? 0, attacked, msg);
        // Risk ages a finding from the later of its device time and its receipt
        // (amoskys.io/received): icu-monitor-3's (HL7 time 2002) and
        // ward-monitor-5's (FHIR 2012/2013) are fresh and count.
        if (attacked > 0) assert.ok((s.riskScore ?? 0) > 0, msg);
        if (attacked === 0) assert.equal(s.riskScore ?? 0, 0, msg);
      }
    }, 60_000);
    const devTable = await kubectl("get", "devices", "-n", NS);
    assert.match(devTable, /LAST SEEN\s+RISK\s+FINDINGS/);
    for (const l of devTable.trim().split("\n")) console.error(`# ${l}`);

    // Postgres: every device and protocol, including what the attacks pushed and the wire saw.
    await eventually(async () => {
      const tables = ["metrics", "logs", "traps", "clinical_observations", "wire_events", "flows"];
      const have = new Set<string>();
      for (const t of tables) {
        for (const r of await query(`SELECT DISTINCT device_name, source FROM ${t}`))
          have.add(`${r.device_name} ${t} ${r.source}`);
      }
      const want = [
        "historian metrics snmp",
        "historian logs syslog",
        "access-switch-1 metrics snmp",
        "access-switch-1 traps snmp_trap",
        "env-sensor-7 metrics mqtt",
        "icu-monitor-3 clinical_observations hl7",
        "plc-tank-farm metrics modbus",
        "plc-tank-farm wire_events pcap",
        "plc-tank-farm flows pcap",
        "access-switch-1 flows netflow",
        `${FHIR_DEVICE} clinical_observations fhir`,
        `${FHIR_DEVICE} logs fhir`,
      ];
      const missing = want.filter((w) => !have.has(w));
      assert.deepEqual(missing, [], why(`have: ${[...have].sort().join("; ")}`));
      // snmpsim's Cisco C3560 recording (cisco-c3560.snmprec, ../shared/testdata/SOURCES.md):
      // sysName DUMSYS-04, 57 ifDescr rows.
      const sw = await query(
        "SELECT DISTINCT labels->>'sysName' AS sys_name FROM metrics WHERE device_name = 'access-switch-1' AND name = 'sys.info'",
      );
      assert.deepEqual(
        sw.map((r) => r.sys_name),
        ["DUMSYS-04"],
      );
      const logsN = await query(
        "SELECT count(*)::int AS n FROM logs WHERE device_name = 'historian' AND app_name = 'sshd' AND message LIKE 'Failed password%'",
      );
      assert.equal(logsN[0]?.n, 12);
      const glucose = await query(
        "SELECT numeric_value, abnormal_flag FROM clinical_observations WHERE device_name = 'icu-monitor-3' AND code = '1554-5'",
      );
      // ORU-R01-RMGEAD.hl7 (SOURCES.md): glucose 182 mg/dl flagged H.
      assert.deepEqual(
        glucose.map((r) => [r.numeric_value, r.abnormal_flag]),
        [[182, "H"]],
      );
      // The foreign write took effect: the PLC's poller now reads 9000 × 0.1.
      const level = await query(
        "SELECT count(*)::int AS n FROM metrics WHERE device_name = 'plc-tank-farm' AND name = 'tank.level' AND value = 900",
      );
      assert.ok(level[0]?.n > 0, why("tank.level 900 not polled"));
      const scanFlows = await query(
        "SELECT count(DISTINCT dst_port)::int AS n FROM flows WHERE src_address = $1",
        [SCANNER_PORTS],
      );
      assert.equal(scanFlows[0]?.n, scanned.length);
    }, 60_000);
  });

  it("a profile change rolls a new config hash; the restarted collector polls at the new interval", async () => {
    const old = pods.lab as Pod;
    const before = (await getJson("collectorprofile", "lab", "-n", NS)).status.configHash as string;
    assert.equal(old.configHash, before);
    await kubectl(
      "patch",
      "collectorprofile",
      "lab",
      "-n",
      NS,
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { intervals: { snmp: 10 } } }),
    );
    const next = await eventually(async () => {
      const hash = (await getJson("collectorprofile", "lab", "-n", NS)).status.configHash;
      assert.notEqual(hash, before);
      const dep = await getJson("deployment", "amoskys-collector-lab", "-n", NS);
      assert.equal(dep.spec.template.metadata.annotations["amoskys.io/config-hash"], hash);
      const cm = await getJson("configmap", "amoskys-collector-lab", "-n", NS);
      assert.equal(cm.metadata.annotations["amoskys.io/config-hash"], hash);
      return hash as string;
    }, 60_000);
    // The rollout: the old pod goes, a new one starts from the new ConfigMap.
    await old.stop();
    const pod = await podFor("lab");
    assert.equal(pod.configHash, next);
    assert.match(pod.agentConfig, /\nintervals:\n {2}snmp: 10\n/);
    // historian takes the profile default; access-switch-1 keeps its own 30 s.
    const producer = `${NS}/lab/${podIdentity(pod.env)}`;
    const polls = await eventually(async () => {
      const rows = await query(
        "SELECT DISTINCT observed FROM metrics WHERE device_name = 'historian' AND name = 'sys.uptime' AND producer = $1 ORDER BY observed",
        [producer],
      );
      assert.ok(rows.length >= 2, why(`${rows.length} polls by ${producer}`));
      return rows.map((r) => (r.observed as Date).getTime());
    }, 60_000);
    const gapS = ((polls[1] as number) - (polls[0] as number)) / 1000;
    // Poll times are the collector's own timestamps: 10 s apart, not the old 20.
    assert.ok(gapS >= 8 && gapS <= 15, `polls ${gapS} s apart`);
  });

  it("deleting a Device removes its Findings (garbage collection) and its collector config", async () => {
    assert.ok((await findings()).some((f) => f.spec.device === "icu-monitor-3"));
    await kubectl("delete", "device", "icu-monitor-3", "-n", NS, "--wait=false");
    await eventually(async () => {
      const left = (await findings()).filter((f) => f.spec.device === "icu-monitor-3");
      assert.deepEqual(
        left.map((f) => f.metadata.name),
        [],
        why("findings not collected"),
      );
      const cm = await getJson("configmap", "amoskys-collector-lab", "-n", NS);
      assert.doesNotMatch(cm.data["agent.yaml"], /icu-monitor-3/);
    }, 90_000);
    // The other devices' findings stay.
    assert.ok((await findings()).some((f) => f.spec.device === "plc-tank-farm"));
  });
});
