// Flow event ids (agents/hash128.ts IdHasher + events.ts flowEvents) over the answer-key
// datagrams of logstash-codec-netflow (../shared/testdata/netflow/
// logstash-codec-netflow, Apache-2.0, SOURCES.md): the same datagram resent
// gives the same ids, every other record a different one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { IdHasher } from "../../hash128.ts";
import { decodeNetflow } from "./decode.ts";
import { flowEvents } from "./events.ts";
import { NETFLOW_DATA } from "./peers.ts";
import { TemplateCache } from "./templates.ts";

const device: AgentDevice = {
  namespace: "plant",
  name: "edge-router",
  address: "192.0.2.10",
  type: "network",
  subject: "amoskys.plant.edge-router",
  flows: { exporterAddress: "192.0.2.10" },
};
const EXPORTER = "192.0.2.10";
const dat = (name: string) => new Uint8Array(readFileSync(NETFLOW_DATA + name));

/** Decodes the files in order with one cache; the flow events of each. */
function eventsOf(names: string[], dev = device, hasher = new IdHasher()): TelemetryEvent[] {
  const cache = new TemplateCache();
  const out: TelemetryEvent[] = [];
  for (const n of names) {
    const r = decodeNetflow(dat(n), EXPORTER, cache, 0);
    flowEvents(hasher, dev, EXPORTER, r.version, r.flows, r.exportMs, 1_700_000_000_000, out);
  }
  return out;
}

const ALL = [
  "netflow5.dat",
  "netflow5_test_juniper_mx80.dat",
  "netflow5_test_microtik.dat",
  "netflow9_test_valid01.dat",
  "netflow9_test_cisco_asa_1_tpl.dat",
  "netflow9_test_cisco_asa_1_data.dat",
  "netflow9_test_macaddr_tpl.dat",
  "netflow9_test_macaddr_data.dat",
  "ipfix.dat",
  "ipfix_test_openbsd_pflow_tpl.dat",
  "ipfix_test_openbsd_pflow_data.dat",
];

test("the same datagrams give the same ids (another hasher, another cache)", () => {
  const a = eventsOf(ALL);
  const b = eventsOf(ALL, device, new IdHasher());
  // The cisco ASA data datagram alone has 14 flows (netflow_spec.rb).
  assert.ok(a.length > 30, `${a.length} flows`);
  assert.deepEqual(
    b.map((e) => e.id),
    a.map((e) => e.id),
  );
  // A hasher reused after other input starts clean.
  const h = new IdHasher();
  h.str("left over").word(7);
  h.id();
  assert.deepEqual(
    eventsOf(
      ["netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat"],
      device,
      h,
    ).map((e) => e.id),
    eventsOf(["netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat"]).map(
      (e) => e.id,
    ),
  );
});

test("different records, datagrams or devices give different ids", () => {
  const a = eventsOf(ALL);
  assert.equal(new Set(a.map((e) => e.id)).size, a.length, "unique within the corpus");
  for (const e of a) assert.match(String(e.id), /^[A-Za-z0-9_-]{22}\.\d+$/);

  const other = eventsOf(ALL, { ...device, name: "other-router" });
  const ids = new Set(a.map((e) => e.id));
  for (const e of other) assert.ok(!ids.has(e.id), "another device: other ids");

  // One changed byte in a record (the last data byte of the ASA data datagram).
  const data = dat("netflow9_test_cisco_asa_1_data.dat");
  const changed = Uint8Array.from(data);
  changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1;
  const cache = new TemplateCache();
  const h = new IdHasher();
  decodeNetflow(dat("netflow9_test_cisco_asa_1_tpl.dat"), EXPORTER, cache, 0);
  const run = (p: Uint8Array) => {
    const out: TelemetryEvent[] = [];
    const r = decodeNetflow(p, EXPORTER, cache, 0);
    flowEvents(h, device, EXPORTER, r.version, r.flows, r.exportMs, 0, out);
    return out.map((e) => e.id);
  };
  const x = run(data);
  const y = run(changed);
  assert.equal(x.length, 14);
  assert.equal(new Set([...x, ...y]).size, 28, "a changed datagram: all new ids");

  // The next export (sequence + 1) of the same bytes.
  const next = Uint8Array.from(data);
  new DataView(next.buffer).setUint32(12, new DataView(data.buffer).getUint32(12) + 1);
  assert.equal(new Set([...x, ...run(next)]).size, 28, "another sequence number: new ids");
});

test("IdHasher: 128-bit digest, base64url; word order and length matter", () => {
  const h = new IdHasher();
  const d = h.word(1).word(2).words();
  const bytes = Buffer.alloc(16);
  d.forEach((w, i) => {
    bytes.writeInt32BE(w, i * 4);
  });
  assert.equal(h.word(1).word(2).id(), bytes.toString("base64url"));
  assert.notEqual(h.word(2).word(1).id(), h.word(1).word(2).id());
  assert.notEqual(h.word(1).id(), h.word(1).word(0).id(), "zero padding is not the same input");
  assert.notEqual(h.str("ab").id(), h.str("a").str("b").id());
  assert.notEqual(h.num(2 ** 32).id(), h.num(1).id());
  assert.notEqual(h.bytes(Uint8Array.of(1, 2, 3)).id(), h.bytes(Uint8Array.of(1, 2, 3, 0)).id());
});
