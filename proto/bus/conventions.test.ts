import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  busStreams,
  FINDINGS_STREAM,
  msgId,
  parseMsgId,
  parseTelemetrySubject,
  TELEMETRY_STREAM,
  telemetryStream,
  telemetrySubject,
} from "./conventions.ts";
import { BusConfigError, MsgIdError, SubjectNameError, TelemetrySubjectError } from "./errors.ts";

describe("telemetry subjects", () => {
  it("encodes a device's dots as '~' and decodes them back", () => {
    const cases: [string, string, string][] = [
      ["plant-1", "plc-7", "amoskys.telemetry.plant-1.plc-7"],
      ["default", "cam.lobby.example.com", "amoskys.telemetry.default.cam~lobby~example~com"],
      ["a", "0", "amoskys.telemetry.a.0"],
      ["x".repeat(63), `${"d".repeat(63)}.${"e".repeat(63)}`, ""],
    ];
    for (const [ns, device, subject] of cases) {
      const s = telemetrySubject(ns, device);
      if (subject) assert.equal(s, subject);
      assert.deepEqual(parseTelemetrySubject(s), { namespace: ns, device });
    }
  });

  it("rejects names that are not DNS labels / subdomains, saying which part", () => {
    const bad: [string, string, "namespace" | "device"][] = [
      ["", "dev", "namespace"],
      ["Plant", "dev", "namespace"],
      ["a.b", "dev", "namespace"], // a namespace is a label: no dots
      ["-a", "dev", "namespace"],
      ["a-", "dev", "namespace"],
      ["x".repeat(64), "dev", "namespace"],
      ["ns", "", "device"],
      ["ns", "dev~1", "device"],
      ["ns", "dev*", "device"],
      ["ns", "dev>", "device"],
      ["ns", "a..b", "device"],
      ["ns", ".a", "device"],
      ["ns", "a.", "device"],
      ["ns", "a b", "device"],
      ["ns", "UPPER", "device"],
      ["ns", "a.-b", "device"],
      ["ns", "x".repeat(254), "device"],
    ];
    for (const [ns, device, part] of bad) {
      assert.throws(
        () => telemetrySubject(ns, device),
        (err: unknown) => {
          assert.ok(err instanceof SubjectNameError, `${ns}/${device}: ${err}`);
          assert.equal(err.part, part);
          assert.equal(err.value, part === "namespace" ? ns : device);
          return true;
        },
      );
    }
  });

  it("refuses to parse subjects it does not make", () => {
    for (const s of [
      "amoskys.telemetry.ns",
      "amoskys.telemetry.ns.dev.extra",
      "amoskys.findings.ns.dev",
      "other.telemetry.ns.dev",
      "amoskys.telemetry.NS.dev",
      "amoskys.telemetry.ns.a~~b",
      "amoskys.telemetry.ns.~a",
      "amoskys.telemetry.ns.*",
      "amoskys.telemetry.ns.>",
      "",
    ]) {
      assert.throws(
        () => parseTelemetrySubject(s),
        (err: unknown) => err instanceof TelemetrySubjectError && err.subject === s,
        s,
      );
    }
  });
});

describe("message ids", () => {
  it("is producer:seq and parses back, also when the producer contains ':'", () => {
    assert.equal(msgId("collector-a", 42), "collector-a:42");
    assert.equal(msgId("p", 0), "p:0");
    const sa = "system:serviceaccount:amoskys:snmp";
    assert.equal(msgId(sa, 7), `${sa}:7`);
    assert.deepEqual(parseMsgId(msgId(sa, 7)), { producer: sa, seq: 7 });
    const max = Number.MAX_SAFE_INTEGER;
    assert.deepEqual(parseMsgId(msgId("p", max)), { producer: "p", seq: max });
  });

  it("rejects producers and sequence numbers that cannot form an id", () => {
    for (const [p, s] of [
      ["", 1],
      ["a b", 1],
      ["a\nb", 1],
      ["é", 1],
      ["p", -1],
      ["p", 1.5],
      ["p", Number.NaN],
      ["p", 2 ** 53],
    ] as [string, number][]) {
      assert.throws(() => msgId(p, s), MsgIdError, `${JSON.stringify(p)} ${s}`);
    }
    for (const id of ["p", "p:", ":1", "p:01", "p:-1", "p:1.0", "p:9007199254740993", "a b:1"])
      assert.throws(() => parseMsgId(id), MsgIdError, id);
  });
});

describe("streams", () => {
  it("makes telemetry a file-backed work queue that refuses publishes when full", () => {
    const t = telemetryStream();
    assert.equal(t.name, TELEMETRY_STREAM);
    assert.deepEqual(t.subjects, ["amoskys.telemetry.>"]);
    assert.equal(t.retention, "workqueue");
    assert.equal(t.storage, "file");
    assert.equal(t.discard, "new");
    assert.equal(t.limits.duplicateWindowMs, 120_000);
    assert.equal(t.limits.maxMsgs, -1);
    assert.ok(t.limits.maxBytes > 0 && t.limits.maxAgeMs > 0 && t.limits.maxMsgSize > 0);
  });

  it("keeps findings by limits, and applies the limits asked for", () => {
    const [t, f] = busStreams({ telemetry: { maxMsgs: 20, maxBytes: 4096 } });
    assert.equal(t?.limits.maxMsgs, 20);
    assert.equal(t?.limits.maxBytes, 4096);
    assert.equal(f?.name, FINDINGS_STREAM);
    assert.deepEqual(f?.subjects, ["amoskys.findings.>"]);
    assert.equal(f?.retention, "limits");
    assert.equal(f?.storage, "file");
  });

  it("rejects limits that make no sense, naming the field", () => {
    const bad: [Parameters<typeof telemetryStream>[0], string][] = [
      [{ maxBytes: 0 }, "maxBytes"],
      [{ maxMsgs: -2 }, "maxMsgs"],
      [{ maxMsgSize: 1.5 }, "maxMsgSize"],
      [{ maxAgeMs: -1 }, "maxAgeMs"],
      [{ duplicateWindowMs: 0 }, "duplicateWindowMs"],
      [{ maxAgeMs: 60_000 }, "duplicateWindowMs"], // window longer than the age limit
      [{ replicas: 0 }, "replicas"],
    ];
    for (const [limits, field] of bad) {
      assert.throws(
        () => telemetryStream(limits),
        (err: unknown) =>
          err instanceof BusConfigError && err.path === `streams.${TELEMETRY_STREAM}.${field}`,
        field,
      );
    }
  });
});
