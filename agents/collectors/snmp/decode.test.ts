// Pure unit tests: counter wrap arithmetic, value conversion, the trap header
// peek and the RFC 3584 v1 mapping.
import assert from "node:assert/strict";
import { test } from "node:test";
import { counterDelta, counterRate } from "./counters.ts";
import { peekHeader, toTrap, v1TrapOid } from "./trap-decode.ts";
import { bufferToBigInt, isOid, numericValue, parseLeadingNumber, textValue } from "./values.ts";

const TWO32 = 1n << 32n;
const TWO64 = 1n << 64n;

test("counterDelta: no wrap, 32-bit wrap, 64-bit wrap", () => {
  assert.equal(counterDelta(10n, 25n, 32), 15n);
  assert.equal(counterDelta(TWO32 - 10n, 5n, 32), 15n);
  assert.equal(counterDelta(TWO32 - 1n, 0n, 32), 1n);
  assert.equal(counterDelta(TWO64 - 3n, 2n, 64), 5n);
  assert.equal(counterDelta(7n, 7n, 64), 0n);
});

test("counterRate: per second, wrap of a Counter32, resets and type changes give no rate", () => {
  const a = { value: 1000n, bits: 32 as const, atMs: 10_000, uptime: 500 };
  assert.deepEqual(counterRate(a, { ...a, value: 3000n, atMs: 12_000, uptime: 700 }), {
    rate: 1000,
    delta: 2000n,
  });
  // Counter32 wrapped: 4294967000 -> 704 is +1000 octets in 10 s.
  const w = counterRate(
    { ...a, value: 4294967000n },
    { ...a, value: 704n, atMs: 20_000, uptime: 1500 },
  );
  assert.deepEqual(w, { rate: 100, delta: 1000n });
  // sysUpTime went backwards: the device restarted, the counter too.
  const r = counterRate(a, { ...a, value: 5n, atMs: 20_000, uptime: 100 });
  assert.ok("skipped" in r && /restarted/.test(r.skipped));
  // A Counter64 going backwards is a reset, never a wrap.
  const b = { value: 5_000_000_000n, bits: 64 as const, atMs: 0 };
  const r64 = counterRate(b, { ...b, value: 10n, atMs: 1000 });
  assert.ok("skipped" in r64 && /Counter64/.test(r64.skipped));
  assert.ok("skipped" in counterRate(a, { ...a, bits: 64, atMs: 20_000 }));
  assert.ok("skipped" in counterRate(a, { ...a }));
  // Without sysUpTime (the Eaton recording has none) a Counter32 drop is taken as a wrap.
  const nu = { value: TWO32 - 1n, bits: 32 as const, atMs: 0 };
  assert.deepEqual(counterRate(nu, { ...nu, value: 9n, atMs: 1000 }), { rate: 10, delta: 10n });
});

test("values: Counter64 bytes, leading numbers, text", () => {
  // 24167091249 is ifHCInOctets.2 of linux-full-walk.snmprec (etingof/snmpsim, see SOURCES.md).
  assert.equal(bufferToBigInt(Buffer.from("05a0788c31", "hex")), 24167091249n);
  assert.equal(bufferToBigInt(Buffer.from("00ffffffffffffffff", "hex")), TWO64 - 1n);
  assert.equal(bufferToBigInt(Buffer.alloc(10)), undefined);
  assert.equal(numericValue(70, Buffer.from("0100000000", "hex")), TWO32);
  assert.equal(numericValue(4, Buffer.from("12")), undefined);
  // Hikvision's text values (hikvision.snmprec).
  assert.equal(parseLeadingNumber("52 PERCENT"), 52);
  assert.equal(parseLeadingNumber("512 MB"), 512 * 1024 * 1024);
  assert.equal(parseLeadingNumber("n/a"), undefined);
  assert.equal(textValue(4, Buffer.from("eth0")), "eth0");
  assert.equal(textValue(4, Buffer.from("e8046278f200", "hex")), "e8046278f200");
  assert.equal(textValue(4, Buffer.alloc(5000, 0x41)).length, 1024);
  assert.ok(isOid("1.3.6.1.2.1.1.3.0"));
  assert.ok(!isOid("1.3.6.x"));
});

test("v1TrapOid: RFC 3584 section 3.1", () => {
  assert.equal(v1TrapOid("1.3.6.1.4.1.31337.0", 0, 0), "1.3.6.1.6.3.1.1.5.1"); // coldStart
  assert.equal(v1TrapOid("1.3.6.1.4.1.9", 4, 0), "1.3.6.1.6.3.1.1.5.5"); // authenticationFailure
  assert.equal(v1TrapOid("1.3.6.1.4.1.8072.2.3.1", 6, 17), "1.3.6.1.4.1.8072.2.3.1.0.17");
});

test("peekHeader: the zeek SNMPv1 trap and hostile headers", () => {
  // Traces__snmp__snmpv1_trap.pcap (zeek, SOURCES.md): v1 trap, community public.
  const trap = Buffer.from(
    "303b02010004067075626c6963a42e06092b0601040181f4690040047f000001020100020100430400000000300f300d06082b06010201020100020121",
    "hex",
  );
  assert.deepEqual(peekHeader(trap), {
    ok: true,
    version: "v1",
    community: "public",
    pduTag: 0xa4,
  });
  assert.equal(peekHeader(Buffer.alloc(0)).ok, false);
  assert.deepEqual(peekHeader(Buffer.from("3084ffffffff", "hex")), {
    ok: false,
    reason: "length field too long",
  });
  assert.deepEqual(peekHeader(Buffer.from("30820fff0201", "hex")), {
    ok: false,
    reason: "length beyond datagram",
  });
  assert.deepEqual(peekHeader(Buffer.from("3003020107", "hex")), {
    ok: false,
    reason: "unsupported SNMP version 7",
  });
});

test("toTrap: v2 notifications need snmpTrapOID.0; the community never appears", () => {
  const pdu = {
    type: 0xa7,
    varbinds: [
      { oid: "1.3.6.1.2.1.1.3.0", type: 67, value: 12345 },
      { oid: "1.3.6.1.6.3.1.1.4.1.0", type: 6, value: "1.3.6.1.6.3.1.1.5.3" },
      { oid: "1.3.6.1.2.1.2.2.1.1.2", type: 2, value: 2 },
    ],
  };
  const r = toTrap("v2c", pdu, "127.0.0.1", "");
  assert.ok(r.ok);
  assert.equal(r.trap.trapOid, "1.3.6.1.6.3.1.1.5.3");
  assert.equal(r.trap.uptime, 12345);
  assert.deepEqual(r.trap.varbinds, [
    { oid: "1.3.6.1.2.1.2.2.1.1.2", type: "Integer", value: "2" },
  ]);
  assert.equal(toTrap("v2c", { type: 0xa7, varbinds: [] }, "x", "").ok, false);
  assert.equal(toTrap("v2c", { type: 0xa0 }, "x", "").ok, false);
  assert.equal(toTrap("v2c", { type: 0xa7, varbinds: "junk" }, "x", "").ok, false);
});
