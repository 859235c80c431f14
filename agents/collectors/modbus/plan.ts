// Which read requests cover the configured registers, pure. Fewer requests
// mean less load on a PLC and one consistent snapshot per block, so registers
// of one table that sit close together are read in one request, up to the
// protocol's per-request limits.
import { FC, MAX_READ_BITS, MAX_READ_REGISTERS, type ReadFunction } from "./frame.ts";
import { isBitTable, type ModbusRegister, type Table, widthOf } from "./value.ts";

export interface PlannedRead {
  table: Table;
  functionCode: ReadFunction;
  /** First address read, and how many bits or registers. */
  address: number;
  quantity: number;
  /** The registers this read covers, by address. */
  registers: ModbusRegister[];
}

export interface PlanOptions {
  /** Unused registers a read may span to join two neighbours (default 16). */
  maxGapRegisters?: number;
  /** Unused bits a read may span to join two neighbours (default 128). */
  maxGapBits?: number;
  /** Per-request limits; devices that accept less can lower them. */
  maxRegisters?: number;
  maxBits?: number;
}

const TABLES: readonly Table[] = ["coil", "discrete", "holding", "input"];
const TYPES: readonly ModbusRegister["type"][] = [
  "bool",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "float32",
];
const FUNCTION: Record<Table, ReadFunction> = {
  coil: FC.readCoils,
  discrete: FC.readDiscreteInputs,
  holding: FC.readHoldingRegisters,
  input: FC.readInputRegisters,
};

export function functionFor(table: Table): ReadFunction {
  return FUNCTION[table];
}

/**
 * The fewest reads that cover every register: per table, sorted by address,
 * a read grows while the next register starts within the gap allowance and
 * the read stays within the protocol limit (greedy from the lowest address,
 * which is optimal for this covering problem). Registers must be valid
 * (validateRegisters).
 */
export function planReads(
  registers: readonly ModbusRegister[],
  opts: PlanOptions = {},
): PlannedRead[] {
  const out: PlannedRead[] = [];
  for (const table of TABLES) {
    const bits = isBitTable(table);
    const maxGap = bits ? (opts.maxGapBits ?? 128) : (opts.maxGapRegisters ?? 16);
    const limit = bits
      ? Math.min(opts.maxBits ?? MAX_READ_BITS, MAX_READ_BITS)
      : Math.min(opts.maxRegisters ?? MAX_READ_REGISTERS, MAX_READ_REGISTERS);
    const regs = registers
      .filter((r) => r.table === table)
      .sort((a, b) => a.address - b.address || widthOf(b) - widthOf(a));
    let cur: PlannedRead | undefined;
    for (const r of regs) {
      const end = r.address + widthOf(r);
      if (cur) {
        const curEnd = cur.address + cur.quantity;
        const newEnd = Math.max(curEnd, end);
        if (r.address - curEnd <= maxGap && newEnd - cur.address <= limit) {
          cur.quantity = newEnd - cur.address;
          cur.registers.push(r);
          continue;
        }
      }
      cur = {
        table,
        functionCode: FUNCTION[table],
        address: r.address,
        quantity: end - r.address,
        registers: [r],
      };
      out.push(cur);
    }
  }
  return out;
}

/** What is wrong with a Modbus configuration, field by field; empty when valid. */
export function validateModbus(m: {
  port: number;
  unitId: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  registers: readonly ModbusRegister[];
}): string[] {
  const errs: string[] = [];
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) errs.push("port: not 1..65535");
  if (!Number.isInteger(m.unitId) || m.unitId < 0 || m.unitId > 255)
    errs.push("unitId: not 0..255");
  if (!(m.intervalSeconds > 0)) errs.push("intervalSeconds: not > 0");
  if (!(m.timeoutSeconds > 0)) errs.push("timeoutSeconds: not > 0");
  const names = new Set<string>();
  m.registers.forEach((r, i) => {
    const at = `registers[${i}]`;
    if (!r.name) errs.push(`${at}.name: empty`);
    else if (names.has(r.name)) errs.push(`${at}.name: duplicate ${JSON.stringify(r.name)}`);
    names.add(r.name);
    if (!TABLES.includes(r.table)) errs.push(`${at}.table: unknown ${JSON.stringify(r.table)}`);
    if (!TYPES.includes(r.type)) errs.push(`${at}.type: unknown ${JSON.stringify(r.type)}`);
    else if (isBitTable(r.table) !== (r.type === "bool"))
      errs.push(
        r.type === "bool"
          ? `${at}.type: bool is for coil and discrete only`
          : `${at}.type: ${r.table} holds bits; only bool is possible`,
      );
    if (!Number.isInteger(r.address) || r.address < 0 || r.address + widthOf(r) > 0x10000)
      errs.push(`${at}.address: not within 0..65535`);
    if (!Number.isFinite(r.scale)) errs.push(`${at}.scale: not a finite number`);
    if (!Number.isFinite(r.offset)) errs.push(`${at}.offset: not a finite number`);
  });
  return errs;
}
