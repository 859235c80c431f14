// Sparkplug B decoding and session rules, against the specification's example
// payloads: ../shared/testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl
// (eclipse-sparkplug/sparkplug, chapter 6 "Payloads" @e45b61002a2a, EPL-2.0;
// SOURCES.md). The examples' values are the answer key. Broker tests are in
// collector.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { v1 } from "../../../proto/codec.ts";
import { Capability } from "../../events.ts";
import { fuzz } from "../../fuzz.ts";
import { compileMappings, mapJson } from "./json-mapping.ts";
import { createMessageHandler } from "./messages.ts";
import {
  DataType,
  decodePayload,
  encodePayload,
  metricValue,
  type SpPayload,
} from "./sparkplug-codec.ts";
import { SparkplugSessions, type SpOutput } from "./sparkplug-session.ts";
import { parseTopic } from "./sparkplug-topic.ts";
import { type Example, encodeExample, loadExamples, toProtoMetric } from "./spec-examples.ts";

const examples = loadExamples();
const byType = (t: string) => examples.find((e) => e.message_type === t) as Example;
const device = { namespace: "plant", name: "pi", address: "127.0.0.1" };

test("the spec has the 8 example payloads the answer key needs", () => {
  assert.deepEqual(
    examples.map((e) => e.message_type),
    ["NBIRTH", "DBIRTH", "NDATA", "DDATA", "NCMD", "DCMD", "NDEATH", "DDEATH"],
  );
});

test("every example payload decodes to the example's values and datatypes", () => {
  for (const e of examples) {
    const d = decodePayload(encodeExample(e));
    assert.ok(d.ok, `${e.message_type}: ${!d.ok && d.reason}`);
    assert.equal(d.value.timestamp, e.payload.timestamp);
    assert.equal(d.value.seq, e.payload.seq);
    const want = e.payload.metrics ?? [];
    assert.equal(d.value.metrics.length, want.length, e.message_type);
    for (const [i, m] of d.value.metrics.entries()) {
      const w = want[i];
      assert.ok(w);
      assert.equal(m.name, w.name);
      assert.equal(m.timestamp, w.timestamp);
      assert.equal(m.datatype, DataType[w.dataType]);
      const v = metricValue(m, m.datatype as number);
      const expected =
        typeof w.value === "boolean"
          ? { kind: "number", value: w.value ? 1 : 0 }
          : typeof w.value === "string"
            ? { kind: "string", value: w.value }
            : { kind: "number", value: w.value };
      // Float 12.1 travels as float32; the decoder gives back the shortest decimal, 12.1.
      assert.deepEqual(v, expected, `${e.message_type} ${w.name}`);
    }
  }
});

test("topics: the spec's namespace, STATE, and what is not Sparkplug", () => {
  assert.deepEqual(parseTopic("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella"), {
    ok: true,
    value: {
      kind: "device",
      type: "DDATA",
      group: "Sparkplug B Devices",
      node: "Raspberry Pi",
      device: "Pibrella",
    },
  });
  assert.deepEqual(parseTopic("spBv1.0/STATE/scada1"), {
    ok: true,
    value: { kind: "state", host: "scada1" },
  });
  assert.equal(parseTopic("spBv1.0/G/NDATA/N/extra").ok, false);
  assert.equal(parseTopic("spBv1.0/G/DDATA/N").ok, false);
  assert.equal(parseTopic("spBv1.0/G/XDATA/N").ok, false);
  assert.equal(parseTopic("spAv1.0/G/NDATA/N").ok, false);
});

