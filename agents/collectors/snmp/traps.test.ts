// The trap receiver against net-snmp's real snmptrap (v1, v2c, v2c inform,
// v3 authPriv trap and inform), unknown sources, garbage, and a fuzz run of
// the datagram path over real BER messages: the zeek SNMP traces
// (../shared/testdata/pcap/zeek/Traces__snmp__*.pcap, BSD-3-Clause, see
// SOURCES.md) plus what snmptrap sent in this run.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import type { TelemetryEvent } from "../../collector.ts";
import { Source } from "../../events.ts";
import { fuzz } from "../../fuzz.ts";
import { memorySink, staticDirectory, testContext } from "../../testing.ts";
import { secretFile, snmpDevice } from "./testutil.ts";
import { createTrapReceiver, type TrapReceiver } from "./traps.ts";

const run = promisify(execFile);
const V3 = { user: "trapuser", auth: "trapauth-8c1f", priv: "trappriv-77d2" };
const sink = memorySink();
const ctx = testContext(sink);
let receiver: TrapReceiver;
let target: string;
/** Every datagram snmptrap sent, captured for the fuzz corpus. */
const sent: Buffer[] = [];

before(async () => {
  const device = snmpDevice("trap-dev", "127.0.0.1", {
    port: 161,
    version: "v3",
    v3: { securityLevel: "authPriv", authProtocol: "SHA", privProtocol: "AES" },
    credentials: {
      usernameFile: await secretFile("t-user", V3.user),
      authKeyFile: await secretFile("t-auth", V3.auth),
      privKeyFile: await secretFile("t-priv", V3.priv),
    },
  });
  receiver = createTrapReceiver({ port: 0, host: "127.0.0.1" }, staticDirectory([device]), ctx);
  await receiver.start();
  target = `127.0.0.1:${receiver.port}`;
});

after(async () => {
  await receiver?.stop();
});

function snmptrap(args: string[]) {
  return run("snmptrap", ["-t", "2", "-r", "1", ...args], {
    env: { ...process.env, MIBS: "", SNMPCONFPATH: "/nonexistent" },
  });
}

async function trapWhere(pred: (t: NonNullable<TelemetryEvent["trap"]>) => boolean) {
  const [e] = await sink.waitFor(1, (e) => !!e.trap && pred(e.trap), 15_000);
  return e as TelemetryEvent;
}

test("v1 enterprise-specific trap: RFC 3584 trapOid, enterprise, agent address, varbinds", async () => {
  await snmptrap([
    "-v1",
    "-c",
    "public",
    target,
    "1.3.6.1.4.1.8072.2.3.1",
    "127.0.0.1",
    "6",
    "17",
    "4242",
    "1.3.6.1.2.1.1.5.0",
    "s",
    "hello-v1",
  ]);
  const e = await trapWhere((t) => t.version === "v1" && t.specificTrap === 17);
  const t = e.trap ?? assert.fail("no trap");
  assert.equal(t.trapOid, "1.3.6.1.4.1.8072.2.3.1.0.17");
  assert.equal(t.enterprise, "1.3.6.1.4.1.8072.2.3.1");
  assert.equal(t.agentAddress, "127.0.0.1");
  assert.equal(t.genericTrap, 6);
  assert.equal(Number(t.uptime), 4242);
  assert.deepEqual(t.varbinds, [
    { oid: "1.3.6.1.2.1.1.5.0", type: "OctetString", value: "hello-v1" },
  ]);
  assert.equal(e.device?.name, "trap-dev");
  assert.equal(e.source, Source.SOURCE_PROTOCOL_SNMP_TRAP);
  assert.ok(!JSON.stringify(e).includes("public"), "never the community");
  // The first message from a device also brings its Status.
  assert.equal(sink.events.filter((x) => x.status && x.device?.name === "trap-dev").length, 1);
});

