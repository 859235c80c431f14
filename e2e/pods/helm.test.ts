// AMOSKYS as a user installs it, on real nodes, with pods only:
//
//   helm install amoskys ./helm/amoskys (the chart's own templates, the image
//   `npm run image` built from the Dockerfile's copy list, imported into both
//   nodes) → the operator (2 replicas, one leader) and analytics run as pods;
//   kubectl apply a deployment profile and an arm64 DaemonSet profile with
//   their Devices → the operator's collector Deployment and DaemonSet run as
//   pods, the DaemonSet only on node-arm64 (linux-arm64 Node.js under qemu);
//   collectors poll snmpd and receive syslog → NATS → analytics → Findings.
//
// NATS (JetStream, TLS) and PostgreSQL (TLS) run on the host and listen on the
// pod bridge's host address, which pods reach and which listens on nothing else.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { eventually } from "../env/eventually.ts";
import { type EnvWith, startEnv } from "../env/index.ts";
import { repoRoot } from "../env/toolchain.ts";
import { buildImage } from "../image/build.ts";
import { sshBruteForce } from "../scenario/attacks.ts";
import { clusterKubectl, createReleaseSecrets, helmInstall } from "./install.ts";

const SYS = "amoskys-system";
const NS = "plant-1";
const SYSLOG_PORT = 5514;

type PodsEnv = EnvWith<{
  cluster: true;
  nats: { users: ["collector", "analytics"] };
  postgres: true;
  snmp: true;
}>;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

