// The listener against real senders: util-linux logger (UDP, TCP with LF and
// octet-counted framing, RFC 5424 and 3164), Zeek's traces replayed from
// loopback, openssl s_client over TLS, and hostile clients.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { fileURLToPath } from "node:url";
import type { Registry } from "prom-client";
import { eventually } from "../../../e2e/env/eventually.ts";
import { CertificateAuthority, type KeyPair } from "../../../e2e/env/pki.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, SyslogFormat } from "../../events.ts";
import { mutate, rng } from "../../fuzz.ts";
import { memorySink, staticDirectory, testContext } from "../../testing.ts";
import { decodeMessage } from "./decode.ts";
import { createSyslogListener, type SyslogListenerOptions } from "./listener.ts";
import { pcapPayloads, syslogDevice, TRACES, zeekSyslogLog } from "./testdata.ts";

const GW = syslogDevice("gw-1", ["127.0.0.1"]);
const BLASTER = fileURLToPath(new URL("./blaster.ts", import.meta.url));

async function startListener(
  extra: Partial<SyslogListenerOptions> = {},
  devices: AgentDevice[] = [GW],
) {
  const sink = memorySink();
  const ctx = testContext(sink);
  // Port 0 picks a free TCP port; UDP then binds the same number, which
  // another process may hold: try again.
  for (let attempt = 0; ; attempt++) {
    const listener = createSyslogListener(
      { port: 0, host: "127.0.0.1", ...extra },
      staticDirectory(devices),
      ctx,
    );
    try {
      await listener.start();
      return { listener, sink, ctx, port: listener.ports.tcp };
    } catch (err) {
      if (attempt >= 5 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
  }
}

async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  const { values } = await m.get();
  const v = values.find((x) => Object.entries(labels).every(([k, want]) => x.labels[k] === want));
  return v?.value ?? 0;
}

const logs = (e: TelemetryEvent) => !!e.log;
const malformed = (e: TelemetryEvent) => !!e.malformed;

/** Runs logger with `lines` on stdin (one message each, on one connection for TCP). */
function logger(args: string[], lines?: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("logger", args, { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`logger ${args.join(" ")}: ${code} ${err}`)),
    );
    // logger given the message as an argument may exit before reading stdin.
    child.stdin.on("error", () => {});
    child.stdin.end(lines ? `${lines.join("\n")}\n` : "");
  });
}

function sendUdp(port: number, payloads: Uint8Array[], from = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.on("error", reject);
    s.bind(0, from, async () => {
      for (const p of payloads)
        await new Promise<void>((res, rej) =>
          s.send(p, port, "127.0.0.1", (e) => (e ? rej(e) : res())),
        );
      s.close(() => resolve());
    });
  });
}

function tcpClient(port: number, localAddress = "127.0.0.1"): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: "127.0.0.1", localAddress }, () => resolve(s));
    s.on("error", reject);
  });
}

const closed = (s: Socket) =>
  new Promise<void>((res) => (s.closed ? res() : s.once("close", () => res())));

// "Mmm dd hh:mm:ss" in the collector's zone, as RFC 3164 senders write it.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function bsdTimestamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

test("lifecycle: stop before start, twice, restart on the same port, port in use", async () => {
  const ctx = testContext();
  const dir = staticDirectory([GW]);
  const never = createSyslogListener({ port: 0, host: "127.0.0.1" }, dir, ctx);
  await never.stop();
  await never.stop();
  const { listener, port } = await startListener();
  const clash = createSyslogListener({ port, host: "127.0.0.1" }, dir, testContext());
  await assert.rejects(clash.start(), /EADDRINUSE/);
  await listener.stop();
  await listener.stop();
  const again = createSyslogListener({ port, host: "127.0.0.1" }, dir, testContext());
  await again.start();
  await again.stop();
  await assert.rejects(
    createSyslogListener({ port: 70000, maxMessageBytes: 10 }, dir, ctx).start(),
    /port: 70000 is not a port number; maxMessageBytes: 10 must be/,
  );
});

