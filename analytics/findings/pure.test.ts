// The pure parts: names, bounds, the risk formula, statuses, the payload and
// its signature, the token bucket.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { v1 } from "../../proto/codec.ts";
import type { FindingUpdate } from "../model.ts";
import { bounded, dnsPart, findingName, labelValue, MAX_NAME, mitreIds } from "./names.ts";
import { createTokenBucket } from "./ratelimit.ts";
import { openFindings, riskScore } from "./risk.ts";
import {
  applyStatusFacts,
  type CapabilityKey,
  canonical,
  condition,
  deviceStatus,
  factsOf,
  findingObject,
  findingSpec,
  type ProtocolState,
  RECEIVED_ANNOTATION,
  ruleStatus,
} from "./status.ts";
import { alertmanagerPayload, signature, verifySignature } from "./webhook.ts";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const u: FindingUpdate = {
  rule: { namespace: "plant", name: "ssh-brute" },
  device: { namespace: "plant", name: "gw-1" },
  key: "10.0.9.4",
  severity: "high",
  title: "SSH brute force",
  mitre: ["T1110", "T1110", "bogus", "T1110.001"],
  count: 37,
  suppressed: 30,
  firstSeenMs: T0,
  lastSeenMs: T0 + 300_000,
  evidence: { eventIds: ["e1", "e2", "e3", "e4", "e5", "e6", "e7"], summary: "37 failed logins" },
  fire: true,
};

test("finding names are deterministic, DNS labels, at most 63 characters, distinct per triple", () => {
  assert.equal(
    findingName("gw-1", "ssh-brute", "10.0.9.4"),
    findingName("gw-1", "ssh-brute", "10.0.9.4"),
  );
  assert.match(findingName("gw-1", "ssh-brute", "10.0.9.4"), /^gw-1-ssh-brute-[0-9a-f]{8}$/);
  const long = findingName("d".repeat(253), "r".repeat(253), "k".repeat(300));
  assert.ok(long.length <= MAX_NAME, long);
  assert.match(long, DNS_LABEL);
  const integ = findingName("plc.1", "integrity/bad_signature", "plant/edge/pod");
  assert.match(integ, DNS_LABEL);
  assert.match(integ, /^plc-1-integrity-bad-signature-/);
  const names = new Set<string>();
  for (let i = 0; i < 1000; i++)
    names.add(findingName("gw-1", "scan", `10.0.${i >> 8}.${i & 255}`));
  assert.equal(names.size, 1000);
  // Truncated readable parts: the hash still tells them apart.
  assert.notEqual(
    findingName(`${"a".repeat(40)}x`, "r", ""),
    findingName(`${"a".repeat(40)}y`, "r", ""),
  );
  assert.equal(dnsPart("--A_b..C--", 63), "a-b-c");
});

test("bounds: code points, label values, MITRE ids", () => {
  assert.equal(bounded("abc", 3), "abc");
  assert.equal(bounded("abcd", 3), "ab…");
  assert.equal(Array.from(bounded("🙂".repeat(10), 4)).length, 4);
  assert.equal(labelValue("plc-1"), "plc-1");
  assert.equal(labelValue("integrity/x"), undefined);
  assert.equal(labelValue("x".repeat(64)), undefined);
  assert.deepEqual(mitreIds(["T1110", "T1110", "bogus", "T0855", "T1110.001"]), [
    "T1110",
    "T0855",
    "T1110.001",
  ]);
});

test("findingSpec: bounded evidence, newest five event ids, no state", () => {
  const s = findingSpec({ ...u, evidence: { ...u.evidence, summary: "x".repeat(5000) } });
  assert.equal(Array.from(s.evidence.summary).length, 1024);
  assert.deepEqual(s.evidence.samples, [
    "event e7",
    "event e6",
    "event e5",
    "event e4",
    "event e3",
  ]);
  assert.deepEqual(s.mitre, ["T1110", "T1110.001"]);
  assert.equal(s.key, "10.0.9.4");
  assert.equal("state" in s, false);
  assert.equal(findingSpec({ ...u, key: "" }).key, undefined);
  // lastSeen is never before firstSeen (the CRD refuses it).
  assert.equal(findingSpec({ ...u, lastSeenMs: T0 - 1 }).lastSeen, "2026-03-01T10:00:00.000Z");
  assert.equal(findingSpec({ ...u, count: 0 }).count, 1);
});

