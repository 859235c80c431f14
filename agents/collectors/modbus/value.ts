// Turning register words or coil bits into a number, pure. The device's
// layout (byte order within a register, word order across registers) comes
// from the Device manifest; the arithmetic is value = raw * scale + offset.
import type { AgentModbus } from "../../../operator/manifests/agent-config.ts";

export type ModbusRegister = AgentModbus["registers"][number];
export type Table = ModbusRegister["table"];

/** True for coils and discrete inputs, which are read as bits. */
export function isBitTable(table: Table): boolean {
  return table === "coil" || table === "discrete";
}

/** How many addresses a register spans in its table (bits or 16-bit words). */
export function widthOf(r: Pick<ModbusRegister, "type" | "table">): number {
  if (isBitTable(r.table)) return 1;
  return r.type === "int32" || r.type === "uint32" || r.type === "float32" ? 2 : 1;
}

const swap16 = (w: number) => ((w & 0xff) << 8) | ((w >> 8) & 0xff);

/**
 * The register's value from `data`: the bits (coil/discrete) or 16-bit words
 * (holding/input) starting at its address. `undefined` if `data` is too
 * short. Floats may be NaN or infinite, as the device sent them.
 */
export function decodeValue(
  data: readonly number[],
  r: Pick<ModbusRegister, "table" | "type" | "byteOrder" | "wordOrder" | "scale" | "offset">,
): number | undefined {
  const n = widthOf(r);
  if (data.length < n) return undefined;
  let raw: number;
  if (isBitTable(r.table)) {
    raw = (data[0] as number) ? 1 : 0;
  } else {
    // Byte order is within each register; word order is across registers.
    let words = data.slice(0, n).map((w) => (r.byteOrder === "little" ? swap16(w) : w & 0xffff));
    if (r.wordOrder === "little") words = words.reverse();
    const hi = words[0] as number;
    switch (r.type) {
      case "bool": // not configurable on registers (the CRD forbids it); non-zero is true
        raw = hi !== 0 ? 1 : 0;
        break;
      case "uint16":
        raw = hi;
        break;
      case "int16":
        raw = hi >= 0x8000 ? hi - 0x10000 : hi;
        break;
      default: {
        const u32 = (hi * 0x10000 + (words[1] as number)) >>> 0;
        if (r.type === "uint32") raw = u32;
        else if (r.type === "int32") raw = u32 | 0;
        else {
          const dv = new DataView(new ArrayBuffer(4));
          dv.setUint32(0, u32);
          raw = dv.getFloat32(0);
        }
      }
    }
  }
  return raw * r.scale + r.offset;
}
