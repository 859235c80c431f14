// The listener against a real exporter and the reference collector:
// softflowd reads ../shared/testdata/pcap/iti-ics/ModbusTCP.pcap (SOURCES.md)
// and exports to a UDP tee that hands every datagram to both nfcapd and our
// listener. nfdump's reading of nfcapd's file is the answer key: the same
// records (PEERS.md: 28 for this pcap), 5-tuples, bytes, packets, flags, times.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { freePort } from "../../../e2e/env/ports.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { memorySink, staticDirectory, testContext } from "../../testing.ts";
import { createFlowListener } from "./listener.ts";
import {
  NETFLOW_DATA,
  type NfdumpRecord,
  peerDir,
  runSoftflowd,
  startNfcapd,
  startTee,
  udpSender,
} from "./peers.ts";

const exporter: AgentDevice = {
  namespace: "plant",
  name: "edge-router",
  address: "127.0.0.1",
  type: "network",
  subject: "amoskys.plant.edge-router",
  flows: { exporterAddress: "127.0.0.1" },
};

const tmp = peerDir("flows");
after(() => tmp.cleanup());

type Row = Omit<NfdumpRecord, "startMs" | "endMs"> & { startMs?: number; endMs?: number };

function row(e: TelemetryEvent): Row {
  const f = e.flow;
  assert.ok(f);
  const ms = (t: typeof f.start) =>
    t ? Number(t.seconds) * 1000 + Math.round(Number(t.nanos) / 1e6) : undefined;
  return {
    startMs: ms(f.start),
    endMs: ms(f.end),
    protocol: Number(f.protocol),
    srcAddress: String(f.srcAddress),
    dstAddress: String(f.dstAddress),
    srcPort: Number(f.srcPort),
    dstPort: Number(f.dstPort),
    packets: Number(f.packets),
    bytes: Number(f.bytes),
    tcpFlags: Number(f.tcpFlags),
  };
}

const key = (r: Row) =>
  `${r.srcAddress}:${r.srcPort}>${r.dstAddress}:${r.dstPort}/${r.protocol} ${r.packets}p ${r.bytes}B f${r.tcpFlags}`;

async function compareWithNfdump(label: string, versionArgs: string[], exportVersion: number) {
  const dir = peerDir(`flows-${label}`);
  try {
    const sink = memorySink();
    const ctx = testContext(sink);
    const ourPort = await freePort("udp");
    const nfPort = await freePort("udp");
    const listener = createFlowListener(
      { port: ourPort, host: "127.0.0.1" },
      staticDirectory([exporter]),
      ctx,
    );
    await listener.start();
    const nfcapd = await startNfcapd(dir.dir, nfPort);
    const tee = await startTee([nfPort, ourPort]);
    try {
      await runSoftflowd(dir.dir, tee.port, versionArgs);
      const flows = await sink.waitFor(28, (e) => !!e.flow);
      const reference = await nfcapd.stopAndDump();
      assert.equal(reference.length, 28, "nfdump: 28 records for ModbusTCP.pcap (PEERS.md)");
      assert.equal(flows.length, reference.length);
      const ours = flows.map(row);
      // Same multiset of records, field by field.
      assert.deepEqual(ours.map(key).sort(), reference.map(key).sort());
      if (exportVersion !== 5) {
        // softflowd -a / -A milli: absolute times, which nfdump shows to the ms.
        const times = (rs: Row[]) => rs.map((r) => `${key(r)} ${r.startMs}-${r.endMs}`).sort();
        assert.deepEqual(times(ours), times(reference));
      }
      for (const e of flows) {
        assert.equal(e.flow?.exportVersion, exportVersion);
        assert.equal(e.flow?.exporter, "127.0.0.1");
        assert.equal(e.device?.name, "edge-router");
        assert.ok(e.id);
      }
      assert.equal(new Set(flows.map((e) => e.id)).size, flows.length, "ids are unique");
      const status = sink.events.filter((e) => e.status);
      assert.equal(status.length, 1, "one Status event when the exporter is first heard");
      assert.equal(sink.events.filter((e) => e.malformed).length, 0);

      // A retransmitted datagram yields the same event ids.
      const first = tee.datagrams.find((d) => d.readUInt16BE(0) === exportVersion);
      assert.ok(first);
      const before = sink.events.length;
      const sender = await udpSender();
      await sender.send(first, ourPort);
      await sender.close();
      const again = (await sink.waitFor(before + 1, () => true)).slice(before);
      await sink.waitFor(0); // let the batch land
      const resent = sink.events.slice(before).filter((e) => e.flow);
      assert.ok(resent.length > 0 && again.length > 0);
      const ids = new Set(flows.map((e) => e.id));
      for (const e of resent) assert.ok(ids.has(e.id), "retransmission has the original id");
    } finally {
      await tee.close();
      await nfcapd.service.stop();
      await listener.stop();
    }
  } finally {
    dir.cleanup();
  }
}

