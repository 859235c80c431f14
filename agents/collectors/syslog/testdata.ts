// Test helpers: the Zeek syslog traces and their expected syslog.log rows from
// ../shared/testdata/pcap/zeek (zeek/zeek testing/btest @a13de64fbbdb,
// BSD-3-Clause; see ../shared/testdata/SOURCES.md). Payloads are extracted with
// tshark, so the bytes the tests replay are exactly the ones on the wire.
import { join } from "node:path";
import { run } from "../../../e2e/env/proc.ts";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { FACILITIES, SEVERITIES } from "../../capture/analyzers/syslog.ts";
import { unescapeZeek, zeekLog } from "../../capture/testdata.ts";
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

export interface ZeekSyslogRow {
  facility: number;
  severity: number;
  /** Zeek's `message`: everything after the PRI, \xNN escapes undone. */
  message: string;
}

/** The rows of one of Zeek's syslog.log baselines (TRACES), facility and severity as numbers. */
export function zeekSyslogLog(file: string): ZeekSyslogRow[] {
  return zeekLog(join("zeek", file)).map((r) => {
    const col = (name: string) => {
      const v = r[name];
      if (v === undefined) throw new Error(`${file}: no column ${name}`);
      return v;
    };
    // The capture analyzer's names are Zeek's (its tests compare them with these logs).
    return {
      facility: FACILITIES.indexOf(col("facility")),
      severity: SEVERITIES.indexOf(col("severity")),
      message: unescapeZeek(col("message")),
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