test("logger over UDP, RFC 5424 with structured data", async () => {
  const { listener, sink, port } = await startListener();
  try {
    await logger([
      "--server",
      "127.0.0.1",
      "--port",
      String(port),
      "--udp",
      "-p",
      "auth.warning",
      "-t",
      "sshd",
      "--msgid",
      "LOGIN",
      "--sd-id",
      "zoo@123",
      "--sd-param",
      'tiger="hun\\"gry\\]"',
      "Failed password for root",
    ]);
    const [status] = await sink.waitFor(1, (e) => !!e.status);
    assert.equal(status?.status?.capability, Capability.CAPABILITY_REAL);
    assert.equal(status?.status?.reachable, true);
    const [ev] = await sink.waitFor(1, logs);
    assert.ok(ev?.log);
    assert.deepEqual(ev.device, { namespace: "plant", name: "gw-1", address: "127.0.0.1" });
    assert.equal(ev.log.format, SyslogFormat.SYSLOG_FORMAT_RFC5424);
    assert.deepEqual([ev.log.facility, ev.log.severity], [4, 4]);
    assert.deepEqual(
      [ev.log.hostname, ev.log.appName, ev.log.msgId, ev.log.message],
      [hostname(), "sshd", "LOGIN", "Failed password for root"],
    );
    const zoo = ev.log.structuredData?.find((sd) => sd.id === "zoo@123");
    assert.deepEqual(zoo?.params, { tiger: 'hun"gry]' });
    assert.ok(ev.log.structuredData?.some((sd) => sd.id === "timeQuality"));
    // observed is logger's own timestamp (µs precision), not our receive time.
    const observed = (ev.observed?.seconds as number) + (ev.observed?.nanos as number) / 1e9;
    const collected = (ev.collected?.seconds as number) + (ev.collected?.nanos as number) / 1e9;
    assert.ok(Math.abs(collected - observed) < 60, `${observed} vs ${collected}`);
    assert.notEqual((ev.observed?.nanos as number) % 1_000_000, 0);
  } finally {
    await listener.stop();
  }
});

test("logger over TCP: LF framing (RFC 5424) and octet counting (RFC 3164)", async () => {
  const { listener, sink, ctx, port } = await startListener();
  try {
    // Default TCP framing of logger is LF; several lines share one connection.
    await logger(
      ["--server", "127.0.0.1", "--port", String(port), "--tcp", "-t", "app"],
      ["first", "second", "third"],
    );
    const lf = await sink.waitFor(3, logs);
    assert.deepEqual(
      lf.map((e) => [e.log?.format, e.log?.appName, e.log?.message]),
      ["first", "second", "third"].map((m) => [SyslogFormat.SYSLOG_FORMAT_RFC5424, "app", m]),
    );
    await logger(
      [
        "--server",
        "127.0.0.1",
        "--port",
        String(port),
        "--tcp",
        "--octet-count",
        "--rfc3164",
        "-p",
        "local3.err",
        "-i",
        "-t",
        "plc",
      ],
      ["valve 7 open", "line with\ttab"],
    );
    const oc = (await sink.waitFor(5, logs)).slice(3);
    for (const e of oc) {
      assert.equal(e.log?.format, SyslogFormat.SYSLOG_FORMAT_RFC3164);
      assert.deepEqual(
        [e.log?.facility, e.log?.severity, e.log?.appName, e.log?.hostname],
        [19, 3, "plc", hostname()],
      );
      assert.match(e.log?.procId ?? "", /^\d+$/);
    }
    assert.deepEqual(
      oc.map((e) => e.log?.message),
      ["valve 7 open", "line with\ttab"],
    );
    // logger --rfc3164 sends local time, to the second.
    const now = Date.now() / 1000;
    assert.ok(Math.abs((oc[0]?.observed?.seconds as number) - now) < 120);
    assert.equal(
      await metric(ctx.registry, "amoskys_agent_collected_events_total", { protocol: "syslog" }),
      6,
    );
    assert.equal(sink.events.filter((e) => e.status).length, 1, "one Status per device");
  } finally {
    await listener.stop();
  }
});

