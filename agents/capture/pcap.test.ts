// The pcap reader on real captures (../shared/testdata/SOURCES.md) and on
// forms of them made by real tools (editcap: nanosecond pcap, pcapng) or by
// re-encoding the same records big-endian.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { run } from "../../e2e/env/proc.ts";
import { decodePacket, LINKTYPE } from "./packet.ts";
import { type PcapPacket, type PcapProblem, parsePcap, readPcap } from "./pcap.ts";
import { pcapPath } from "./testdata.ts";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "amoskys-capture-pcap-"));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MODBUS = "suricata-verify/tests__modbus__modbus.pcap"; // 99 packets (SOURCES.md)

async function readAll(chunks: Uint8Array[]) {
  const problems: PcapProblem[] = [];
  const packets: PcapPacket[] = [];
  async function* src() {
    for (const c of chunks) yield c;
  }
  for await (const p of readPcap(src(), (x) => problems.push(x))) packets.push(p);
  return { packets, problems };
}

/** The classic file re-encoded big-endian (same records, other byte order). */
function toBigEndian(le: Buffer): Buffer {
  const out = Buffer.from(le);
  out.writeUInt32BE(le.readUInt32LE(0), 0);
  out.writeUInt16BE(le.readUInt16LE(4), 4);
  out.writeUInt16BE(le.readUInt16LE(6), 6);
  for (const at of [8, 12, 16, 20]) out.writeUInt32BE(le.readUInt32LE(at), at);
  for (let at = 24; at + 16 <= le.length; ) {
    for (let i = 0; i < 16; i += 4) out.writeUInt32BE(le.readUInt32LE(at + i), at + i);
    at += 16 + le.readUInt32LE(at + 8);
  }
  return out;
}

test("pcap: a real capture read whole and split into tiny chunks gives the same packets", async () => {
  const bytes = await readFile(pcapPath(MODBUS));
  const whole = parsePcap(bytes);
  assert.equal(whole.packets.length, 99);
  assert.equal(whole.problems.length, 0);
  assert.equal(whole.packets[0]?.linkType, LINKTYPE.ETHERNET);
  // Records split across chunks anywhere, as tcpdump's stdout delivers them.
  const chunks: Uint8Array[] = [];
  for (let at = 0, n = 1; at < bytes.length; at += n, n = (n % 13) + 1)
    chunks.push(bytes.subarray(at, at + n));
  const split = await readAll(chunks);
  assert.deepEqual(split.packets, whole.packets);
  // tshark agrees on the first timestamp.
  const { stdout } = await run("tshark", [
    "-r",
    pcapPath(MODBUS),
    "-c",
    "1",
    "-T",
    "fields",
    "-e",
    "frame.time_epoch",
  ]);
  assert.equal((whole.packets[0]?.tsMs ?? 0) / 1000, Number(stdout.trim()));
});

test("pcap: big-endian, nanosecond (editcap) and pcapng (editcap) forms give the same packets", async () => {
  const bytes = await readFile(pcapPath(MODBUS));
  const base = parsePcap(bytes).packets;
  const be = parsePcap(toBigEndian(bytes));
  assert.deepEqual(be.packets, base);
  const ns = join(dir, "ns.pcap");
  await run("editcap", ["-F", "nsecpcap", pcapPath(MODBUS), ns]);
  const nsBytes = await readFile(ns);
  assert.equal(nsBytes.readUInt32LE(0), 0xa1b23c4d);
  assert.deepEqual(parsePcap(nsBytes).packets, base);
  const ng = join(dir, "x.pcapng");
  await run("editcap", ["-F", "pcapng", pcapPath(MODBUS), ng]);
  const ngRead = parsePcap(await readFile(ng));
  assert.equal(ngRead.problems.length, 0);
  assert.equal(ngRead.packets.length, base.length);
  for (const [i, p] of ngRead.packets.entries()) {
    assert.deepEqual(p.data, base[i]?.data);
    assert.equal(p.tsSec, base[i]?.tsSec);
    assert.equal(p.tsNanos, base[i]?.tsNanos);
    assert.equal(p.linkType, LINKTYPE.ETHERNET);
  }
});

test("pcap: a truncated final record is reported, the packets before it are kept", async () => {
  const bytes = await readFile(pcapPath(MODBUS));
  const cut = parsePcap(bytes.subarray(0, bytes.length - 5));
  assert.equal(cut.packets.length, 98);
  assert.deepEqual(
    cut.problems.map((p) => p.reason),
    ["truncated final record"],
  );
});

test("pcap: a record longer than the snaplen bound ends the stream with a reason", () => {
  const bytes = Buffer.from(parsePcapInput());
  bytes.writeUInt32LE(0x7fffffff, 24 + 8); // first record's captured length
  const r = parsePcap(bytes);
  assert.equal(r.packets.length, 0);
  assert.match(r.problems[0]?.reason ?? "", /exceeds/);
  assert.equal(r.problems[0]?.fatal, true);
  const notPcap = parsePcap(Buffer.from("hello, this is not a capture"));
  assert.match(notPcap.problems[0]?.reason ?? "", /bad magic/);
});

let modbusBytes: Buffer | undefined;
function parsePcapInput(): Buffer {
  return modbusBytes as Buffer;
}
before(async () => {
  modbusBytes = await readFile(pcapPath(MODBUS));
});

test("packet: raw IPv4 (LINKTYPE 228) and padded Ethernet frames decode with IP lengths", async () => {
  const raw = parsePcap(await readFile(pcapPath("zeek/Traces__tcp-syslog.pcap")));
  assert.equal(raw.packets[0]?.linkType, LINKTYPE.IPV4);
  const d = decodePacket(raw.packets[0]?.linkType ?? 0, raw.packets[0]?.data ?? new Uint8Array());
  assert.equal(d.kind, "ip");
  if (d.kind === "ip") {
    assert.equal(d.packet.src, "192.168.1.1");
    assert.equal(d.packet.dstPort, 514);
  }
  // IPv6 (the MQTT 5 trace is on ::1).
  const v6 = parsePcap(
    await readFile(pcapPath("suricata-verify/tests__mqtt5-pub-mosquittoprops__input.pcap")),
  );
  const d6 = decodePacket(v6.packets[0]?.linkType ?? 0, v6.packets[0]?.data ?? new Uint8Array());
  assert.equal(d6.kind === "ip" && d6.packet.src, "::1");
  assert.equal(d6.kind === "ip" && d6.packet.ipVersion, 6);
});
