// Test helpers: where the real captures live, and a run of a capture through
// the pipeline collecting its output. Answer keys are parsed in the tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "../../e2e/env/toolchain.ts";
import type { FlowRecord } from "./flow-table.ts";
import { parsePcap } from "./pcap.ts";
import { type MalformedOut, Pipeline, type PipelineOptions, type WireEventOut } from "./wire.ts";

export const PCAP_DIR = join(sharedDir, "testdata/pcap");

export const pcapPath = (rel: string) => join(PCAP_DIR, rel);

export function runCapture(rel: string, opts: PipelineOptions = {}) {
  const flows: FlowRecord[] = [];
  const wire: WireEventOut[] = [];
  const malformed: MalformedOut[] = [];
  const { packets, problems } = parsePcap(readFileSync(pcapPath(rel)));
  const p = new Pipeline(
    { flow: (f) => flows.push(f), wire: (w) => wire.push(w), malformed: (m) => malformed.push(m) },
    opts,
  );
  for (const pkt of packets) p.packet(pkt);
  p.flush();
  return { packets, problems, flows, wire, malformed, stats: p.stats };
}

/** Rows of a Zeek TSV log (header from `#fields`, or from the first line when there is none). */
export function zeekLog(rel: string): Record<string, string>[] {
  const lines = readFileSync(pcapPath(rel), "utf8").split("\n");
  let fields: string[] | undefined;
  const rows: Record<string, string>[] = [];
  for (const line of lines) {
    if (line.startsWith("#fields\t")) {
      fields = line.split("\t").slice(1);
      continue;
    }
    if (line.startsWith("#") || line === "") continue;
    const cols = line.split("\t");
    if (!fields) {
      fields = cols; // the syslog tcp-framing baselines carry a plain header line
      continue;
    }
    rows.push(Object.fromEntries(fields.map((f, i) => [f, cols[i] ?? ""])));
  }
  return rows;
}

/** Zeek's escaping of non-printable bytes (\xNN) undone. */
export const unescapeZeek = (s: string) =>
  s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
