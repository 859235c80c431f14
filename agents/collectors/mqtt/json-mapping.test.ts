// JSON paths, topic filters and the mapper. Payloads are the Sparkplug spec's
// example payloads in their JSON form
// (../shared/testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl,
// eclipse-sparkplug/sparkplug chapter 6 @e45b61002a2a, EPL-2.0; SOURCES.md),
// whose values are the answer key.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compileMappings,
  getPath,
  mapJson,
  parsePath,
  topicMatches,
  validTopicFilter,
} from "./json-mapping.ts";
import { loadExamples } from "./spec-examples.ts";

const nbirth = loadExamples()[0];

test("paths: dots, array indices, quoted keys, $ prefix; bad ones say why", () => {
  assert.deepEqual(parsePath("a.b[0].c"), { ok: true, value: ["a", "b", 0, "c"] });
  assert.deepEqual(parsePath("$.a[12][3]"), { ok: true, value: ["a", 12, 3] });
  assert.deepEqual(parsePath("[2].x"), { ok: true, value: [2, "x"] });
  assert.deepEqual(parsePath(`a["dotted.key"].b`), { ok: true, value: ["a", "dotted.key", "b"] });
  for (const bad of ["", "a..b", "a.", ".a", "a[", "a[x]", "a[-1]", "a]b[0]c"])
    assert.equal(parsePath(bad).ok, false, bad);
});

test("getPath follows own properties only", () => {
  const doc = JSON.parse('{"a":{"b":[{"c":5}]},"__proto__":{"x":1}}');
  assert.deepEqual(getPath(doc, ["a", "b", 0, "c"]), { found: true, value: 5 });
  assert.deepEqual(getPath(doc, ["a", "b", 1, "c"]), { found: false });
  assert.deepEqual(getPath(doc, ["a", "constructor"]), { found: false });
  assert.deepEqual(getPath(doc, ["a", "b", "length"]), { found: false });
  assert.deepEqual(getPath(doc, ["__proto__", "x"]), { found: true, value: 1 });
});

test("topic filters: + is one level, # the rest and the parent, $ topics are literal", () => {
  assert.equal(topicMatches("plant/+/temp", "plant/a/temp"), true);
  assert.equal(topicMatches("plant/+/temp", "plant/a/b/temp"), false);
  assert.equal(topicMatches("plant/#", "plant"), true);
  assert.equal(topicMatches("plant/#", "plant/a/b"), true);
  assert.equal(topicMatches("#", "$SYS/broker/uptime"), false);
  assert.equal(topicMatches("plant/a", "plant/a/b"), false);
  assert.equal(validTopicFilter("a/#/b"), false);
  assert.equal(validTopicFilter("a/b+"), false);
  assert.equal(validTopicFilter("a/+/#"), true);
});

test("the mapper reads the spec's NBIRTH example: Supply Voltage 12.1, timestamp, Boolean as 0", () => {
  const m = compileMappings([
    { topic: "plant/+", jsonPath: "payload.metrics[9].value", metric: "supply.voltage", unit: "V" },
    { topic: "plant/+", jsonPath: "payload.timestamp", metric: "birth.time", unit: "ms" },
    { topic: "plant/+", jsonPath: "payload.metrics[1].value", metric: "reboot" },
    { topic: "other/#", jsonPath: "payload.seq", metric: "not.this.topic" },
  ]);
  assert.ok(m.ok);
  const r = mapJson("plant/pi", Buffer.from(JSON.stringify(nbirth)), m.value);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.readings, [
    { metric: "supply.voltage", value: 12.1, unit: "V", jsonPath: "payload.metrics[9].value" },
    { metric: "birth.time", value: 1486144502122, unit: "ms", jsonPath: "payload.timestamp" },
    { metric: "reboot", value: 0, jsonPath: "payload.metrics[1].value" },
  ]);
});

test("the mapper: not JSON, a missing path, a string that is not a number", () => {
  const m = compileMappings([
    { topic: "#", jsonPath: "payload.metrics[5].value", metric: "make" },
    { topic: "#", jsonPath: "payload.metrics[99].value", metric: "gone" },
  ]);
  assert.ok(m.ok);
  const r = mapJson("plant/pi", Buffer.from(JSON.stringify(nbirth)), m.value);
  assert.deepEqual(
    r.problems.map((p) => [p.label, p.reason]),
    [
      ["json_not_number", 'value at payload.metrics[5].value is not a number: "Raspberry Pi"'],
      ["json_path_missing", "no value at payload.metrics[99].value"],
    ],
  );
  const notJson = mapJson("plant/pi", Buffer.from("<xml/>"), m.value);
  assert.deepEqual(
    notJson.problems.map((p) => p.label),
    ["json_invalid"],
  );
  const binary = mapJson("plant/pi", Buffer.from([0xff, 0xfe, 0x00]), m.value);
  assert.deepEqual(
    binary.problems.map((p) => p.label),
    ["json_invalid"],
  );
  assert.equal(mapJson("x", Buffer.from("21.5"), []).matched, 0);
});

test("numeric strings count as numbers; other strings do not", () => {
  const m = compileMappings([{ topic: "#", jsonPath: "v", metric: "v" }]);
  assert.ok(m.ok);
  const read = (s: string) => mapJson("t", Buffer.from(s), m.value);
  assert.equal(read('{"v":"21.5"}').readings[0]?.value, 21.5);
  assert.equal(read('{"v":" -3e2 "}').readings[0]?.value, -300);
  assert.equal(read('{"v":"0x10"}').problems[0]?.label, "json_not_number");
  assert.equal(read('{"v":"Infinity"}').problems[0]?.label, "json_not_number");
  assert.equal(read('{"v":null}').problems[0]?.label, "json_not_number");
});

test("compileMappings names the invalid mapping", () => {
  assert.deepEqual(compileMappings([{ topic: "a/#/b", jsonPath: "x", metric: "m" }]), {
    ok: false,
    reason: 'mappings[0].topic "a/#/b" is not a topic filter',
  });
  const r = compileMappings([
    { topic: "a", jsonPath: "x", metric: "m" },
    { topic: "a", jsonPath: "x..y", metric: "m" },
  ]);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /^mappings\[1\]\.jsonPath/);
});
