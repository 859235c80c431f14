// Pure semantics of the engine: compilation errors, windows, thresholds,
// distinct counts, sequences, anomaly learning, suppression, eviction and
// checkpoints. The events are built by hand here because what is under test
// is counting and time, not decoding (real-data tests are in realdata.test.ts).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import type { DetectionRule, DetectionRuleSpec, DeviceSpec } from "../../crds/index.ts";
import { v1 } from "../../proto/codec.ts";
import { ruleStatus } from "../findings/status.ts";
import type { TelemetryEvent } from "../model.ts";
import { compileRule } from "./compile.ts";
import { createEngine } from "./engine.ts";
import { compilePath, read } from "./fields.ts";

const NS = "plant";
const T0 = Date.UTC(2024, 0, 1);
const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

function rule(name: string, spec: DetectionRuleSpec, generation = 1): DetectionRule {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "DetectionRule",
    metadata: { name, namespace: NS, generation },
    spec,
  };
}

let n = 0;
function log(msg: string, atMs: number, device = "srv", app = "sshd"): TelemetryEvent {
  return {
    id: `e${n++}`,
    device: { namespace: NS, name: device, address: "127.0.0.1" },
    observed: ts(atMs),
    source: v1.SourceProtocol.SOURCE_PROTOCOL_SYSLOG,
    log: { message: msg, appName: app, hostname: "h" },
  };
}
function flow(src: string, dst: string, dport: number, atMs: number): TelemetryEvent {
  return {
    id: `f${n++}`,
    device: { namespace: NS, name: "sw", address: "127.0.0.1" },
    observed: ts(atMs),
    source: v1.SourceProtocol.SOURCE_PROTOCOL_NETFLOW,
    flow: { srcAddress: src, dstAddress: dst, srcPort: 40000, dstPort: dport, protocol: 6 },
  };
}
function metric(name: string, value: number, atMs: number, device = "plc"): TelemetryEvent {
  return {
    id: `m${n++}`,
    device: { namespace: NS, name: device, address: "127.0.0.1" },
    observed: ts(atMs),
    source: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS,
    metric: { name, value },
  };
}

const noDevices = () => undefined;
const failed: DetectionRuleSpec = {
  type: "threshold",
  selector: { kinds: ["log"], where: [{ field: "log.message", op: "matches", value: "^Failed" }] },
  window: "1m",
  threshold: { count: 3 },
  suppression: { window: "10m" },
};