test("datatypes: signed integers, 64-bit values, DateTime, Template skipped", () => {
  const p = encodePayload({
    seq: 0,
    metrics: [
      { name: "i8", datatype: DataType.Int8, intValue: 0xfffffffe }, // -2, sign-extended
      { name: "i8b", datatype: DataType.Int8, intValue: 0x80 }, // -128, 8 bits only
      { name: "i16", datatype: DataType.Int16, intValue: 0xffff8000 },
      { name: "i32", datatype: DataType.Int32, intValue: 0xffffffff },
      { name: "u32", datatype: DataType.UInt32, intValue: 0xffffffff },
      { name: "i64", datatype: DataType.Int64, longValue: -5 },
      { name: "u64", datatype: DataType.UInt64, longValue: 2 ** 63 },
      { name: "dt", datatype: DataType.DateTime, longValue: 1486144502122 },
      { name: "d", datatype: DataType.Double, doubleValue: 0.1 },
      { name: "t", datatype: DataType.Template, templateValue: { version: "1" } },
    ],
  });
  const d = decodePayload(p);
  assert.ok(d.ok);
  const values = d.value.metrics.map((m) => metricValue(m, m.datatype as number));
  assert.deepEqual(values, [
    { kind: "number", value: -2 },
    { kind: "number", value: -128 },
    { kind: "number", value: -32768 },
    { kind: "number", value: -1 },
    { kind: "number", value: 4294967295 },
    { kind: "number", value: -5 },
    { kind: "number", value: 2 ** 63 },
    { kind: "number", value: 1486144502122 },
    { kind: "number", value: 0.1 },
    { kind: "skipped", reason: "Template" },
  ]);
});

test("not Sparkplug: a reason, not an exception", () => {
  const d = decodePayload(Buffer.from('{"temperature": 21.5}'));
  assert.equal(d.ok, false);
});

test("Templates nested thousands deep: refused with a reason, no stack overflow", () => {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
    out.push(n);
    return out;
  };
  const ld = (field: number, inner: Buffer) =>
    Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(inner.length)]), inner]);
  let b = Buffer.alloc(0);
  // Metric.template_value (18) inside Template.metrics (2), alternating.
  for (let i = 0; i < 20_000; i++) b = ld(i % 2 === 1 ? 18 : 2, b);
  const d = decodePayload(ld(2, b));
  assert.deepEqual(d, { ok: false, reason: "not a Sparkplug B payload: max depth exceeded" });
});

/** The examples as one session: aliases defined in BIRTH, DATA by alias only. */
function session() {
  const s = new SparkplugSessions();
  const run = (e: Example, payload: SpPayload): SpOutput[] => {
    const t = parseTopic(e.topic);
    assert.ok(t.ok);
    const d = decodePayload(encodePayload(payload));
    assert.ok(d.ok);
    return s.handle(t.value, d.value, 1_700_000_000_000);
  };
  const withAliases = (e: Example, offset: number): SpPayload => ({
    timestamp: e.payload.timestamp as number,
    seq: e.payload.seq as number,
    metrics: (e.payload.metrics ?? []).map((m, i) => toProtoMetric(m, { alias: offset + i })),
  });
  return { s, run, withAliases };
}

const metrics = (o: SpOutput[]) =>
  o.flatMap((x) => (x.t === "metric" ? [{ name: x.name, value: x.value, labels: x.labels }] : []));
const kinds = (o: SpOutput[]) => o.flatMap((x) => (x.t === "observation" ? [x.kind] : []));
const statuses = (o: SpOutput[]) =>
  o.flatMap((x) => (x.t === "status" ? [`${x.scope} ${x.capability} ${x.reachable}`] : []));

