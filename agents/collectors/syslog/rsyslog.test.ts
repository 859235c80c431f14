// rsyslog as a forwarding peer: logger writes to rsyslog's private imuxsock
// socket, and omfwd forwards each message to our listener three ways — TCP
// octet-counted (RFC5424 via RSYSLOG_SyslogProtocol23Format), TCP with LF
// framing, and UDP. rsyslog here has no TLS driver (lmnsd_gtls/lmnsd_ossl are
// not installed), so TLS is tested with openssl s_client in listener.test.ts.
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { run } from "../../../e2e/env/proc.ts";
import { SyslogFormat } from "../../events.ts";
import { memorySink, staticDirectory, testContext } from "../../testing.ts";
import { createSyslogListener, type SyslogListener } from "./listener.ts";
import { type Rsyslog, socketExists, startRsyslog } from "./rsyslog.ts";
import { syslogDevice } from "./testdata.ts";

const sink = memorySink();
const ctx = testContext(sink);
let listener: SyslogListener;
let rsyslog: Rsyslog;

before(async () => {
  listener = createSyslogListener(
    { port: 0, host: "127.0.0.1" },
    staticDirectory([syslogDevice("relay-1", ["127.0.0.1"])]),
    ctx,
  );
  await listener.start();
  const port = listener.ports.tcp;
  const fwd = (extra: string) =>
    `action(type="omfwd" target="127.0.0.1" port="${port}" ${extra} template="RSYSLOG_SyslogProtocol23Format")`;
  rsyslog = await startRsyslog(
    [
      'global(workDirectory="$D/work")',
      'module(load="imuxsock" SysSock.Use="off")',
      'input(type="imuxsock" Socket="$D/log.sock" CreatePath="on" RateLimit.Interval="0")',
      fwd('protocol="tcp" TCP_Framing="octet-counted"'),
      fwd('protocol="tcp" TCP_Framing="traditional"'),
      fwd('protocol="udp"'),
    ],
    (dir) => socketExists(join(dir, "log.sock"))(),
  );
});

after(async () => {
  await rsyslog?.stop();
  await listener?.stop();
});

test("rsyslog forwards logger's messages over TCP (octet-counted and LF) and UDP", async () => {
  const sock = join(rsyslog.dir, "log.sock");
  await run("logger", [
    "-u",
    sock,
    "-p",
    "local4.crit",
    "-t",
    "pump-ctl",
    "--id=4711",
    "pressure high on P-101",
  ]);
  await run("logger", ["-u", sock, "-p", "user.info", "-t", "app", "tab\there ünïcödé"]);
  const got = await sink.waitFor(6, (e) => !!e.log, 30_000);
  const seen = got.map((e) => [
    e.log?.format,
    e.log?.facility,
    e.log?.severity,
    e.log?.hostname,
    e.log?.appName,
    e.log?.procId,
    e.log?.message,
  ]);
  // What rsyslog sends, byte for byte: %msg% keeps the space after "tag:"
  // (rsyslog's MSG starts right after the colon) and control characters are
  // escaped on receipt as #ooo (EscapeControlCharactersOnReceive, default on).
  // A message without a pid goes out with PROCID "-", which is NILVALUE.
  const pump = [
    SyslogFormat.SYSLOG_FORMAT_RFC5424,
    20,
    2,
    hostname(),
    "pump-ctl",
    "4711",
    " pressure high on P-101",
  ];
  const app = [
    SyslogFormat.SYSLOG_FORMAT_RFC5424,
    1,
    6,
    hostname(),
    "app",
    "",
    " tab#011here ünïcödé",
  ];
  // Three copies of each (one per omfwd action); transports may interleave.
  assert.equal(
    seen.filter((s) => JSON.stringify(s) === JSON.stringify(pump)).length,
    3,
    JSON.stringify(seen),
  );
  assert.equal(
    seen.filter((s) => JSON.stringify(s) === JSON.stringify(app)).length,
    3,
    JSON.stringify(seen),
  );
  assert.equal(new Set(got.map((e) => e.id)).size, 6);
  assert.equal(sink.events.filter((e) => e.malformed).length, 0);
});