// Answer key: Zeek's syslog.log for each trace (../shared/testdata/SOURCES.md,
// zeek/zeek testing/btest @a13de64fbbdb). Zeek's message is the text after
// the PRI, so it must equal timestamp, hostname, tag and message rebuilt.
test("Zeek traces replayed over UDP and TCP match syslog.log", async () => {
  const { listener, sink, port } = await startListener();
  try {
    const expected = [
      ...zeekSyslogLog(TRACES.udp.log),
      ...zeekSyslogLog(TRACES.tcpOctet.log),
      ...zeekSyslogLog(TRACES.tcpLf.log),
    ];
    await sendUdp(port, await pcapPayloads(TRACES.udp.pcap, "udp"));
    await sink.waitFor(1, logs);
    for (const t of [TRACES.tcpOctet, TRACES.tcpLf]) {
      const before = sink.events.filter(logs).length;
      const s = await tcpClient(port);
      for (const seg of await pcapPayloads(t.pcap, "tcp")) s.write(seg);
      s.end();
      await closed(s);
      await sink.waitFor(before + zeekSyslogLog(t.log).length, logs);
    }
    const got = sink.events.filter(logs);
    assert.equal(got.length, expected.length);
    got.forEach((e, i) => {
      const row = expected[i];
      const l = e.log;
      assert.ok(row && l);
      assert.deepEqual([l.facility, l.severity], [row.facility, row.severity], `row ${i}`);
      const tag = l.appName ? `${l.appName}${l.procId ? `[${l.procId}]` : ""}: ` : "";
      const rebuilt = `${bsdTimestamp(e.observed?.seconds as number)} ${l.hostname ? `${l.hostname} ` : ""}${tag}${l.message}`;
      assert.equal(rebuilt, row.message, `row ${i}`);
    });
    // The trace without a PRI: RAW, user.notice, the whole datagram.
    const [raw] = await pcapPayloads(TRACES.missingPri.pcap, "udp");
    assert.ok(raw);
    await sendUdp(port, [raw]);
    const [r] = (await sink.waitFor(expected.length + 1, logs)).slice(-1);
    assert.deepEqual(
      [r?.log?.format, r?.log?.facility, r?.log?.severity, r?.log?.message],
      [SyslogFormat.SYSLOG_FORMAT_RAW, 1, 5, raw.toString("utf8")],
    );
  } finally {
    await listener.stop();
  }
});

test("identical messages are distinct events; ids are stable per reception", async () => {
  const { listener, sink, port } = await startListener();
  try {
    const line = Buffer.from(
      "<38>Nov 26 10:00:00 gw-1 sshd[1]: Failed password for root from 10.0.0.9",
    );
    await sendUdp(port, [line, line, line]);
    const got = await sink.waitFor(3, logs);
    assert.equal(new Set(got.map((e) => e.id)).size, 3);
    // Each id is the reception's: recomputed from its facts it is the same.
    // Receptions in one millisecond are numbered 0, 1, 2; find each one's number.
    const byMs = new Map<number, number>();
    for (const e of got) {
      const ms = (e.collected?.seconds as number) * 1000 + (e.collected?.nanos as number) / 1e6;
      const occurrence = byMs.get(ms) ?? 0;
      byMs.set(ms, occurrence + 1);
      const r = { device: GW, ip: "127.0.0.1", receivedMs: ms, occurrence };
      assert.equal(decodeMessage(line, r).event.id, e.id);
    }
  } finally {
    await listener.stop();
  }
});

test("datagrams the kernel drops are counted; with those handed on they make up all sent", async () => {
  // The smallest receive buffer, and our event loop blocked by spawnSync while
  // blaster.ts sends: most datagrams cannot be queued and the kernel drops them.
  const { listener, sink, ctx, port } = await startListener({ udpReceiveBufferBytes: 4096 });
  try {
    assert.ok(listener.udpReceiveBufferBytes > 0 && listener.udpReceiveBufferBytes < 65536);
    const sent = 3000;
    const r = spawnSync(process.execPath, [BLASTER, "127.0.0.1", String(port), String(sent)]);
    assert.equal(r.status, 0, String(r.stderr));
    let handed = 0;
    await eventually(async () => {
      const drops = await metric(ctx.registry, "amoskys_agent_syslog_udp_drops", {});
      handed = sink.events.filter((e) => e.log).length;
      assert.ok(drops > 0, "no kernel drops counted");
      assert.equal(handed + drops, sent);
    });
    assert.ok(handed > 0);
  } finally {
    await listener.stop();
  }
  assert.equal(await metric(ctx.registry, "amoskys_agent_syslog_udp_drops", {}), 0);
});

test("unknown sources are counted and dropped, over UDP and TCP", async () => {
  const { listener, sink, ctx, port } = await startListener();
  try {
    await sendUdp(port, [Buffer.from("<13>from a stranger")], "127.0.0.2");
    const s = await tcpClient(port, "127.0.0.2");
    s.on("error", () => {});
    s.write("<13>from a stranger over tcp\n");
    await closed(s); // the listener hangs up on it
    await eventually(async () =>
      assert.equal(
        await metric(ctx.registry, "amoskys_agent_unknown_source_total", { protocol: "syslog" }),
        2,
      ),
    );
    assert.equal(
      await metric(ctx.registry, "amoskys_agent_syslog_connections_closed_total", {
        reason: "unknown_source",
      }),
      1,
    );
    await sendUdp(port, [Buffer.from("<13>from a known device")]);
    const [ev] = await sink.waitFor(1, logs);
    assert.equal(ev?.log?.message, "from a known device");
    assert.equal(sink.events.filter(logs).length, 1);
  } finally {
    await listener.stop();
  }
});

