// `amoskys operator` as users run it: two replicas, each a process under the
// chart's ServiceAccount identity and RBAC, against the real apiserver. One
// leads and reconciles the examples; killing it hands over to the other. The
// collectors get the NATS client credentials of --nats-secret, copied into
// their namespace, and a change of the source reaches them.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { eventually } from "../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { bin, KUBERNETES_VERSION, repoRoot } from "../e2e/env/toolchain.ts";

const exec = promisify(execFile);
const NS = "amoskys-system";
const NATS_SECRET = "amoskys-nats";
const BUS_COPY = "amoskys-collector-default-bus";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

interface Replica {
  identity: string;
  child: ChildProcess;
  exited: Promise<unknown>;
  metricsPort: Promise<number>;
}

describe("amoskys operator (two replicas, chart RBAC, real apiserver)", () => {
  let env: EnvWith<{ kube: true }>;
  let operatorKubeconfig: string;
  const replicas: Replica[] = [];

  const kubectl = async (...args: string[]) =>
    (
      await exec(env.kube.kubectl, ["--kubeconfig", env.kube.kubeconfig, ...args], {
        maxBuffer: 16 << 20,
      })
    ).stdout;
  /** The agent.yaml the operator rendered for the example profile. */
  const agentConfig = async (): Promise<string> => {
    const list = JSON.parse(
      await kubectl(
        "get",
        "configmap",
        "-n",
        "default",
        "-l",
        "amoskys.io/profile=default",
        "-o",
        "json",
      ),
    );
    return list.items[0]?.data?.["agent.yaml"] ?? "";
  };
  const getJson = async (...args: string[]) =>
    JSON.parse(await kubectl("get", ...args, "-o", "json"));
  const busCopy = async () =>
    (await getJson("secret", BUS_COPY, "-n", "default")).data as Record<string, string>;
  const podAnnotations = async () =>
    (await getJson("deployment", "amoskys-collector-default", "-n", "default")).spec.template
      .metadata.annotations as Record<string, string>;
  const holder = async () =>
    JSON.parse(await kubectl("get", "lease", "amoskys-operator", "-n", NS, "-o", "json")).spec
      .holderIdentity as string;

  function startReplica(identity: string): Replica {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, "operator/cli.ts"),
        "operator",
        `--kubeconfig=${operatorKubeconfig}`,
        `--operator-namespace=${NS}`,
        "--collector-image=ghcr.io/amoskys/amoskys:test",
        "--nats-url=tls://127.0.0.1:4222",
        `--nats-secret=${NATS_SECRET}`,
        "--metrics-host=127.0.0.1",
        "--metrics-port=0",
        `--identity=${identity}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const exited = new Promise((r) => child.once("exit", r));
    const metricsPort = new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
      lines.on("line", (l) => {
        if (process.env.AMOSKYS_TEST_VERBOSE) console.error(`[${identity}] ${l}`);
        try {
          const rec = JSON.parse(l);
          if (rec.msg === "started") resolve(rec.metricsPort);
        } catch {
          // not a log line
        }
      });
      child.once("exit", (code) => reject(new Error(`${identity} exited with ${code}`)));
    });
    const r = { identity, child, exited, metricsPort };
    replicas.push(r);
    return r;
  }

  before(async () => {
    env = await startEnv({ kube: true });
    const rendered = (
      await exec(
        bin("helm"),
        [
          "template",
          "amoskys",
          join(repoRoot, "helm/amoskys"),
          "-n",
          NS,
          "--include-crds",
          "--set",
          `nats.secret=${NATS_SECRET}`,
          "--kube-version",
          KUBERNETES_VERSION,
        ],
        {
          maxBuffer: 64 << 20,
        },
      )
    ).stdout;
    const file = join(env.root, "chart.yaml");
    await writeFile(file, rendered);
    await kubectl("create", "namespace", NS);
    await kubectl(
      "create",
      "secret",
      "generic",
      NATS_SECRET,
      "-n",
      NS,
      "--from-literal=ca.crt=-----BEGIN CERTIFICATE-----\ntest CA\n-----END CERTIFICATE-----\n",
      "--from-literal=username=collector",
      "--from-literal=password=first-password",
      "--from-literal=unrelated=not copied",
    );
    await kubectl("apply", "--server-side", "-f", file);
    await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
    operatorKubeconfig = await env.kube.mintKubeconfig(
      `system:serviceaccount:${NS}:amoskys-operator`,
      ["system:serviceaccounts", `system:serviceaccounts:${NS}`],
    );
  });
  after(async () => {
    for (const r of replicas) r.child.kill("SIGKILL");
    await Promise.all(replicas.map((r) => r.exited));
    await env?.stop();
  });

  it("one replica leads and renders collectors for the examples; both are ready", async () => {
    const a = startReplica("op-a");
    await eventually(async () => assert.equal(await holder(), "op-a"), 30_000);
    const b = startReplica("op-b");
    await kubectl(
      "apply",
      "--server-side",
      "-f",
      join(repoRoot, "examples/devices"),
      "-f",
      join(repoRoot, "examples/profiles"),
    );
    await eventually(async () => {
      const dep = JSON.parse(
        await kubectl(
          "get",
          "deployment",
          "-n",
          "default",
          "-l",
          "amoskys.io/profile=default",
          "-o",
          "json",
        ),
      );
      assert.equal(dep.items.length, 1);
    }, 60_000);
    for (const r of [a, b]) {
      const port = await r.metricsPort;
      await eventually(
        async () => assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200),
        30_000,
      );
    }

    // --nats-secret: copied (only the keys the agent uses), named in agent.yaml, mounted.
    assert.deepEqual(await busCopy(), {
      "ca.crt": b64("-----BEGIN CERTIFICATE-----\ntest CA\n-----END CERTIFICATE-----\n"),
      password: b64("first-password"),
      username: b64("collector"),
    });
    const copy = await getJson("secret", BUS_COPY, "-n", "default", "--show-managed-fields");
    assert.equal(copy.metadata.labels["amoskys.io/profile"], "default");
    assert.equal(copy.metadata.ownerReferences[0].kind, "CollectorProfile");
    assert.ok(
      copy.metadata.managedFields.some(
        (f: { manager: string; operation: string }) =>
          f.manager === "amoskys-operator" && f.operation === "Apply",
      ),
    );
    const config = await agentConfig();
    const dir = `/etc/amoskys/secrets/${BUS_COPY}`;
    assert.match(config, new RegExp(`caFile: ${dir}/ca.crt\n`));
    assert.match(config, new RegExp(`usernameFile: ${dir}/username\n`));
    assert.match(config, new RegExp(`passwordFile: ${dir}/password\n`));
    assert.doesNotMatch(config, new RegExp(`${dir}/tls`));
    assert.doesNotMatch(config, /first-password|: collector\n/);
    const dep = await getJson("deployment", "amoskys-collector-default", "-n", "default");
    const sources = dep.spec.template.spec.volumes.find(
      (v: { name: string }) => v.name === "config",
    ).projected.sources as { secret?: { name: string; items: { key: string; path: string }[] } }[];
    assert.deepEqual(sources.find((x) => x.secret?.name === BUS_COPY)?.secret?.items, [
      { key: "ca.crt", path: `secrets/${BUS_COPY}/ca.crt` },
      { key: "password", path: `secrets/${BUS_COPY}/password` },
      { key: "username", path: `secrets/${BUS_COPY}/username` },
    ]);

    const metrics = await (await fetch(`http://127.0.0.1:${await a.metricsPort}/metrics`)).text();
    assert.match(metrics, /amoskys_operator_api_requests_total\{[^}]*verb="apply"/);
    assert.equal(await holder(), "op-a");
  });

  it("SIGKILL of the leader: the standby takes over within 15 s and reconciles", async () => {
    const leader = replicas.find((r) => r.identity === "op-a");
    assert.ok(leader);
    const killedAt = performance.now();
    leader.child.kill("SIGKILL");
    await leader.exited;
    await eventually(async () => assert.equal(await holder(), "op-b"), 30_000);
    const takeover = performance.now() - killedAt;
    console.error(
      `# standby took the lease ${Math.round(takeover)} ms after the leader was killed`,
    );
    assert.ok(takeover < 15_000, `take-over took ${Math.round(takeover)} ms`);

    // The new leader reconciles: a Device change reaches the collector's config.
    const before = await agentConfig();
    // A field the collector uses (criticality is detection-only and not rendered).
    await kubectl(
      "patch",
      "device",
      "plc-tank-farm",
      "-n",
      "default",
      "--type=merge",
      "-p",
      '{"spec":{"modbus":{"intervalSeconds":7}}}',
    );
    await eventually(async () => {
      const config = await agentConfig();
      assert.notEqual(config, before);
      assert.match(config, /intervalSeconds: 7/);
    }, 60_000);
  });

  it("SIGTERM of the leader releases the lease: the standby leads within one retry period", async () => {
    const c = startReplica("op-c");
    await c.metricsPort;
    const b = replicas.find((r) => r.identity === "op-b");
    assert.ok(b);
    const stoppedAt = performance.now();
    b.child.kill("SIGTERM");
    assert.equal(await b.exited, 0);
    await eventually(async () => assert.equal(await holder(), "op-c"), 30_000);
    console.error(
      `# successor took the lease ${Math.round(performance.now() - stoppedAt)} ms after SIGTERM`,
    );
  });

  it("a change of the --nats-secret Secret reaches the copy and rolls the pods; a broken one is reported", async () => {
    const before = (await podAnnotations())["amoskys.io/bus-credentials-hash"];
    assert.match(before ?? "", /^[0-9a-f]{16}$/);
    await kubectl(
      "patch",
      "secret",
      NATS_SECRET,
      "-n",
      NS,
      "--type=merge",
      "-p",
      JSON.stringify({ data: { password: b64("second-password") } }),
    );
    await eventually(async () => {
      assert.equal((await busCopy()).password, b64("second-password"));
      assert.notEqual((await podAnnotations())["amoskys.io/bus-credentials-hash"], before);
    }, 60_000);

    // Without a password the credentials are unusable: the profile says so, the copy stays.
    await kubectl(
      "patch",
      "secret",
      NATS_SECRET,
      "-n",
      NS,
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/data/password"}]',
    );
    await eventually(async () => {
      const cp = await getJson("collectorprofile", "default", "-n", "default");
      const ready = cp.status.conditions.find((c: { type: string }) => c.type === "Ready");
      assert.equal(ready.reason, "BusCredentialsUnavailable");
      assert.match(ready.message, /needs both username and password/);
    }, 60_000);
    assert.equal((await busCopy()).password, b64("second-password"));
  });

  it("the apiserver restarted mid-run: the leader recovers, is ready again and reconciles", async () => {
    const leader = replicas.find((r) => r.identity === "op-c");
    assert.ok(leader);
    const port = await leader.metricsPort;
    // Usable NATS credentials again (the test before broke them), so the profile renders.
    await kubectl(
      "patch",
      "secret",
      NATS_SECRET,
      "-n",
      NS,
      "--type=merge",
      "-p",
      JSON.stringify({ data: { password: b64("third-password") } }),
    );
    await eventually(
      async () => assert.equal((await busCopy()).password, b64("third-password")),
      60_000,
    );
    await env.kube.restartApiserver(3_000);
    // Watches broke and came back: ready again, still the leader (or leading again).
    await eventually(async () => {
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      assert.equal(await holder(), "op-c");
    }, 60_000);
    // And it acts on a change made after the restart.
    await kubectl(
      "patch",
      "device",
      "plc-tank-farm",
      "-n",
      "default",
      "--type=merge",
      "-p",
      '{"spec":{"modbus":{"intervalSeconds":9}}}',
    );
    await eventually(async () => assert.match(await agentConfig(), /intervalSeconds: 9/), 60_000);
    assert.equal(leader.child.exitCode, null, "the operator did not exit");
  });
});
