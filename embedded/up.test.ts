// `amoskys up` end to end, as a user runs it: a child process on a folder of
// manifests; sshd-format failed logins sent with `logger` (a real syslog
// client) reach its syslog listener; the login-brute-force rule of
// examples/rules fires; the finding shows through the API and in the embedded
// Postgres. A manifest change (new listener port, a new rule) is applied
// without a restart; SIGINT exits 0; a restart on the same --data still has
// the finding and the telemetry. A rule whose pattern backtracks exponentially
// in JavaScript (`^(a+)+$`) and its 53-byte datagram do not stop it (RE2), and
// a pattern RE2 refuses is reported with the field and why. The API token is
// never printed (`amoskys get` reads its file). A YAML alias bomb is refused
// with its file while the rest runs; listener ports in use are named in the
// banner (which then does not say "up") and bound once freed.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import dgram from "node:dgram";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { eventually } from "../e2e/env/eventually.ts";
import { freePort } from "../e2e/env/ports.ts";
import { ALIAS_BOMB } from "./testdata.ts";

const repo = join(import.meta.dirname, "..");
const run = promisify(execFile);

interface Up {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  url: string;
  token: string;
}

async function up(
  dir: string,
  data: string,
  port: number,
  ready: RegExp = /AMOSKYS is up/,
): Promise<Up> {
  const child = spawn(
    process.execPath,
    [join(repo, "operator/cli.ts"), "up", "-f", dir, "--data", data, "--port", String(port)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, AMOSKYS_LOG_LEVEL: "info" } },
  );
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await eventually(() => {
    assert.ok(child.exitCode === null, `amoskys up exited:\n${err.slice(-3000)}`);
    assert.match(out, ready);
  }, 90_000);
  const token = (await readFile(join(data, "token"), "utf8")).trim();
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    url: `http://127.0.0.1:${port}`,
    token,
  };
}