describe("compile", () => {
  const bad: [DetectionRuleSpec, RegExp][] = [
    [{ type: "threshold", selector: {} } as DetectionRuleSpec, /^spec\.threshold:/],
    [{ ...failed, window: "5 minutes" }, /^spec\.window:/],
    [
      { type: "match", selector: { where: [{ field: "flow.dstPrt", op: "eq", value: "1" }] } },
      /^spec\.selector\.where\[0\]\.field: .*no field "dstPrt"/,
    ],
    [
      { type: "match", selector: { where: [{ field: "log.message", op: "matches", value: "(" }] } },
      /^spec\.selector\.where\[0\]\.value: not a valid regular expression/,
    ],
    // RE2 refuses what could backtrack (or what JavaScript reads differently).
    ...["(a)\\1", "(?=a)", "(?<!a)b", "a++", "a{1001}", "\\Z"].map(
      (value): [DetectionRuleSpec, RegExp] => [
        { type: "match", selector: { where: [{ field: "log.message", op: "matches", value }] } },
        /^spec\.selector\.where\[0\]\.value: not a valid regular expression \(RE2\): error parsing regexp: /,
      ],
    ),
    [
      { type: "match", selector: { where: [{ field: "flow.bytes", op: "gt", value: "lots" }] } },
      /^spec\.selector\.where\[0\]\.value:/,
    ],
    [
      {
        type: "match",
        selector: { where: [{ field: "source", op: "eq", value: "carrier-pigeon" }] },
      },
      /^spec\.selector\.where\[0\]\.value: "carrier-pigeon" is not a SourceProtocol/,
    ],
    [
      { type: "match", selector: { where: [{ field: "wire.fields", op: "exists" }] } },
      /^spec\.selector\.where\[0\]\.field: .*is a map/,
    ],
    [
      { type: "match", selector: { sources: ["smoke" as "snmp"] } },
      /^spec\.selector\.sources\[0\]/,
    ],
    [{ type: "match", selector: {}, mitre: ["X1"] }, /^spec\.mitre\[0\]/],
    [{ type: "anomaly", selector: {}, anomaly: { model: "novelty" } }, /^spec\.anomaly\.field/],
    [
      { type: "sequence", sequence: { steps: [{ kinds: ["log"] }] } },
      /^spec\.sequence\.steps: a sequence needs 2 to 8 steps/,
    ],
    [
      {
        type: "match",
        selector: { where: [{ field: "wire.srcAddress", op: "in", value: "x" } as never] },
      },
      /^spec\.selector\.where\[0\]\.value: op in takes no value/,
    ],
  ];
  for (const [spec, reason] of bad) {
    it(`refuses ${reason.source}`, () => {
      const c = compileRule(rule("r", spec), noDevices);
      assert.equal(c.accepted, false);
      assert.match((c as { reason: string }).reason, reason);
    });
  }

  it("an invalid rule does not stop the others", () => {
    const e = createEngine({ devices: noDevices });
    const st = e.setRules([
      rule("bad", { ...failed, window: "soon" }),
      rule("good", { type: "match", selector: { kinds: ["log"] } }),
    ]);
    assert.deepEqual(
      st.map((s) => [s.rule.name, s.accepted]),
      [
        ["bad", false],
        ["good", true],
      ],
    );
    assert.match(st[0]?.reason ?? "", /^spec\.window:/);
    assert.equal(e.process([log("x", T0)]).length, 1);
  });

  it("reads enums by name, absent scalars as defaults, maps, lists and CIDRs", () => {
    const ev: TelemetryEvent = {
      id: "s",
      device: { namespace: NS, name: "d" },
      source: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS,
      status: { protocol: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS, reason: "timeout" },
    };
    const p = compilePath("status.reachable");
    assert.ok(!("error" in p));
    assert.deepEqual(read(ev, p), [{ text: "false", set: false }]);
    const src = compilePath("source");
    assert.ok(!("error" in src));
    assert.equal(read(ev, src)[0]?.text, "SOURCE_PROTOCOL_MODBUS");
    const e = createEngine({ devices: noDevices });
    e.setRules([
      rule("unreach", {
        type: "match",
        selector: {
          where: [
            { field: "status.reachable", op: "eq", value: "false" },
            { field: "status.protocol", op: "eq", value: "modbus" },
          ],
        },
      }),
      rule("trapvb", {
        type: "match",
        selector: {
          where: [
            { field: "trap.varbinds.oid", op: "eq", value: "1.3.6.1.2.1.2.1.0" },
            { field: "trap.agentAddress", op: "in", values: ["10.1.0.0/16"] },
          ],
        },
      }),
    ]);
    const trap: TelemetryEvent = {
      id: "t",
      device: { namespace: NS, name: "d" },
      trap: {
        agentAddress: "10.1.2.3",
        varbinds: [
          { oid: "1.3.6.1.2.1.1.3.0", value: "1" },
          { oid: "1.3.6.1.2.1.2.1.0", value: "33" },
        ],
      },
    };
    const u = e.process([ev, trap]);
    assert.deepEqual(u.map((x) => x.rule.name).sort(), ["trapvb", "unreach"]);
  });

  it("takes allowed values from the Device (valuesFromDevice), CIDRs included", () => {
    const spec = {
      address: "10.0.0.3",
      type: "ot",
      modbus: { allowedWriters: ["10.0.5.0/28"] },
    } as DeviceSpec;
    const e = createEngine({
      devices: (ns, name) => (ns === NS && name === "plc" ? spec : undefined),
    });
    e.setRules([
      rule("w", {
        type: "match",
        selector: {
          where: [
            {
              field: "wire.srcAddress",
              op: "notIn",
              valuesFromDevice: "spec.modbus.allowedWriters",
            },
          ],
        },
        groupBy: ["wire.srcAddress"],
      }),
    ]);
    const w = (src: string, dev = "plc"): TelemetryEvent => ({
      id: src,
      device: { namespace: NS, name: dev },
      observed: ts(T0),
      wire: { protocol: "modbus", srcAddress: src },
    });
    const u = e.process([w("10.0.5.3"), w("10.0.5.20"), w("10.0.5.4", "unknown-device")]);
    // 10.0.5.3 is in 10.0.5.0/28; a Device that is not known has no allowed writers.
    assert.deepEqual(
      u.map((x) => `${x.device.name}:${x.key}`),
      ["plc:10.0.5.20", "unknown-device:10.0.5.4"],
    );
  });

  it("applies rules only to Devices of their own namespace", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("m", { type: "match", selector: { kinds: ["log"] } })]);
    const other = log("x", T0);
    other.device = { namespace: "elsewhere", name: "srv" };
    assert.equal(e.process([other]).length, 0);
  });
});

