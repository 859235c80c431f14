// planReads: merging, limits and table separation, with hand-worked plans.
import assert from "node:assert/strict";
import { test } from "node:test";
import { planReads, validateModbus } from "./plan.ts";
import type { ModbusRegister } from "./value.ts";

let n = 0;
const reg = (over: Partial<ModbusRegister>): ModbusRegister => ({
  name: `r${n++}`,
  table: "holding",
  address: 0,
  type: "uint16",
  byteOrder: "big",
  wordOrder: "big",
  scale: 1,
  offset: 0,
  ...over,
});
const shape = (regs: ModbusRegister[], opts?: Parameters<typeof planReads>[1]) =>
  planReads(regs, opts).map((p) => [p.functionCode, p.address, p.quantity, p.registers.length]);

test("the env layout's registers take one read per table", () => {
  const regs = [
    ...[0, 1, 2, 3, 4].map((address) => reg({ address })),
    reg({ address: 10, type: "float32" }),
    reg({ address: 12, type: "int32" }),
    reg({ table: "input", address: 7 }),
    reg({ table: "input", address: 0 }),
    reg({ table: "coil", address: 7, type: "bool" }),
    reg({ table: "coil", address: 0, type: "bool" }),
    reg({ table: "discrete", address: 3, type: "bool" }),
  ];
  // hr 0..13 (gap 5..9 is within 16), ir 0..7, coils 0..7, di 3; tables in FC order.
  assert.deepEqual(shape(regs), [
    [1, 0, 8, 2],
    [2, 3, 1, 1],
    [3, 0, 14, 7],
    [4, 0, 8, 2],
  ]);
  const hr = planReads(regs)[2];
  assert.deepEqual(
    hr?.registers.map((r) => r.address),
    [0, 1, 2, 3, 4, 10, 12],
  );
});

test("gap allowance: 16 unused registers join, 17 do not", () => {
  assert.deepEqual(shape([reg({ address: 0 }), reg({ address: 17 })]), [[3, 0, 18, 2]]);
  assert.deepEqual(shape([reg({ address: 0 }), reg({ address: 18 })]), [
    [3, 0, 1, 1],
    [3, 18, 1, 1],
  ]);
  // A 32-bit register's second word counts as used.
  assert.deepEqual(shape([reg({ address: 0, type: "float32" }), reg({ address: 18 })]), [
    [3, 0, 19, 2],
  ]);
  // No gap allowed: only touching or overlapping registers join.
  assert.deepEqual(
    shape([reg({ address: 0 }), reg({ address: 1 }), reg({ address: 3 })], { maxGapRegisters: 0 }),
    [
      [3, 0, 2, 2],
      [3, 3, 1, 1],
    ],
  );
  assert.deepEqual(shape([reg({ address: 0 }), reg({ address: 1000 })]), [
    [3, 0, 1, 1],
    [3, 1000, 1, 1],
  ]);
});

test("125 registers per FC 3/4 read", () => {
  const regs = Array.from({ length: 126 }, (_, address) => reg({ table: "input", address }));
  assert.deepEqual(shape(regs.slice(0, 125)), [[4, 0, 125, 125]]);
  assert.deepEqual(shape(regs), [
    [4, 0, 125, 125],
    [4, 125, 1, 1],
  ]);
  // A 32-bit register never straddles two reads: 0..125 would be 126 registers.
  const free = { maxGapRegisters: 1000 };
  assert.deepEqual(shape([reg({ address: 0 }), reg({ address: 124, type: "float32" })], free), [
    [3, 0, 1, 1],
    [3, 124, 2, 1],
  ]);
  assert.deepEqual(shape([reg({ address: 0 }), reg({ address: 123, type: "float32" })], free), [
    [3, 0, 125, 2],
  ]);
  // A device that accepts less.
  assert.deepEqual(shape(regs.slice(0, 10), { maxRegisters: 4 }), [
    [4, 0, 4, 4],
    [4, 4, 4, 4],
    [4, 8, 2, 2],
  ]);
  // The protocol limit cannot be raised.
  assert.deepEqual(shape(regs, { maxRegisters: 1000 })[0], [4, 0, 125, 125]);
});

test("2000 bits per FC 1/2 read", () => {
  const coils = [0, 1999, 2000].map((address) => reg({ table: "coil", address, type: "bool" }));
  // 0 and 1999 are 1998 apart: beyond the bit gap allowance (128), so separate...
  assert.deepEqual(shape(coils), [
    [1, 0, 1, 1],
    [1, 1999, 2, 2],
  ]);
  // ...unless gaps are free; then 0..1999 is one read and 2000 the next.
  assert.deepEqual(shape(coils, { maxGapBits: 5000 }), [
    [1, 0, 2000, 2],
    [1, 2000, 1, 1],
  ]);
  const di = Array.from({ length: 2001 }, (_, address) =>
    reg({ table: "discrete", address, type: "bool" }),
  );
  assert.deepEqual(shape(di), [
    [2, 0, 2000, 2000],
    [2, 2000, 1, 1],
  ]);
});

test("overlapping registers share a read; order of configuration does not matter", () => {
  const regs = [
    reg({ address: 11 }),
    reg({ address: 10, type: "float32" }),
    reg({ address: 10, type: "uint16" }),
  ];
  assert.deepEqual(shape(regs), [[3, 10, 2, 3]]);
  assert.deepEqual(shape([...regs].reverse()), [[3, 10, 2, 3]]);
  assert.deepEqual(planReads([]), []);
});

test("validateModbus names each bad field", () => {
  const ok = { port: 502, unitId: 1, intervalSeconds: 10, timeoutSeconds: 3 };
  assert.deepEqual(validateModbus({ ...ok, registers: [reg({ name: "a" })] }), []);
  assert.deepEqual(
    validateModbus({
      port: 0,
      unitId: 256,
      intervalSeconds: 0,
      timeoutSeconds: -1,
      registers: [
        reg({ name: "a", table: "coil", type: "int16" }),
        reg({ name: "a", address: 65535, type: "float32" }),
        reg({ name: "", scale: Number.NaN }),
        reg({ name: "b", type: "double" as "int16" }),
        reg({ name: "c", type: "bool" }),
      ],
    }),
    [
      "port: not 1..65535",
      "unitId: not 0..255",
      "intervalSeconds: not > 0",
      "timeoutSeconds: not > 0",
      "registers[0].type: coil holds bits; only bool is possible",
      'registers[1].name: duplicate "a"',
      "registers[1].address: not within 0..65535",
      "registers[2].name: empty",
      "registers[2].scale: not a finite number",
      'registers[3].type: unknown "double"',
      "registers[4].type: bool is for coil and discrete only",
    ],
  );
});
