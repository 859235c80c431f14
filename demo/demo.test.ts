// `npm run demo` as a user runs it (a child process, --fast, a temp data dir):
// it must exit 0 and print the findings of the attack script. Plus the
// recording parser against the recording's answer key.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import snmp from "net-snmp";
import { parseSnmprec } from "./snmprec.ts";

test("the shipped SNMP recording parses (answer key: ../shared/testdata/SOURCES.md)", async () => {
  // etingof/snmpsim-data data/iot/geist-temperature-sensor.snmprec, BSD-2-Clause:
  // "Geist 'Data Center 01 Temp Sensor' (enterprise 21239), 54 OIDs".
  const text = await readFile(
    join(import.meta.dirname, "data/geist-temperature-sensor.snmprec"),
    "utf8",
  );
  const { entries, skipped } = parseSnmprec(text);
  assert.equal(entries.length, 54);
  assert.equal(skipped, 0);
  const sysDescr = entries.find((e) => e.oid === "1.3.6.1.2.1.1.1.0");
  assert.equal(sysDescr?.type, snmp.ObjectType.OctetString);
  assert.ok(Buffer.isBuffer(sysDescr?.value));
  assert.equal(String(sysDescr?.value), "Data Center 01 Temp Sensor");
  const objectId = entries.find((e) => e.oid === "1.3.6.1.2.1.1.2.0");
  assert.deepEqual(objectId, {
    oid: "1.3.6.1.2.1.1.2.0",
    type: snmp.ObjectType.OID,
    value: "1.3.6.1.4.1.21239.42.1.31",
  });
  // A snmpsim variation line serves its initial value.
  const temp = entries.find((e) => e.oid === "1.3.6.1.4.1.21239.5.1.2.1.5.1");
  assert.equal(temp?.value, 154);
  // Hostile lines are skipped, never thrown.
  const bad = parseSnmprec(
    "x|2|1\n1.3.6|2|notanumber\n1.3.6.1|99|1\n1.3.6.1.2|64x|zz\n1.3.6.1.3|2|7",
  );
  assert.equal(bad.entries.length, 1);
  assert.equal(bad.skipped, 4);
});

test("npm run demo: simulated devices, attack script, findings, exit 0", async () => {
  const data = await mkdtemp(join(tmpdir(), "amoskys-demo-"));
  try {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, "run.ts"), "--fast", "--data", data, "--port", "0"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), 150_000);
      child.on("exit", (c) => {
        clearTimeout(kill);
        resolve(c);
      });
    });
    assert.equal(code, 0, `demo exited ${code}\n${out}\n${err.slice(-3000)}`);
    assert.match(out, /simulated devices/i);
    assert.match(out, /FINDING\s+HIGH\s+login-brute-force\s+on jump-host/);
    assert.match(out, /FINDING\s+MEDIUM\s+snmp-auth-failure-trap\s+on rack-sensor/);
    assert.match(out, /FINDING\s+MEDIUM\s+mqtt-cleartext-credentials-posture\s+on env-sensor/);
    assert.match(out, /FINDING\s+MEDIUM\s+device-unreachable\s+on tank-plc/);
    assert.match(out, /FINDING\s+HIGH\s+tank-level-anomaly-demo\s+on tank-plc/);
    // The summary table: 12 failed logins were sent (the rule counts every one).
    assert.match(out, /jump-host\s+login-brute-force\s+high\s+12\n/);
    assert.match(out, /time to first finding: \d+\.\ds/);
    assert.match(out, /expected rules fired: 5\/5/);
    // Every device reported SIMULATED capability.
    for (const d of ["env-sensor", "jump-host", "rack-sensor", "tank-plc"])
      assert.match(out, new RegExp(`device ${d}\\s+\\w+: reachable, simulated`));
    // The token is never printed (nor in the log file): where it is, is.
    const token = (await readFile(join(data, "token"), "utf8")).trim();
    assert.ok(token.length >= 20);
    for (const [what, text] of [
      ["stdout", out],
      ["stderr", err],
      ["amoskys.log", await readFile(join(data, "amoskys.log"), "utf8")],
    ])
      assert.ok(!text.includes(token), `the token is in the demo's ${what}`);
    assert.match(out, new RegExp(`token {2}in ${join(data, "token")} \\(0600\\)`));
    assert.doesNotMatch(out, /--token\b/);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
