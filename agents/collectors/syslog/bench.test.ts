// The benchmark runs end to end (small load): both sides process messages and
// the result has the shape the bench runner reports. Rates are not asserted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { benchSyslog } from "./bench.ts";

test("benchSyslog measures our listener and rsyslog in one run", async () => {
  const r = await benchSyslog({ messages: 5000, quietMs: 500, warmup: 1000, rounds: 1 });
  assert.equal(r.name, "syslog-udp");
  assert.equal(r.unit, "messages/s");
  assert.ok(r.ours > 0 && Number.isFinite(r.ours), JSON.stringify(r));
  assert.ok(r.peer > 0 && Number.isFinite(r.peer), JSON.stringify(r));
  assert.equal(r.ratio, r.ours / r.peer);
});