async function get(u: Up, path: string): Promise<{ items: Record<string, unknown>[] }> {
  // Bounded: a process whose event loop is stuck fails the test instead of hanging it.
  const r = await fetch(`${u.url}${path}`, {
    headers: { authorization: `Bearer ${u.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${r.status} ${text}`);
  return JSON.parse(text) as { items: Record<string, unknown>[] };
}

async function logLine(port: number, message: string): Promise<void> {
  await run("logger", [
    "--server",
    "127.0.0.1",
    "--port",
    String(port),
    "--udp",
    "-t",
    "sshd",
    "-i",
    message,
  ]);
}

const profile = (syslog: number, others: number[]) => `
apiVersion: amoskys.io/v1alpha1
kind: CollectorProfile
metadata: {name: local}
spec:
  deviceSelector: {}
  listeners: {syslog: ${syslog}, hl7: ${others[0]}, flows: ${others[1]}, snmpTraps: ${others[2]}}
  batching: {maxEvents: 100, maxDelayMs: 200}
`;

const DEVICE = `
apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: server-1}
spec:
  address: 127.0.0.1
  type: endpoint
  syslog: {sourceAddresses: [127.0.0.1]}
`;

// A rule of our own, added while running: 3 accepted logins within a minute.
const ACCEPTED_RULE = `
apiVersion: amoskys.io/v1alpha1
kind: DetectionRule
metadata: {name: accepted-logins}
spec:
  type: threshold
  severity: low
  title: Accepted logins
  selector:
    sources: [syslog]
    kinds: [log]
    where:
      - {field: log.message, op: matches, value: "Accepted password"}
  groupBy: [log.appName]
  window: 1m
  threshold: {count: 3}
`;

// Exponential for a backtracking engine on a's followed by another character.
const REDOS_RULE = `
apiVersion: amoskys.io/v1alpha1
kind: DetectionRule
metadata: {name: only-as}
spec:
  type: match
  selector:
    kinds: [log]
    where:
      - {field: log.message, op: matches, value: "^(a+)+$"}
`;

// A backreference: not RE2, refused.
const BAD_PATTERN_RULE = `
apiVersion: amoskys.io/v1alpha1
kind: DetectionRule
metadata: {name: backreference}
spec:
  type: match
  selector:
    where:
      - {field: log.message, op: matches, value: "^(a+)\\\\1$"}
`;

/** One datagram, as is (no syslog header added). */
async function datagram(port: number, text: string): Promise<void> {
  const s = dgram.createSocket("udp4");
  try {
    await new Promise<void>((resolve, reject) =>
      s.send(text, port, "127.0.0.1", (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    s.close();
  }
}

/** `amoskys get <what> --server <url> --data <dir>`: no --token, the token file is read. */
async function amoskysGet(u: Up, data: string, what: string): Promise<string> {
  const r = await run(process.execPath, [
    join(repo, "operator/cli.ts"),
    "get",
    what,
    "--server",
    u.url,
    "--data",
    data,
  ]);
  return r.stdout;
}

/** Neither stdout nor stderr holds the token. */
function assertTokenNotPrinted(u: Up): void {
  assert.ok(u.token.length >= 20, "a token was generated");
  assert.ok(!u.stdout().includes(u.token), "the token is on stdout");
  assert.ok(!u.stderr().includes(u.token), "the token is on stderr");
}

const BAD_DEVICE = `
apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: bad}
spec:
  address: 127.0.0.1
  type: endpoint
  snmp: {port: 70000, credentialsSecretRef: {name: s}}
`;

describe("amoskys up", () => {
  let dir: string;
  let data: string;
  let apiPort: number;
  let others: number[];
  let current: Up | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "amoskys-up-manifests-"));
    data = await mkdtemp(join(tmpdir(), "amoskys-up-data-"));
    apiPort = await freePort();
    others = [await freePort(), await freePort("udp"), await freePort("udp")];
    await writeFile(join(dir, "device.yaml"), DEVICE);
    await writeFile(join(dir, "bad.yaml"), BAD_DEVICE);
    await writeFile(join(dir, "only-as.yaml"), REDOS_RULE);
    await writeFile(join(dir, "backreference.yaml"), BAD_PATTERN_RULE);
    await copyFile(
      join(repo, "examples/rules/login-brute-force.yaml"),
      join(dir, "login-brute-force.yaml"),
    );
  });
  after(async () => {
    if (current && current.child.exitCode === null) current.child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  });

  let findingId = 0;

  it("runs the manifests, detects a brute force, applies changes, stops on SIGINT", async () => {
    const syslog = await freePort("udp");
    await writeFile(join(dir, "profile.yaml"), profile(syslog, others));
    const u = await up(dir, data, apiPort);
    current = u;
    // The bad Device is reported with its file and the apiserver's message; the rest runs.
    assert.match(
      u.stderr(),
      /bad\.yaml: Device default\/bad: Device\.amoskys\.io "bad" is invalid: spec\.snmp\.port: Invalid value: 70000: spec\.snmp\.port in body should be less than or equal to 65535/,
    );
    // The rule RE2 refuses: reported with the field and RE2's reason; the rest runs.
    assert.match(
      u.stderr(),
      /DetectionRule default\/backreference: not accepted: spec\.selector\.where\[0\]\.value: not a valid regular expression \(RE2\): error parsing regexp: invalid escape sequence/,
    );
    // 52 a's and a "!": hours of backtracking for JavaScript's RegExp, nothing for RE2.
    await datagram(syslog, `${"a".repeat(52)}!`);
    for (let i = 0; i < 12; i++)
      await logLine(
        syslog,
        `Failed password for invalid user admin${i} from 127.0.0.9 port ${40000 + i} ssh2`,
      );
    const finding = await eventually(async () => {
      const f = (await get(u, "/api/v1/findings")).items.find(
        (x) => (x.rule as { name: string }).name === "login-brute-force",
      );
      assert.ok(f, `no finding yet:\n${u.stderr().slice(-2000)}`);
      assert.ok((f.count as number) >= 10, `count ${f.count}`);
      return f;
    }, 60_000);
    assert.deepEqual(finding.device, { namespace: "default", name: "server-1" });
    const rules = (await get(u, "/api/v1/findings")).items.map(
      (x) => (x.rule as { name: string }).name,
    );
    assert.ok(!rules.includes("only-as"), rules.join(", "));
    assert.equal(finding.severity, "high"); // examples/rules/login-brute-force.yaml
    assert.equal(finding.key, "sshd");
    findingId = finding.id as number;
    const devices = (await get(u, "/api/v1/devices")).items;
    assert.deepEqual(
      devices.map((d) => d.name),
      ["server-1"],
    );
    // The banner says where the token is, not what it is; `amoskys get` needs no --token.
    assert.match(u.stdout(), new RegExp(`token {2}in ${join(data, "token")} \\(0600`));
    assertTokenNotPrinted(u);
    assert.match(await amoskysGet(u, data, "devices"), /^server-1\s+endpoint\s+127\.0\.0\.1/m);

    // A manifest change: the listener moves to another port and a rule is added.
    const moved = await freePort("udp");
    await writeFile(join(dir, "profile.yaml"), profile(moved, others));
    await writeFile(join(dir, "accepted.yaml"), ACCEPTED_RULE);
    let n = 0;
    await eventually(async () => {
      await logLine(moved, `Accepted password for operator${n++} from 127.0.0.9 port 50000 ssh2`);
      const f = (await get(u, "/api/v1/findings")).items.find(
        (x) => (x.rule as { name: string }).name === "accepted-logins",
      );
      assert.ok(f, "the new rule has not fired on the new port yet");
      assert.equal(f.severity, "low");
    }, 60_000);

    u.child.kill("SIGINT");
    assert.equal(await u.exited, 0, u.stderr().slice(-3000));
    assert.match(u.stdout(), /AMOSKYS stopped\./);
    assertTokenNotPrinted(u);

    // The embedded Postgres holds what the API showed (opened directly, the process gone).
    const db = await PGlite.create(join(data, "pg"));
    try {
      const f = await db.query<{ id: number; count: number }>(
        "SELECT id, count FROM findings WHERE rule_name = 'login-brute-force'",
      );
      assert.equal(f.rows.length, 1);
      assert.equal(Number(f.rows[0]?.id), findingId);
      const logs = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM logs WHERE device_name = 'server-1' AND message LIKE 'Failed password%'",
      );
      assert.equal(logs.rows[0]?.n, 12);
      // The datagram went through (stored, then detection), and no rule fired on it.
      const as = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM logs WHERE message = '${"a".repeat(52)}!'`,
      );
      assert.equal(as.rows[0]?.n, 1);
    } finally {
      await db.close();
    }
  });

  it("keeps the data across a restart", async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill("SIGKILL");
      await current.exited;
    }
    const u = await up(dir, data, apiPort);
    current = u;
    const findings = (await get(u, "/api/v1/findings")).items;
    const f = findings.find((x) => x.id === findingId);
    assert.ok(f, `finding ${findingId} is gone after the restart`);
    assert.equal((f.rule as { name: string }).name, "login-brute-force");
    assert.ok(findings.some((x) => (x.rule as { name: string }).name === "accepted-logins"));
    const devices = (await get(u, "/api/v1/devices")).items;
    assert.equal(devices[0]?.name, "server-1");
    // A wrong token is refused.
    const r = await fetch(`${u.url}/api/v1/findings`, {
      headers: { authorization: "Bearer nope" },
    });
    assert.equal(r.status, 401);
    u.child.kill("SIGTERM");
    assert.equal(await u.exited, 0, u.stderr().slice(-3000));
    assertTokenNotPrinted(u); // nor at a restart
    const db = await PGlite.create(join(data, "pg"));
    try {
      const logs = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM logs WHERE device_name = 'server-1' AND message LIKE 'Failed password%'",
      );
      assert.equal(logs.rows[0]?.n, 12);
    } finally {
      await db.close();
    }
  });
});

/** Something else holding a TCP port on 127.0.0.1. */
async function occupy(port: number): Promise<Server> {
  const srv = createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve());
  });
  return srv;
}

describe("amoskys up: an alias bomb and ports in use", () => {
  let dir: string;
  let data: string;
  let current: Up | undefined;
  const blockers: Server[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "amoskys-up-hostile-"));
    data = await mkdtemp(join(tmpdir(), "amoskys-up-hostile-data-"));
  });
  after(async () => {
    for (const b of blockers) b.close();
    if (current && current.child.exitCode === null) current.child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  });

  it("refuses the bomb's file, names the listeners that failed, binds them once free", async () => {
    const apiPort = await freePort();
    const syslog = await freePort(); // its TCP side is taken; UDP binds to the same number
    const others = [await freePort(), await freePort("udp"), await freePort("udp")];
    await writeFile(join(dir, "bomb.yaml"), ALIAS_BOMB);
    await writeFile(join(dir, "device.yaml"), DEVICE);
    await writeFile(join(dir, "profile.yaml"), profile(syslog, others));
    blockers.push(await occupy(apiPort), await occupy(syslog));

    const u = await up(dir, data, apiPort, /AMOSKYS started with 2 listeners DOWN[\s\S]*Ctrl-C/);
    current = u;
    // The bomb: refused with its file and a clear reason; the process runs on.
    assert.match(
      u.stderr(),
      /bomb\.yaml: document 1: refused, with the whole file: YAML aliases expand beyond 100 nodes \(an alias bomb\?\)/,
    );
    // The banner: not "up", and which listener failed and why.
    assert.doesNotMatch(u.stdout(), /AMOSKYS is up/);
    assert.match(
      u.stdout(),
      new RegExp(
        `DOWN {3}collector syslog-listener of default/local: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${syslog}`,
      ),
    );
    assert.match(
      u.stdout(),
      new RegExp(
        `DOWN {3}the API: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${apiPort}`,
      ),
    );
    assert.match(u.stdout(), /API {4}http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(not listening yet\)/);

    // Freed: both are bound by the retries, and then it says so.
    for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
    await eventually(() => {
      assert.equal(u.child.exitCode, null, u.stderr().slice(-3000));
      assert.match(u.stdout(), /collector syslog-listener of default\/local is listening now/);
      assert.match(u.stdout(), /the API is listening now/);
      assert.match(u.stdout(), /AMOSKYS is up: every listener is listening\./);
    }, 90_000);

    // The valid file's Device is served: its syslog is stored and it shows in the API.
    await eventually(async () => {
      await logLine(syslog, "Accepted password for operator from 127.0.0.9 port 50000 ssh2");
      const devices = (await get(u, "/api/v1/devices")).items;
      assert.deepEqual(
        devices.map((d) => d.name),
        ["server-1"],
      );
    }, 60_000);
    assert.match(await amoskysGet(u, data, "devices"), /^server-1\s+endpoint\s+127\.0\.0\.1/m);
    assertTokenNotPrinted(u);

    u.child.kill("SIGTERM");
    assert.equal(await u.exited, 0, u.stderr().slice(-3000));
  });
});