test("connection limit: extra connections are closed, counted, and the rest still work", async () => {
  const { listener, sink, ctx, port } = await startListener({ maxConnections: 2 });
  try {
    const a = await tcpClient(port);
    const b = await tcpClient(port);
    await eventually(async () =>
      assert.equal(
        await metric(ctx.registry, "amoskys_agent_syslog_connections", { transport: "tcp" }),
        2,
      ),
    );
    const c = await tcpClient(port);
    c.on("error", () => {});
    await closed(c);
    assert.equal(
      await metric(ctx.registry, "amoskys_agent_syslog_connections_closed_total", {
        reason: "limit",
      }),
      1,
    );
    a.write("<13>from a\n");
    b.write("5 <13>b");
    const got = await sink.waitFor(2, logs);
    assert.deepEqual(got.map((e) => e.log?.message).sort(), ["b", "from a"]);
    a.end();
    b.end();
    await Promise.all([closed(a), closed(b)]);
    await eventually(async () =>
      assert.equal(
        await metric(ctx.registry, "amoskys_agent_syslog_connections", { transport: "tcp" }),
        0,
      ),
    );
  } finally {
    await listener.stop();
  }
});

test("oversize and absurd frames: Malformed, counted; an absurd count closes the connection", async () => {
  const { listener, sink, ctx, port } = await startListener({ maxMessageBytes: 512 });
  try {
    await sendUdp(port, [Buffer.from(`<13>${"u".repeat(1000)}`)]);
    const s = await tcpClient(port);
    s.write(`<13>${"x".repeat(1000)}\n<13>fits\n`);
    const [fits] = await sink.waitFor(1, logs);
    assert.equal(fits?.log?.message, "fits");
    s.write("999999999 <13>and then some");
    await closed(s);
    const bad = await sink.waitFor(3, malformed);
    assert.deepEqual(bad.map((e) => [e.malformed?.reason, e.malformed?.length]).sort(), [
      ["frame_too_large", 1004],
      ["octet_count_too_large", 999999999],
      ["too_large", 1004],
    ]);
    assert.ok(bad.every((e) => (e.malformed?.sample?.length ?? 0) <= 256));
    for (const reason of ["too_large", "frame_too_large", "octet_count_too_large"]) {
      assert.equal(
        await metric(ctx.registry, "amoskys_agent_malformed_total", { protocol: "syslog", reason }),
        1,
        reason,
      );
    }
    assert.equal(
      await metric(ctx.registry, "amoskys_agent_syslog_connections_closed_total", {
        reason: "octet_count_too_large",
      }),
      1,
    );
  } finally {
    await listener.stop();
  }
});

test("backpressure: a slow sink pauses TCP (nothing lost) and drops UDP (counted)", async () => {
  let open!: () => void;
  const gate = new Promise<void>((res) => {
    open = res;
  });
  const sink = memorySink();
  const slow = {
    async emit(evs: TelemetryEvent[]) {
      await sink.emit(evs);
      await gate;
    },
  };
  const ctx = testContext(slow);
  const listener = createSyslogListener(
    { port: 0, host: "127.0.0.1", maxPendingEvents: 50 },
    staticDirectory([GW]),
    ctx,
  );
  await listener.start();
  try {
    const port = listener.ports.tcp;
    const s = await tcpClient(port);
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `<13>line ${String(i).padStart(5, "0")} ${"p".repeat(80)}\n`,
    );
    s.write(lines.join(""));
    s.end();
    await sink.waitFor(50, logs);
    await sendUdp(port, [Buffer.from("<13>while the sink is behind")]);
    await eventually(async () =>
      assert.equal(
        await metric(ctx.registry, "amoskys_agent_syslog_dropped_total", {
          reason: "backpressure",
        }),
        1,
      ),
    );
    assert.ok(sink.events.filter(logs).length < 3000, "TCP was not paused");
    open();
    const got = await sink.waitFor(3000, logs);
    assert.equal(got.length, 3000);
    assert.equal(got[2999]?.log?.message?.slice(0, 10), "line 02999");
  } finally {
    open();
    await listener.stop();
  }
});

