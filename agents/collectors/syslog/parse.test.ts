// The pure parser and framer: RFC examples, Zeek's answer keys for its syslog
// traces, and fuzzing from those traces' real payloads.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { Source, SyslogFormat } from "../../events.ts";
import { fuzz, rng } from "../../fuzz.ts";
import { murmur3x86_128 } from "../../hash128.ts";
import { decodeMessage } from "./decode.ts";
import { createFramer, type FrameItem } from "./framing.ts";
import { type ParsedSyslog, parseRfc3339, parseSyslog, type SyslogParse } from "./parse.ts";
import { pcapPayloads, syslogDevice, TRACES, zeekSyslogLog } from "./testdata.ts";

const ok = (r: SyslogParse): ParsedSyslog => {
  assert.ok(r.ok, `expected a message, got ${JSON.stringify(r)}`);
  return r;
};
const p = (s: string | Uint8Array, opts = {}) =>
  parseSyslog(typeof s === "string" ? Buffer.from(s, "utf8") : s, opts);

function frames(framer: ReturnType<typeof createFramer>, chunks: Uint8Array[]): FrameItem[] {
  return [...chunks.flatMap((c) => framer.push(c)), ...framer.end()];
}

let udpPayloads: Buffer[] = [];
let tcpStreams: Buffer[] = [];
before(async () => {
  udpPayloads = [
    ...(await pcapPayloads(TRACES.udp.pcap, "udp")),
    ...(await pcapPayloads(TRACES.missingPri.pcap, "udp")),
  ];
  tcpStreams = [
    Buffer.concat(await pcapPayloads(TRACES.tcpOctet.pcap, "tcp")),
    Buffer.concat(await pcapPayloads(TRACES.tcpLf.pcap, "tcp")),
  ];
});

// RFC 5424 §6.5, examples 1–4 (the spec's own messages and field values).
test("RFC 5424 §6.5 examples", () => {
  const e1 = ok(
    p(
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{feff}'su root' failed for lonvick on /dev/pts/8",
    ),
  );
  assert.equal(e1.format, SyslogFormat.SYSLOG_FORMAT_RFC5424);
  assert.deepEqual([e1.facility, e1.severity], [4, 2]);
  assert.deepEqual(
    [e1.hostname, e1.appName, e1.procId, e1.msgId],
    ["mymachine.example.com", "su", "", "ID47"],
  );
  assert.equal(e1.message, "'su root' failed for lonvick on /dev/pts/8"); // BOM stripped
  assert.deepEqual(e1.timestamp, {
    seconds: Date.UTC(2003, 9, 11, 22, 14, 15) / 1000,
    nanos: 3_000_000,
  });

  const e2 = ok(
    p(
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    ),
  );
  assert.deepEqual([e2.facility, e2.severity, e2.procId], [20, 5, "8710"]);
  assert.deepEqual(e2.timestamp, {
    seconds: Date.UTC(2003, 7, 24, 12, 14, 15) / 1000,
    nanos: 3000,
  });
  assert.equal(e2.message, "%% It's time to make the do-nuts.");

  const e3 = ok(
    p(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \u{feff}An application event log entry...',
    ),
  );
  assert.deepEqual(e3.structuredData, [
    { id: "exampleSDID@32473", params: { iut: "3", eventSource: "Application", eventID: "1011" } },
  ]);
  assert.equal(e3.message, "An application event log entry...");

  const e4 = ok(
    p(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
    ),
  );
  assert.equal(e4.structuredData.length, 2);
  assert.deepEqual(e4.structuredData[1], {
    id: "examplePriority@32473",
    params: { class: "high" },
  });
  assert.equal(e4.message, "");
});

test("RFC 5424 structured data escapes and hostile names", () => {
  const r = ok(p('<13>1 - - - - - [a@1 x="q\\"\\]\\\\\\n" __proto__="z" ip="1" ip="2"] m'));
  const params = r.structuredData[0]?.params ?? {};
  assert.equal(params.x, 'q"]\\\\n'); // \" \] \\ unescaped; \n is not an escape
  assert.equal(Object.getOwnPropertyDescriptor(params, "__proto__")?.value, "z");
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
  assert.equal(params.ip, "1,2");
  assert.equal(r.timestamp, undefined); // NILVALUE
  for (const [input, reason] of [
    ["<13>1 2003-13-11T22:14:15Z h a p m - x", "rfc5424_bad_timestamp"],
    ["<13>1 2003-02-29T22:14:15Z h a p m - x", "rfc5424_bad_timestamp"],
    ["<13>1 2003-10-11T22:14:15 h a p m - x", "rfc5424_bad_timestamp"], // no zone
    ['<13>1 - h a p m [x a="1 x', "rfc5424_unterminated_sd_value"],
    ['<13>1 - h a p m [x a="1" x', "rfc5424_bad_sd_param"],
    ['<13>1 - h a p m [x a="1"', "rfc5424_bad_structured_data"],
    ["<13>1 - h a p m [x a=1]", "rfc5424_bad_sd_param"],
    ["<13>1 - h a p m", "rfc5424_missing_structured_data"],
    [`<13>1 - h ${"a".repeat(49)} p m - x`, "rfc5424_bad_app_name"],
    ["<192>hello", "bad_pri"],
    ["<1a>hello", "bad_pri"],
    ["<>hello", "bad_pri"],
    ["", "empty"],
    ["\n", "empty"],
  ] as const) {
    assert.deepEqual(p(input), { ok: false, reason }, input);
  }
});

