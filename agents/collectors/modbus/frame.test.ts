// The Modbus/TCP response decoder: hand-built frames, the answer keys of real
// captures, and a fuzz pass over frames taken from those captures.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { fuzz } from "../../fuzz.ts";
import {
  decodeResponsePdu,
  decodeResponseStream,
  encodeReadRequest,
  MAX_ADU,
  takeAdu,
} from "./frame.ts";
import { tcpStreams } from "./pcap.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const PCAP = join(sharedDir, "testdata/pcap");

test("read requests are 12 bytes: MBAP + FC + address + quantity", () => {
  assert.deepEqual(encodeReadRequest(1, 1, 3, 0, 14), hex("0001 0000 0006 01 03 0000 000e"));
  assert.deepEqual(
    encodeReadRequest(0x10000 + 5, 255, 1, 65535, 2000),
    hex("0005 0000 0006 ff 01 ffff 07d0"),
  );
});

test("MBAP framing: incomplete, complete, bad headers", () => {
  assert.deepEqual(takeAdu(hex("0001 0000 00")), { kind: "incomplete" });
  assert.deepEqual(takeAdu(hex("0001 0000 0007 01 03 04 0064")), { kind: "incomplete" });
  const t = takeAdu(hex("0001 0000 0007 01 03 04 0064 00c8 ffff"));
  assert.equal(t.kind, "frame");
  if (t.kind !== "frame") return;
  assert.equal(t.size, 13);
  assert.equal(t.adu.transactionId, 1);
  assert.equal(t.adu.unitId, 1);
  assert.deepEqual(Buffer.from(t.adu.pdu), hex("03 04 0064 00c8"));
  assert.deepEqual(takeAdu(hex("0001 0001 0003 01 83 02")), {
    kind: "malformed",
    reason: "protocol id not 0",
  });
  assert.deepEqual(takeAdu(hex("0001 0000 0001 01")), {
    kind: "malformed",
    reason: "mbap length too short",
  });
  // 255 = unit id + a 254-byte PDU: one more than the protocol allows.
  assert.deepEqual(takeAdu(hex("0001 0000 00ff 01")), {
    kind: "malformed",
    reason: "mbap length too long",
  });
  assert.equal(
    takeAdu(Buffer.concat([hex("0001 0000 00fe 01 04 fa"), Buffer.alloc(251)])).kind,
    "frame",
  );
  assert.equal(MAX_ADU, 260);
});

test("response PDUs: registers, bits, exceptions, and what does not answer the request", () => {
  assert.deepEqual(decodeResponsePdu(hex("03 04 0064 00c8"), { functionCode: 3, quantity: 2 }), {
    kind: "words",
    functionCode: 3,
    words: [100, 200],
  });
  // 0x8D = 1000 1101: LSB first -> 1,0,1,1,0,0,0,1 (the env's coils 0..7).
  assert.deepEqual(decodeResponsePdu(hex("01 01 8d"), { functionCode: 1, quantity: 8 }), {
    kind: "bits",
    functionCode: 1,
    bits: [1, 0, 1, 1, 0, 0, 0, 1],
  });
  // 4 discrete inputs in one byte 0x0A = 1010 -> 0,1,0,1; the padding bits are dropped.
  assert.deepEqual(decodeResponsePdu(hex("02 01 0a"), { functionCode: 2, quantity: 4 }), {
    kind: "bits",
    functionCode: 2,
    bits: [0, 1, 0, 1],
  });
  assert.deepEqual(decodeResponsePdu(hex("83 02"), { functionCode: 3, quantity: 1 }), {
    kind: "exception",
    functionCode: 3,
    exceptionCode: 2,
  });
  assert.deepEqual(decodeResponsePdu(hex("84 01")), {
    kind: "exception",
    functionCode: 4,
    exceptionCode: 1,
  });
  assert.deepEqual(decodeResponsePdu(hex("81 06 00")), {
    kind: "exception",
    functionCode: 1,
    exceptionCode: 6,
  });
  const bad = (pdu: string, expect?: { functionCode: 1 | 2 | 3 | 4; quantity: number }) =>
    decodeResponsePdu(hex(pdu), expect);
  assert.deepEqual(bad(""), { kind: "malformed", reason: "empty pdu" });
  assert.deepEqual(bad("83"), { kind: "malformed", reason: "exception without code" });
  assert.deepEqual(bad("03"), { kind: "malformed", reason: "missing byte count" });
  assert.deepEqual(bad("03 04 0064"), { kind: "malformed", reason: "byte count mismatch" });
  assert.deepEqual(bad("03 03 006400"), { kind: "malformed", reason: "odd register byte count" });
  assert.deepEqual(bad("03 02 0064", { functionCode: 3, quantity: 2 }), {
    kind: "malformed",
    reason: "register count mismatch",
  });
  assert.deepEqual(bad("01 02 8d00", { functionCode: 1, quantity: 8 }), {
    kind: "malformed",
    reason: "bit count mismatch",
  });
  assert.deepEqual(bad("04 02 0064", { functionCode: 3, quantity: 1 }), {
    kind: "malformed",
    reason: "function code mismatch",
  });
  assert.deepEqual(bad("84 02", { functionCode: 3, quantity: 1 }), {
    kind: "malformed",
    reason: "function code mismatch",
  });
  assert.deepEqual(bad("10 0000 0002"), { kind: "other", functionCode: 16, length: 5 });
});