test("session: BIRTH defines aliases, DATA uses them; the examples' seq 0 after 2 is a gap", () => {
  const { run, withAliases } = session();
  const nbirth = byType("NBIRTH");
  const out1 = run(nbirth, withAliases(nbirth, 0));
  assert.equal(metrics(out1).length, 10);
  assert.deepEqual(
    metrics(out1).find((m) => m.name === "Supply Voltage"),
    {
      name: "Supply Voltage",
      value: 12.1,
      labels: {
        group: "Sparkplug B Devices",
        edgeNode: "Raspberry Pi",
        datatype: "Float",
        messageType: "NBIRTH",
      },
    },
  );
  // A String metric is an info-style gauge: 1, its text in the value label.
  assert.equal(
    metrics(out1).find((m) => m.name === "Properties/Hardware Model")?.labels.value,
    "Pi 3 Model B",
  );
  assert.deepEqual(statuses(out1), ["spBv1.0/Sparkplug B Devices/Raspberry Pi REAL true"]);

  const dbirth = byType("DBIRTH");
  const out2 = run(dbirth, withAliases(dbirth, 100));
  assert.equal(metrics(out2).length, 14);
  assert.deepEqual(kinds(out2), []);

  // NDATA by alias only: Supply Voltage is alias 9 in the NBIRTH above.
  const ndata = byType("NDATA");
  const out3 = run(ndata, {
    timestamp: ndata.payload.timestamp as number,
    seq: 2,
    metrics: [
      toProtoMetric(ndata.payload.metrics?.[0] as never, {
        alias: 9,
        withName: false,
        withDatatype: false,
      }),
    ],
  });
  assert.deepEqual(
    metrics(out3).map((m) => [m.name, m.value]),
    [["Supply Voltage", 12.3]],
  );
  assert.deepEqual(kinds(out3), []);

  // DDATA as the spec prints it has seq 0: after NDATA seq 2 the next is 3.
  const ddata = byType("DDATA");
  const out4 = run(ddata, {
    timestamp: ddata.payload.timestamp as number,
    seq: 0,
    metrics: (ddata.payload.metrics ?? []).map((m) =>
      // Inputs/A and Inputs/C are aliases 100 and 102 in the DBIRTH above.
      toProtoMetric(m, { alias: m.name === "Inputs/A" ? 100 : 102, withName: false }),
    ),
  });
  assert.deepEqual(
    metrics(out4).map((m) => [m.name, m.value, m.labels.device]),
    [
      ["Inputs/A", 1, "Pibrella"],
      ["Inputs/C", 1, "Pibrella"],
    ],
  );
  assert.deepEqual(kinds(out4), ["sparkplug.sequence_gap"]);
  const gap = out4.find((x) => x.t === "observation");
  assert.deepEqual(gap?.t === "observation" && gap.evidence, {
    group: "Sparkplug B Devices",
    edgeNode: "Raspberry Pi",
    messageType: "DDATA",
    expected: "3",
    received: "0",
  });
  assert.deepEqual(statuses(out4), ["spBv1.0/Sparkplug B Devices/Raspberry Pi DEGRADED true"]);

  // Commands are observations, not readings.
  const out5 = run(byType("NCMD"), {
    ...byType("NCMD").payload,
    metrics: (byType("NCMD").payload.metrics ?? []).map((m) => toProtoMetric(m)),
  } as SpPayload);
  assert.deepEqual(kinds(out5), ["sparkplug.command"]);
  assert.match(
    (out5[0] as { detail: string }).detail,
    /NCMD to edge node Sparkplug B Devices\/Raspberry Pi: Node Control\/Rebirth=1/,
  );

  // NDEATH with the NBIRTH's bdSeq (0): node and device are gone.
  const ndeath = byType("NDEATH");
  const out6 = run(ndeath, {
    metrics: (ndeath.payload.metrics ?? []).map((m) => toProtoMetric(m)),
  });
  assert.deepEqual(statuses(out6), [
    "spBv1.0/Sparkplug B Devices/Raspberry Pi/Pibrella BLIND false",
    "spBv1.0/Sparkplug B Devices/Raspberry Pi BLIND false",
  ]);

  // DDEATH (seq 123 in the spec) after NDEATH: before any BIRTH.
  const out7 = run(byType("DDEATH"), { seq: 123, metrics: [] });
  assert.deepEqual(kinds(out7), ["sparkplug.data_before_birth"]);
});

