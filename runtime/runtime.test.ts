import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Counter } from "prom-client";
import { createLogger } from "./log.ts";
import { createOpsServer, type OpsServer } from "./ops-server.ts";
import { compilePattern } from "./pattern.ts";

describe("ops server", () => {
  let ops: OpsServer;
  let base: string;
  let synced = false;
  before(async () => {
    ops = createOpsServer("amoskys_test");
    ops.addReadyCheck("cache-synced", () => synced || "caches not synced yet");
    ops.addHealthCheck("loop", () => true);
    new Counter({
      name: "amoskys_test_things_total",
      help: "Things.",
      registers: [ops.registry],
    }).inc(3);
    base = `http://127.0.0.1:${await ops.listen(0)}`;
  });
  after(() => ops.close());

  it("serves Prometheus metrics, with process metrics under the component prefix", async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^amoskys_test_things_total 3$/m);
    assert.match(text, /^amoskys_test_process_resident_memory_bytes \d+/m);
  });

  it("answers /readyz 503 with the failing check until it passes", async () => {
    const not = await fetch(`${base}/readyz`);
    assert.equal(not.status, 503);
    assert.match(await not.text(), /\[-\]cache-synced failed: caches not synced yet/);
    synced = true;
    const ok = await fetch(`${base}/readyz`);
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  });
});

describe("logger", () => {
  it("writes JSON lines and never a secret's value", () => {
    const lines: string[] = [];
    const log = createLogger("agent", { write: (l) => lines.push(l) }).child({ device: "plc-7" });
    log.info("connected", {
      community: "public",
      authKey: "k",
      privKey: "p",
      password: "x",
      port: 161,
    });
    log.debug("hidden at info level");
    assert.equal(lines.length, 1);
    const rec = JSON.parse(lines[0] ?? "{}");
    assert.equal(rec.msg, "connected");
    assert.equal(rec.component, "agent");
    assert.equal(rec.device, "plc-7");
    assert.equal(rec.port, 161);
    for (const k of ["community", "authKey", "privKey", "password"])
      assert.equal(rec[k], "[redacted]");
    assert.doesNotMatch(lines[0] ?? "", /public/);
  });
});

describe("patterns (RE2)", () => {
  const compiled = (source: string) => {
    const c = compilePattern(source);
    if (!c.ok) assert.fail(c.reason);
    return c.pattern;
  };

  it("search any part of the text with RE2's meaning", () => {
    assert.equal(compiled("pass(word)?").test("Failed password for root"), true);
    assert.equal(compiled("^pass").test("Failed password"), false);
    assert.equal(compiled("(?i)^failed").test("FAILED"), true);
    assert.equal(compiled("a.b").test("a\nb"), false); // . is not \n, as in Go
    assert.equal(compiled("^\\d+$").test("٣"), false); // \d is ASCII
    assert.equal(compiled("^(a+)+$").test(`${"a".repeat(1 << 20)}!`), false);
  });

  it("refuse what RE2 does not compile, with RE2's reason", () => {
    assert.deepEqual(compilePattern("(a)\\1"), {
      ok: false,
      reason: "error parsing regexp: invalid escape sequence: `\\1`",
    });
    assert.deepEqual(compilePattern("(?=a)"), {
      ok: false,
      reason: "error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
    });
    assert.deepEqual(compilePattern("x{1001}"), {
      ok: false,
      reason: "error parsing regexp: invalid repeat count: `{1001}`",
    });
  });
});