test("RFC 3164: timestamp with inferred year, hostname, tag[pid]", () => {
  const now = Date.UTC(2026, 0, 3, 12, 0, 0); // 3 January 2026
  const r = ok(
    p("<86>Dec 31 23:59:58 gw-1 sshd[4242]: Failed password for root", { now, rfc3164Zone: "utc" }),
  );
  assert.equal(r.format, SyslogFormat.SYSLOG_FORMAT_RFC3164);
  assert.deepEqual([r.facility, r.severity], [10, 6]);
  assert.deepEqual([r.hostname, r.appName, r.procId], ["gw-1", "sshd", "4242"]);
  assert.equal(r.message, "Failed password for root");
  // December read in January is last year's.
  assert.deepEqual(r.timestamp, { seconds: Date.UTC(2025, 11, 31, 23, 59, 58) / 1000, nanos: 0 });
  const z = ok(p("<13>Jan  2 01:02:03 h t: m", { now, rfc3164Zone: "utc" }));
  assert.deepEqual(z.timestamp, { seconds: Date.UTC(2026, 0, 2, 1, 2, 3) / 1000, nanos: 0 });
  // Feb 29 of a common year is no date: the whole content is the message.
  const f = ok(p("<13>Feb 29 01:02:03 h t: m", { now, rfc3164Zone: "utc" }));
  assert.equal(f.timestamp, undefined);
  assert.equal(f.message, "Feb 29 01:02:03 h t: m");
  // No timestamp at all.
  assert.equal(ok(p("<13>just text")).message, "just text");
  // RFC 3339 where the BSD timestamp goes (rsyslog's forward format).
  const iso = ok(p("<13>2026-01-02T03:04:05.5+01:00 host app[7]: x"));
  assert.deepEqual(iso.timestamp, {
    seconds: Date.UTC(2026, 0, 2, 2, 4, 5) / 1000,
    nanos: 500_000_000,
  });
  assert.deepEqual([iso.hostname, iso.appName, iso.procId, iso.message], ["host", "app", "7", "x"]);
});

test("RFC 3339 timestamps", () => {
  assert.deepEqual(parseRfc3339("1985-04-12T23:20:50.52Z"), {
    seconds: 482196050,
    nanos: 520_000_000,
  });
  assert.deepEqual(parseRfc3339("1985-04-12T19:20:50.52-04:00"), {
    seconds: 482196050,
    nanos: 520_000_000,
  });
  assert.equal(parseRfc3339("1985-04-12 23:20:50Z"), undefined);
  assert.equal(parseRfc3339("1985-04-12T24:20:50Z"), undefined);
});

// Answer key: Zeek's syslog.log for each trace (SOURCES.md). Zeek's `message`
// is all text after the PRI, so it must equal our timestamp, hostname, tag and
// message put back together.
test("Zeek traces: facility, severity and message match syslog.log", async () => {
  const check = (msgs: Buffer[], logFile: string) => {
    const rows = zeekSyslogLog(logFile);
    assert.equal(msgs.length, rows.length, logFile);
    msgs.forEach((m, i) => {
      const r = ok(parseSyslog(m));
      const row = rows[i];
      assert.ok(row);
      assert.equal(r.format, SyslogFormat.SYSLOG_FORMAT_RFC3164);
      assert.deepEqual(
        [r.facility, r.severity],
        [row.facility, row.severity],
        `${logFile} row ${i}`,
      );
      const tag = r.appName ? `${r.appName}${r.procId ? `[${r.procId}]` : ""}: ` : "";
      const host = r.hostname ? `${r.hostname} ` : "";
      assert.equal(
        `${r.rawTimestamp} ${host}${tag}${r.message}`,
        row.message,
        `${logFile} row ${i}`,
      );
    });
  };
  check(await pcapPayloads(TRACES.udp.pcap, "udp"), TRACES.udp.log);
  for (const t of [TRACES.tcpOctet, TRACES.tcpLf]) {
    const stream = Buffer.concat(await pcapPayloads(t.pcap, "tcp"));
    const items = frames(createFramer({ maxFrameBytes: 8192 }), [stream]);
    check(
      items.map((it) => {
        assert.ok("frame" in it, JSON.stringify(it));
        return it.frame;
      }),
      t.log,
    );
  }
  // Zeek logs nothing for the trace without a PRI; the proto's RAW format takes it whole.
  const [raw] = await pcapPayloads(TRACES.missingPri.pcap, "udp");
  assert.ok(raw);
  const r = ok(parseSyslog(raw));
  assert.deepEqual([r.format, r.facility, r.severity], [SyslogFormat.SYSLOG_FORMAT_RAW, 1, 5]);
  assert.equal(r.message, raw.toString("utf8"));
});