describe("threshold", () => {
  it("fires at count within window, not when spread wider, and suppresses repeats", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("bf", failed)]);
    // Spread: 3 failures 40 s apart never have 3 within 1 minute.
    assert.deepEqual(e.process([0, 40, 80].map((s) => log("Failed password", T0 + s * 1000))), []);
    // 3 within 20 s (the third with the one at 80 s): fires once.
    const t1 = T0 + 100_000;
    const u = e.process([log("Failed password", t1), log("Failed password", t1 + 1000)]);
    assert.equal(u.length, 1);
    assert.equal(u[0]?.fire, true);
    assert.equal(u[0]?.count, 3);
    assert.equal(u[0]?.firstSeenMs, T0 + 80_000);
    assert.equal(u[0]?.key, "");
    assert.ok((u[0]?.evidence.eventIds.length ?? 0) <= 10);
    // Repeats inside the 10 m suppression: counted, suppressed, no fire.
    const r = e.process([log("Failed password", t1 + 60_000), log("nothing", t1 + 61_000)]);
    assert.equal(r.length, 1);
    assert.deepEqual([r[0]?.fire, r[0]?.count, r[0]?.suppressed], [false, 4, 1]);
    // After suppression, 3 more within the window fire again, adding to the count.
    const t2 = t1 + 11 * 60_000;
    const again = e.process([0, 1, 2].map((s) => log("Failed password", t2 + s * 1000)));
    assert.deepEqual([again[0]?.fire, again[0]?.count, again[0]?.suppressed], [true, 7, 1]);
    const st = e.ruleStatus()[0];
    assert.deepEqual([st?.hits, st?.suppressed, st?.lastFiredMs], [2, 1, t2 + 2000]);
  });

  it("keeps evidence bounded to 10 ids and one update per finding per batch", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("bf", { ...failed, threshold: { count: 2 } })]);
    const u = e.process(Array.from({ length: 50 }, (_, i) => log("Failed password", T0 + i)));
    assert.equal(u.length, 1);
    assert.equal(u[0]?.evidence.eventIds.length, 10);
    assert.deepEqual([u[0]?.fire, u[0]?.count, u[0]?.suppressed], [true, 50, 48]);
  });

  it("counts per groupBy key", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("bf", { ...failed, groupBy: ["log.appName"] })]);
    const evs = [
      log("Failed x", T0, "srv", "sshd"),
      log("Failed x", T0 + 1, "srv", "vsftpd"),
      log("Failed x", T0 + 2, "srv", "sshd"),
      log("Failed x", T0 + 3, "srv", "vsftpd"),
      log("Failed x", T0 + 4, "srv", "sshd"),
    ];
    assert.deepEqual(
      e.process(evs).map((u) => u.key),
      ["sshd"],
    );
  });
});

