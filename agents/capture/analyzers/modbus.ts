// Modbus/TCP (port 502), as Zeek's modbus analyzer sees it: every ADU in each
// direction, framed by the MBAP header. An ADU may span segments and a
// segment may hold several ADUs; each direction buffers at most one ADU.
// Traffic on port 502 that is not Modbus (protocol id != 0, impossible
// length) is reported once and the connection is no longer analysed.
import type { Report, StreamAnalyzer } from "./types.ts";
import { append } from "./types.ts";

/** Zeek's names for the public function codes. */
export const FUNCTION_NAMES: Record<number, string> = {
  1: "READ_COILS",
  2: "READ_DISCRETE_INPUTS",
  3: "READ_HOLDING_REGISTERS",
  4: "READ_INPUT_REGISTERS",
  5: "WRITE_SINGLE_COIL",
  6: "WRITE_SINGLE_REGISTER",
  7: "READ_EXCEPTION_STATUS",
  8: "DIAGNOSTICS",
  11: "GET_COMM_EVENT_COUNTER",
  12: "GET_COMM_EVENT_LOG",
  15: "WRITE_MULTIPLE_COILS",
  16: "WRITE_MULTIPLE_REGISTERS",
  17: "REPORT_SLAVE_ID",
  20: "READ_FILE_RECORD",
  21: "WRITE_FILE_RECORD",
  22: "MASK_WRITE_REGISTER",
  23: "READ_WRITE_MULTIPLE_REGISTERS",
  24: "READ_FIFO_QUEUE",
  43: "ENCAP_INTERFACE_TRANSPORT",
};

export const EXCEPTION_NAMES: Record<number, string> = {
  1: "ILLEGAL_FUNCTION",
  2: "ILLEGAL_DATA_ADDRESS",
  3: "ILLEGAL_DATA_VALUE",
  4: "SLAVE_DEVICE_FAILURE",
  5: "ACKNOWLEDGE",
  6: "SLAVE_DEVICE_BUSY",
  8: "MEMORY_PARITY_ERROR",
  10: "GATEWAY_PATH_UNAVAILABLE",
  11: "GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND",
};

/** Function codes that change device state (for "access write" style rules). */
export const WRITE_FUNCTIONS = new Set([5, 6, 15, 16, 21, 22, 23]);

export const functionName = (fc: number): string => FUNCTION_NAMES[fc] ?? `unknown-${fc}`;

/** MBAP length counts the unit id and the PDU: at least unit + function code, at most 254. */
const MAX_LEN = 254;
const HEADER = 7;

const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number);

/** Decodes one ADU (MBAP header + PDU). Exposed for fuzzing. */
export function decodeAdu(
  adu: Uint8Array,
  fromClient: boolean,
): { action: string; fields: Record<string, string> } | { error: string } {
  if (adu.length < HEADER + 1) return { error: "short Modbus ADU" };
  const pid = be16(adu, 2);
  const len = be16(adu, 4);
  if (pid !== 0) return { error: `not Modbus/TCP (protocol id ${pid})` };
  if (len < 2 || len > MAX_LEN) return { error: `Modbus length ${len} out of range` };
  if (adu.length < HEADER - 1 + len) return { error: "short Modbus ADU" };
  const raw = adu[7] as number;
  const isException = !fromClient && (raw & 0x80) !== 0;
  const fc = isException ? raw & 0x7f : raw;
  const fields: Record<string, string> = {
    transactionId: String(be16(adu, 0)),
    unitId: String(adu[6]),
    functionCode: String(fc),
    functionName: functionName(fc),
  };
  const d = adu.subarray(8, HEADER - 1 + len);
  const has = (n: number) => d.length >= n;
  const set = (k: string, v: number) => {
    fields[k] = String(v);
  };
  if (isException) {
    if (has(1)) {
      set("exceptionCode", d[0] as number);
      fields.exceptionName = EXCEPTION_NAMES[d[0] as number] ?? `unknown-${d[0]}`;
    }
    return { action: "exception", fields };
  }
  if (fromClient) {
    if (fc >= 1 && fc <= 4 && has(4)) {
      set("address", be16(d, 0));
      set("quantity", be16(d, 2));
    } else if ((fc === 5 || fc === 6) && has(4)) {
      set("address", be16(d, 0));
      set("value", be16(d, 2));
    } else if ((fc === 15 || fc === 16) && has(5)) {
      set("address", be16(d, 0));
      set("quantity", be16(d, 2));
      set("byteCount", d[4] as number);
    } else if (fc === 22 && has(6)) {
      set("address", be16(d, 0));
      set("andMask", be16(d, 2));
      set("orMask", be16(d, 4));
    } else if (fc === 23 && has(8)) {
      set("address", be16(d, 0));
      set("quantity", be16(d, 2));
      set("writeAddress", be16(d, 4));
      set("writeQuantity", be16(d, 6));
    } else if (fc === 24 && has(2)) {
      set("address", be16(d, 0));
    } else if (fc === 8 && has(2)) {
      set("subFunction", be16(d, 0));
    } else if (fc === 43 && has(1)) {
      set("meiType", d[0] as number);
    }
    return { action: "request", fields };
  }
  if (fc >= 1 && fc <= 4 && has(1)) set("byteCount", d[0] as number);
  else if ((fc === 5 || fc === 6) && has(4)) {
    set("address", be16(d, 0));
    set("value", be16(d, 2));
  } else if ((fc === 15 || fc === 16) && has(4)) {
    set("address", be16(d, 0));
    set("quantity", be16(d, 2));
  } else if (fc === 23 && has(1)) set("byteCount", d[0] as number);
  else if (fc === 8 && has(2)) set("subFunction", be16(d, 0));
  else if (fc === 43 && has(1)) set("meiType", d[0] as number);
  return { action: "response", fields };
}

export function modbusAnalyzer(report: Report): StreamAnalyzer {
  const bufs = { client: new Uint8Array(0), server: new Uint8Array(0) };
  let seenValid = false;
  let disabled = false;
  return {
    data(fromClient, bytes) {
      if (disabled) return;
      const side = fromClient ? "client" : "server";
      let b = append(bufs[side], bytes);
      let at = 0;
      while (b.length - at >= HEADER + 1) {
        const len = be16(b, at + 4);
        const pid = be16(b, at + 2);
        if (pid !== 0 || len < 2 || len > MAX_LEN) {
          const r = decodeAdu(b.subarray(at, at + HEADER + 1), fromClient);
          report.malformed("error" in r ? r.error : "bad MBAP header", b.subarray(at));
          if (!seenValid) {
            // Zeek-style protocol violation: this is not Modbus; stop looking.
            disabled = true;
            bufs.client = new Uint8Array(0);
            bufs.server = new Uint8Array(0);
            return;
          }
          at = b.length; // resync on the next segment
          break;
        }
        const size = HEADER - 1 + len;
        if (b.length - at < size) break;
        const r = decodeAdu(b.subarray(at, at + size), fromClient);
        if ("error" in r) report.malformed(r.error, b.subarray(at, at + size));
        else {
          seenValid = true;
          report.event({ action: r.action, fromClient, fields: r.fields });
        }
        at += size;
      }
      // What is left is less than one ADU (at most 260 bytes): bounded.
      b = b.subarray(at);
      bufs[side] = b.length ? b.slice() : new Uint8Array(0);
    },
    gap(fromClient) {
      bufs[fromClient ? "client" : "server"] = new Uint8Array(0);
    },
  };
}
