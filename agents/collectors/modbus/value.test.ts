// decodeValue against hand-computed register images (IEEE 754 and two's
// complement worked out by hand; noted next to each case).
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeValue, type ModbusRegister } from "./value.ts";

const reg = (over: Partial<ModbusRegister>): ModbusRegister => ({
  name: "r",
  table: "holding",
  address: 0,
  type: "uint16",
  byteOrder: "big",
  wordOrder: "big",
  scale: 1,
  offset: 0,
  ...over,
});

test("16-bit registers: signedness and byte order", () => {
  assert.equal(decodeValue([0x0064], reg({ type: "uint16" })), 100);
  // 0xFF38 = 65336 unsigned = 65336 - 65536 = -200 signed.
  assert.equal(decodeValue([0xff38], reg({ type: "uint16" })), 65336);
  assert.equal(decodeValue([0xff38], reg({ type: "int16" })), -200);
  assert.equal(decodeValue([0x38ff], reg({ type: "int16", byteOrder: "little" })), -200);
  assert.equal(decodeValue([0x38ff], reg({ type: "uint16", byteOrder: "little" })), 65336);
  assert.equal(decodeValue([0x7fff], reg({ type: "int16" })), 32767);
  assert.equal(decodeValue([0x8000], reg({ type: "int16" })), -32768);
  // Word order means nothing for one register.
  assert.equal(decodeValue([0x0064], reg({ type: "uint16", wordOrder: "little" })), 100);
});

test("32-bit integers in all four byte/word orders", () => {
  // 0x12345678 = 305419896; bytes 12 34 56 78.
  const orders: [ModbusRegister["byteOrder"], ModbusRegister["wordOrder"], number[]][] = [
    ["big", "big", [0x1234, 0x5678]],
    ["little", "big", [0x3412, 0x7856]],
    ["big", "little", [0x5678, 0x1234]],
    ["little", "little", [0x7856, 0x3412]], // bytes 78 56 34 12: fully little-endian
  ];
  for (const [byteOrder, wordOrder, words] of orders) {
    assert.equal(decodeValue(words, reg({ type: "uint32", byteOrder, wordOrder })), 305419896);
    assert.equal(decodeValue(words, reg({ type: "int32", byteOrder, wordOrder })), 305419896);
  }
  // -2 = 0xFFFFFFFE; as uint32 4294967294.
  assert.equal(decodeValue([0xffff, 0xfffe], reg({ type: "int32" })), -2);
  assert.equal(decodeValue([0xffff, 0xfffe], reg({ type: "uint32" })), 4294967294);
  assert.equal(decodeValue([0xfffe, 0xffff], reg({ type: "int32", wordOrder: "little" })), -2);
  // -100000 = 0xFFFE7960; little-endian bytes 60 79 FE FF.
  assert.equal(decodeValue([0xfffe, 0x7960], reg({ type: "int32" })), -100000);
  assert.equal(
    decodeValue([0x6079, 0xfeff], reg({ type: "int32", byteOrder: "little", wordOrder: "little" })),
    -100000,
  );
  assert.equal(decodeValue([0x8000, 0x0000], reg({ type: "int32" })), -2147483648);
});

test("float32 in all four orders", () => {
  // 21.5 = 1.34375 * 2^4: sign 0, exponent 131 (0x83), mantissa .34375 = 0x2C0000 -> 0x41AC0000.
  const f215: [ModbusRegister["byteOrder"], ModbusRegister["wordOrder"], number[]][] = [
    ["big", "big", [0x41ac, 0x0000]],
    ["little", "big", [0xac41, 0x0000]],
    ["big", "little", [0x0000, 0x41ac]],
    ["little", "little", [0x0000, 0xac41]],
  ];
  for (const [byteOrder, wordOrder, words] of f215)
    assert.equal(decodeValue(words, reg({ type: "float32", byteOrder, wordOrder })), 21.5);
  // -123.25 = -1.92578125 * 2^6: sign 1, exponent 133 (0x85), mantissa 0x768000 -> 0xC2F68000.
  assert.equal(decodeValue([0xc2f6, 0x8000], reg({ type: "float32" })), -123.25);
  assert.equal(
    decodeValue(
      [0x0080, 0xf6c2],
      reg({ type: "float32", byteOrder: "little", wordOrder: "little" }),
    ),
    -123.25,
  );
  // 0x7FC00000 is a quiet NaN: returned as is, the poller drops it.
  assert.ok(Number.isNaN(decodeValue([0x7fc0, 0x0000], reg({ type: "float32" }))));
  assert.equal(decodeValue([0x7f80, 0x0000], reg({ type: "float32" })), Number.POSITIVE_INFINITY);
});

test("scale and offset", () => {
  // 200 * 0.5 - 10 = 90; -200 * 0.25 + 3 = -47.
  assert.equal(decodeValue([200], reg({ scale: 0.5, offset: -10 })), 90);
  assert.equal(decodeValue([0xff38], reg({ type: "int16", scale: 0.25, offset: 3 })), -47);
  // 21.5 * 2 + 1 = 44.
  assert.equal(decodeValue([0x41ac, 0], reg({ type: "float32", scale: 2, offset: 1 })), 44);
});

test("bools: bits from coils and discrete inputs, non-zero words from registers", () => {
  assert.equal(decodeValue([1], reg({ table: "coil", type: "bool" })), 1);
  assert.equal(decodeValue([0], reg({ table: "discrete", type: "bool" })), 0);
  assert.equal(decodeValue([0x0002], reg({ type: "bool" })), 1);
  assert.equal(decodeValue([0x0000], reg({ type: "bool" })), 0);
});

test("too little data gives undefined, not a made-up value", () => {
  assert.equal(decodeValue([0x41ac], reg({ type: "float32" })), undefined);
  assert.equal(decodeValue([], reg({ type: "uint16" })), undefined);
  assert.equal(decodeValue([], reg({ table: "coil", type: "bool" })), undefined);
});