describe("helm install on real nodes: pods collect, analytics finds", () => {
  let env: PodsEnv;
  let installedAt = 0;
  const secrets: string[] = [];
  const { kubectl, getJson } = clusterKubectl(() => env);
  const condition = async (kind: string, name: string, type: string) =>
    ((await getJson(kind, name, "-n", NS)).status?.conditions as Condition[] | undefined)?.find(
      (c) => c.type === type,
    );
  const podsOf = async (ns: string, selector: string) =>
    (await getJson("pods", "-n", ns, "-l", selector)).items as {
      metadata: { name: string; uid: string; annotations?: Record<string, string> };
      spec: { nodeName?: string };
      status: { podIP?: string; phase: string };
    }[];
  const rolledOut = (ns: string, workload: string) =>
    kubectl("rollout", "status", "-n", ns, workload, "--timeout=180s");
  /** analytics' non-zero rejected-batch counters, read through the apiserver's pod proxy. */
  const rejectedBatches = async () => {
    const [analytics] = await podsOf(SYS, "app.kubernetes.io/name=amoskys-analytics");
    const metrics = await kubectl(
      "get",
      "--raw",
      `/api/v1/namespaces/${SYS}/pods/${analytics?.metadata.name}:8080/proxy/metrics`,
    );
    return metrics
      .split("\n")
      .filter((l) => l.startsWith("amoskys_analytics_rejected_batches_total{") && !/ 0$/.test(l));
  };
  const diagnose = async () =>
    [
      await kubectl("get", "pods", "-A", "-o", "wide").catch((e) => String(e)),
      await kubectl("get", "events", "-A", "--sort-by=.lastTimestamp").catch((e) => String(e)),
      await kubectl("logs", "-n", SYS, "deploy/amoskys-operator", "--tail=30").catch(String),
      await kubectl("logs", "-n", SYS, "deploy/amoskys-analytics", "--tail=30").catch(String),
    ].join("\n");

  before(async () => {
    const images = await buildImage(["amd64", "arm64"]);
    env = await startEnv({
      cluster: { images, services: true }, // pods reach the API through the kubernetes Service
      nats: { users: ["collector", "analytics"] },
      postgres: true,
      snmp: true,
    });
    secrets.push(
      env.nats.users.collector ?? "",
      env.nats.users.analytics ?? "",
      env.postgres.password,
      env.snmpd.community,
    );
    await createReleaseSecrets(kubectl, env, SYS);
    installedAt = Date.now();
    try {
      await helmInstall(env, SYS, [
        // The control plane on node-amd64: under qemu-user the operator's working set
        // is ~360 MB (qemu's own memory counts), over the chart's 256Mi limit.
        ...["--set", "operator.nodeSelector.kubernetes\\.io/arch=amd64"],
        ...["--set", "analytics.nodeSelector.kubernetes\\.io/arch=amd64"],
      ]);
    } catch (err) {
      throw new Error(`helm install failed: ${(err as Error).message}\n${await diagnose()}`);
    }
    console.error(`# helm install --wait: ${((Date.now() - installedAt) / 1000).toFixed(1)} s`);
  });
  after(() => env?.stop());

  it("the operator (2 replicas, one leader) and analytics run as pods and are ready", async () => {
    const ops = await podsOf(SYS, "app.kubernetes.io/name=amoskys-operator");
    assert.equal(ops.length, 2);
    const lease = await getJson("lease", "amoskys-operator", "-n", SYS);
    assert.ok(
      ops.some((p) => p.metadata.name === lease.spec.holderIdentity),
      `lease holder ${lease.spec.holderIdentity} is one of ${ops.map((p) => p.metadata.name)}`,
    );
    const analytics = await getJson("deployment", "amoskys-analytics", "-n", SYS);
    assert.equal(analytics.status.readyReplicas, 1);
  });

  it("collector Deployment and arm64 DaemonSet run as pods, profiles Ready=True, Findings from an attack", async () => {
    const host = env.cluster.hostIp;
    // A Device polled over SNMP v2c: the environment's snmpd, on the bridge address.
    const snmpDevice = (name: string, site: string, extra: object = {}) => ({
      apiVersion: "amoskys.io/v1alpha1",
      kind: "Device",
      metadata: { name, namespace: NS, labels: { "amoskys.io/site": site } },
      spec: {
        address: host,
        type: "endpoint",
        snmp: {
          version: "v2c",
          port: env.snmpd.port,
          credentialsSecretRef: { name: "historian-snmp" },
          profiles: ["system"],
        },
        ...extra,
      },
    });
    const manifests = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "historian-snmp", namespace: NS },
        stringData: { community: env.snmpd.community },
      },
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "CollectorProfile",
        metadata: { name: "lab", namespace: NS },
        spec: {
          deviceSelector: { matchLabels: { "amoskys.io/site": "lab" } },
          mode: "deployment",
          replicas: 1,
          intervals: { snmp: 10 },
          listeners: { syslog: SYSLOG_PORT },
          batching: { maxEvents: 100, maxDelayMs: 500 },
          nodeSelector: { "kubernetes.io/arch": "amd64" },
        },
      },
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "CollectorProfile",
        metadata: { name: "edge-arm", namespace: NS },
        spec: {
          deviceSelector: { matchLabels: { "amoskys.io/site": "edge-arm" } },
          mode: "daemonset",
          architecture: "arm64",
          listeners: { syslog: SYSLOG_PORT },
          batching: { maxEvents: 100, maxDelayMs: 500 },
          // qemu-user's own memory counts against the limit on the emulated node.
          resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "1Gi" } },
        },
      },
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "CollectorProfile",
        metadata: { name: "fleet", namespace: NS },
        spec: {
          deviceSelector: { matchLabels: { "amoskys.io/site": "fleet" } },
          mode: "deployment",
          replicas: 2, // sharded: a StatefulSet
          intervals: { snmp: 10 },
          batching: { maxEvents: 100, maxDelayMs: 500 },
          nodeSelector: { "kubernetes.io/arch": "amd64" },
        },
      },
      ...["fleet-a", "fleet-b", "fleet-c"].map((name) => snmpDevice(name, "fleet")),
      snmpDevice("historian", "lab", { syslog: { sourceAddresses: [host] } }),
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "Device",
        metadata: {
          name: "edge-gateway",
          namespace: NS,
          labels: { "amoskys.io/site": "edge-arm" },
        },
        spec: { address: host, type: "ot", syslog: { sourceAddresses: [host] } },
      },
    ];
    const file = join(env.root, "plant-1.yaml");
    await writeFile(file, manifests.map((m) => stringify(m)).join("---\n"));
    await kubectl("apply", "--server-side", "-f", file);
    await kubectl("apply", "--server-side", "-n", NS, "-f", join(repoRoot, "examples/rules"));

    for (const p of ["lab", "edge-arm", "fleet"]) {
      await eventually(async () => {
        const ready = await condition("collectorprofile", p, "Ready");
        assert.equal(ready?.status, "True", `${p}: ${JSON.stringify(ready)}\n${await diagnose()}`);
      }, 240_000);
    }
    const edge = await podsOf(NS, "app.kubernetes.io/instance=edge-arm");
    assert.deepEqual(
      edge.map((p) => p.spec.nodeName),
      ["node-arm64"],
      "the arm64 DaemonSet runs on node-arm64 only",
    );
    const edgeLog = await kubectl("logs", "-n", NS, `pod/${edge[0]?.metadata.name}`);
    assert.match(edgeLog, /"msg":"agent started".*"arch":"arm64"/);

    // The attack: sshd brute force over syslog, from the host to the lab pod.
    const [lab] = await podsOf(NS, "app.kubernetes.io/instance=lab");
    assert.ok(lab?.status.podIP, "lab collector pod has an IP");
    const attackAt = Date.now();
    await sshBruteForce(SYSLOG_PORT, 12, "203.0.113.7", lab.status.podIP);
    const finding = await eventually(async () => {
      const items = (await getJson("findings", "-n", NS)).items as {
        spec: { rule: string; device: string; count: number };
      }[];
      const f = items.find((i) => i.spec.rule === "login-brute-force");
      assert.ok(f, `no login-brute-force Finding yet: ${JSON.stringify(items.map((i) => i.spec))}`);
      return f;
    }, 120_000);
    assert.equal(finding.spec.device, "historian");
    console.error(
      `# first Finding ${((Date.now() - installedAt) / 1000).toFixed(1)} s after helm install, ${((Date.now() - attackAt) / 1000).toFixed(1)} s after the attack`,
    );
    console.error(`# kubectl get findings -n ${NS}\n${await kubectl("get", "findings", "-n", NS)}`);
    // Polled telemetry reached the apiserver too: the Device was seen.
    await eventually(async () => {
      const d = await getJson("device", "historian", "-n", NS);
      assert.ok(d.status?.lastSeen, `historian: ${JSON.stringify(d.status)}`);
    }, 60_000);
  });

  it("a profile change is a rolling update; the new pod runs the new config", async () => {
    const before = (await getJson("collectorprofile", "lab", "-n", NS)).status.configHash;
    const [old] = await podsOf(NS, "app.kubernetes.io/instance=lab");
    await kubectl(
      "patch",
      "collectorprofile",
      "lab",
      "-n",
      NS,
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { intervals: { snmp: 15 } } }),
    );
    await eventually(async () => {
      const hash = (await getJson("collectorprofile", "lab", "-n", NS)).status.configHash;
      assert.notEqual(hash, before);
    }, 60_000);
    await rolledOut(NS, "deployment/amoskys-collector-lab");
    const hash = (await getJson("collectorprofile", "lab", "-n", NS)).status.configHash;
    await eventually(async () => {
      const pods = await podsOf(NS, "app.kubernetes.io/instance=lab");
      assert.equal(pods.length, 1);
      assert.notEqual(pods[0]?.metadata.uid, old?.metadata.uid);
      assert.equal(pods[0]?.metadata.annotations?.["amoskys.io/config-hash"], hash);
    }, 60_000);
    assert.equal((await condition("collectorprofile", "lab", "Ready"))?.status, "True");
  });

  it("a deleted collector pod's replacement is accepted: no batch rejected, the Finding keeps counting", async () => {
    const count = async () =>
      (
        (await getJson("findings", "-n", NS)).items as { spec: { rule: string; count: number } }[]
      ).find((i) => i.spec.rule === "login-brute-force")?.spec.count ?? 0;
    const before = await count();
    const [old] = await podsOf(NS, "app.kubernetes.io/instance=lab");
    await kubectl("delete", "pod", "-n", NS, old?.metadata.name ?? "", "--wait=true");
    await rolledOut(NS, "deployment/amoskys-collector-lab");
    const [fresh] = await podsOf(NS, "app.kubernetes.io/instance=lab");
    assert.ok(fresh?.status.podIP);
    await eventually(async () => {
      await sshBruteForce(SYSLOG_PORT, 3, "203.0.113.8", fresh.status.podIP);
      assert.ok((await count()) > before, "the new pod's failed logins were counted");
    }, 120_000);
    assert.deepEqual(await rejectedBatches(), [], "batches rejected");
  });

  it("a sharded profile's StatefulSet pods poll; a deleted one's replacement (same name) is accepted", async () => {
    const sts = await getJson("statefulset", "amoskys-collector-fleet", "-n", NS);
    assert.equal(sts.status.readyReplicas, 2);
    const seen = async () => {
      const out: Record<string, number> = {};
      for (const d of ["fleet-a", "fleet-b", "fleet-c"]) {
        const dev = await getJson("device", d, "-n", NS);
        out[d] = Date.parse(dev.status?.lastSeen ?? "") || 0;
      }
      return out;
    };
    await eventually(async () => {
      const s = await seen();
      assert.ok(
        Object.values(s).every((t) => t > 0),
        `every shard's devices polled: ${JSON.stringify(s)}`,
      );
    }, 90_000);
    assert.deepEqual(await rejectedBatches(), []);
    // The StatefulSet recreates fleet-0 under the same name, with a fresh outbox.
    const [old] = (await podsOf(NS, "app.kubernetes.io/instance=fleet")).filter((p) =>
      p.metadata.name.endsWith("-0"),
    );
    await kubectl("delete", "pod", "-n", NS, old?.metadata.name ?? "", "--wait=true");
    await rolledOut(NS, "statefulset/amoskys-collector-fleet");
    const after = Date.now();
    await eventually(async () => {
      const s = await seen();
      assert.ok(
        Object.values(s).every((t) => t > after),
        `polled after the restart: ${JSON.stringify(s)}`,
      );
    }, 180_000); // lastSeen is written at most once a minute
    assert.deepEqual(await rejectedBatches(), [], "the new pod's batches were rejected");
  });

  it("kubectl logs of every component: JSON lines, no secrets", async () => {
    const pods = [
      ...(await podsOf(SYS, "app.kubernetes.io/name")).map((p) => [SYS, p] as const),
      ...(await podsOf(NS, "app.kubernetes.io/name")).map((p) => [NS, p] as const),
    ];
    assert.ok(pods.length >= 5, `pods: ${pods.map(([, p]) => p.metadata.name)}`);
    for (const [ns, p] of pods) {
      const log = await kubectl("logs", "-n", ns, `pod/${p.metadata.name}`);
      assert.ok(log.length > 0, `${p.metadata.name} logged nothing`);
      for (const line of log.split("\n").filter(Boolean)) {
        assert.doesNotThrow(() => JSON.parse(line), `${p.metadata.name}: not JSON: ${line}`);
        for (const s of secrets) assert.ok(!line.includes(s), `${p.metadata.name} logs a secret`);
      }
    }
  });

  it("deleting the arm64 node takes its DaemonSet pod away; the rest keeps working", async () => {
    await kubectl("delete", "node", "node-arm64", "--wait=true");
    await eventually(async () => {
      assert.deepEqual(await podsOf(NS, "app.kubernetes.io/instance=edge-arm"), []);
    }, 120_000);
    for (const d of ["amoskys-operator", "amoskys-analytics"]) {
      await rolledOut(SYS, `deployment/${d}`);
    }
    const [lab] = await podsOf(NS, "app.kubernetes.io/instance=lab");
    assert.ok(lab?.status.podIP);
    await sshBruteForce(SYSLOG_PORT, 1, "203.0.113.9", lab.status.podIP);
    await eventually(async () => {
      const d = await getJson("device", "historian", "-n", NS);
      assert.ok(Date.parse(d.status.lastSeen) > Date.now() - 60_000, JSON.stringify(d.status));
    }, 90_000);
  });
});