test("softflowd NetFlow v9 (-a): same records as nfcapd/nfdump", async () => {
  await compareWithNfdump("v9", ["-v", "9", "-a"], 9);
});

test("softflowd IPFIX (-A milli): same records as nfcapd/nfdump", async () => {
  await compareWithNfdump("ipfix", ["-v", "10", "-A", "milli"], 10);
});

test("softflowd NetFlow v5: same records as nfcapd/nfdump", async () => {
  await compareWithNfdump("v5", ["-v", "5"], 5);
});

let ctx: ReturnType<typeof testContext>;
let sink: ReturnType<typeof memorySink>;
let port: number;
let listener: ReturnType<typeof createFlowListener>;

before(async () => {
  sink = memorySink();
  ctx = testContext(sink);
  port = await freePort("udp");
  listener = createFlowListener({ port, host: "127.0.0.1" }, staticDirectory([exporter]), ctx);
  await listener.start();
});
after(() => listener.stop());

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const m = (await ctx.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) =>
    Object.entries(labels).every(([k, val]) => (x.labels as Record<string, string>)[k] === val),
  );
  return Number(v?.value ?? 0);
}

test("an exporter no Device claims is counted and dropped", async () => {
  const sender = await udpSender("127.0.0.2");
  await sender.send(readFileSync(`${NETFLOW_DATA}netflow5.dat`), port);
  await sender.close();
  for (let i = 0; i < 200 && (await metric("amoskys_agent_unknown_source_total", {})) === 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(await metric("amoskys_agent_unknown_source_total", { protocol: "netflow" }), 1);
  assert.equal(sink.events.length, 0);
  assert.equal(listener.templates.size, 0);
});

test("a malformed datagram becomes a Malformed event and a counted reason", async () => {
  const bad = readFileSync(`${NETFLOW_DATA}netflow5_test_invalid01.dat`);
  const sender = await udpSender();
  await sender.send(bad, port);
  await sender.close();
  const [m] = await sink.waitFor(1, (e) => !!e.malformed);
  assert.match(String(m?.malformed?.reason), /^bad_count/);
  assert.equal(m?.malformed?.length, bad.length);
  assert.equal(await metric("amoskys_agent_malformed_total", { reason: "bad_count" }), 1);
  assert.equal(sink.events.filter((e) => e.flow).length, 0);
});

test("datagrams of one event-loop turn share an emit; answer-key values through the listener", async () => {
  // netflow9_test_cisco_asa_1 (logstash "Netflow 9 Cisco ASA"): template
  // packet, then one data packet of 14 flows.
  let emits = 0;
  const counting = memorySink();
  const c = testContext({
    emit: async (evs) => {
      emits++;
      await counting.emit(evs);
    },
  });
  const p = await freePort("udp");
  const l = createFlowListener({ port: p, host: "127.0.0.1" }, staticDirectory([exporter]), c);
  await l.start();
  try {
    const sender = await udpSender();
    await sender.send(readFileSync(`${NETFLOW_DATA}netflow9_test_cisco_asa_1_tpl.dat`), p);
    await sender.send(readFileSync(`${NETFLOW_DATA}netflow9_test_cisco_asa_1_data.dat`), p);
    await sender.close();
    const flows = await counting.waitFor(14, (e) => !!e.flow);
    // The two datagrams land in one emit or two (one per read turn), never one per record.
    assert.ok(emits >= 1 && emits <= 2, `${emits} emits for 2 datagrams`);
    assert.equal(counting.events.length, 15, "1 status + 14 flows");
    assert.ok(counting.events[0]?.status, "status first: it came with the template datagram");
    assert.equal(flows[1]?.flow?.srcAddress, "192.168.23.22");
    assert.equal(flows[1]?.flow?.dstAddress, "164.164.37.11");
    assert.equal(Number(flows[1]?.flow?.bytes), 56);
    assert.equal(Number(flows[1]?.flow?.start?.seconds), 1444384068);
    assert.equal(await metric("amoskys_agent_flow_templates", {}), 0, "other registry");
    const m = (await c.registry.getMetricsAsJSON()).find(
      (x) => x.name === "amoskys_agent_flow_templates",
    );
    assert.equal(Number(m?.values[0]?.value), 13);
  } finally {
    await l.stop();
  }
});
