// `amoskys get`: the pure formatting (kubectl's age format and column
// layout), then the command against both modes: the embedded API of a running
// demo (`node demo/run.ts --fast --keep`), and a real kube-apiserver where
// `kubectl get` prints the reference table.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, test } from "node:test";
import { promisify } from "node:util";
import { eventually } from "../e2e/env/eventually.ts";
import { startEnv } from "../e2e/env/index.ts";
import { freePort } from "../e2e/env/ports.ts";
import {
  age,
  cell,
  formatTable,
  getTable,
  humanDuration,
  jsonPathValue,
  objectTable,
  printerColumns,
  ruleObject,
  visibleColumns,
} from "./get.ts";
import { type Embedded, startEmbedded } from "./main.ts";
import { DEVICES_FILE } from "./snapshot.ts";

const repo = join(import.meta.dirname, "..");
const run = promisify(execFile);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test("humanDuration: kubectl's AGE format (apimachinery util/duration)", () => {
  const cases: [number, string][] = [
    [-3 * S, "<invalid>"],
    [-1 * S, "0s"],
    [0, "0s"],
    [45 * S, "45s"],
    [119 * S, "119s"],
    [2 * M, "2m"],
    [5 * M + 3 * S, "5m3s"],
    [9 * M + 59 * S, "9m59s"],
    [10 * M + 30 * S, "10m"],
    [179 * M, "179m"],
    [3 * H, "3h"],
    [2 * H + 5 * M + 10 * S, "125m"],
    [7 * H + 59 * M, "7h59m"],
    [8 * H + 30 * M, "8h"],
    [47 * H, "47h"],
    [2 * D, "2d"],
    [2 * D + 3 * H, "2d3h"],
    [7 * D + 23 * H, "7d23h"],
    [30 * D, "30d"],
    [729 * D, "729d"],
    [730 * D, "2y"],
    [735 * D, "2y5d"],
    [8 * 365 * D, "8y"],
    [20 * 365 * D, "20y"],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
  const now = Date.parse("2026-01-10T12:00:00Z");
  assert.equal(age("2026-01-08T09:00:00Z", now), "2d3h");
  assert.equal(age(undefined, now), "<unknown>");
  assert.equal(age("yesterday", now), "<invalid>");
});

test("formatTable: kubectl's tabwriter (padding 3, minimum width 6, last column unpadded)", () => {
  const t = formatTable(
    ["Name", "Type", "Last Seen"],
    [
      ["a", "iot", "5m"],
      ["rack-sensor-long", "x", ""],
    ],
  );
  assert.equal(
    t,
    [
      "NAME               TYPE   LAST SEEN",
      "a                  iot    5m",
      "rack-sensor-long   x      ",
    ].join("\n"),
  );
  // The minimum width (6) holds for narrow columns.
  assert.equal(formatTable(["A", "B"], [["x", "y"]]), "A     B\nx     y");
});

test("printer columns: JSONPath, filters, cell types, priority", async () => {
  const obj = {
    metadata: { name: "r1", namespace: "ns", creationTimestamp: "2026-01-10T11:55:00Z" },
    spec: { type: "match", severity: "high", mitre: ["T1110"] },
    status: {
      hits: 3,
      conditions: [
        { type: "Other", status: "False" },
        { type: "Accepted", status: "True" },
      ],
    },
  };
  assert.equal(jsonPathValue(obj, '.status.conditions[?(@.type=="Accepted")].status'), "True");
  assert.equal(jsonPathValue(obj, ".status.conditions[0].type"), "Other");
  assert.equal(jsonPathValue(obj, ".status.lastFired"), undefined);
  assert.equal(jsonPathValue(obj, ".spec.type.deeper"), undefined);
  const now = Date.parse("2026-01-10T12:00:00Z");
  assert.equal(cell({ name: "MITRE", type: "string", jsonPath: "" }, ["T1110"], now), '["T1110"]');
  assert.equal(cell({ name: "Hits", type: "integer", jsonPath: "" }, 3.7, now), "3");
  assert.equal(cell({ name: "Last", type: "date", jsonPath: "" }, undefined, now), "");
  const cols = await printerColumns("DetectionRule");
  assert.deepEqual(
    visibleColumns(cols).map((c) => c.name),
    ["Type", "Severity", "Hits", "Last Fired", "Accepted", "Age"],
  );
  assert.ok(visibleColumns(cols, true).some((c) => c.name === "MITRE"));
  assert.equal(
    objectTable([obj], visibleColumns(cols), { now, allNamespaces: true }),
    [
      "NAMESPACE   NAME   TYPE    SEVERITY   HITS   LAST FIRED   ACCEPTED   AGE",
      "ns          r1     match   high       3                   True       5m",
    ].join("\n"),
  );
});

test("rules: Accepted is the analytics' verdict, False with RE2's reason for a lookahead", () => {
  const rule = (value: string) => ({
    metadata: { name: "r", namespace: "ns" },
    spec: {
      type: "match",
      severity: "low",
      selector: { where: [{ field: "log.message", op: "matches", value }] },
    },
  });
  assert.deepEqual(ruleObject(rule("^(?=a)"), []).status, {
    hits: 0,
    lastFired: undefined,
    conditions: [
      {
        type: "Accepted",
        status: "False",
        reason: "Invalid",
        message:
          "spec.selector.where[0].value: not a valid regular expression (RE2): error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
      },
    ],
  });
  assert.deepEqual(ruleObject(rule("^Failed"), []).status, {
    hits: 0,
    lastFired: undefined,
    conditions: [{ type: "Accepted", status: "True", reason: "Valid" }],
  });
});

/** Splits a kubectl-style table into cells (columns are separated by ≥ 2 blanks... or 3 exactly at the end of the widest cell). */
function cells(table: string): string[][] {
  const [head = "", ...rows] = table.trimEnd().split("\n");
  const starts: number[] = [];
  for (const m of head.matchAll(/\S+( \S+)*/g)) starts.push(m.index);
  return [head, ...rows].map((l) =>
    starts.map((s, i) => l.slice(s, starts[i + 1] ?? l.length).trim()),
  );
}

describe("amoskys get against the embedded mode (the demo, --keep)", () => {
  let child: ChildProcess;
  let out = "";
  let data: string;
  before(async () => {
    data = await mkdtemp(join(tmpdir(), "amoskys-get-demo-"));
    child = spawn(
      process.execPath,
      [join(repo, "demo/run.ts"), "--fast", "--keep", "--data", data, "--port", "0"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", () => {});
    await eventually(() => {
      assert.equal(child.exitCode, null, out);
      assert.match(out, /running until Ctrl-C/);
    }, 150_000);
  });
  after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await exited;
    }
    await rm(data, { recursive: true, force: true });
  });

  it("prints findings, devices and rules with the CRD columns", async () => {
    const server = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out)?.[1];
    // The demo prints where the token is, never the token.
    const token = (await readFile(join(data, "token"), "utf8")).trim();
    assert.ok(server && token, out);
    assert.ok(!out.includes(token), "the demo printed the token");
    // The command itself, as a user runs it: the token comes from --data's token file.
    const r = await run(process.execPath, [
      join(repo, "operator/cli.ts"),
      "get",
      "findings",
      "--server",
      server,
      "--data",
      data,
    ]);
    const f = cells(r.stdout);
    assert.deepEqual(f[0], [
      "NAME",
      "DEVICE",
      "RULE",
      "SEVERITY",
      "COUNT",
      "LAST SEEN",
      "STATE",
      "AGE",
    ]);
    const brute = f.find((x) => x[2] === "login-brute-force");
    assert.ok(brute, r.stdout);
    assert.equal(brute[1], "jump-host");
    assert.equal(brute[3], "high");
    assert.equal(brute[4], "12"); // the demo sends 12 failed logins
    assert.equal(brute[6], "open");
    assert.match(brute[0] ?? "", /^jump-host-login-brute-force-[0-9a-f]+$/);
    assert.match(brute[7] ?? "", /^\d+s$/);
    assert.ok(f.some((x) => x[2] === "snmp-auth-failure-trap" && x[1] === "rack-sensor"));

    // Devices: --data gives the token and the rendered collector config (TYPE, COLLECTOR).
    const d = await getTable({ resource: "devices", server, data });
    const dc = cells(d.table ?? "");
    assert.deepEqual(dc[0], [
      "NAME",
      "TYPE",
      "ADDRESS",
      "PROTOCOLS",
      "COLLECTOR",
      "LAST SEEN",
      "RISK",
      "FINDINGS",
      "AGE",
    ]);
    const plc = dc.find((x) => x[0] === "tank-plc");
    assert.deepEqual(plc?.slice(0, 5), ["tank-plc", "ot", "127.0.0.12", "modbus", "demo"]);
    assert.equal(plc?.[6], ""); // no risk score in embedded mode
    assert.equal(plc?.[7], "2"); // anomaly + unreachable, both open

    // Rules: from the manifest files, hits from the findings.
    const rules = await getTable({
      resource: "rules",
      server,
      token,
      files: [join(repo, "examples/rules"), join(repo, "demo/manifests/rules.yaml")],
    });
    const rc = cells(rules.table ?? "");
    const lbf = rc.find((x) => x[0] === "login-brute-force");
    assert.deepEqual(lbf?.slice(0, 4), ["login-brute-force", "threshold", "high", "12"]);
    const quiet = rc.find((x) => x[0] === "modbus-function-scan");
    assert.deepEqual(quiet?.slice(3, 5), ["0", ""]);

    // A namespace without anything.
    const none = await getTable({ resource: "findings", server, token, namespace: "nowhere" });
    assert.equal(none.empty, "No resources found in nowhere namespace.");
  });
});

