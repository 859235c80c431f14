// The findings writer against a real kube-apiserver v1.36 and its
// kube-controller-manager (garbage collector), with the CRDs from crds/
// installed and the writer running under exactly the identity and RBAC of
// the chart's analytics RBAC (helm/amoskys/templates/analytics-rbac.yaml). Responses go to a real HTTPS server started here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ApiextensionsV1Api, KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import {
  API_VERSION,
  type DetectionRule,
  type Device,
  type Finding,
  GROUP,
  kinds,
  loadCrds,
} from "../../crds/index.ts";
import { renderChart } from "../../e2e/chart.ts";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { CertificateAuthority } from "../../e2e/env/pki.ts";
import { createKubeClient, type KubeClient } from "../../operator/kube/client.ts";
import { metricValue } from "../../operator/kube/metrics.ts";
import { v1 } from "../../proto/codec.ts";
import { createLogger } from "../../runtime/log.ts";
import type { FindingUpdate } from "../model.ts";
import { findingName } from "./names.ts";
import { createFindingsWriter, type FindingsWriter, type FindingsWriterOptions } from "./writer.ts";

const repo = join(import.meta.dirname, "..", "..");
const SA_USER = "system:serviceaccount:amoskys-system:amoskys-analytics";
const T0 = Date.parse("2026-03-01T10:00:00Z");
const READS = new Set(["get", "list", "watch", "discovery"]);

function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

async function writesOf(registry: Registry, filter: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric("amoskys_operator_api_requests_total");
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => !READS.has(String(v.labels.verb)))
    .filter((v) => Object.entries(filter).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((s, v) => s + v.value, 0);
}

function upd(
  p: Partial<Omit<FindingUpdate, "device" | "rule">> & { device: string; rule: string; ns: string },
): FindingUpdate {
  const { ns, device, rule, ...rest } = p;
  return {
    rule: { namespace: ns, name: rule },
    device: { namespace: ns, name: device },
    key: "",
    severity: "high",
    title: "Modbus write from an unknown master",
    mitre: ["T0855"],
    count: 1,
    suppressed: 0,
    firstSeenMs: T0,
    lastSeenMs: T0,
    evidence: { eventIds: ["ev-1"], summary: "write to holding register 40001 from 10.0.9.4" },
    fire: false,
    ...rest,
  };
}

