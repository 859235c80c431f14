// Flow records from ModbusTCP.pcap (ITI/ICS-Security-Tools @9b826091e7ba,
// CC-BY-4.0; see ../shared/testdata/SOURCES.md) against a real NetFlow
// exporter and collector: softflowd -r replays the same file and exports
// NetFlow v9 to nfcapd, and nfdump prints the records (PEERS.md: 28 records).
// softflowd tracks a flow bidirectionally but exports one record per
// direction, so its records are comparable with our unidirectional ones on
// 5-tuple, packets and TCP flags. (Start/end differ by design: both of
// softflowd's records carry the bidirectional flow's times.)
// Bytes: we count IP bytes (the IPv4 total length), as NetFlow defines them;
// softflowd counts captured bytes after the Ethernet header, so the padding of
// short frames (60-byte frames carrying 40-byte IP packets) is in its totals.
// tshark, a third tool, gives both sums per flow from the same file.
import assert from "node:assert/strict";
import { chown, copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "../../e2e/env/ports.ts";
import { run, runAs, startService, waitReady } from "../../e2e/env/proc.ts";
import { pcapPath, runCapture } from "./testdata.ts";

const FLAG_LETTERS = "CEUAPRSF";
const flagBits = (s: string) =>
  [...s].reduce((bits, ch, i) => (ch === FLAG_LETTERS[i] ? bits | (0x80 >> i) : bits), 0);

let dir = "";
let nfdumpLines: string[] = [];
/** Per flow key: [sum of ip.len, sum of frame.cap_len - 14], from tshark. */
const tsharkBytes = new Map<string, [number, number]>();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "amoskys-capture-flows-"));
  await mkdir(join(dir, "nf"));
  const pcap = join(dir, "ModbusTCP.pcap");
  await copyFile(pcapPath("iti-ics/ModbusTCP.pcap"), pcap); // readable by the peer user
  if (process.getuid?.() === 0) {
    const ids = { uid: 65534, gid: 65534 };
    for (const p of [dir, join(dir, "nf"), pcap]) await chown(p, ids.uid, ids.gid);
  }
  const port = await freePort("udp");
  const nfcapd = startService({
    name: "nfcapd",
    command: "nfcapd",
    args: [
      "-b",
      "127.0.0.1",
      "-p",
      String(port),
      "-w",
      join(dir, "nf"),
      "-t",
      "60",
      "-P",
      join(dir, "nfcapd.pid"),
    ],
    logFile: join(dir, "nfcapd.log"),
    user: "nobody",
  });
  await waitReady(
    nfcapd,
    async () =>
      (await readdir(join(dir, "nf"))).length > 0 || (await readdir(dir)).includes("nfcapd.pid"),
  );
  // PEERS.md: never -c with -r; -a so timestamps come from the pcap.
  await runAs("nobody", "softflowd", ["-r", pcap, "-n", `127.0.0.1:${port}`, "-v", "9", "-a"]);
  // nfcapd writes its file when it stops (SIGTERM).
  await nfcapd.stop();
  const files = (await readdir(join(dir, "nf"))).filter((f) => /^nfcapd\.\d/.test(f));
  assert.ok(files.length > 0, "nfcapd wrote no file");
  const lines: string[] = [];
  for (const f of files) {
    const { stdout } = await run("nfdump", [
      "-q",
      "-r",
      join(dir, "nf", f),
      "-o",
      "fmt:%pr %sa %sp %da %dp %pkt %byt %flg",
    ]);
    lines.push(...stdout.split("\n").filter((l) => l.trim()));
  }
  nfdumpLines = lines;
  const { stdout } = await run(
    "tshark",
    [
      "-r",
      pcap,
      "-T",
      "fields",
      "-e",
      "ip.src",
      "-e",
      "tcp.srcport",
      "-e",
      "ip.dst",
      "-e",
      "tcp.dstport",
      "-e",
      "frame.cap_len",
      "-e",
      "ip.len",
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  for (const l of stdout.split("\n")) {
    const [sa, sp, da, dp, cap, ipLen] = l.split("\t");
    if (!ipLen) continue;
    const key = `6 ${sa}:${sp} > ${da}:${dp}`;
    const t = tsharkBytes.get(key) ?? [0, 0];
    tsharkBytes.set(key, [t[0] + Number(ipLen), t[1] + Number(cap) - 14]);
  }
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("flows: ModbusTCP.pcap flow records equal softflowd + nfdump's (28 records)", () => {
  const peer = nfdumpLines
    .map((l) => l.trim().split(/\s+/))
    .map(([pr, sa, sp, da, dp, pkt, byt, flg]) => ({
      key: `${pr === "TCP" ? 6 : pr === "UDP" ? 17 : pr} ${sa}:${sp} > ${da}:${dp}`,
      packets: Number(pkt),
      bytes: Number(byt),
      flags: flagBits(flg ?? ""),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  assert.equal(peer.length, 28); // PEERS.md
  const { flows, packets } = runCapture("iti-ics/ModbusTCP.pcap");
  assert.equal(packets.length, 15_387); // SOURCES.md
  const ours = flows
    .map((f) => ({
      key: `${f.protocol} ${f.srcAddress}:${f.srcPort} > ${f.dstAddress}:${f.dstPort}`,
      packets: f.packets,
      bytes: f.bytes,
      flags: f.tcpFlags,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const noBytes = <T extends { bytes: number }>({ bytes: _b, ...rest }: T) => rest;
  assert.deepEqual(ours.map(noBytes), peer.map(noBytes));
  for (const [i, o] of ours.entries()) {
    const [ipBytes, l2Bytes] = tsharkBytes.get(o.key) ?? [-1, -1];
    assert.equal(o.bytes, ipBytes, o.key);
    assert.equal(peer[i]?.bytes, l2Bytes, o.key);
  }
  // Both count every IP packet of the capture.
  assert.equal(
    ours.reduce((n, f) => n + f.packets, 0),
    15_387,
  );
});

test("flows: a full table evicts the least recently seen flow and counts it", () => {
  const { flows, stats } = runCapture("iti-ics/ModbusTCP.pcap", { maxFlows: 4 });
  assert.ok(flows.filter((f) => f.reason === "evicted").length > 0);
  // Nothing is lost: every packet is still in some record.
  assert.equal(
    flows.reduce((n, f) => n + f.packets, 0),
    stats.packets - stats.skipped - stats.malformed,
  );
});

test("flows: idle and active timeouts follow packet time (replay is deterministic)", () => {
  const a = runCapture("iti-ics/ModbusTCP.pcap", {
    activeTimeoutMs: 30_000,
    idleTimeoutMs: 10_000,
  });
  const b = runCapture("iti-ics/ModbusTCP.pcap", {
    activeTimeoutMs: 30_000,
    idleTimeoutMs: 10_000,
  });
  assert.deepEqual(a.flows, b.flows);
  // 85 s of polling with a 30 s active timeout: each long connection is cut at least twice.
  assert.ok(a.flows.filter((f) => f.reason === "active").length >= 2 * 24);
  for (const f of a.flows) assert.ok(f.endMs - f.startMs < 30_000);
});
