// `npm run demo`: AMOSKYS embedded mode (startEmbedded, no Kubernetes) with
// SIMULATED devices on loopback — an SNMP agent serving a recorded sensor, a
// Modbus/TCP PLC, an MQTT broker with a sensor, a host sending syslog — then a
// short attack script, printing the findings as the API reports them.
//
//   node demo/run.ts [--fast] [--keep] [--data <dir>] [--port <n>]
//
// --fast: no pauses (tests, CI); --keep: keep running after the summary until
// Ctrl-C. Exit 0 when every expected finding appeared, 1 otherwise.

import { createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import modbusSerial from "modbus-serial";
import snmp from "net-snmp";
import { parseAllDocuments, stringify } from "yaml";
import { freePort } from "../e2e/env/ports.ts";
import { type Embedded, startEmbedded } from "../embedded/main.ts";
import { createLogger } from "../runtime/log.ts";
import { mqttSensor, type Simulator, snmpAgent, syslogSource, tankPlc } from "./simulators.ts";
import { parseSnmprec } from "./snmprec.ts";

const t0 = performance.now();
const repo = join(import.meta.dirname, "..");
const here = import.meta.dirname;
const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

// Every device has its own loopback address (see demo/manifests/devices.yaml).
const ADDR = { sensor: "127.0.0.11", plc: "127.0.0.12", mqtt: "127.0.0.13", host: "127.0.0.14" };
const ATTACKER = "127.0.0.66";
const NS = "default";

/** The findings the demo must produce (rule name → what causes it). */
export const EXPECTED: Record<string, string> = {
  "login-brute-force": "12 sshd 'Failed password' lines over syslog",
  "snmp-auth-failure-trap": "authenticationFailure traps after community guessing",
  "mqtt-cleartext-credentials-posture": "the collector logs in to mqtt:// with a password",
  "tank-level-anomaly-demo": "the tank level register overwritten with 900 %",
  "device-unreachable": "the PLC stopped answering",
};

interface Finding {
  id: number;
  rule: { namespace: string; name: string };
  device: { namespace: string; name: string };
  severity: string;
  count: number;
  title: string;
  state: string;
  evidence: { summary: string };
}

const secs = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
const say = (msg: string) => console.log(`[${secs().padStart(6)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The demo's manifests with the free ports of this run. */
async function renderManifests(
  outDir: string,
  ports: {
    syslog: number;
    traps: number;
    hl7: number;
    flows: number;
    snmp: number;
    modbus: number;
    mqtt: number;
  },
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const src = join(here, "manifests");
  for (const f of (await readdir(src)).filter((x) => x.endsWith(".yaml")).sort()) {
    const docs = parseAllDocuments(await readFile(join(src, f), "utf8")).map((d) => d.toJS());
    for (const o of docs) {
      const spec = o?.spec;
      if (o?.kind === "CollectorProfile")
        spec.listeners = {
          syslog: ports.syslog,
          hl7: ports.hl7,
          flows: ports.flows,
          snmpTraps: ports.traps,
        };
      if (o?.kind === "Device") {
        if (spec.snmp) spec.snmp.port = ports.snmp;
        if (spec.modbus) spec.modbus.port = ports.modbus;
        if (spec.mqtt) spec.mqtt.brokerUrl = `mqtt://${ADDR.mqtt}:${ports.mqtt}`;
      }
    }
    await writeFile(join(outDir, f), docs.map((d) => stringify(d)).join("---\n"));
  }
}

async function api<T>(up: Embedded, path: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(`${up.apiUrl}${path}`, {
      headers: { authorization: `Bearer ${up.token}` },
    });
    // embeddedAuth reads the token file on first use; a request concurrent with
    // that first read is refused, so a 401 right after start is retried.
    if (r.status === 401 && attempt < 3) {
      await r.body?.cancel();
      await sleep(200);
      continue;
    }
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }
}

/** Table with columns padded like kubectl's (3 spaces between columns). */
function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((w[i] ?? 0) + 3))).join(""))
    .join("\n");
}

async function recording(): Promise<{
  entries: ReturnType<typeof parseSnmprec>["entries"];
  source: string;
}> {
  // Shipped with the demo (demo/data, BSD-2-Clause, see demo/README.md); the
  // shared test data is the same file when the checkout has it.
  const candidates = [
    join(here, "data/geist-temperature-sensor.snmprec"),
    join(repo, "../shared/testdata/snmp/snmpsim-data/geist-temperature-sensor.snmprec"),
  ];
  for (const file of candidates) {
    try {
      const { entries } = parseSnmprec(await readFile(file, "utf8"));
      if (entries.length > 0) return { entries, source: file };
    } catch {
      // try the next one
    }
  }
  throw new Error("no SNMP recording found (demo/data/geist-temperature-sensor.snmprec)");
}