describe("findings writer (real apiserver, least-privilege identity)", () => {
  let env: EnvWith<{ kube: true }>;
  let admin: KubeClient;
  let saKubeconfig: string;
  let cacheDir: string;
  const writers: FindingsWriter[] = [];
  let clock = T0;

  function kubectl(args: string[], kubeconfig = env.kube.kubeconfig) {
    const child = spawn(
      env.kube.kubectl,
      ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args],
      { cwd: repo },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdin.end();
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** A writer under the analytics identity; its requests are counted in its own registry. */
  async function startWriter(o: Partial<FindingsWriterOptions> = {}) {
    const registry = new Registry();
    const kube = createKubeClient(loadKc(saKubeconfig), { registry, fieldManager: "unused" });
    const w = createFindingsWriter({
      kube,
      registry,
      logger: createLogger("analytics", {
        level: (process.env.AMOSKYS_TEST_LOG as "info") ?? "error",
      }),
      flushIntervalMs: 3_600_000, // the tests flush by hand
      now: () => clock,
      informerBackoffMs: { initial: 200, max: 2000 },
      ...o,
    });
    writers.push(w);
    await w.started;
    return { w, registry };
  }

  async function namespace(name: string) {
    await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  async function device(ns: string, name: string, criticality = "medium") {
    return admin.create<Device>({
      apiVersion: API_VERSION,
      kind: "Device",
      metadata: { name, namespace: ns },
      spec: {
        address: "127.0.0.1",
        type: "ot",
        criticality: criticality as "medium",
        modbus: { port: 5020 },
      },
    });
  }
  async function rule(ns: string, name: string, responses?: DetectionRule["spec"]["responses"]) {
    return admin.create<DetectionRule>({
      apiVersion: API_VERSION,
      kind: "DetectionRule",
      metadata: { name, namespace: ns },
      spec: {
        type: "match",
        severity: "high",
        selector: { sources: ["modbus"] },
        mitre: ["T0855"],
        ...(responses && { responses }),
      },
    });
  }
  const getFinding = (ns: string, name: string) =>
    admin.get<Finding>(API_VERSION, "Finding", ns, name);
  const getDevice = (ns: string, name: string) =>
    admin.get<Device>(API_VERSION, "Device", ns, name);

  before(async () => {
    env = await startEnv({ kube: true });
    cacheDir = await mkdtemp(join(env.root, "kubectl-cache-"));
    const kc = loadKc(env.kube.kubeconfig);
    admin = createKubeClient(kc, { registry: new Registry(), fieldManager: "test-admin" });
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    for (const crd of await loadCrds()) await ext.createCustomResourceDefinition({ body: crd });
    await eventually(async () => {
      for (const { plural } of kinds) {
        const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
        const ok = crd.status?.conditions?.find((c) => c.type === "Established");
        assert.equal(ok?.status, "True", `${plural} not established`);
      }
      await admin.list(API_VERSION, "Finding");
    });
    await namespace("amoskys-system");
    // The chart's analytics RBAC, exactly as `helm install` would create it.
    const rbac = await renderChart({
      namespace: "amoskys-system",
      showOnly: "templates/analytics-rbac.yaml",
      file: join(env.root, "analytics-rbac.yaml"),
    });
    const applied = await kubectl(["apply", "--server-side", "-f", rbac]);
    assert.equal(applied.code, 0, applied.stderr);
    saKubeconfig = await env.kube.mintKubeconfig(SA_USER, [
      "system:serviceaccounts",
      "system:serviceaccounts:amoskys-system",
    ]);
  });
  after(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    await env?.stop();
  });

  it("holds only the permissions the chart's analytics RBAC grants", async () => {
    const can = async (...args: string[]) =>
      (await kubectl(["auth", "can-i", ...args], saKubeconfig)).stdout.trim();
    assert.equal(await can("create", "findings.amoskys.io", "-n", "x"), "yes");
    assert.equal(
      await can("patch", "devices.amoskys.io", "--subresource=status", "-n", "x"),
      "yes",
    );
    assert.equal(await can("delete", "findings.amoskys.io", "-n", "x"), "no");
    assert.equal(await can("update", "devices.amoskys.io", "-n", "x"), "no");
    assert.equal(await can("list", "secrets", "-n", "x"), "no");
    assert.equal(await can("create", "detectionrules.amoskys.io", "-n", "x"), "no");
  });

  it("writes one Finding per (rule, device, key), owned by its Device, shown by kubectl get findings", async () => {
    const ns = "plant-a";
    await namespace(ns);
    const dev = await device(ns, "plc-1");
    await rule(ns, "modbus-write");
    const { w, registry } = await startWriter();
    w.update(
      upd({
        ns,
        device: "plc-1",
        rule: "modbus-write",
        key: "10.0.9.4",
        count: 3,
        lastSeenMs: T0 + 5000,
      }),
    );
    w.update(
      upd({ ns, device: "plc-1", rule: "modbus-write", key: "10.0.9.5", severity: "medium" }),
    );
    await w.flush();
    assert.equal(await writesOf(registry, { verb: "apply", kind: "Finding" }), 2);

    const name = findingName("plc-1", "modbus-write", "10.0.9.4");
    assert.match(name, /^plc-1-modbus-write-[0-9a-f]{8}$/);
    const f = await getFinding(ns, name);
    assert.ok(f);
    assert.deepEqual(f.spec, {
      device: "plc-1",
      rule: "modbus-write",
      key: "10.0.9.4",
      severity: "high",
      title: "Modbus write from an unknown master",
      mitre: ["T0855"],
      count: 3,
      firstSeen: "2026-03-01T10:00:00.000Z",
      lastSeen: "2026-03-01T10:00:05.000Z",
      state: "open", // the CRD default: nobody applied it
      evidence: {
        summary: "write to holding register 40001 from 10.0.9.4",
        samples: ["event ev-1"],
      },
    });
    assert.deepEqual(
      f.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
      [["Device", "plc-1", dev.metadata?.uid, true]],
    );
    assert.equal(f.metadata.labels?.["amoskys.io/device"], "plc-1");
    assert.equal(f.metadata.labels?.["amoskys.io/rule"], "modbus-write");
    // Server-side apply by amoskys-analytics, which does not own spec.state.
    const mf = f.metadata.managedFields?.find((m) => m.manager === "amoskys-analytics");
    assert.equal(mf?.operation, "Apply");
    const specFields =
      (mf?.fieldsV1 as { "f:spec"?: Record<string, unknown> } | undefined)?.["f:spec"] ?? {};
    assert.ok("f:count" in specFields);
    assert.ok(!("f:state" in specFields));

    const { code, stdout, stderr } = await kubectl([
      "get",
      "findings",
      "-n",
      ns,
      "--sort-by=.spec.key",
    ]);
    assert.equal(code, 0, stderr);
    const [header = "", ...rows] = stdout.trim().split("\n");
    assert.deepEqual(header.split(/\s{2,}/), [
      "NAME",
      "DEVICE",
      "RULE",
      "SEVERITY",
      "COUNT",
      "LAST SEEN",
      "STATE",
      "AGE",
    ]);
    const cols = rows.map((r) => r.split(/\s+/));
    assert.equal(cols.length, 2);
    assert.deepEqual(cols[0]?.slice(0, 5), [name, "plc-1", "modbus-write", "high", "3"]);
    assert.equal(cols[0]?.[6], "open");
    assert.deepEqual(cols[1]?.slice(1, 5), ["plc-1", "modbus-write", "medium", "1"]);
  });

  it("coalesces a storm: 10,000 updates for 50 keys become at most 50 Finding writes, within the rate", async () => {
    const ns = "plant-storm";
    await namespace(ns);
    await device(ns, "gw-1");
    await rule(ns, "scan");
    const rate = 20;
    const { w, registry } = await startWriter({ maxWritesPerSecond: rate, burst: rate });
    const before = await writesOf(registry);
    for (let i = 0; i < 10_000; i++) {
      const k = i % 50;
      w.update(
        upd({
          ns,
          device: "gw-1",
          rule: "scan",
          key: `10.0.0.${k}`,
          count: Math.floor(i / 50) + 1,
          lastSeenMs: T0 + i,
          fire: i < 50,
        }),
      );
    }
    assert.equal(
      await metricValue(registry, "amoskys_analytics_findings_coalesced_total", {}),
      9950,
    );
    const t0 = performance.now();
    await w.flush();
    const elapsedS = (performance.now() - t0) / 1000;
    const findingWrites = await writesOf(registry, { verb: "apply", kind: "Finding" });
    assert.equal(findingWrites, 50);
    const all = (await writesOf(registry)) - before;
    // The bucket: at most burst + rate·t writes in t seconds...
    assert.ok(all <= rate + rate * elapsedS + 1, `${all} writes in ${elapsedS}s`);
    // ...so this many writes cannot have taken less time (a lower bound, never flaky).
    assert.ok(elapsedS >= (all - rate) / rate - 0.05, `${all} writes in only ${elapsedS}s`);
    const f = await getFinding(ns, findingName("gw-1", "scan", "10.0.0.7"));
    assert.equal(f?.spec.count, 200); // the last of the 200 updates for that key
    const d = await getDevice(ns, "gw-1");
    assert.equal(d?.status?.openFindings?.high, 50);
    assert.equal(d?.status?.openFindings?.total, 50);
    assert.equal(d?.status?.riskScore, 100);
  });

  it("keeps the state people set, and reopens a resolved finding when it fires again", async () => {
    const ns = "plant-state";
    await namespace(ns);
    await device(ns, "plc-2");
    await rule(ns, "modbus-write");
    const { w } = await startWriter();
    const name = findingName("plc-2", "modbus-write", "");
    w.update(upd({ ns, device: "plc-2", rule: "modbus-write", fire: true }));
    await w.flush();
    const patch = (state: string) =>
      kubectl([
        "patch",
        "finding",
        name,
        "-n",
        ns,
        "--type=merge",
        "-p",
        `{"spec":{"state":"${state}"}}`,
      ]);
    assert.equal((await patch("acknowledged")).code, 0);
    w.update(upd({ ns, device: "plc-2", rule: "modbus-write", count: 4, lastSeenMs: T0 + 60_000 }));
    await w.flush();
    let f = await getFinding(ns, name);
    assert.equal(f?.spec.state, "acknowledged");
    assert.equal(f?.spec.count, 4);

    assert.equal((await patch("resolved")).code, 0);
    // A suppressed repeat (fire false) counts but does not reopen.
    w.update(
      upd({ ns, device: "plc-2", rule: "modbus-write", count: 5, lastSeenMs: T0 + 120_000 }),
    );
    await w.flush();
    f = await getFinding(ns, name);
    assert.equal(f?.spec.state, "resolved");
    assert.equal(f?.spec.count, 5);
    await eventually(async () => {
      await w.flush();
      assert.equal((await getDevice(ns, "plc-2"))?.status?.openFindings?.total, 0);
    });
    assert.equal((await getDevice(ns, "plc-2"))?.status?.riskScore, 0);

    w.update(
      upd({
        ns,
        device: "plc-2",
        rule: "modbus-write",
        count: 6,
        lastSeenMs: T0 + 30 * 60_000,
        fire: true,
      }),
    );
    await w.flush();
    f = await getFinding(ns, name);
    assert.equal(f?.spec.state, "open");
    assert.equal(f?.spec.count, 6);
  });

  it("writes Device status (risk, open findings, lastSeen, conditions, capabilities) only when it changes", async () => {
    const ns = "plant-dev";
    await namespace(ns);
    await device(ns, "pump-1", "critical");
    // The operator's part of the status, under its own field manager: must survive.
    await admin.applyStatus(
      {
        apiVersion: API_VERSION,
        kind: "Device",
        metadata: { name: "pump-1", namespace: ns },
        status: {
          collector: "main",
          conditions: [
            {
              type: "Assigned",
              status: "True",
              reason: "Selected",
              message: "served by main",
              lastTransitionTime: "2026-03-01T09:00:00Z",
            },
          ],
        },
      },
      { fieldManager: "amoskys-operator" },
    );
    // One namespace (as under a Role): devices of the other tests do not decay into the counts.
    const { w, registry } = await startWriter({
      namespace: ns,
      refreshMs: 0,
      staleAfterMs: 600_000,
    });
    clock = T0 + 3_600_000;
    w.update(
      upd({
        ns,
        device: "pump-1",
        rule: "r-crit",
        severity: "critical",
        lastSeenMs: T0 + 3_600_000,
      }),
    );
    w.update(
      upd({ ns, device: "pump-1", rule: "r-low", severity: "low", lastSeenMs: T0 + 3_600_000 }),
    );
    const SP = v1.SourceProtocol;
    w.deviceSeen(ns, "pump-1", T0 + 3_590_000, [
      {
        protocol: SP.SOURCE_PROTOCOL_MODBUS,
        reachable: true,
        latencyMs: 3,
        capability: v1.Capability.CAPABILITY_REAL,
      },
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
    ]);
    await w.flush();
    await w.flush(); // the informer's echo of the Findings changes nothing
    const d = await getDevice(ns, "pump-1");
    const s = d?.status;
    // Formula (risk.ts): S = 40 + 4, criticality critical ×2: 100·(1 − e^(−88/50)) = 82.8.
    assert.equal(s?.riskScore, 83);
    assert.deepEqual(s?.openFindings, { critical: 1, high: 0, medium: 0, low: 1, total: 2 });
    assert.equal(s?.lastSeen, "2026-03-01T10:59:50Z");
    assert.deepEqual(s?.capabilities, {
      modbus: { state: "REAL" },
      snmp: { state: "BLIND", reason: "timeout" },
    });
    const cond = (t: string) => s?.conditions?.find((c) => c.type === t);
    assert.equal(cond("Reachable")?.status, "True");
    assert.equal(cond("Reachable")?.message, "answers over modbus");
    assert.equal(cond("Collecting")?.status, "True");
    assert.equal(cond("Collecting")?.reason, "Receiving");
    assert.equal(cond("Assigned")?.reason, "Selected"); // the operator's, untouched
    assert.equal(s?.collector, "main");

    // Nothing changes: no writes, however often it flushes (refreshMs 0: every flush recomputes all).
    const quiet = await writesOf(registry);
    for (let i = 0; i < 3; i++) await w.flush();
    w.deviceSeen(ns, "pump-1", T0 + 3_600_000); // 10 s later: under lastSeen's 60 s resolution
    await w.flush();
    assert.equal(await writesOf(registry), quiet);

    // Time passes: decay and staleness, one write.
    clock = T0 + 3_600_000 + 24 * 3_600_000;
    await w.flush();
    assert.equal(await writesOf(registry), quiet + 1);
    const later = (await getDevice(ns, "pump-1"))?.status;
    // One half-life: S = 22, ×2: 100·(1 − e^(−44/50)) = 58.5.
    assert.equal(later?.riskScore, 59);
    const collecting = later?.conditions?.find((c) => c.type === "Collecting");
    assert.equal(collecting?.status, "False");
    assert.equal(collecting?.reason, "Stale");
    assert.equal(collecting?.lastTransitionTime, "2026-03-02T11:00:00Z");
    assert.equal(
      cond("Reachable")?.lastTransitionTime,
      later?.conditions?.find((c) => c.type === "Reachable")?.lastTransitionTime,
    );
    clock = T0;
  });

  it("writes DetectionRule status: Accepted or Invalid, hits, suppressed, lastFired, learning; only on change", async () => {
    const ns = "plant-rules";
    await namespace(ns);
    const r = await rule(ns, "brute");
    const { w, registry } = await startWriter();
    const gen = r.metadata?.generation ?? 1;
    const base = { rule: { namespace: ns, name: "brute" }, generation: gen, accepted: true };
    w.ruleStatus({ ...base, hits: 3, suppressed: 1, lastFiredMs: T0 + 1000, learning: "Active" });
    await w.flush();
    let s = (await admin.get<DetectionRule>(API_VERSION, "DetectionRule", ns, "brute"))?.status;
    assert.equal(s?.observedGeneration, gen);
    assert.equal(s?.hits, 3);
    assert.equal(s?.suppressed, 1);
    assert.equal(s?.lastFired, "2026-03-01T10:00:01Z");
    assert.equal(s?.learning, "Active");
    const accepted = s?.conditions?.find((c) => c.type === "Accepted");
    assert.equal(accepted?.status, "True");
    assert.equal(accepted?.reason, "Valid");
    assert.equal(accepted?.observedGeneration, gen);

    const n = await writesOf(registry);
    w.ruleStatus({ ...base, hits: 3, suppressed: 1, lastFiredMs: T0 + 1000, learning: "Active" });
    await w.flush();
    assert.equal(await writesOf(registry), n, "the same status again is not written");

    w.ruleStatus({
      ...base,
      accepted: false,
      reason: "spec.selector.where[0].value: not a valid regular expression",
      hits: 3,
      suppressed: 1,
    });
    await w.flush();
    s = (await admin.get<DetectionRule>(API_VERSION, "DetectionRule", ns, "brute"))?.status;
    const invalid = s?.conditions?.find((c) => c.type === "Accepted");
    assert.equal(invalid?.status, "False");
    assert.equal(invalid?.reason, "Invalid");
    assert.match(invalid?.message ?? "", /spec\.selector\.where\[0\]\.value/);
  });

  it("runs the responses on fire: signed Alertmanager webhook over HTTPS, a Warning Event, the quarantine label", async () => {
    const ns = "plant-resp";
    await namespace(ns);
    const dev = await device(ns, "infusion-1");
    // The receiver: a real HTTPS server with a certificate from its own CA,
    // which fails the first request (503) to exercise the retry.
    const ca = await CertificateAuthority.create(await mkdtemp(join(env.root, "webhook-ca-")));
    const pair = await ca.issue({
      file: "receiver",
      cn: "receiver",
      ips: ["127.0.0.1"],
      usage: "server",
    });
    const received: { body: string; sig: string | undefined }[] = [];
    let requests = 0;
    const server: Server = createServer(
      { cert: await readFile(pair.cert), key: await readFile(pair.key) },
      (req, res) => {
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          requests++;
          if (requests === 1) {
            res.writeHead(503).end();
            return;
          }
          received.push({ body, sig: req.headers["x-amoskys-signature"] as string | undefined });
          res.writeHead(200).end("ok");
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const hmacKey = "s3cr3t-webhook-key";
    await admin.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "soar-hook", namespace: ns },
      stringData: { secret: hmacKey, "ca.crt": await readFile(ca.cert, "utf8") },
    } as never);
    await rule(ns, "infusion-tamper", {
      webhook: { url: `https://127.0.0.1:${port}/alerts`, secretRef: { name: "soar-hook" } },
      event: {},
      quarantine: {},
    });
    const { w } = await startWriter({ webhook: { backoffMs: 50, retries: 3 } });
    const u = upd({
      ns,
      device: "infusion-1",
      rule: "infusion-tamper",
      severity: "critical",
      title: "Infusion pump rate changed remotely",
      mitre: ["T0836"],
      key: "10.0.9.4",
      fire: true,
    });
    w.update(u);
    await w.flush();
    await w.responsesIdle();
    const name = findingName("infusion-1", "infusion-tamper", "10.0.9.4");

    // Webhook: one delivered request, signed, Alertmanager v4.
    assert.equal(requests, 2);
    assert.equal(received.length, 1);
    const got = received[0];
    assert.ok(got);
    const want = `sha256=${createHmac("sha256", hmacKey).update(got.body).digest("hex")}`;
    assert.equal(got.sig, want);
    const payload = JSON.parse(got.body);
    assert.equal(payload.version, "4");
    assert.equal(payload.status, "firing");
    assert.equal(payload.alerts.length, 1);
    assert.deepEqual(payload.alerts[0].labels, {
      alertname: "infusion-tamper",
      severity: "critical",
      namespace: ns,
      device: "infusion-1",
      rule: "infusion-tamper",
      finding: name,
      key: "10.0.9.4",
    });
    assert.equal(payload.alerts[0].annotations.summary, "Infusion pump rate changed remotely");
    assert.equal(payload.alerts[0].startsAt, "2026-03-01T10:00:00.000Z");

    // Event: kubectl shows it on the Device.
    const ev = await kubectl(["get", "events", "-n", ns, "-o", "json"]);
    assert.equal(ev.code, 0, ev.stderr);
    const events = (
      JSON.parse(ev.stdout).items as {
        reason?: string;
        type?: string;
        involvedObject: { name?: string; kind?: string; uid?: string };
      }[]
    ).filter((e) => e.involvedObject?.name === "infusion-1");
    assert.equal(events.length, 1);
    assert.equal(events[0]?.reason, "infusion-tamper");
    assert.equal(events[0]?.type, "Warning");
    assert.equal(events[0]?.involvedObject.kind, "Device");
    assert.equal(events[0]?.involvedObject.uid, dev.metadata?.uid);
    const table = await kubectl(["get", "events", "-n", ns]);
    assert.match(table.stdout, /Warning\s+infusion-tamper\s+device\/infusion-1/);

    // Quarantine: a label, not a spec change.
    const d = await getDevice(ns, "infusion-1");
    assert.equal(d?.metadata.labels?.["amoskys.io/quarantine"], "true");
    assert.equal(d?.metadata.generation, dev.metadata?.generation);

    // Each outcome recorded on the Finding.
    const f = await getFinding(ns, name);
    const byType = Object.fromEntries((f?.status?.responses ?? []).map((r) => [r.type, r]));
    assert.deepEqual(Object.keys(byType).sort(), ["event", "quarantine", "webhook"]);
    assert.equal(byType.webhook?.result, "Succeeded");
    assert.match(byType.webhook?.message ?? "", /HTTP 200.*after 2 attempts/);
    assert.equal(byType.event?.result, "Succeeded");
    assert.equal(byType.quarantine?.result, "Succeeded");

    // A suppressed repeat runs nothing more.
    w.update({ ...u, fire: false, count: 2, suppressed: 1 });
    await w.flush();
    await w.responsesIdle();
    assert.equal(requests, 2);
  });

  it("records a failed webhook (untrusted certificate) as Failed", async () => {
    const ns = "plant-resp-fail";
    await namespace(ns);
    await device(ns, "hmi-1");
    const ca = await CertificateAuthority.create(await mkdtemp(join(env.root, "webhook-ca2-")));
    const pair = await ca.issue({
      file: "receiver",
      cn: "receiver",
      ips: ["127.0.0.1"],
      usage: "server",
    });
    let requests = 0;
    const server = createServer(
      { cert: await readFile(pair.cert), key: await readFile(pair.key) },
      (_req, res) => {
        requests++;
        res.writeHead(200).end();
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    await rule(ns, "hmi-login", { webhook: { url: `https://127.0.0.1:${port}/` } });
    const { w, registry } = await startWriter({ webhook: { backoffMs: 20, retries: 1 } });
    w.update(upd({ ns, device: "hmi-1", rule: "hmi-login", fire: true }));
    await w.flush();
    await w.responsesIdle();
    assert.equal(requests, 0, "the handshake must fail before any request");
    const f = await getFinding(ns, findingName("hmi-1", "hmi-login", ""));
    const wh = f?.status?.responses?.find((r) => r.type === "webhook");
    assert.equal(wh?.result, "Failed");
    assert.match(wh?.message ?? "", /certificate|self.signed|verify/i);
    assert.equal(
      await metricValue(registry, "amoskys_analytics_findings_responses_total", {
        type: "webhook",
        result: "Failed",
      }),
      1,
    );
  });

  it("raises integrity findings against the producer's CollectorProfile", async () => {
    const ns = "plant-int";
    await namespace(ns);
    await device(ns, "plc-9");
    const profile = await admin.create({
      apiVersion: API_VERSION,
      kind: "CollectorProfile",
      metadata: { name: "edge", namespace: ns },
      spec: { deviceSelector: {} },
    } as never);
    const { w } = await startWriter();
    for (let i = 0; i < 3; i++) {
      w.integrity({
        producerId: `${ns}/edge/edge-6f7c9-x2x4z`,
        reason: "bad_signature",
        detail: "signature does not verify with key 3f2a…",
        subject: `amoskys.telemetry.${ns}.plc-9`,
        atMs: T0 + i * 1000,
      });
    }
    // A producer id naming nothing usable is dropped, not written.
    w.integrity({
      producerId: "Not A Namespace",
      reason: "unknown_key",
      detail: "",
      subject: "x",
      atMs: T0,
    });
    await w.flush();
    const list = await admin.list<Finding>(API_VERSION, "Finding", { namespace: ns });
    assert.equal(list.items.length, 1);
    const f = list.items[0];
    assert.equal(f?.spec.rule, "integrity/bad_signature");
    assert.equal(f?.spec.device, "plc-9");
    assert.equal(f?.spec.key, `${ns}/edge/edge-6f7c9-x2x4z`);
    assert.equal(f?.spec.count, 3);
    assert.equal(f?.spec.severity, "high");
    assert.equal(f?.spec.firstSeen, "2026-03-01T10:00:00.000Z");
    assert.equal(f?.spec.lastSeen, "2026-03-01T10:00:02.000Z");
    assert.deepEqual(
      f?.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]),
      [["CollectorProfile", "edge", (profile as { metadata: { uid: string } }).metadata.uid]],
    );
  });

  it("deleting the Device garbage-collects its findings (kube-controller-manager)", async () => {
    const ns = "plant-gc";
    await namespace(ns);
    await device(ns, "cam-1");
    await device(ns, "cam-2");
    const { w } = await startWriter();
    for (const key of ["a", "b", "c"]) w.update(upd({ ns, device: "cam-1", rule: "r", key }));
    w.update(upd({ ns, device: "cam-2", rule: "r" }));
    await w.flush();
    assert.equal((await admin.list(API_VERSION, "Finding", { namespace: ns })).items.length, 4);
    await admin.delete(API_VERSION, "Device", ns, "cam-1");
    await eventually(async () => {
      const left = await admin.list<Finding>(API_VERSION, "Finding", { namespace: ns });
      assert.deepEqual(
        left.items.map((f) => f.spec.device),
        ["cam-2"],
      );
    }, 90_000);
    // An update for a Device that is gone is dropped, not written as an orphan.
    w.update(upd({ ns, device: "cam-1", rule: "r", key: "d" }));
    await w.flush();
    assert.equal((await admin.list(API_VERSION, "Finding", { namespace: ns })).items.length, 1);
  });
});
