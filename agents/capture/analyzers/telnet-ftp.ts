// Clear-text logins seen on the wire. FTP (21): USER and PASS commands and
// the 230 (logged in) or 530 (refused) reply become one "login" event with
// the user name and the outcome; the password itself is never reported.
// Telnet (23): the connection ("connect") and, best effort, the name typed
// after the server's "login:" prompt (telnet option negotiation stripped).
import type { Report, StreamAnalyzer } from "./types.ts";
import { append } from "./types.ts";

const MAX_LINE = 1024;

/** Splits complete CRLF/LF lines off a bounded buffer. */
function lines(buf: { b: Uint8Array }, bytes: Uint8Array, report: Report, proto: string): string[] {
  let b = append(buf.b, bytes);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const lf = b.indexOf(0x0a, at);
    if (lf < 0) break;
    out.push(Buffer.from(b.subarray(at, lf)).toString("latin1").replace(/\r$/, ""));
    at = lf + 1;
  }
  b = b.subarray(at);
  if (b.length > MAX_LINE) {
    report.malformed(`${proto}: line too long`, b);
    b = new Uint8Array(0);
  }
  buf.b = b.length ? b.slice() : new Uint8Array(0);
  return out;
}

export function ftpAnalyzer(report: Report): StreamAnalyzer {
  const client = { b: new Uint8Array(0) };
  const server = { b: new Uint8Array(0) };
  let user: string | undefined;
  let passSent = false;
  return {
    data(fromClient, bytes) {
      if (fromClient) {
        for (const line of lines(client, bytes, report, "ftp")) {
          const m = /^([A-Za-z]{3,4})(?: (.*))?$/.exec(line);
          if (!m) continue;
          const cmd = (m[1] as string).toUpperCase();
          if (cmd === "USER") {
            user = (m[2] ?? "").slice(0, 256);
            passSent = false;
          } else if (cmd === "PASS") passSent = true;
        }
        return;
      }
      for (const line of lines(server, bytes, report, "ftp")) {
        const code = /^(\d{3})[ -]/.exec(line)?.[1];
        if ((code === "230" || code === "530") && user !== undefined) {
          report.event({
            action: "login",
            fromClient: true,
            fields: {
              username: user,
              success: String(code === "230"),
              passwordInClear: String(passSent),
              replyCode: code,
            },
          });
          user = undefined;
          passSent = false;
        }
      }
    },
    gap(fromClient) {
      (fromClient ? client : server).b = new Uint8Array(0);
    },
  };
}

/** Removes telnet IAC sequences (RFC 854/855) from a byte run. */
export function stripTelnet(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const x = b[i] as number;
    if (x !== 0xff) {
      out.push(x);
      continue;
    }
    const cmd = b[i + 1];
    if (cmd === undefined) break;
    if (cmd === 0xff) {
      out.push(0xff);
      i++;
    } else if (cmd >= 0xfb && cmd <= 0xfe)
      i += 2; // WILL/WONT/DO/DONT option
    else if (cmd === 0xfa) {
      // Subnegotiation up to IAC SE.
      let j = i + 2;
      while (j + 1 < b.length && !(b[j] === 0xff && b[j + 1] === 0xf0)) j++;
      i = j + 1;
    } else i++;
  }
  return Uint8Array.from(out);
}

export function telnetAnalyzer(report: Report): StreamAnalyzer {
  let connected = false;
  let promptSeen = false;
  let reported = false;
  let typed = "";
  let serverTail = "";
  const connect = () => {
    if (connected) return;
    connected = true;
    report.event({ action: "connect", fromClient: true, fields: {} });
  };
  return {
    open: connect,
    data(fromClient, bytes) {
      connect();
      const text = Buffer.from(stripTelnet(bytes)).toString("latin1");
      if (!fromClient) {
        serverTail = (serverTail + text).slice(-64);
        if (/(login|username)\s*:\s*$/i.test(serverTail)) {
          promptSeen = true;
          typed = "";
        }
        return;
      }
      if (!promptSeen || reported) return;
      // Clients send the name a character at a time or as a line.
      typed = (typed + text).slice(0, 256);
      const end = typed.search(/[\r\n]/);
      if (end >= 0) {
        const username = typed.slice(0, end).replace(/[^\x20-\x7e]/g, "");
        reported = true;
        report.event({
          action: "login",
          fromClient: true,
          fields: { username, passwordInClear: "true" },
        });
      }
    },
    gap() {
      typed = "";
      serverTail = "";
    },
  };
}