/** Server-to-client streams (source port 502) of a capture. */
function responses(file: string) {
  return tcpStreams(readFileSync(join(PCAP, file))).filter((s) => s.srcPort === 502);
}

function tally(file: string) {
  const byKind = new Map<string, number>();
  let malformedStreams = 0;
  for (const s of responses(file)) {
    const r = decodeResponseStream(s.bytes);
    if (r.malformed) malformedStreams++;
    for (const { response: x } of r.frames) {
      const k =
        x.kind === "exception"
          ? `exception ${x.functionCode}/${x.exceptionCode}`
          : x.kind === "malformed"
            ? `malformed ${x.reason}`
            : `fc ${x.functionCode}`;
      byKind.set(k, (byKind.get(k) ?? 0) + 1);
    }
  }
  return { byKind: Object.fromEntries([...byKind].sort()), malformedStreams };
}

test("ModbusTCP.pcap: every response decodes, none is an exception", () => {
  // SOURCES.md (ITI/ICS-Security-Tools ModbusTCP.pcap): queries FC 1:1519, 2:1574,
  // 4:2768, 15:2115, 16:14, no exceptions. Responses: the same per FC, except the
  // last 2 FC 2 and 2 FC 15 queries that went unanswered in the capture (tshark
  // 4.0 counts the same 1519/1572/2768/2113/14 responses).
  assert.deepEqual(tally("iti-ics/ModbusTCP.pcap"), {
    byKind: { "fc 1": 1519, "fc 15": 2113, "fc 16": 14, "fc 2": 1572, "fc 4": 2768 },
    malformedStreams: 0,
  });
});

test("modbus_test_data_part1.pcap: the 14 exception responses", () => {
  // SOURCES.md (Digital Bond test data): 14 exception responses, codes 11 x4,
  // 5 x5, 6 x5. tshark 4.0 pairs them with FC 8 (code 11) and FC 1 (5 and 6).
  // Its FC 1 exceptions carry a padding byte, which the decoder tolerates.
  const { byKind, malformedStreams } = tally("iti-ics/modbus_test_data_part1.pcap");
  const exceptions = Object.entries(byKind).filter(([k]) => k.startsWith("exception"));
  assert.deepEqual(Object.fromEntries(exceptions), {
    "exception 1/5": 5,
    "exception 1/6": 5,
    "exception 8/11": 4,
  });
  // One stream goes on with a header whose protocol id is not 0: it is cut there.
  assert.equal(malformedStreams, 1);
});

test("zeek's 4SICS and EIT traces: the exceptions zeek logs", () => {
  // SOURCES.md: 4SICS-GeekLounge-151022-min.pcap is FC 23 (read/write multiple
  // registers); modbus-eit.pcap is FC 43 from the same lab. Their responses are an
  // exception 10 (gateway path unavailable) to FC 23 and an FC 43 answer plus an
  // exception 4 (server device failure) to it.
  assert.deepEqual(tally("zeek/Traces__modbus__4SICS-GeekLounge-151022-min.pcap").byKind, {
    "exception 23/10": 1,
  });
  assert.deepEqual(tally("zeek/Traces__modbus__modbus-eit.pcap").byKind, {
    "exception 43/4": 1,
    "fc 43": 1,
  });
});

test("fuzz: the response decoder never throws on mutated real frames", async () => {
  // Corpus: single ADUs and stream openings from every Modbus capture in testdata.
  const files = [
    "iti-ics/ModbusTCP.pcap",
    "iti-ics/modbus_test_data_part1.pcap",
    "zeek/Traces__modbus__4SICS-GeekLounge-151022-min.pcap",
    "zeek/Traces__modbus__fuzz-1011.pcap",
    "zeek/Traces__modbus__fuzz-72.pcap",
    "zeek/Traces__modbus__modbus-and-non-modbus-p502.pcap",
    "zeek/Traces__modbus__modbus-eit.pcap",
    "zeek/Traces__modbus__modbusSmall.pcap",
  ];
  const corpus: Uint8Array[] = [];
  for (const f of files) {
    for (const s of tcpStreams(readFileSync(join(PCAP, f)))) {
      if (s.bytes.length === 0) continue;
      corpus.push(s.bytes.subarray(0, 600));
      const r = decodeResponseStream(s.bytes, 8);
      let at = 0;
      for (const fr of r.frames) {
        const size = 7 + fr.adu.pdu.length;
        corpus.push(s.bytes.subarray(at, at + size));
        at += size;
      }
    }
  }
  assert.ok(corpus.length > 50, `corpus of ${corpus.length}`);
  const expects = [
    { functionCode: 1, quantity: 8 },
    { functionCode: 3, quantity: 2 },
    { functionCode: 4, quantity: 125 },
  ] as const;
  let i = 0;
  const { runs } = await fuzz(corpus, (input) => {
    const r = decodeResponseStream(input);
    // What the poller's client does with one frame answering its own request.
    const t = takeAdu(input);
    if (t.kind === "frame") {
      const d = decodeResponsePdu(t.adu.pdu, expects[i++ % expects.length]);
      if (d.kind === "words") assert.ok(d.words.every((w) => w >= 0 && w <= 0xffff));
      if (d.kind === "bits") assert.ok(d.bits.every((b) => b === 0 || b === 1));
    }
    return r;
  });
  assert.ok(runs >= 2000);
});
