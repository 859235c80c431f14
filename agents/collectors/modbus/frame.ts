// Modbus/TCP framing (MBAP header + PDU), pure. The poller's client and the
// fuzz tests share it: whatever a device (or a capture) sends is bounded,
// checked and turned into a value; nothing here throws on hostile bytes.

/** MBAP header: transaction id, protocol id (0), length (unit id + PDU), unit id. */
export const MBAP_HEADER = 7;
/** The largest PDU the protocol allows (function code + 252 bytes). */
export const MAX_PDU = 253;
/** The largest ADU: header + PDU. */
export const MAX_ADU = MBAP_HEADER + MAX_PDU;

export type ReadFunction = 1 | 2 | 3 | 4;
export const FC = {
  readCoils: 1,
  readDiscreteInputs: 2,
  readHoldingRegisters: 3,
  readInputRegisters: 4,
} as const;

/** Protocol limits per read request (Modbus Application Protocol v1.1b3, 6.1-6.4). */
export const MAX_READ_BITS = 2000;
export const MAX_READ_REGISTERS = 125;

export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `unknown exception ${code}`;
}

export interface Adu {
  transactionId: number;
  unitId: number;
  pdu: Uint8Array;
}

/** Result of taking one ADU off the front of a TCP byte stream. */
export type Take =
  | { kind: "frame"; adu: Adu; size: number }
  | { kind: "incomplete" }
  | { kind: "malformed"; reason: string };

/**
 * Takes the first ADU from `buf`. A bad header cannot be resynchronised (TCP
 * has no frame markers), so the caller drops the stream on `malformed`.
 */
export function takeAdu(buf: Uint8Array): Take {
  if (buf.length < MBAP_HEADER) return { kind: "incomplete" };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const protocolId = view.getUint16(2);
  if (protocolId !== 0) return { kind: "malformed", reason: "protocol id not 0" };
  const length = view.getUint16(4);
  // length counts the unit id and the PDU: at least a function code, at most MAX_PDU.
  if (length < 2) return { kind: "malformed", reason: "mbap length too short" };
  if (length > MAX_PDU + 1) return { kind: "malformed", reason: "mbap length too long" };
  const size = 6 + length;
  if (buf.length < size) return { kind: "incomplete" };
  return {
    kind: "frame",
    size,
    adu: {
      transactionId: view.getUint16(0),
      unitId: buf[6] as number,
      pdu: buf.subarray(MBAP_HEADER, size),
    },
  };
}

/** A read request ADU (FC 1-4). */
export function encodeReadRequest(
  transactionId: number,
  unitId: number,
  functionCode: ReadFunction,
  address: number,
  quantity: number,
): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(transactionId & 0xffff, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(6, 4);
  b.writeUInt8(unitId & 0xff, 6);
  b.writeUInt8(functionCode, 7);
  b.writeUInt16BE(address & 0xffff, 8);
  b.writeUInt16BE(quantity & 0xffff, 10);
  return b;
}

export type Response =
  | { kind: "bits"; functionCode: 1 | 2; bits: number[] }
  | { kind: "words"; functionCode: 3 | 4; words: number[] }
  /** functionCode is the request's (the response's with the 0x80 bit cleared). */
  | { kind: "exception"; functionCode: number; exceptionCode: number }
  /** A well-framed response to a function this decoder does not interpret (captures only). */
  | { kind: "other"; functionCode: number; length: number }
  | { kind: "malformed"; reason: string };

export interface Expect {
  functionCode: ReadFunction;
  quantity: number;
}

/**
 * Decodes a response PDU. With `expect` (the poller's own request) the
 * function code and the byte count must answer that request exactly.
 */
export function decodeResponsePdu(pdu: Uint8Array, expect?: Expect): Response {
  if (pdu.length === 0) return { kind: "malformed", reason: "empty pdu" };
  if (pdu.length > MAX_PDU) return { kind: "malformed", reason: "pdu too long" };
  const fc = pdu[0] as number;
  if (fc & 0x80) {
    // Trailing bytes after the code are tolerated (as Wireshark does): some
    // devices pad, and the code is all an exception carries.
    if (pdu.length < 2) return { kind: "malformed", reason: "exception without code" };
    const functionCode = fc & 0x7f;
    if (expect && functionCode !== expect.functionCode)
      return { kind: "malformed", reason: "function code mismatch" };
    return { kind: "exception", functionCode, exceptionCode: pdu[1] as number };
  }
  if (expect && fc !== expect.functionCode)
    return { kind: "malformed", reason: "function code mismatch" };
  if (fc < 1 || fc > 4) return { kind: "other", functionCode: fc, length: pdu.length };
  if (pdu.length < 2) return { kind: "malformed", reason: "missing byte count" };
  const byteCount = pdu[1] as number;
  if (pdu.length !== 2 + byteCount) return { kind: "malformed", reason: "byte count mismatch" };
  const data = pdu.subarray(2);
  if (fc === 1 || fc === 2) {
    if (expect && byteCount !== Math.ceil(expect.quantity / 8))
      return { kind: "malformed", reason: "bit count mismatch" };
    const n = expect ? expect.quantity : byteCount * 8;
    const bits: number[] = new Array(n);
    // Bits are packed LSB first: the first coil is bit 0 of the first byte.
    for (let i = 0; i < n; i++) bits[i] = ((data[i >> 3] as number) >> (i & 7)) & 1;
    return { kind: "bits", functionCode: fc, bits };
  }
  if (byteCount % 2 !== 0) return { kind: "malformed", reason: "odd register byte count" };
  if (expect && byteCount !== expect.quantity * 2)
    return { kind: "malformed", reason: "register count mismatch" };
  const words: number[] = new Array(byteCount / 2);
  for (let i = 0; i < words.length; i++)
    words[i] = ((data[2 * i] as number) << 8) | (data[2 * i + 1] as number);
  return { kind: "words", functionCode: fc as 3 | 4, words };
}

/**
 * Decodes every ADU in a chunk of a server-to-client TCP stream, stopping at
 * the first bad header (the rest cannot be framed). For captures and fuzzing.
 */
export function decodeResponseStream(
  bytes: Uint8Array,
  maxFrames = 4096,
): { frames: { adu: Adu; response: Response }[]; malformed?: string; trailing: number } {
  const frames: { adu: Adu; response: Response }[] = [];
  let rest = bytes;
  while (rest.length > 0 && frames.length < maxFrames) {
    const t = takeAdu(rest);
    if (t.kind === "incomplete") break;
    if (t.kind === "malformed") return { frames, malformed: t.reason, trailing: rest.length };
    frames.push({ adu: t.adu, response: decodeResponsePdu(t.adu.pdu) });
    rest = rest.subarray(t.size);
  }
  return { frames, trailing: rest.length };
}