describe("distinct", () => {
  const scan: DetectionRuleSpec = {
    type: "distinct",
    selector: { kinds: ["flow"] },
    groupBy: ["flow.srcAddress"],
    window: "1m",
    distinct: { field: "flow.dstPort", count: 5 },
  };
  it("fires on N distinct values within window, not on repeats of the same value", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("ps", scan)]);
    const same = Array.from({ length: 20 }, (_, i) => flow("10.0.0.9", "10.0.0.3", 502, T0 + i));
    assert.deepEqual(e.process(same), []);
    // 4 new ports within the minute: 502 + 4 = 5 distinct.
    const u = e.process(
      [21, 22, 23, 80].map((p, i) => flow("10.0.0.9", "10.0.0.3", p, T0 + 100 + i)),
    );
    assert.equal(u.length, 1);
    assert.equal(u[0]?.key, "10.0.0.9");
    assert.match(u[0]?.evidence.summary ?? "", /5 distinct flow\.dstPort for 10\.0\.0\.9/);
  });
  it("forgets values older than the window", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("ps", scan)]);
    const slow = [1, 2, 3, 4, 5, 6].map((p, i) => flow("10.0.0.8", "10.0.0.3", p, T0 + i * 20_000));
    assert.deepEqual(e.process(slow), []);
  });
});

describe("sequence", () => {
  const spec: DetectionRuleSpec = {
    type: "sequence",
    groupBy: ["log.appName"],
    window: "2m",
    sequence: {
      steps: [
        { where: [{ field: "log.message", op: "matches", value: "^Failed" }] },
        { where: [{ field: "log.message", op: "matches", value: "^Accepted" }] },
      ],
    },
  };
  it("fires on steps in order within window, not out of order or too late", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("seq", spec)]);
    assert.deepEqual(e.process([log("Accepted password", T0), log("Failed password", T0 + 1)]), []);
    // Failed at T0+1 is step 0; Accepted 3 minutes later is outside the window.
    assert.deepEqual(e.process([log("Accepted password", T0 + 180_000)]), []);
    const u = e.process([
      log("Failed password", T0 + 200_000),
      log("Accepted password", T0 + 230_000),
    ]);
    assert.equal(u.length, 1);
    assert.equal(u[0]?.count, 2);
    assert.equal(u[0]?.firstSeenMs, T0 + 200_000);
  });
});

describe("anomaly", () => {
  const spec: DetectionRuleSpec = {
    type: "anomaly",
    selector: { kinds: ["metric"] },
    anomaly: { model: "baseline", metric: "tank.level", learningPeriod: "10m", minSamples: 20 },
  };
  it("learns (Learning), then fires on a departure (Active), per device", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("an", spec)]);
    assert.equal(e.ruleStatus()[0]?.learning, "Learning");
    // A noisy but steady level: 50 ± 1, one reading a minute for 30 minutes.
    const steady = Array.from({ length: 30 }, (_, i) =>
      metric("tank.level", 50 + ((i * 7) % 3) - 1, T0 + i * 60_000),
    );
    // A spike during learning does not fire.
    steady.splice(3, 0, metric("tank.level", 500, T0 + 3 * 60_000 + 1));
    assert.deepEqual(e.process(steady), []);
    assert.equal(e.ruleStatus()[0]?.learning, "Active");
    assert.deepEqual(e.process([metric("tank.level", 51, T0 + 31 * 60_000)]), []);
    // Other metrics are not this rule's.
    assert.deepEqual(e.process([metric("tank.temp", 900, T0 + 32 * 60_000)]), []);
    const u = e.process([metric("tank.level", 80, T0 + 33 * 60_000)]);
    assert.equal(u.length, 1);
    assert.match(
      u[0]?.evidence.summary ?? "",
      /tank\.level = 80 is .* from its baseline \(median 50/,
    );
    // Another device is still learning its own baseline.
    assert.deepEqual(e.process([metric("tank.level", 80, T0 + 33 * 60_000, "plc2")]), []);
  });

  it("novelty: a value never seen while learning fires once, then is known", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([
      rule("peer", {
        type: "anomaly",
        selector: { kinds: ["flow"] },
        anomaly: {
          model: "novelty",
          field: "flow.srcAddress",
          learningPeriod: "1m",
          minSamples: 10,
        },
        suppression: { window: "1ms" },
      }),
    ]);
    const learn = Array.from({ length: 12 }, (_, i) =>
      flow(i % 2 ? "10.0.0.1" : "10.0.0.2", "10.0.0.3", 502, T0 + i * 10_000),
    );
    assert.deepEqual(e.process(learn), []);
    const u = e.process([flow("10.6.6.6", "10.0.0.3", 502, T0 + 200_000)]);
    assert.equal(u.length, 1);
    assert.match(u[0]?.evidence.summary ?? "", /new flow\.srcAddress "10\.6\.6\.6"/);
    assert.deepEqual(e.process([flow("10.6.6.6", "10.0.0.3", 502, T0 + 300_000)]), []);
  });
});