export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fast: { type: "boolean" },
      keep: { type: "boolean" },
      data: { type: "string" },
      port: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: node demo/run.ts [--fast] [--keep] [--data <dir>] [--port <n>]");
    return 0;
  }
  const pause = (ms: number) => (values.fast ? Promise.resolve() : sleep(ms));
  const dataDir = resolve(values.data ?? join(repo, ".demo-data"));
  // The demo's data dir is its own: start clean so only this run's findings show.
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const logFile = join(dataDir, "amoskys.log");
  const logStream = createWriteStream(logFile);
  const logger = createLogger("amoskys-demo", { write: (l) => logStream.write(`${l}\n`) });

  console.log(
    [
      "AMOSKYS demo — embedded mode with SIMULATED devices (loopback only; no real equipment).",
      `  every device is labelled amoskys.io/simulated: "true" and reports capability SIMULATED`,
      `  data ${dataDir}   logs ${logFile}`,
      "",
    ].join("\n"),
  );

  const ports = {
    syslog: await freePort("udp"),
    traps: await freePort("udp"),
    hl7: await freePort(),
    flows: await freePort("udp"),
    snmp: await freePort("udp"),
    modbus: await freePort(),
    mqtt: await freePort(),
  };
  let apiPort = values.port === undefined ? 8470 : Number(values.port);
  if (values.port === undefined) {
    // The default port when free, another one otherwise.
    const { createServer } = await import("node:net");
    apiPort = await new Promise<number>((r) => {
      const s = createServer();
      s.once("error", () => r(0));
      s.listen(8470, "127.0.0.1", () => s.close(() => r(8470)));
    });
  }

  const sims: Simulator[] = [];
  let up: Embedded | undefined;
  const stopAll = async () => {
    await up?.stop().catch((err) => console.error(`stop: ${(err as Error).message}`));
    for (const s of sims.reverse()) await s.stop().catch(() => {});
    await new Promise((r) => logStream.end(r));
  };

  try {
    // 1. The simulated devices.
    const rec = await recording();
    const authFailures: string[] = [];
    const sensor = await snmpAgent({
      address: ADDR.sensor,
      port: ports.snmp,
      community: "demo-ro-7f3a", // the Secret in demo/manifests/devices.yaml
      entries: rec.entries,
      trapTarget: { address: "127.0.0.1", port: ports.traps },
      onAuthFailure: (from, c) => authFailures.push(`${from} "${c}"`),
    });
    sims.push(sensor);
    say(
      `simulated SNMP agent      rack-sensor  ${ADDR.sensor}:${ports.snmp}/udp  (${rec.entries.length} OIDs recorded from a Geist sensor)`,
    );
    const plc = await tankPlc({ address: ADDR.plc, port: ports.modbus, unitId: 1 });
    sims.push(plc);
    say(
      `simulated Modbus/TCP PLC  tank-plc     ${ADDR.plc}:${ports.modbus}/tcp  (tank level process)`,
    );
    const mq = await mqttSensor({
      address: ADDR.mqtt,
      port: ports.mqtt,
      username: "amoskys-collector",
      password: "demo-only-password",
      topic: "demo/env/sensor-1/state",
    });
    sims.push(mq);
    say(
      `simulated MQTT broker     env-sensor   mqtt://${ADDR.mqtt}:${ports.mqtt}  (JSON readings every second)`,
    );
    const host = await syslogSource({
      address: ADDR.host,
      host: "jump-host",
      target: { address: "127.0.0.1", port: ports.syslog },
    });
    sims.push(host);
    say(`simulated syslog source   jump-host    ${ADDR.host} -> 127.0.0.1:${ports.syslog}/udp`);

    // 2. AMOSKYS, in this process.
    const manifests = join(dataDir, "manifests");
    await renderManifests(manifests, ports);
    up = await startEmbedded({
      paths: [manifests, join(repo, "examples/rules")],
      dataDir,
      port: apiPort,
      logger,
      onProblem: (p) => console.error(`manifest problem: ${p.file}: ${p.object}: ${p.message}`),
    });
    const down = up.failing();
    say(
      down.length === 0
        ? `AMOSKYS is up (embedded): API ${up.apiUrl}/api/v1`
        : `AMOSKYS started with listeners DOWN (retrying): ${down.map((f) => `${f.collector}: ${f.error}`).join("; ")}`,
    );

    // Findings as they appear.
    const seen = new Map<number, Finding>();
    let firstFinding: string | undefined;
    const poll = async () => {
      if (!up) return;
      const { items } = await api<{ items: Finding[] }>(up, "/api/v1/findings?limit=500");
      for (const f of items.slice().reverse()) {
        if (seen.has(f.id)) continue;
        seen.set(f.id, f);
        firstFinding ??= secs();
        say(
          `FINDING  ${f.severity.toUpperCase().padEnd(8)} ${f.rule.name}  on ${f.device.name}: ${f.title}${f.evidence?.summary ? ` — ${f.evidence.summary}` : ""}`,
        );
      }
      for (const f of items) seen.set(f.id, f);
    };
    const found = (rule: string) => [...seen.values()].some((f) => f.rule.name === rule);
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await poll().catch((err) => logger.warn("demo poll failed", { err }));
        await sleep(500);
      }
    })();
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await sleep(250);
      return cond();
    };

    // 3. Wait until every device reports (the collectors polled / received).
    type DeviceItem = {
      name: string;
      status: Record<string, { capability?: string; reachable?: boolean }>;
    };
    let devices: DeviceItem[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      devices = (await api<{ items: DeviceItem[] }>(up, `/api/v1/devices?namespace=${NS}`)).items;
      if (devices.length >= 4 && devices.every((d) => Object.keys(d.status).length > 0)) break;
      await sleep(500);
    }
    // The PLC has been polled (every second) since at least now.
    const plcPolledSince = Date.now();
    for (const d of devices)
      say(
        `device ${d.name.padEnd(12)} ${Object.entries(d.status)
          .map(
            ([p, s]) =>
              `${p}: ${s.reachable === false ? "unreachable" : "reachable"}, ${s.capability ?? "?"}`,
          )
          .join("; ")}`,
      );
    await pause(2_000);

    // 4. The attack script.
    say(`ATTACK 1/4  SSH brute force on jump-host from ${ATTACKER} (12 failed logins)`);
    for (let i = 0; i < 12; i++) {
      const user = ["root", "admin", "ubuntu", "pi", "oracle", "test"][i % 6];
      await host.send(
        "sshd",
        30100 + i,
        `Failed password for invalid user ${user} from ${ATTACKER} port ${40000 + i} ssh2`,
      );
    }
    await pause(3_000);

    say(`ATTACK 2/4  SNMP community guessing on rack-sensor from ${ATTACKER}`);
    for (const community of ["public", "private", "admin", "cisco"]) {
      const s = snmp.createSession(ADDR.sensor, community, {
        port: ports.snmp,
        version: snmp.Version2c,
        sourceAddress: ATTACKER,
        timeout: 200,
        retries: 0,
      });
      s.on("error", () => {});
      await new Promise<void>((r) => s.get(["1.3.6.1.2.1.1.1.0"], () => r()));
      s.close();
    }
    say(
      `            the agent refused ${authFailures.length} requests and sent authenticationFailure traps`,
    );
    await pause(3_000);

    // The anomaly rule learns for 15 s / 10 samples (demo/manifests/rules.yaml);
    // a little margin over that from the PLC's first reported poll.
    const learnUntil = plcPolledSince + 17_000;
    if (Date.now() < learnUntil) {
      say(
        `            (the tank-level baseline is still learning; waiting ${Math.ceil((learnUntil - Date.now()) / 1000)} s)`,
      );
      await sleep(learnUntil - Date.now());
    }
    say(`ATTACK 3/4  tank level register overwritten on tank-plc (hr 0 := 9000, i.e. 900 %)`);
    const attacker = new ModbusRTU();
    await attacker.connectTCP(ADDR.plc, { port: ports.modbus, localAddress: ATTACKER });
    attacker.setID(1);
    await attacker.writeRegister(0, 9000);
    attacker.close(() => {});
    // The register keeps the written value, so every poll repeats the reading
    // until the baseline has learned enough to judge it.
    await until(() => found("tank-level-anomaly-demo"), 30_000);

    say("ATTACK 4/4  tank-plc goes silent (the simulated PLC is stopped)");
    await plc.stop();
    sims.splice(sims.indexOf(plc), 1);

    const all = () => Object.keys(EXPECTED).every(found);
    await until(all, 45_000);
    polling = false;
    await poller;
    await poll().catch(() => {});

    // 5. Summary.
    const rows = [...seen.values()]
      .sort((a, b) => a.id - b.id)
      .map((f) => [f.device.name, f.rule.name, f.severity, String(f.count)]);
    console.log(`\n${table(["DEVICE", "RULE", "SEVERITY", "COUNT"], rows)}\n`);
    const missing = Object.keys(EXPECTED).filter((r) => !found(r));
    for (const r of missing) console.log(`MISSING  ${r} (${EXPECTED[r]})`);
    console.log(
      [
        `time to first finding: ${firstFinding ?? "none"} (from the demo's start)`,
        `findings: ${seen.size}; expected rules fired: ${Object.keys(EXPECTED).length - missing.length}/${Object.keys(EXPECTED).length}`,
        "",
        `API    ${up.apiUrl}/api/v1`,
        // The token stays in its file (0600): never on the terminal or a command line.
        `token  in ${up.tokenFile} (0600)`,
        `try    curl -H "Authorization: Bearer $(cat ${up.tokenFile})" ${up.apiUrl}/api/v1/findings`,
        `       npm run amoskys -- get findings --server ${up.apiUrl} --data ${dataDir}`,
      ].join("\n"),
    );
    if (values.keep) {
      console.log("\n--keep: running until Ctrl-C (the simulated devices keep reporting).");
      await new Promise<void>((r) => {
        process.once("SIGINT", () => r());
        process.once("SIGTERM", () => r());
      });
    }
    await stopAll();
    console.log("demo stopped.");
    return missing.length === 0 ? 0 : 1;
  } catch (err) {
    console.error(`demo failed: ${(err as Error).stack ?? err}`);
    await stopAll();
    return 1;
  }
}

if (import.meta.main) process.exit(await runDemo(process.argv.slice(2)));