describe("amoskys get devices in embedded mode: every Device of the manifests", () => {
  let dir: string;
  let data: string;
  let up: Embedded | undefined;
  let syslogPort: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "amoskys-get-manifests-"));
    data = await mkdtemp(join(tmpdir(), "amoskys-get-data-"));
    syslogPort = await freePort("udp");
    const [hl7, flows, traps] = [await freePort(), await freePort("udp"), await freePort("udp")];
    await writeFile(
      join(dir, "manifests.yaml"),
      `apiVersion: amoskys.io/v1alpha1
kind: CollectorProfile
metadata: {name: local}
spec:
  deviceSelector: {}
  listeners: {syslog: ${syslogPort}, hl7: ${hl7}, flows: ${flows}, snmpTraps: ${traps}}
  batching: {maxEvents: 100, maxDelayMs: 200}
---
apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: talker}
spec: {address: 127.0.0.1, type: endpoint, syslog: {sourceAddresses: [127.0.0.1]}}
---
apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: quiet}
spec: {address: 127.0.0.2, type: network, criticality: high, syslog: {}}
---
apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: remote, namespace: plant-2}
spec: {address: rtu-7.plant.example, type: ot, modbus: {registers: []}}
`,
    );
    up = await startEmbedded({ paths: [dir], dataDir: data, port: 0 });
  });
  after(async () => {
    await up?.stop();
    for (const d of [dir, data]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("lists Devices without telemetry with empty status columns, then fills them in", async () => {
    assert.ok(up);
    const server = up.apiUrl;
    const header = [
      "NAME",
      "TYPE",
      "ADDRESS",
      "PROTOCOLS",
      "COLLECTOR",
      "LAST SEEN",
      "RISK",
      "FINDINGS",
      "AGE",
    ];
    // Nothing sent yet: every Device of the manifests, its spec columns, no status.
    const first = cells((await getTable({ resource: "devices", server, data })).table ?? "");
    assert.deepEqual(first[0], header);
    assert.deepEqual(
      first.slice(1).map((r) => r.slice(0, 8)),
      [
        ["quiet", "network", "127.0.0.2", "", "", "", "", ""],
        ["talker", "endpoint", "127.0.0.1", "", "", "", "", ""],
      ],
    );
    // AGE: since amoskys up loaded the Device (its creationTimestamp in the snapshot).
    for (const r of first.slice(1)) assert.match(r[8] ?? "", /^\d+s$/);
    const snap = JSON.parse(await readFile(join(data, DEVICES_FILE), "utf8")) as {
      items: { metadata: { name: string; creationTimestamp: string } }[];
    };
    assert.deepEqual(snap.items.map((d) => d.metadata.name).sort(), ["quiet", "remote", "talker"]);

    // Other namespaces, wide (CRITICALITY), and -f instead of the snapshot.
    const all = cells(
      (await getTable({ resource: "devices", server, data, allNamespaces: true, wide: true }))
        .table ?? "",
    );
    assert.deepEqual(
      all.map((r) => [r[0], r[1], r[3], r[9]]),
      [
        ["NAMESPACE", "NAME", "ADDRESS", "CRITICALITY"],
        ["default", "quiet", "127.0.0.2", "high"],
        ["default", "talker", "127.0.0.1", "medium"],
        ["plant-2", "remote", "rtu-7.plant.example", "medium"],
      ],
    );
    const fromFiles = await getTable({
      resource: "devices",
      server,
      token: up.token,
      files: [dir],
      namespace: "plant-2",
    });
    assert.deepEqual(cells(fromFiles.table ?? "")[1]?.slice(0, 4), [
      "remote",
      "ot",
      "rtu-7.plant.example",
      "",
    ]);

    // A syslog line from 127.0.0.1 (logger, a real client): talker gets a status, quiet stays as it was.
    await run("logger", [
      "--server",
      "127.0.0.1",
      "--port",
      String(syslogPort),
      "--udp",
      "-t",
      "sshd",
      "hello",
    ]);
    await eventually(async () => {
      const t = cells((await getTable({ resource: "devices", server, data })).table ?? "");
      const talker = t.find((r) => r[0] === "talker");
      assert.deepEqual(talker?.slice(0, 5), ["talker", "endpoint", "127.0.0.1", "syslog", "local"]);
      assert.match(talker?.[5] ?? "", /^\d+s$/); // LAST SEEN
      assert.equal(talker?.[7], "0"); // FINDINGS: none open
      assert.deepEqual(t.find((r) => r[0] === "quiet")?.slice(0, 8), first[1]?.slice(0, 8));
    }, 60_000);

    // Without -f or --data only the API is known: the Devices that sent telemetry.
    const apiOnly = cells(
      (await getTable({ resource: "devices", server, token: up.token })).table ?? "",
    );
    assert.deepEqual(
      apiOnly.slice(1).map((r) => r[0]),
      ["talker"],
    );
  });
});

describe("amoskys get against a real kube-apiserver, compared with kubectl get", () => {
  let env: Awaited<ReturnType<typeof startEnv<{ kube: true }>>>;
  let cache: string;
  const kubectl = async (args: string[], input?: string) => {
    const p = run(env.kube.kubectl, [
      "--kubeconfig",
      env.kube.kubeconfig,
      "--cache-dir",
      cache,
      ...args,
    ]);
    p.child.stdin?.end(input ?? "");
    return await p;
  };
  before(async () => {
    env = await startEnv({ kube: true });
    cache = await mkdtemp(join(tmpdir(), "amoskys-get-kube-"));
    await run(env.kube.kubectl, [
      "--kubeconfig",
      env.kube.kubeconfig,
      "apply",
      "--server-side",
      "-f",
      join(repo, "crds"),
    ]);
    await run(env.kube.kubectl, [
      "--kubeconfig",
      env.kube.kubeconfig,
      "wait",
      "--for=condition=Established",
      "crd",
      "--all",
      "--timeout=60s",
    ]);
  });
  after(async () => {
    await env?.stop();
    if (cache) await rm(cache, { recursive: true, force: true });
  });

  it("prints kubectl's header and row values for Devices, Findings and rules", async () => {
    await kubectl(["create", "namespace", "plant-1"]);
    const device = {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "Device",
      metadata: { name: "plc-1", namespace: "plant-1" },
      spec: {
        address: "127.0.0.12",
        type: "ot",
        criticality: "critical",
        modbus: { port: 5020, registers: [] },
      },
    };
    await kubectl(["create", "-f", "-"], JSON.stringify(device));
    // A Device the operator has not reported on yet (no status): its status columns are empty.
    const quiet = { ...device, metadata: { name: "plc-2", namespace: "plant-1" } };
    await kubectl(["create", "-f", "-"], JSON.stringify(quiet));
    await kubectl([
      "patch",
      "device",
      "plc-1",
      "-n",
      "plant-1",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({
        status: {
          protocols: "modbus",
          collector: "default",
          lastSeen: new Date(Date.now() - 5 * M).toISOString(),
          riskScore: 40,
          openFindings: { total: 1 },
        },
      }),
    ]);
    const t = new Date(Date.now() - 3 * H).toISOString();
    const finding = {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "Finding",
      metadata: { name: "plc-1-device-unreachable-0a1b2c3d", namespace: "plant-1" },
      spec: {
        device: "plc-1",
        rule: "device-unreachable",
        severity: "medium",
        title: "Device stopped answering",
        count: 3,
        firstSeen: t,
        lastSeen: t,
        state: "open",
      },
    };
    await kubectl(["create", "-f", "-"], JSON.stringify(finding));
    const rule = await readFile(join(repo, "examples/rules/login-brute-force.yaml"), "utf8");
    await kubectl(["create", "-n", "plant-1", "-f", "-"], rule);

    for (const [resource, extra] of [
      ["devices", ["-n", "plant-1"]],
      ["findings", ["-n", "plant-1"]],
      ["detectionrules", ["-n", "plant-1"]],
      ["findings", ["-A"]],
      ["devices", ["-n", "plant-1", "-o", "wide"]],
    ] as const) {
      const want = (await kubectl(["get", resource, ...extra])).stdout;
      const got = await getTable({
        resource,
        kubeconfig: env.kube.kubeconfig,
        namespace: extra[0] === "-n" ? extra[1] : undefined,
        allNamespaces: extra[0] === "-A",
        wide: extra.includes("wide"),
      });
      const w = cells(want);
      const g = cells(got.table ?? "");
      assert.deepEqual(g[0], w[0], `${resource} header\nkubectl:\n${want}\namoskys:\n${got.table}`);
      assert.equal(g.length, w.length, `${resource} rows\n${want}\n${got.table}`);
      for (let i = 1; i < w.length; i++) {
        const wr = w[i] ?? [];
        const gr = g[i] ?? [];
        for (let c = 0; c < wr.length; c++) {
          // Ages may tick between the two calls: they may differ by a few seconds.
          const ws = seconds(wr[c] ?? "");
          const gs = seconds(gr[c] ?? "");
          if (ws !== undefined && gs !== undefined)
            assert.ok(Math.abs(ws - gs) <= 3, `${wr[c]} vs ${gr[c]}`);
          else
            assert.equal(
              gr[c],
              wr[c],
              `${resource} row ${i} column ${w[0]?.[c]}\n${want}\n${got.table}`,
            );
        }
      }
      // When no age ticks, the whole text is identical, blanks included.
      if (!/\d+s\b/.test(want)) assert.equal(`${got.table}\n`, want);
    }
    // The values themselves (not only "same as kubectl").
    const d = cells(
      (
        await getTable({
          resource: "devices",
          kubeconfig: env.kube.kubeconfig,
          namespace: "plant-1",
        })
      ).table ?? "",
    );
    // LAST SEEN was set 5 minutes ago: "5m", or "5m1s" if a second ticked since (kubectl's format).
    assert.match(d[1]?.[5] ?? "", /^5m(\d+s)?$/);
    assert.deepEqual(
      [...(d[1]?.slice(0, 5) ?? []), ...(d[1]?.slice(6, 8) ?? [])],
      ["plc-1", "ot", "127.0.0.12", "modbus", "default", "40", "1"],
    );
    const f = cells(
      (
        await getTable({
          resource: "findings",
          kubeconfig: env.kube.kubeconfig,
          namespace: "plant-1",
        })
      ).table ?? "",
    );
    assert.deepEqual(f[1]?.slice(1, 7), [
      "plc-1",
      "device-unreachable",
      "medium",
      "3",
      "3h",
      "open",
    ]);
  });
});

/** kubectl's short durations ("5m1s", "3h", "2d3h") in seconds; undefined if not one. */
function seconds(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === "") return undefined;
  const [d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return ((d * 24 + h) * 60 + mi) * 60 + s;
}
