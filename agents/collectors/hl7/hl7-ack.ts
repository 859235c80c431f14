// HL7 v2 original-mode acknowledgements: MSH (sender and receiver swapped),
// MSA, and ERR for AE/AR. Pure. The ACK uses the inbound message's encoding
// characters so fields copied from its MSH stay valid as sent.
import { createHash } from "node:crypto";
import { component, defaultEncoding, formatHl7Timestamp, type Hl7Header } from "./hl7-parse.ts";

export type AckCode = "AA" | "AE" | "AR";

/** HL7 table 0357 (message error condition codes) used here. */
export const ErrorCode = {
  segmentSequence: "100^Segment sequence error",
  requiredFieldMissing: "101^Required field missing",
  dataType: "102^Data type error",
  unsupportedMessageType: "200^Unsupported message type",
  internal: "207^Application internal error",
} as const;

export interface AckInit {
  code: AckCode;
  /** The inbound MSH, when it could be parsed. */
  header?: Hl7Header;
  /** Why (AE/AR); goes into MSA-3 (pre-2.5 readers) and ERR. */
  reason?: string;
  errorCode?: string;
  nowMs: number;
}

function escapeText(s: string, h: Hl7Header["encoding"]): string {
  const e = h.escape;
  let out = "";
  for (const c of s.replace(/[\r\n]+/g, " ").slice(0, 200)) {
    if (c === e) out += `${e}E${e}`;
    else if (c === h.field) out += `${e}F${e}`;
    else if (c === h.component) out += `${e}S${e}`;
    else if (c === h.subcomponent) out += `${e}T${e}`;
    else if (c === h.repetition) out += `${e}R${e}`;
    else out += c;
  }
  return out;
}

/** The ACK message text (segments ended by CR), to be MLLP-framed. */
export function buildAck(a: AckInit): string {
  const enc = a.header?.encoding ?? defaultEncoding();
  const f = (n: number) => a.header?.msh.fields[n] ?? "";
  const fs = enc.field;
  const controlId = component(f(10), 0, enc).trim();
  const trigger = component(f(9), 1, enc).trim();
  const encChars = `${enc.component}${enc.repetition}${enc.escape}${enc.subcomponent}`;
  // A stable id for the ACK itself: the same answer to the same message.
  const ackId = createHash("sha256")
    .update(`${controlId}\u0000${a.code}\u0000${a.reason ?? ""}`)
    .digest("hex")
    .slice(0, 20);
  const c = enc.component;
  const msh = [
    "MSH",
    encChars,
    f(5), // sending application := the receiving application
    f(6),
    f(3), // receiving application := the sender
    f(4),
    formatHl7Timestamp(a.nowMs),
    "",
    `ACK${c}${trigger}${c}ACK`,
    ackId,
    f(11) || "P",
    f(12) || "2.5",
  ].join(fs);
  const reason = a.reason ? escapeText(a.reason, enc) : "";
  const msa = ["MSA", a.code, f(10), reason].join(fs);
  const segments = [msh, msa];
  if (a.code !== "AA") {
    const [num, text] = (a.errorCode ?? ErrorCode.internal).split("^");
    // ERR (v2.5): ERR-3 error code (table 0357), ERR-4 severity, ERR-8 user message.
    segments.push(
      ["ERR", "", "", `${num}${c}${text}${c}HL70357`, "E", "", "", "", reason].join(fs),
    );
  }
  return `${segments.join("\r")}\r`;
}