test("risk score: the documented formula", () => {
  const f = (
    severity: "critical" | "high" | "medium" | "low" | "info",
    ageH = 0,
    state: "open" | "acknowledged" | "resolved" = "open",
  ) => ({
    severity,
    state,
    lastSeenMs: T0 - ageH * 3_600_000,
  });
  assert.equal(riskScore([], "medium", T0), 0);
  assert.equal(riskScore([f("critical")], "medium", T0), 55); // 100(1-e^-0.8)
  assert.equal(riskScore([f("critical"), f("critical")], "medium", T0), 80);
  assert.equal(riskScore([f("high")], "medium", T0), 33);
  assert.equal(riskScore([f("medium")], "medium", T0), 18);
  assert.equal(riskScore([f("low")], "medium", T0), 8);
  assert.equal(riskScore([f("info")], "medium", T0), 2);
  assert.equal(riskScore([f("critical", 24)], "medium", T0), 33); // one half-life
  assert.equal(riskScore([f("critical", 0, "acknowledged")], "medium", T0), 33);
  assert.equal(riskScore([f("critical", 0, "resolved")], "medium", T0), 0);
  assert.equal(riskScore([f("critical")], "critical", T0), 80);
  assert.equal(riskScore([f("critical")], "low", T0), 33);
  assert.equal(
    riskScore(
      Array.from({ length: 500 }, () => f("critical")),
      "critical",
      T0,
    ),
    100,
  );
  assert.deepEqual(
    openFindings([f("critical"), f("info"), f("low", 0, "acknowledged"), f("high", 0, "resolved")]),
    {
      critical: 1,
      high: 0,
      medium: 0,
      low: 1,
      total: 3,
    },
  );
});

test("conditions keep lastTransitionTime unless the status flips", () => {
  const a = condition(
    undefined,
    { type: "Collecting", status: "True", reason: "Receiving", message: "m" },
    T0,
  );
  assert.equal(a.lastTransitionTime, "2026-03-01T10:00:00Z");
  const b = condition(
    a,
    { type: "Collecting", status: "True", reason: "Receiving", message: "m2" },
    T0 + 5000,
  );
  assert.equal(b.lastTransitionTime, a.lastTransitionTime);
  const c = condition(
    b,
    { type: "Collecting", status: "False", reason: "Stale", message: "m" },
    T0 + 5000,
  );
  assert.equal(c.lastTransitionTime, "2026-03-01T10:00:05Z");
});

test("device status from Status facts: Reachable, capabilities; Collecting goes Stale", () => {
  const protocols = new Map<CapabilityKey, ProtocolState>();
  const SP = v1.SourceProtocol;
  assert.equal(
    applyStatusFacts(protocols, [
      {
        protocol: SP.SOURCE_PROTOCOL_SNMP,
        reachable: false,
        capability: v1.Capability.CAPABILITY_BLIND,
        reason: "timeout",
      },
      {
        protocol: SP.SOURCE_PROTOCOL_AGENT,
        reachable: true,
        capability: v1.Capability.CAPABILITY_REAL,
      },
    ]),
    true,
  );
  assert.equal(
    applyStatusFacts(protocols, [
      {
        protocol: SP.SOURCE_PROTOCOL_SNMP,
        reachable: false,
        capability: v1.Capability.CAPABILITY_BLIND,
        reason: "timeout",
      },
    ]),
    false,
  );
  const k = { findings: [], protocols, prevConditions: [], seenMs: T0, lastSeenMs: T0 };
  const opts = { halfLifeMs: 86_400_000, staleAfterMs: 600_000 };
  const s = deviceStatus(k, T0 + 1000, opts);
  assert.deepEqual(s.capabilities, { snmp: { state: "BLIND", reason: "timeout" } });
  assert.equal(s.conditions?.[0]?.type, "Reachable");
  assert.equal(s.conditions?.[0]?.status, "False");
  assert.equal(s.conditions?.[0]?.message, "snmp: timeout");
  assert.equal(s.conditions?.[1]?.status, "True");
  const stale = deviceStatus(k, T0 + 600_001, opts);
  assert.equal(stale.conditions?.[1]?.reason, "Stale");
  // Same facts, same time: the same value (what "no churn" rests on).
  assert.equal(canonical(deviceStatus(k, T0 + 1000, opts)), canonical(s));
});