test("authenticationFailure: v1 generic 4 and v2c 1.3.6.1.6.3.1.1.5.5 map to the same trapOid", async () => {
  await snmptrap(["-v1", "-c", "public", target, "1.3.6.1.4.1.8072", "127.0.0.1", "4", "0", "77"]);
  await snmptrap(["-v2c", "-c", "traptest", target, "78", "1.3.6.1.6.3.1.1.5.5"]);
  const v1 = await trapWhere((t) => t.version === "v1" && t.genericTrap === 4);
  assert.equal(v1.trap?.trapOid, "1.3.6.1.6.3.1.1.5.5");
  const v2 = await trapWhere((t) => t.version === "v2c" && t.trapOid === "1.3.6.1.6.3.1.1.5.5");
  assert.equal(Number(v2.trap?.uptime), 78);
});

test("v2c trap (linkDown) and v2c inform (answered: snmptrap -Ci succeeds)", async () => {
  await snmptrap([
    "-v2c",
    "-c",
    "traptest",
    target,
    "12345",
    "1.3.6.1.6.3.1.1.5.3",
    "1.3.6.1.2.1.2.2.1.1.2",
    "i",
    "2",
  ]);
  const e = await trapWhere((t) => t.version === "v2c" && t.trapOid === "1.3.6.1.6.3.1.1.5.3");
  assert.equal(e.trap?.inform, false);
  assert.equal(Number(e.trap?.uptime), 12345);
  assert.deepEqual(e.trap?.varbinds, [
    { oid: "1.3.6.1.2.1.2.2.1.1.2", type: "Integer", value: "2" },
  ]);
  assert.ok(!JSON.stringify(e).includes("traptest"));
  // snmptrap -Ci exits non-zero unless the receiver responds.
  await snmptrap([
    "-Ci",
    "-v2c",
    "-c",
    "traptest",
    target,
    "555",
    "1.3.6.1.6.3.1.1.5.4",
    "1.3.6.1.2.1.2.2.1.1.2",
    "i",
    "2",
  ]);
  const inf = await trapWhere((t) => t.inform === true && t.version === "v2c");
  assert.equal(inf.trap?.trapOid, "1.3.6.1.6.3.1.1.5.4");
});

test("v3 authPriv SHA/AES trap and inform carry the security name", async () => {
  const v3 = [
    "-v3",
    "-l",
    "authPriv",
    "-u",
    V3.user,
    "-a",
    "SHA",
    "-A",
    V3.auth,
    "-x",
    "AES",
    "-X",
    V3.priv,
  ];
  await snmptrap([
    ...v3,
    "-e",
    "0x80001f8880aabbccdd01",
    target,
    "99",
    "1.3.6.1.6.3.1.1.5.1",
    "1.3.6.1.2.1.1.5.0",
    "s",
    "v3-hello",
  ]);
  const e = await trapWhere((t) => t.version === "v3" && !t.inform);
  assert.equal(e.trap?.securityName, V3.user);
  assert.equal(e.trap?.trapOid, "1.3.6.1.6.3.1.1.5.1");
  assert.deepEqual(e.trap?.varbinds, [
    { oid: "1.3.6.1.2.1.1.5.0", type: "OctetString", value: "v3-hello" },
  ]);
  await snmptrap(["-Ci", ...v3, target, "100", "1.3.6.1.6.3.1.1.5.2"]);
  const inf = await trapWhere((t) => t.version === "v3" && t.inform === true);
  assert.equal(inf.trap?.trapOid, "1.3.6.1.6.3.1.1.5.2");
});

test("a v3 trap with a wrong key is a counted Malformed event, not a trap", async () => {
  const before = sink.events.filter((e) => e.malformed).length;
  await snmptrap([
    "-v3",
    "-l",
    "authPriv",
    "-u",
    V3.user,
    "-a",
    "SHA",
    "-A",
    "wrong-auth-key",
    "-x",
    "AES",
    "-X",
    V3.priv,
    "-e",
    "0x80001f8880aabbccdd02",
    target,
    "1",
    "1.3.6.1.6.3.1.1.5.1",
  ]);
  const [m] = (await sink.waitFor(before + 1, (e) => !!e.malformed, 15_000)).slice(before);
  assert.match(m?.malformed?.reason ?? "", /^v3 (authentication|decryption) failed$/);
  const metric = await ctx.registry.getSingleMetricAsString("amoskys_agent_malformed_total");
  assert.match(metric, /protocol="snmp_trap",reason="v3 (authentication|decryption) failed"} 1/);
});