test("framer: split anywhere, both methods, oversize and absurd counts", async () => {
  const stream = tcpStreams[0] as Buffer; // octet-counted and LF frames mixed, as Zeek's trace
  const whole = frames(createFramer({ maxFrameBytes: 8192 }), [stream]);
  assert.equal(whole.length, 4);
  for (let i = 0; i < 200; i++) {
    const r = rng(i + 1);
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; ) {
      const n = 1 + Math.floor(r() * 20);
      chunks.push(stream.subarray(at, at + n));
      at += n;
    }
    assert.deepEqual(frames(createFramer({ maxFrameBytes: 8192 }), chunks), whole);
  }
  const f = createFramer({ maxFrameBytes: 100 });
  const items = frames(f, [
    Buffer.from(
      `150 ${"x".repeat(150)}<13>after counted\n${"y".repeat(300)}\n<13>after lf\r\n\r\n`,
    ),
    Buffer.from("12 <13>no end"),
  ]);
  assert.deepEqual(
    items.map((i) => ("frame" in i ? i.frame.toString() : `${i.error}:${i.fatal}:${i.length}`)),
    [
      "frame_too_large:false:150",
      "<13>after counted",
      "frame_too_large:false:300",
      "<13>after lf",
      "truncated_frame:false:12",
    ],
  );
  const absurd = createFramer({ maxFrameBytes: 8192 });
  const a = absurd.push(Buffer.from("9999999999 <13>x"));
  assert.equal(a.length, 1);
  assert.ok(a[0] && "error" in a[0] && a[0].error === "octet_count_too_large" && a[0].fatal);
  assert.deepEqual(absurd.push(Buffer.from("5 <13>x")), []); // dead after a fatal error
  // A line that starts with digits but no count is an LF frame.
  assert.deepEqual(
    frames(createFramer({ maxFrameBytes: 100 }), [Buffer.from("2026-01-01 boot\n")]).map((i) =>
      "frame" in i ? i.frame.toString() : i.error,
    ),
    ["2026-01-01 boot"],
  );
});

const device = syslogDevice("gw-1", ["127.0.0.1"]);

test("event ids: the same reception gives the same id; a repeat gets another", () => {
  const raw = Buffer.from("<38>Nov 26 10:00:00 gw-1 sshd[1]: Failed password for root");
  const r = { device, ip: "127.0.0.1", receivedMs: 1_764_151_200_000, occurrence: 0 };
  const a = decodeMessage(raw, r).event;
  assert.equal(decodeMessage(raw, { ...r }).event.id, a.id);
  assert.notEqual(decodeMessage(raw, { ...r, occurrence: 1 }).event.id, a.id);
  assert.notEqual(decodeMessage(raw, { ...r, receivedMs: r.receivedMs + 1 }).event.id, a.id);
  assert.notEqual(decodeMessage(raw, { ...r, ip: "127.0.0.2" }).event.id, a.id);
  assert.notEqual(decodeMessage(Buffer.from(`${raw}.`), r).event.id, a.id);
  assert.deepEqual(a.collected, { seconds: 1_764_151_200, nanos: 0 });
  // The documented scheme (decode.ts): MurmurHash3 x86_128 of the NUL-joined
  // facts then the raw bytes, base64url. Built here independently of messageId.
  const input = Buffer.concat([
    Buffer.from(
      [
        device.namespace,
        device.name,
        Source.SOURCE_PROTOCOL_SYSLOG,
        r.ip,
        r.receivedMs,
        0,
        "",
      ].join("\u0000"),
    ),
    raw,
  ]);
  const digest = Buffer.alloc(16);
  murmur3x86_128(input, input.length, 0, digest);
  assert.equal(a.id, digest.toString("base64url"));
  assert.equal(a.id.length, 22);
  // A malformed reception hashes "malformed NUL reason NUL" before the ip.
  const bad = decodeMessage(Buffer.from("<999>x"), r);
  assert.equal(bad.ok, false);
  assert.notEqual(
    bad.event.id,
    decodeMessage(Buffer.from("<999>x"), { ...r, occurrence: 1 }).event.id,
  );
  assert.equal(bad.event.id, decodeMessage(Buffer.from("<999>x"), { ...r }).event.id);
});