describe("state", () => {
  it("is bounded: the least recently used keys are evicted and counted", () => {
    const evicted: string[] = [];
    const e = createEngine({ devices: noDevices, maxKeys: 3, onEvict: (x) => evicted.push(x.key) });
    e.setRules([rule("bf", { ...failed, groupBy: ["log.appName"] })]);
    e.process(["a", "b", "c", "d", "e"].map((app, i) => log("Failed", T0 + i, "srv", app)));
    assert.deepEqual(evicted, ["a", "b"]);
    assert.deepEqual([e.stats().keys, e.stats().evicted], [3, 2]);
  });

  it("survives a checkpoint and restore with half-filled windows", () => {
    const a = createEngine({ devices: noDevices });
    const rules = [
      rule("bf", failed),
      rule("ps", {
        type: "distinct",
        selector: { kinds: ["flow"] },
        distinct: { field: "flow.dstPort", count: 3 },
      }),
    ];
    a.setRules(rules);
    assert.deepEqual(
      a.process([
        log("Failed", T0),
        log("Failed", T0 + 1),
        flow("1.1.1.1", "2.2.2.2", 1, T0),
        flow("1.1.1.1", "2.2.2.2", 2, T0),
      ]),
      [],
    );
    const cp = a.checkpoint();
    const b = createEngine({ devices: noDevices });
    assert.deepEqual(b.restore(cp), { ok: true, keys: 2 });
    b.setRules(rules);
    const u = b.process([log("Failed", T0 + 2), flow("1.1.1.1", "2.2.2.2", 3, T0 + 3)]);
    assert.deepEqual(
      u.map((x) => [x.rule.name, x.count]),
      [
        ["bf", 3],
        ["ps", 3],
      ],
    );
    // Round trip of a restored engine is the same checkpoint.
    const c = createEngine({ devices: noDevices });
    c.setRules(rules);
    c.restore(b.checkpoint());
    assert.equal(c.checkpoint(), b.checkpoint());
    assert.equal(b.restore("{not json").ok, false);
    assert.equal(b.restore(JSON.stringify({ v: 99 })).ok, false);
  });

  it("keeps an unchanged rule's state across setRules and drops a changed one's", () => {
    const e = createEngine({ devices: noDevices });
    e.setRules([rule("bf", failed)]);
    e.process([log("Failed", T0), log("Failed", T0 + 1)]);
    // Same detection spec (new title, new generation): the window is kept.
    e.setRules([rule("bf", { ...failed, title: "renamed", severity: "high" }, 2)]);
    const u = e.process([log("Failed", T0 + 2)]);
    assert.deepEqual([u[0]?.title, u[0]?.severity, u[0]?.count], ["renamed", "high", 3]);
    assert.equal(e.ruleStatus()[0]?.generation, 2);
    e.process([log("Failed", T0 + 20 * 60_000), log("Failed", T0 + 20 * 60_000 + 1)]);
    // Changed threshold: counting starts over.
    e.setRules([rule("bf", { ...failed, threshold: { count: 4 } }, 3)]);
    assert.deepEqual(e.process([log("Failed", T0 + 20 * 60_000 + 2)]), []);
  });
});

// A backtracking engine takes hours on these and blocks the event loop, so each
// check runs in a child process killed after 20 s: a hang fails by timeout.
const exec = promisify(execFile);
const here = (f: string) => pathToFileURL(join(import.meta.dirname, f)).href;
async function inChild(code: string): Promise<unknown> {
  const { stdout } = await exec(process.execPath, ["--input-type=module", "--eval", code], {
    timeout: 20_000,
    killSignal: "SIGKILL",
  });
  return JSON.parse(stdout);
}