test("fuzzed datagrams: each becomes one event, every failure a counted Malformed", async () => {
  const { listener, sink, ctx, port } = await startListener();
  try {
    const corpus = [
      ...(await pcapPayloads(TRACES.udp.pcap, "udp")),
      ...(await pcapPayloads(TRACES.missingPri.pcap, "udp")),
      ...(await pcapPayloads(TRACES.tcpLf.pcap, "tcp")),
    ];
    const r = rng(7);
    const inputs = Array.from({ length: 300 }, (_, i) =>
      mutate(corpus[i % corpus.length] as Uint8Array, corpus, r),
    ).filter(
      (b) => b.length > 0, // an empty datagram is not a message at all
    );
    // In small batches: the socket's receive buffer is the kernel's to overflow.
    const isMessage = (e: TelemetryEvent) => !!e.log || !!e.malformed;
    for (let i = 0; i < inputs.length; i += 20) {
      await sendUdp(port, inputs.slice(i, i + 20));
      await sink.waitFor(Math.min(i + 20, inputs.length), isMessage);
    }
    const got = sink.events.filter(isMessage);
    assert.equal(got.length, inputs.length);
    const bad = got.filter(malformed).length;
    assert.ok(bad > 0);
    const m = ctx.registry.getSingleMetric("amoskys_agent_malformed_total");
    const counted = (await m?.get())?.values.reduce((n, v) => n + v.value, 0);
    assert.equal(counted, bad);
  } finally {
    await listener.stop();
  }
});

test("TLS (RFC 5425): openssl s_client and a node client with certificates; others refused", async () => {
  const dir = await mkdtemp(join(tmpdir(), "amoskys-syslog-tls-"));
  try {
    const ca = await CertificateAuthority.create(dir);
    const server = await ca.issue({
      file: "server",
      cn: "syslog",
      ips: ["127.0.0.1"],
      dns: ["localhost"],
      usage: "server",
    });
    const client = await ca.issue({ file: "client", cn: "gw-1", usage: "client" });
    const { listener, sink, ctx } = await startListener({
      tls: { port: 0, certFile: server.cert, keyFile: server.key, caFile: ca.cert },
    });
    try {
      const tlsPort = listener.ports.tls as number;
      // rsyslog here has no TLS driver (no lmnsd_gtls/ossl), so openssl is the
      // independent TLS peer: octet-counted frames on stdin (RFC 5425 §4.3).
      const frames = [
        "<165>1 2026-11-26T10:00:00.5Z gw-1 app 1 TLS - over tls",
        "<13>Nov 26 10:00:01 gw-1 app: second",
      ]
        .map((m) => `${Buffer.byteLength(m)} ${m}`)
        .join("");
      await sClient(tlsPort, ca.cert, client, frames);
      const got = await sink.waitFor(2, logs);
      assert.deepEqual(
        got.map((e) => [e.log?.format, e.log?.message]),
        [
          [SyslogFormat.SYSLOG_FORMAT_RFC5424, "over tls"],
          [SyslogFormat.SYSLOG_FORMAT_RFC3164, "second"],
        ],
      );
      assert.deepEqual(got[0]?.observed, {
        seconds: Date.UTC(2026, 10, 26, 10, 0, 0) / 1000,
        nanos: 500_000_000,
      });

      // Without a client certificate the handshake fails: counted, nothing emitted.
      await new Promise<void>((resolve) => {
        const s = tlsConnect({
          port: tlsPort,
          host: "127.0.0.1",
          ca: [readFileSync(ca.cert, "utf8")],
          servername: "localhost",
        });
        s.on("secureConnect", () => s.write("10 <13>nocert"));
        s.on("error", () => resolve());
        s.on("close", () => resolve());
      }).catch(() => {});
      await eventually(async () =>
        assert.equal(
          await metric(ctx.registry, "amoskys_agent_syslog_connections_closed_total", {
            reason: "tls_handshake",
          }),
          1,
        ),
      );
      assert.equal(sink.events.filter(logs).length, 2);
    } finally {
      await listener.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function sClient(
  port: number,
  caFile: string,
  client: KeyPair,
  input: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      "openssl",
      [
        "s_client",
        "-connect",
        `127.0.0.1:${port}`,
        "-CAfile",
        caFile,
        "-cert",
        client.cert,
        "-key",
        client.key,
        "-verify_return_error",
        "-verify_ip",
        "127.0.0.1",
        "-no_ign_eof",
      ],
      { stdio: ["pipe", "ignore", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`s_client exited ${code}: ${err}`)),
    );
    child.stdin.end(input);
  });
}
