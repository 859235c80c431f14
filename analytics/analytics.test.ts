// `amoskys analytics` as a process under the chart's analytics identity, fed by
// a real agent: sshd-format failed logins sent with `logger` over syslog reach
// the agent's listener, are signed and published to NATS, verified with the
// trust ConfigMap, stored in Postgres, and detected by the built-in
// login-brute-force rule; the finding shows in `kubectl get findings`, the
// DetectionRule status counts the hit, and the Device status has a risk score.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { defaultFactories } from "../agents/collectors/index.ts";
import { type Agent, startAgent } from "../agents/runtime.ts";
import { device, type PodFiles, podFiles } from "../agents/testing-agent.ts";
import { renderChart } from "../e2e/chart.ts";
import { eventually } from "../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { CertificateAuthority } from "../e2e/env/pki.ts";
import { freePort } from "../e2e/env/ports.ts";
import { repoRoot } from "../e2e/env/toolchain.ts";
import { createPool } from "./store/pool.ts";
import { analyticsArgs } from "./testing.ts";

const run = promisify(execFile);
const NS = "amoskys-system";
const SA = `system:serviceaccount:${NS}:amoskys-analytics`;

describe("amoskys analytics (process, chart RBAC, real agent, NATS, Postgres, apiserver)", () => {
  let env: EnvWith<{ kube: true; nats: { users: ["collector", "analytics"] }; postgres: true }>;
  let pod: PodFiles;
  let agent: Agent | undefined;
  let analytics: ChildProcess | undefined;
  let stderr = "";
  let syslogPort = 0;
  let apiCa = "";

  const kubectl = async (...args: string[]) =>
    (
      await run(env.kube.kubectl, ["--kubeconfig", env.kube.kubeconfig, ...args], {
        maxBuffer: 16 << 20,
      })
    ).stdout;
  const getJson = async (...args: string[]) =>
    JSON.parse(await kubectl("get", ...args, "-o", "json"));

  before(async () => {
    env = await startEnv({
      kube: true,
      nats: { users: ["collector", "analytics"] },
      postgres: true,
    });
    await kubectl("apply", "--server-side", "-f", join(repoRoot, "crds"));
    await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
    await kubectl("create", "namespace", NS);
    await kubectl("create", "namespace", "plant-1");
    const rbac = await renderChart({
      namespace: NS,
      showOnly: "templates/analytics-rbac.yaml",
      file: join(env.root, "analytics-rbac.yaml"),
    });
    await kubectl("apply", "--server-side", "-f", rbac);
    const kubeconfig = await env.kube.mintKubeconfig(SA, [
      "system:serviceaccounts",
      `system:serviceaccounts:${NS}`,
    ]);

    // The collector's pod files, and the trust set the operator would publish for it.
    pod = await podFiles(env.nats, "collector");
    syslogPort = await freePort();
    const server = device("server-1", { syslog: { sourceAddresses: ["127.0.0.1"] } });
    await pod.write([server], {
      batching: { maxEvents: 100, maxDelayMs: 200 },
      listeners: {
        syslog: syslogPort,
        hl7: await freePort(),
        flows: await freePort(),
        snmpTraps: await freePort(),
      },
    } as Parameters<PodFiles["write"]>[1]);
    const trust = {
      producers: {
        "plant-1/edge": [{ keyId: pod.keyId, publicKey: pod.publicKey.toString("base64") }],
      },
    };
    await kubectl(
      "create",
      "configmap",
      "amoskys-trust",
      "-n",
      NS,
      `--from-literal=trust.yaml=${stringify(trust)}`,
    );
    const manifests = join(env.root, "manifests.yaml");
    await writeFile(
      manifests,
      stringify({ ...server, metadata: { name: "server-1", namespace: "plant-1" } }),
    );
    await kubectl("apply", "--server-side", "-f", manifests);
    await kubectl(
      "apply",
      "--server-side",
      "-n",
      "plant-1",
      "-f",
      join(repoRoot, "examples/rules/login-brute-force.yaml"),
    );

    await mkdir(join(env.root, "api-ca"));
    const ca = await CertificateAuthority.create(join(env.root, "api-ca"), "analytics API CA");
    apiCa = ca.cert;
    const apiCert = await ca.issue({
      file: "api",
      cn: "amoskys-analytics",
      ips: ["127.0.0.1"],
      usage: "server",
    });
    analytics = spawn(
      process.execPath,
      [
        join(repoRoot, "operator/cli.ts"),
        ...(await analyticsArgs(env, kubeconfig, NS)),
        "--flush-interval-ms=500",
        "--api-port=0",
        "--api-host=127.0.0.1",
        `--api-tls-cert-file=${apiCert.cert}`,
        `--api-tls-key-file=${apiCert.key}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    analytics.stderr?.on("data", (d) => {
      stderr += d;
    });
    agent = await startAgent({
      configPath: pod.configPath,
      root: pod.root,
      podName: "edge-7c9d-abcde",
      host: "127.0.0.1",
      opsPort: 0,
      factories: defaultFactories,
    });
  });
  after(async () => {
    await agent?.stop(2_000);
    analytics?.kill("SIGTERM");
    await pod?.cleanup();
    await env?.stop();
  });

  it("a brute force over syslog becomes a Finding, a rule hit and a risk score", async () => {
    for (let i = 0; i < 12; i++) {
      await run("logger", [
        "--server",
        "127.0.0.1",
        "--port",
        String(syslogPort),
        "--udp",
        "-t",
        "sshd",
        "-i",
        `Failed password for invalid user admin${i} from 127.0.0.9 port ${40000 + i} ssh2`,
      ]);
    }
    const findings = await eventually(async () => {
      const list = await getJson("findings", "-n", "plant-1");
      const f = list.items.find(
        (x: { spec: { rule: string } }) => x.spec.rule === "login-brute-force",
      );
      assert.ok(f, `no finding yet; analytics log:\n${stderr.slice(-2000)}`);
      assert.ok(f.spec.count >= 10, `count ${f.spec.count}`);
      return list;
    }, 90_000);
    const f = findings.items[0];
    assert.equal(f.spec.device, "server-1");
    assert.equal(f.spec.severity, "high");
    assert.equal(f.metadata.ownerReferences?.[0]?.kind, "Device");
    const table = await kubectl("get", "findings", "-n", "plant-1");
    assert.match(table, /DEVICE\s+RULE\s+SEVERITY\s+COUNT\s+LAST SEEN\s+STATE/);
    assert.match(table, /server-1\s+login-brute-force\s+high\s+1[0-2]\s/);

    await eventually(async () => {
      const rule = await getJson("detectionrule", "login-brute-force", "-n", "plant-1");
      assert.ok(rule.status?.hits >= 1, JSON.stringify(rule.status));
      assert.equal(
        rule.status.conditions.find((c: { type: string }) => c.type === "Accepted")?.status,
        "True",
      );
      const dev = await getJson("device", "server-1", "-n", "plant-1");
      assert.ok(dev.status?.riskScore > 0, JSON.stringify(dev.status));
    }, 60_000);

    // Postgres holds every message and the finding with its evidence.
    const client = createPool({ url: env.postgres.url, caFile: env.postgres.ca });
    try {
      const logs = await client.query(
        "SELECT count(*)::int AS n FROM logs WHERE app_name = 'sshd' AND message LIKE 'Failed password%'",
      );
      assert.equal(logs.rows[0].n, 12);
      const fr = await client.query(
        "SELECT count, severity FROM findings WHERE rule_name = 'login-brute-force'",
      );
      assert.equal(fr.rows[0]?.severity, "high");
    } finally {
      await client.end();
    }
  });

  it("serves the findings over HTTPS to a Kubernetes token, and resolving one reaches the Finding", async () => {
    const port = Number(/"apiPort":(\d+)/.exec(stderr)?.[1]);
    assert.ok(port > 0, "the API port is logged");
    const token = (await kubectl("create", "token", "amoskys-analytics", "-n", NS)).trim();
    const { Agent: HttpsAgent, request } = await import("node:https");
    const agent = new HttpsAgent({
      ca: await (await import("node:fs/promises")).readFile(apiCa, "utf8"),
    });
    const call = (method: string, path: string, auth = token) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path,
            method,
            agent,
            headers: { authorization: `Bearer ${auth}` },
          },
          (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end();
      });
    assert.equal((await call("GET", "/api/v1/findings", "not-a-token")).status, 401);
    const list = await call("GET", "/api/v1/findings?namespace=plant-1&rule=login-brute-force");
    assert.equal(list.status, 200, list.body);
    const found = JSON.parse(list.body).items[0];
    assert.equal(found.device.name, "server-1");
    const resolved = await call("POST", `/api/v1/findings/${found.id}/resolve`);
    assert.equal(resolved.status, 200, resolved.body);
    await eventually(async () => {
      const f = (await getJson("findings", "-n", "plant-1")).items[0];
      assert.equal(f.spec.state, "resolved");
    }, 30_000);
  });
});