test("RFC 3339: the in-place reader agrees with the grammar's regular expression", () => {
  // The RFC 3339 subset RFC 5424 §6.2.3 allows, as a regex (the former
  // implementation): an oracle for the hand-written reader on mutated inputs.
  const re =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;
  const oracle = (s: string) => {
    const m = re.exec(s);
    if (!m) return undefined;
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const dim = [
      31,
      y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
      31,
      30,
      31,
      30,
      31,
      31,
      30,
      31,
      30,
      31,
    ];
    if (mo < 1 || mo > 12 || d < 1 || d > (dim[mo - 1] as number) || h > 23 || mi > 59 || sec > 60)
      return undefined;
    let offset = 0;
    if (m[8] !== "Z") {
      const oh = Number(m[9]);
      const om = Number(m[10]);
      if (oh > 23 || om > 59) return undefined;
      offset = (m[8]?.startsWith("-") ? -1 : 1) * (oh * 60 + om) * 60;
    }
    // setUTCFullYear, not Date.UTC: that reads years 0..99 as 1900..1999.
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    t.setUTCHours(h, mi, Math.min(sec, 59));
    const seconds = t.getTime() / 1000 - offset;
    return { seconds, nanos: m[7] ? Number(m[7].padEnd(9, "0")) : 0 };
  };
  const seeds = [
    "1985-04-12T23:20:50.52Z",
    "2003-10-11T22:14:15.003Z",
    "2003-08-24T05:14:15.000003-07:00",
    "2024-02-29T23:59:60+05:30",
    "2026-01-01T00:00:00Z",
    "1999-12-31T23:59:59.123456789-12:00",
  ];
  const alphabet = "0123456789-:.TZ+ z\u00e9";
  const random = rng(7);
  let checked = 0;
  for (const seed of seeds) {
    assert.deepEqual(parseRfc3339(seed), oracle(seed), seed);
    for (let n = 0; n < 2000; n++) {
      const chars = [...seed];
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (chars.length + 1));
        const c = alphabet[Math.floor(random() * alphabet.length)] as string;
        const op = random();
        if (op < 0.5) chars[at] = c;
        else if (op < 0.75) chars.splice(at, 0, c);
        else chars.splice(at, 1);
      }
      const s = chars.join("");
      assert.deepEqual(parseRfc3339(s), oracle(s), s);
      checked++;
    }
  }
  assert.equal(checked, seeds.length * 2000);
});

test("fuzz: parser and decoder on the traces' payloads never throw", async () => {
  const corpus = [
    ...udpPayloads,
    ...tcpStreams.flatMap((s) =>
      s
        .toString("latin1")
        .split(/\n/)
        .map((l) => Buffer.from(l, "latin1")),
    ),
  ];
  corpus.push(
    Buffer.from(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"][p@1 c="\\]"] \u{feff}x',
    ),
  );
  let malformed = 0;
  await fuzz(corpus, (input) => {
    const d = decodeMessage(input, {
      device,
      ip: "127.0.0.1",
      receivedMs: 1_700_000_000_000,
      occurrence: 0,
    });
    if (!d.ok) {
      malformed++;
      assert.equal(d.event.malformed?.reason, d.reason);
      assert.ok((d.event.malformed?.sample?.length ?? 0) <= 256);
    } else assert.ok(d.event.log);
  });
  assert.ok(
    malformed > 0,
    "the mutations produced no malformed input: the fuzzer is not reaching the error paths",
  );
});

test("fuzz: framer on the traces' TCP streams never throws and stays bounded", async () => {
  await fuzz(tcpStreams, (input) => {
    const f = createFramer({ maxFrameBytes: 64 });
    const r = rng(input.length + 1);
    const items: FrameItem[] = [];
    for (let at = 0; at < input.length; ) {
      const n = 1 + Math.floor(r() * 32);
      items.push(...f.push(input.subarray(at, at + n)));
      at += n;
    }
    items.push(...f.end());
    for (const it of items) {
      if ("frame" in it) {
        assert.ok(it.frame.length <= 64);
        parseSyslog(it.frame);
      } else assert.ok(it.sample.length <= 256);
    }
  });
});
