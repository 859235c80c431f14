// Mutation fuzzing (agents/fuzz.ts) of the pcap reader, the packet decoder,
// the whole pipeline and each analyzer, from the real captures in
// ../shared/testdata/pcap (SOURCES.md; zeek's fuzz-72 and fuzz-1011 Modbus
// traces are fuzz cases themselves). No exception may escape; what cannot be
// parsed comes back as a reason.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fuzz } from "../fuzz.ts";
import { modbusAnalyzer } from "./analyzers/modbus.ts";
import { mqttAnalyzer } from "./analyzers/mqtt.ts";
import { decodeSnmp } from "./analyzers/snmp.ts";
import { syslogDatagram, syslogStream } from "./analyzers/syslog.ts";
import { ftpAnalyzer, telnetAnalyzer } from "./analyzers/telnet-ftp.ts";
import { collect, type StreamAnalyzer } from "./analyzers/types.ts";
import { decodePacket } from "./packet.ts";
import { parsePcap } from "./pcap.ts";
import { TcpStream } from "./reassembly.ts";
import { PCAP_DIR } from "./testdata.ts";
import { Pipeline } from "./wire.ts";

const files = ["zeek", "suricata-verify", "iti-ics"].flatMap((d) =>
  readdirSync(join(PCAP_DIR, d))
    .filter((f) => f.endsWith(".pcap"))
    .map((f) => join(PCAP_DIR, d, f)),
);
// Whole files small enough to mutate many times (the big ITI capture is used for frames only).
const smallFiles = files.filter((f) => statSync(f).size < 32_768).map((f) => readFileSync(f));
const allPackets = files.flatMap((f) => parsePcap(readFileSync(f)).packets.slice(0, 400));
const frames = allPackets.map((p) => p.data);

/** Transport payloads to or from `port`. */
function payloads(port: number, proto: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of allPackets) {
    const d = decodePacket(p.linkType, p.data);
    if (d.kind !== "ip" || d.packet.protocol !== proto || d.packet.payload.length === 0) continue;
    if (d.packet.srcPort === port || d.packet.dstPort === port) out.push(d.packet.payload);
  }
  return out;
}

function pipelineRun(bytes: Uint8Array) {
  const r = parsePcap(bytes);
  let events = 0;
  const p = new Pipeline({ flow: () => {}, wire: () => events++, malformed: () => {} });
  for (const pkt of r.packets) p.packet(pkt);
  p.flush();
  return events;
}

test("fuzz: pcap reader and the whole pipeline on mutated capture files", async () => {
  assert.ok(smallFiles.length >= 20);
  await fuzz(smallFiles, pipelineRun, { iterations: 600 });
  // Every real file runs cleanly as well.
  for (const b of smallFiles) pipelineRun(b);
});

test("fuzz: packet decoder on mutated frames", async () => {
  assert.ok(frames.length > 500);
  await fuzz(
    frames,
    (f) => {
      for (const lt of [0, 1, 101, 113, 228, 229, 276]) decodePacket(lt, f);
    },
    { iterations: 3000 },
  );
});

/** Feeds a payload to a stream analyzer in both directions, split at a mutation-chosen point. */
function stream(make: (r: ReturnType<typeof collect>) => StreamAnalyzer) {
  return (input: Uint8Array) => {
    const r = collect();
    const a = make(r);
    a.open?.();
    const cut = input.length ? (input[0] as number) % input.length : 0;
    a.data(true, input.subarray(0, cut));
    a.data(true, input.subarray(cut));
    a.gap(true);
    a.data(false, input);
    a.data(true, input);
    return r.events.length + r.problems.length;
  };
}

test("fuzz: Modbus analyzer (zeek fuzz traces, suricata and ITI captures)", async () => {
  const corpus = payloads(502, 6);
  assert.ok(corpus.length > 100);
  await fuzz(corpus, stream(modbusAnalyzer), { iterations: 3000 });
});

test("fuzz: SNMP decoder", async () => {
  const corpus = [...payloads(161, 17), ...payloads(162, 17)];
  assert.ok(corpus.length > 50);
  await fuzz(corpus, decodeSnmp, { iterations: 3000 });
});

test("fuzz: MQTT analyzer", async () => {
  const corpus = payloads(1883, 6);
  assert.ok(corpus.length > 10);
  await fuzz(corpus, stream(mqttAnalyzer), { iterations: 3000 });
});

test("fuzz: syslog, FTP and telnet analyzers", async () => {
  const corpus = [...payloads(514, 17), ...payloads(514, 6), ...payloads(1883, 6)];
  assert.ok(corpus.length > 5);
  await fuzz(corpus, (b) => syslogDatagram(b, true, collect()), { iterations: 1000 });
  await fuzz(corpus, stream(syslogStream), { iterations: 1000 });
  await fuzz(corpus, stream(ftpAnalyzer), { iterations: 1000 });
  await fuzz(corpus, stream(telnetAnalyzer), { iterations: 1000 });
});

test("fuzz: TCP reassembly with hostile sequence numbers stays bounded", async () => {
  const corpus = payloads(502, 6);
  await fuzz(
    corpus,
    (b) => {
      const s = new TcpStream({ maxPendingBytes: 4096, maxPendingSegments: 8 });
      let delivered = 0;
      for (let i = 0; i + 9 <= b.length; i += 9) {
        const seq = Buffer.from(b).readUInt32BE(i);
        const out =
          (b[i + 4] as number) & 1
            ? s.push(seq, b[i + 5] as number, b.subarray(i + 6, i + 9))
            : s.acked(seq);
        for (const c of out) if ("data" in c) delivered += c.data.length;
      }
      for (const c of s.flush()) if ("data" in c) delivered += c.data.length;
      if (delivered > b.length) throw new Error("delivered more than was sent");
    },
    { iterations: 2000 },
  );
});
