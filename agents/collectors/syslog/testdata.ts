// Test helpers: the Zeek syslog traces and their expected syslog.log rows from
// ../shared/testdata/pcap/zeek (zeek/zeek testing/btest @a13de64fbbdb,
// BSD-3-Clause; see ../shared/testdata/SOURCES.md). Payloads are extracted with
// tshark, so the bytes the tests replay are exactly the ones on the wire.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../../e2e/env/proc.ts";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import type { AgentDevice } from "../../collector.ts";

export const ZEEK = join(sharedDir, "testdata", "pcap", "zeek");

/** Trace → Zeek's expected syslog.log (SOURCES.md names each pair). */
export const TRACES = {
  udp: {
    pcap: "Traces__syslog-single-udp.pcap",
    log: "Baseline__scripts.base.protocols.syslog.trace__syslog.log",
  },
  tcpOctet: {
    pcap: "Traces__tcp-syslog.pcap",
    log: "Baseline__scripts.base.protocols.syslog.tcp-framing__syslog.log",
  },
  tcpLf: {
    pcap: "Traces__tcp-syslog-nontransparent.pcap",
    log: "Baseline__scripts.base.protocols.syslog.tcp-framing-nontransparent__syslog.log",
  },
  missingPri: { pcap: "Traces__syslog-missing-pri.pcap", log: undefined },
} as const;

/** The UDP datagrams or TCP segments (client → server, in order) of a trace. */
export async function pcapPayloads(pcap: string, transport: "udp" | "tcp"): Promise<Buffer[]> {
  const { stdout } = await run("tshark", [
    "-r",
    join(ZEEK, pcap),
    "-Y",
    transport === "tcp" ? "tcp.len > 0 and tcp.dstport == 514" : "udp",
    "-T",
    "fields",
    "-e",
    `${transport}.payload`,
  ]);
  return stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((hex) => Buffer.from(hex.replace(/:/g, "").trim(), "hex"));
}

// Zeek's names (base/protocols/syslog/consts.zeek).
export const ZEEK_FACILITY = [
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
export const ZEEK_SEVERITY = [
  "EMERG",
  "ALERT",
  "CRIT",
  "ERR",
  "WARNING",
  "NOTICE",
  "INFO",
  "DEBUG",
];

export interface ZeekSyslogRow {
  facility: number;
  severity: number;
  /** Zeek's `message`: everything after the PRI, \xNN escapes undone. */
  message: string;
}

export function zeekSyslogLog(file: string): ZeekSyslogRow[] {
  const lines = readFileSync(join(ZEEK, file), "utf8").split("\n");
  const header = lines.find((l) => l.startsWith("#fields") || l.startsWith("ts\t"));
  if (!header) throw new Error(`${file}: no header line`);
  const cols = header.replace(/^#fields\t/, "").split("\t");
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  return lines
    .filter((l) => l && !l.startsWith("#") && l !== header)
    .map((l) => {
      const f = l.split("\t");
      const unescapeZeek = (s: string) =>
        s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) =>
          String.fromCharCode(Number.parseInt(h, 16)),
        );
      return {
        facility: ZEEK_FACILITY.indexOf(f[at("facility")] as string),
        severity: ZEEK_SEVERITY.indexOf(f[at("severity")] as string),
        message: unescapeZeek(f[at("message")] as string),
      };
    });
}

/** A Device that sends syslog from `ips`, as the operator renders it. */
export function syslogDevice(name: string, ips: string[]): AgentDevice {
  return {
    namespace: "plant",
    name,
    address: ips[0] as string,
    type: "network",
    subject: `amoskys.telemetry.plant.${name}`,
    syslog: { sourceAddresses: ips },
  };
}