describe("patterns run in linear time (RE2)", () => {
  it("^(a+)+$ against 52 a's and a ! (53 bytes), and 1 MiB of a's and a !: false", async () => {
    const got = await inChild(`
      import { compileSelector } from ${JSON.stringify(here("selector.ts"))};
      const p = compileSelector(
        { where: [{ field: "log.message", op: "matches", value: "^(a+)+$" }] },
        "spec.selector",
        () => undefined,
      );
      const ev = (message) => ({ id: "e", log: { message } });
      const texts = ["a".repeat(52) + "!", "a".repeat(1 << 20) + "!", "a".repeat(1 << 20), "aaa"];
      console.log(JSON.stringify(texts.map((t) => p(ev(t), "log"))));
    `);
    assert.deepEqual(got, [false, false, true, true]);
  });

  it("a rule with it and a 53-byte syslog datagram: the engine returns, no finding", async () => {
    const got = await inChild(`
      import { decodeMessage } from ${JSON.stringify(here("../../agents/collectors/syslog/decode.ts"))};
      import { createEngine } from ${JSON.stringify(here("engine.ts"))};
      const e = createEngine({ devices: () => undefined });
      const status = e.setRules([{
        apiVersion: "amoskys.io/v1alpha1",
        kind: "DetectionRule",
        metadata: { name: "redos", namespace: "plant", generation: 1 },
        spec: {
          type: "match",
          selector: { kinds: ["log"], where: [{ field: "log.message", op: "matches", value: "^(a+)+$" }] },
        },
      }]);
      const decode = (text) => {
        const d = decodeMessage(Buffer.from(text), {
          device: { namespace: "plant", name: "srv" },
          ip: "127.0.0.1",
          receivedMs: Date.UTC(2024, 0, 1),
          occurrence: 0,
        });
        if (!d.ok) throw new Error(d.reason);
        return d.event;
      };
      const datagram = "a".repeat(52) + "!";
      const hostile = e.process([decode(datagram)]);
      const matching = e.process([decode("a".repeat(53))]);
      console.log(JSON.stringify({
        bytes: Buffer.byteLength(datagram),
        accepted: status[0].accepted,
        hostile: hostile.length,
        matching: matching.map((u) => u.fire),
      }));
    `);
    assert.deepEqual(got, { bytes: 53, accepted: true, hostile: 0, matching: [true] });
  });

  it("a pattern RE2 refuses: Accepted=False, the field and RE2's reason in the status", () => {
    const e = createEngine({ devices: noDevices });
    const [st] = e.setRules([
      rule("backref", {
        type: "match",
        selector: { where: [{ field: "log.message", op: "matches", value: "^(a+)\\1$" }] },
      }),
    ]);
    assert.ok(st);
    assert.equal(st.accepted, false);
    const s = ruleStatus(st, [], T0);
    assert.deepEqual(s.conditions[0] && { ...s.conditions[0], lastTransitionTime: undefined }, {
      type: "Accepted",
      status: "False",
      observedGeneration: 1,
      reason: "Invalid",
      message:
        "spec.selector.where[0].value: not a valid regular expression (RE2): error parsing regexp: invalid escape sequence: `\\1`",
      lastTransitionTime: undefined,
    });
    // The rule does not run.
    assert.deepEqual(e.process([log("aa", T0)]), []);
  });
});

describe("rule pack", () => {
  it("every file in examples/rules compiles (accepted)", async () => {
    const dir = join(import.meta.dirname, "../../examples/rules");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml"));
    assert.ok(files.length >= 14, `${files.length} rules`);
    for (const f of files) {
      const doc = parse(await readFile(join(dir, f), "utf8")) as DetectionRule;
      doc.metadata.namespace = NS;
      assert.equal(doc.kind, "DetectionRule", f);
      const c = compileRule(doc, noDevices);
      assert.ok(c.accepted, `${f}: ${(c as { reason?: string }).reason}`);
      assert.equal(`${doc.metadata.name}.yaml`.length > 0, true);
    }
  });
});
