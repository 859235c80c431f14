// Syslog seen on the wire (UDP or TCP 514): facility, severity and message
// text, one event per message. TCP framing is octet counting ("123 <PRI>...")
// or LF-terminated (RFC 6587), chosen per message by its first byte.
import type { DatagramAnalyzer, Report, StreamAnalyzer } from "./types.ts";
import { append } from "./types.ts";

/** Longest message accepted (RFC 5425 asks receivers for at least 2 KiB; rsyslog's default is 8 KiB). */
export const MAX_MESSAGE = 8192;

// Zeek's names (base/protocols/syslog/consts.zeek); the syslog collector's tests read
// Zeek's logs with them too.
export const FACILITIES = [
  "KERN",
  "USER",
  "MAIL",
  "DAEMON",
  "AUTH",
  "SYSLOG",
  "LPR",
  "NEWS",
  "UUCP",
  "CRON",
  "AUTHPRIV",
  "FTP",
  "NTP",
  "AUDIT",
  "ALERT",
  "CLOCK",
  "LOCAL0",
  "LOCAL1",
  "LOCAL2",
  "LOCAL3",
  "LOCAL4",
  "LOCAL5",
  "LOCAL6",
  "LOCAL7",
];
export const SEVERITIES = ["EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"];

/** Parses one message (without framing). Exposed for fuzzing. */
export function decodeSyslog(
  msg: Uint8Array,
): { fields: Record<string, string> } | { error: string } {
  if (msg.length === 0) return { error: "syslog: empty message" };
  if (msg.length > MAX_MESSAGE) return { error: `syslog: message of ${msg.length} bytes` };
  let pri = 13; // RFC 3164 4.3.3: a message without PRI is user.notice
  let rest = msg;
  let priMissing = true;
  if (msg[0] === 0x3c) {
    const close = msg.subarray(0, 5).indexOf(0x3e);
    if (close >= 2) {
      const digits = Buffer.from(msg.subarray(1, close)).toString("latin1");
      if (/^\d{1,3}$/.test(digits) && Number(digits) <= 191) {
        pri = Number(digits);
        rest = msg.subarray(close + 1);
        priMissing = false;
      }
    }
    if (priMissing) return { error: "syslog: bad PRI" };
  }
  const fields: Record<string, string> = {
    facility: FACILITIES[pri >> 3] as string,
    severity: SEVERITIES[pri & 7] as string,
    message: Buffer.from(rest).toString("utf8"),
  };
  if (priMissing) fields.priMissing = "true";
  return { fields };
}

function emit(report: Report, msg: Uint8Array, fromClient: boolean, transport: string): void {
  const r = decodeSyslog(msg);
  if ("error" in r) report.malformed(r.error, msg);
  else report.event({ action: "message", fromClient, fields: { ...r.fields, transport } });
}

export const syslogDatagram: DatagramAnalyzer = (payload, fromClient, report) =>
  emit(report, payload, fromClient, "udp");

export function syslogStream(report: Report): StreamAnalyzer {
  const bufs = { client: new Uint8Array(0), server: new Uint8Array(0) };
  return {
    data(fromClient, bytes) {
      // Only the sender's direction carries messages.
      if (!fromClient) return;
      let b = append(bufs.client, bytes);
      let at = 0;
      for (;;) {
        while (at < b.length && (b[at] === 0x0a || b[at] === 0x0d)) at++;
        if (at >= b.length) break;
        const first = b[at] as number;
        if (first >= 0x31 && first <= 0x39) {
          // Octet counting: MSG-LEN SP SYSLOG-MSG.
          const sp = b.subarray(at, at + 8).indexOf(0x20);
          if (sp < 0) {
            if (b.length - at >= 8) {
              report.malformed("syslog: bad octet count", b.subarray(at));
              at = b.length;
            }
            break;
          }
          const n = Number(Buffer.from(b.subarray(at, at + sp)).toString("latin1"));
          if (!Number.isInteger(n) || n > MAX_MESSAGE) {
            report.malformed("syslog: bad octet count", b.subarray(at));
            at = b.length;
            break;
          }
          if (b.length - at - sp - 1 < n) break;
          emit(report, b.subarray(at + sp + 1, at + sp + 1 + n), true, "tcp");
          at += sp + 1 + n;
          continue;
        }
        const lf = b.indexOf(0x0a, at);
        if (lf < 0) {
          if (b.length - at > MAX_MESSAGE) {
            report.malformed("syslog: line too long", b.subarray(at));
            at = b.length;
          }
          break;
        }
        emit(report, b.subarray(at, lf), true, "tcp");
        at = lf + 1;
      }
      b = b.subarray(at);
      bufs.client = b.length ? b.slice() : new Uint8Array(0);
    },
    gap(fromClient) {
      if (fromClient) bufs.client = new Uint8Array(0);
    },
  };
}