test("garbage from a known device is Malformed; anything from an unknown source is counted and dropped", async () => {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.2", () => r()));
  const s1 = dgram.createSocket("udp4");
  try {
    const n = sink.events.length;
    // A real trap, but from 127.0.0.2, which no Device claims.
    const trap = sent.find((b) => b[0] === 0x30) ?? Buffer.from("3000", "hex");
    await new Promise<void>((r) => s.send(trap, receiver.port, "127.0.0.1", () => r()));
    await new Promise<void>((r) =>
      s1.send(Buffer.from("not snmp at all"), receiver.port, "127.0.0.1", () => r()),
    );
    const [m] = await sink.waitFor(
      1,
      (e) => e.malformed?.reason === "not an SNMP message (no SEQUENCE)",
      10_000,
    );
    assert.equal(Buffer.from(m?.malformed?.sample ?? []).toString(), "not snmp at all");
    const unknown = await ctx.registry.getSingleMetricAsString(
      "amoskys_agent_unknown_source_total",
    );
    assert.match(unknown, /protocol="snmp_trap"} 1/);
    assert.equal(sink.events.slice(n).filter((e) => e.trap).length, 0);
  } finally {
    s.close();
    s1.close();
  }
});

test("fuzz: the datagram path never throws (zeek SNMP traces + snmptrap's datagrams)", async () => {
  const zeek = join(sharedDir, "testdata", "pcap", "zeek");
  const corpus: Uint8Array[] = [...sent];
  for (const f of readdirSync(zeek).filter((f) => /^Traces__snmp__.*\.pcap$/.test(f))) {
    const out = execFileSync("tshark", ["-r", join(zeek, f), "-T", "fields", "-e", "udp.payload"], {
      encoding: "utf8",
    });
    for (const hex of out.split("\n"))
      if (/^[0-9a-f]+$/.test(hex.trim())) corpus.push(Buffer.from(hex.trim(), "hex"));
  }
  assert.ok(corpus.length >= 70, `corpus of ${corpus.length}`);
  const fuzzSink = memorySink();
  const fctx = testContext(fuzzSink);
  const dev = snmpDevice("fuzz-dev", "127.0.0.1", { port: 161 });
  const r = createTrapReceiver({ port: 0 }, staticDirectory([dev]), fctx);
  const { runs } = await fuzz(corpus, (b) => r.handle(b, { address: "127.0.0.1", port: 9 }));
  assert.ok(runs > 0);
  assert.ok(
    fuzzSink.events.some((e) => e.malformed),
    "mutations were reported as malformed",
  );
});

// Capture what snmptrap sends, for the fuzz corpus: a plain socket posing as a receiver.
before(async () => {
  const cap = dgram.createSocket("udp4");
  await new Promise<void>((r) => cap.bind(0, "127.0.0.1", () => r()));
  cap.on("message", (m) => sent.push(Buffer.from(m)));
  const to = `127.0.0.1:${cap.address().port}`;
  await snmptrap([
    "-v1",
    "-c",
    "public",
    to,
    "1.3.6.1.4.1.8072",
    "127.0.0.1",
    "6",
    "1",
    "1",
    "1.3.6.1.2.1.1.1.0",
    "s",
    "x",
  ]);
  await snmptrap([
    "-v2c",
    "-c",
    "public",
    to,
    "1",
    "1.3.6.1.6.3.1.1.5.3",
    "1.3.6.1.2.1.2.2.1.1.2",
    "i",
    "2",
  ]);
  await snmptrap([
    "-v3",
    "-l",
    "authPriv",
    "-u",
    V3.user,
    "-a",
    "SHA",
    "-A",
    V3.auth,
    "-x",
    "AES",
    "-X",
    V3.priv,
    "-e",
    "0x80001f8880aabbccdd03",
    to,
    "1",
    "1.3.6.1.6.3.1.1.5.1",
  ]);
  const deadline = Date.now() + 5000;
  while (sent.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  cap.close();
});