test("rule status: Accepted/Invalid with observedGeneration", () => {
  const ok = ruleStatus(
    { rule: { namespace: "p", name: "r" }, generation: 3, accepted: true, hits: 2, suppressed: 1 },
    [],
    T0,
  );
  assert.equal(ok.conditions[0]?.reason, "Valid");
  assert.equal(ok.conditions[0]?.observedGeneration, 3);
  assert.equal(ok.observedGeneration, 3);
  const bad = ruleStatus(
    {
      rule: { namespace: "p", name: "r" },
      generation: 4,
      accepted: false,
      reason: "spec.window: bad",
      hits: 0,
      suppressed: 0,
    },
    ok.conditions,
    T0 + 1000,
  );
  assert.equal(bad.conditions[0]?.status, "False");
  assert.equal(bad.conditions[0]?.reason, "Invalid");
  assert.equal(bad.conditions[0]?.message, "spec.window: bad");
});

test("Alertmanager v4 payload and its HMAC-SHA256 signature", () => {
  const p = alertmanagerPayload(u, "gw-1-ssh-brute-12345678");
  assert.equal(p.version, "4");
  assert.equal(p.status, "firing");
  assert.equal(p.truncatedAlerts, 0);
  const a = p.alerts[0];
  assert.ok(a);
  assert.equal(a.labels.alertname, "ssh-brute");
  assert.equal(a.labels.key, "10.0.9.4");
  assert.equal(a.annotations.summary, "SSH brute force");
  assert.equal(a.annotations.count, "37");
  assert.equal(a.startsAt, "2026-03-01T10:00:00.000Z");
  assert.equal(a.endsAt, "0001-01-01T00:00:00Z");
  assert.match(a.fingerprint, /^[0-9a-f]{16}$/);
  const body = JSON.stringify(p);
  // Independently computed (RFC 2104 HMAC via node:crypto), as a receiver would.
  const want = `sha256=${createHmac("sha256", "k").update(body).digest("hex")}`;
  assert.equal(signature(body, "k"), want);
  assert.equal(verifySignature(body, "k", want), true);
  assert.equal(verifySignature(`${body} `, "k", want), false);
  assert.equal(verifySignature(body, "k", undefined), false);
});

test("token bucket: burst at once, then the rate; waiters in order", async () => {
  const b = createTokenBucket(50, 5);
  const t0 = performance.now();
  const order: number[] = [];
  await Promise.all(Array.from({ length: 15 }, (_, i) => b.take().then(() => order.push(i))));
  const elapsed = performance.now() - t0;
  assert.deepEqual(
    order,
    Array.from({ length: 15 }, (_, i) => i),
  );
  assert.equal(b.taken, 15);
  // 10 beyond the burst at 50/s cannot take less than 200 ms (a lower bound).
  assert.ok(elapsed >= 190, `${elapsed}`);
  const ac = new AbortController();
  const pending = b.take(ac.signal);
  ac.abort(new Error("stop"));
  await assert.rejects(pending);
});

test("a finding ages from its receipt when the device's clock is behind", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  const replayed = {
    metadata: { annotations: { [RECEIVED_ANNOTATION]: "2026-11-26T11:59:00Z" } },
    spec: { severity: "critical", state: "open", lastSeen: "2002-01-01T00:00:00Z" },
  };
  const facts = factsOf(replayed);
  assert.equal(facts?.lastSeenMs, Date.parse("2026-11-26T11:59:00Z"));
  assert.ok(
    riskScore(facts ? [facts] : [], "critical", now) > 50,
    "a fresh critical finding counts",
  );
  // Without the annotation (written before it existed) the device's time is all there is.
  assert.equal(factsOf({ spec: replayed.spec })?.lastSeenMs, Date.parse("2002-01-01T00:00:00Z"));
  const obj = findingObject(
    "ns",
    "n",
    { device: "d", rule: "r" } as never,
    { apiVersion: "v1", kind: "Device", name: "d", uid: "u" },
    now,
  );
  assert.deepEqual((obj.metadata as { annotations: unknown }).annotations, {
    [RECEIVED_ANNOTATION]: "2026-11-26T12:00:00.000Z",
  });
});