test("session: an unknown alias and a bdSeq that does not match are counted, not trusted", () => {
  const { run, withAliases } = session();
  const nbirth = byType("NBIRTH");
  run(nbirth, withAliases(nbirth, 0));
  const out = run(byType("NDATA"), { seq: 1, metrics: [{ alias: 77, floatValue: 1 }] });
  assert.deepEqual(
    out.map((o) => o.t === "malformed" && o.label),
    ["sparkplug_unknown_alias"],
  );
  const stale = run(byType("NDEATH"), {
    metrics: [{ name: "bdSeq", datatype: DataType.UInt64, longValue: 7 }],
  });
  assert.deepEqual(kinds(stale), ["sparkplug.bdseq_mismatch"]);
  assert.deepEqual(statuses(stale), []);
});

test("session: seq wraps from 255 to 0 without a gap", () => {
  const { run } = session();
  const nbirth = byType("NBIRTH");
  run(nbirth, { seq: 254, metrics: [] });
  assert.deepEqual(kinds(run(byType("NDATA"), { seq: 255, metrics: [] })), []);
  assert.deepEqual(kinds(run(byType("NDATA"), { seq: 0, metrics: [] })), []);
  assert.deepEqual(kinds(run(byType("NDATA"), { seq: 2, metrics: [] })), [
    "sparkplug.sequence_gap",
  ]);
});

test("message handler: events are valid TelemetryEvents with stable ids", () => {
  const h = createMessageHandler(device, "sparkplugB", []);
  const e = byType("NBIRTH");
  const a = h(e.topic, encodeExample(e), 1_700_000_000_000);
  assert.equal(a.events.filter((x) => x.metric).length, 10);
  const status = a.events.find((x) => x.status);
  assert.equal(status?.status?.capability, Capability.CAPABILITY_REAL);
  for (const ev of a.events) v1.TelemetryEvent.decode(v1.TelemetryEvent.encode(ev).finish());
  // The same message again: the same ids (a redelivery is recognisably the same).
  const b = createMessageHandler(device, "sparkplugB", [])(
    e.topic,
    encodeExample(e),
    1_700_000_000_999,
  );
  assert.deepEqual(
    a.events.filter((x) => x.metric).map((x) => x.id),
    b.events.filter((x) => x.metric).map((x) => x.id),
  );
  const bad = h("spBv1.0/G/NDATA/N", Buffer.from("not protobuf at all"), 1);
  assert.deepEqual(bad.malformed, ["sparkplug_decode"]);
  assert.equal(bad.events[0]?.malformed?.protocol, v1.SourceProtocol.SOURCE_PROTOCOL_SPARKPLUG_B);
});

test("fuzz: the Sparkplug path (decode, session, events) on the spec examples", async () => {
  const corpus = examples.map((e) => encodeExample(e));
  const topics = examples.map((e) => e.topic);
  const h = createMessageHandler(device, "sparkplugB", []);
  let i = 0;
  const { runs } = await fuzz(corpus, (input) => {
    const r = h(topics[i++ % topics.length] as string, input, 1_700_000_000_000);
    for (const ev of r.events) v1.TelemetryEvent.encode(ev).finish();
    return r;
  });
  assert.ok(runs > 0);
});

test("fuzz: the JSON mapper on the spec examples as JSON", async () => {
  const lines = examples.map((e) => Buffer.from(JSON.stringify(e)));
  const m = compileMappings([
    { topic: "#", jsonPath: "payload.metrics[9].value", metric: "supply", unit: "V" },
    { topic: "#", jsonPath: "payload.timestamp", metric: "ts" },
    { topic: "#", jsonPath: "$.payload.metrics[0]['value']", metric: "first" },
  ]);
  assert.ok(m.ok);
  const h = createMessageHandler(device, "json", m.value);
  const { runs } = await fuzz(lines, (input) => {
    const r = h("plant/pi", input, 1_700_000_000_000);
    for (const ev of r.events) v1.TelemetryEvent.encode(ev).finish();
    mapJson("plant/pi", input, m.value);
    return r;
  });
  assert.ok(runs > 0);
});
